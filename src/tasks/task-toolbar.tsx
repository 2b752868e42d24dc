// The controls above the table: the query bar, auto-refresh and "go to task id" (the time range has its own module).
import { forwardRef, memo, useState, type FormEvent } from 'react';
import {
  EuiButton,
  EuiButtonIcon,
  EuiFieldSearch,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormRow,
  EuiIcon,
  EuiSelect,
  EuiText,
  EuiToolTip,
} from '@elastic/eui';
import { useNow } from '../lib/use-now';
import type { ParseResult } from '../../shared/task-query';
import { REFRESH_INTERVALS, type TaskViewState } from '../../shared/task-view-state';

export interface QueryBarProps {
  value: string;
  parsed: ParseResult;
  onSubmit: (text: string) => void;
}

/**
 * Free text and `field:value` filters; nothing is sent while the text does not parse. The draft starts from the
 * URL's query, and a new query from elsewhere (a filter, back) starts a new draft in the same field, so a search
 * sent with Enter keeps the focus.
 */
export const QueryBar = memo(
  forwardRef<HTMLInputElement, QueryBarProps>(function QueryBar({ value, parsed, onSubmit }, ref) {
    const [draft, setDraft] = useState(value);
    const [draftOf, setDraftOf] = useState(value);
    if (draftOf !== value) {
      setDraftOf(value);
      setDraft(value);
    }
    const error = parsed.ok ? undefined : parsed.message;
    const dirty = draft !== value;
    const submit = (event?: FormEvent) => {
      event?.preventDefault();
      onSubmit(draft.trim());
    };
    return (
      <form onSubmit={submit} role="search" aria-label="Search tasks">
        <EuiFormRow
          fullWidth
          isInvalid={Boolean(error) && !dirty}
          error={error && !dirty ? error : undefined}
          helpText={
            dirty
              ? 'Press Enter to search'
              : 'Words find task and model ids and text in errors, inside dotted names too (OutOfMemoryError). Press ? for the syntax.'
          }
        >
          <EuiFieldSearch
            inputRef={(el) => {
              if (typeof ref === 'function') ref(el);
              else if (ref) ref.current = el;
            }}
            fullWidth
            value={draft}
            isInvalid={Boolean(error) && !dirty}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(text) => onSubmit(text.trim())}
            incremental={false}
            placeholder="state:FAILED function:TEXT_EMBEDDING -type:DEPLOY_MODEL model:<id> or text in ids and errors"
            aria-label="Query: filters such as state:FAILED, and free text (press / to focus)"
            aria-keyshortcuts="/"
            data-test-subj="queryBar"
          />
        </EuiFormRow>
      </form>
    );
  }),
);

function intervalLabel(ms: number): string {
  if (ms === 0) return 'Auto-refresh off';
  return `Every ${ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`}`;
}

export interface RefreshControlsProps {
  refresh: TaskViewState['refresh'];
  updatedAt: number;
  isFetching: boolean;
  onIntervalChange: (refresh: TaskViewState['refresh']) => void;
  onRefresh: () => void;
}

export const RefreshControls = memo(function RefreshControls({
  refresh,
  updatedAt,
  isFetching,
  onIntervalChange,
  onRefresh,
}: RefreshControlsProps) {
  const now = useNow(1000);
  const ago = updatedAt ? Math.max(0, Math.round((now - updatedAt) / 1000)) : undefined;
  return (
    <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
      <EuiFlexItem grow={false}>
        <EuiText size="xs" color="subdued" aria-live="polite" data-test-subj="updatedAgo">
          {ago === undefined ? '' : ago < 2 ? 'updated just now' : `updated ${ago} s ago`}
        </EuiText>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiSelect
          compressed
          prepend={<EuiIcon type="clock" aria-hidden />}
          options={REFRESH_INTERVALS.map((ms: number) => ({ value: String(ms), text: intervalLabel(ms) }))}
          value={String(refresh)}
          onChange={(e) => onIntervalChange(Number(e.target.value) as TaskViewState['refresh'])}
          aria-label="Auto-refresh interval"
          data-test-subj="refreshInterval"
        />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiToolTip content="Refresh now">
          <EuiButtonIcon
            iconType="refresh"
            display="base"
            size="s"
            isLoading={isFetching}
            onClick={onRefresh}
            aria-label="Refresh now"
            data-test-subj="refreshNow"
          />
        </EuiToolTip>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
});

export const GoToTask = memo(function GoToTask({ onGo }: { onGo: (taskId: string) => void }) {
  const [id, setId] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = id.trim();
        if (trimmed) onGo(trimmed);
      }}
    >
      <EuiFlexGroup gutterSize="xs" responsive={false} alignItems="center">
        <EuiFlexItem grow={false}>
          <EuiFieldText
            compressed
            value={id}
            onChange={(e) => setId(e.target.value)}
            placeholder="Task id"
            aria-label="Go to task id"
            data-test-subj="goToTaskId"
          />
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButton size="s" type="submit" isDisabled={!id.trim()} data-test-subj="goToTaskButton">
            Open
          </EuiButton>
        </EuiFlexItem>
      </EuiFlexGroup>
    </form>
  );
});
