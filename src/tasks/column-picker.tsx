// Which table columns are shown: a popover of checkboxes, remembered in the browser.
import { memo, useState } from 'react';
import { EuiButtonEmpty, EuiCheckbox, EuiPopoverTitle, EuiSpacer } from '@elastic/eui';
import { DeferredPopover } from '../lib/deferred-popover';
import { useStoredState } from '../lib/use-stored-state';
import { TASK_COLUMNS } from './tasks-table';

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Async is rarely what an operator scans for; it stays one click away. */
const DEFAULT_HIDDEN = ['async'];

export function useHiddenColumns(): [string[], (hidden: string[]) => void] {
  return useStoredState<string[]>('mlTasksConsole.hiddenColumns', DEFAULT_HIDDEN, isStringList);
}

export const ColumnPicker = memo(function ColumnPicker({
  hidden,
  onChange,
}: {
  hidden: string[];
  onChange: (hidden: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <DeferredPopover
      aria-label="Columns to show"
      isOpen={open}
      closePopover={() => setOpen(false)}
      button={
        <EuiButtonEmpty
          size="s"
          iconType="table"
          onClick={() => setOpen((o) => !o)}
          aria-label="Choose columns"
          data-test-subj="columnPicker"
        >
          Columns
        </EuiButtonEmpty>
      }
    >
      <EuiPopoverTitle>Columns</EuiPopoverTitle>
      {TASK_COLUMNS.map((c) => (
        <div key={c.id}>
          <EuiCheckbox
            id={`column-toggle-${c.id}`}
            label={c.name}
            checked={!hidden.includes(c.id)}
            // The task id opens the drawer: it always stays.
            disabled={c.id === 'id'}
            onChange={(e) =>
              onChange(e.target.checked ? hidden.filter((h) => h !== c.id) : [...hidden, c.id])
            }
          />
          <EuiSpacer size="xs" />
        </div>
      ))}
    </DeferredPopover>
  );
});
