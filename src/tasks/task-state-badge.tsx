// The task state as EUI health colour plus its text; an unknown state (a newer cluster) shows as itself, neutral.
import { EuiIcon } from '@elastic/eui';
import type { RowColor } from './row-classes';

const STATE_COLORS: Record<string, RowColor> = {
  CREATED: 'subdued',
  RUNNING: 'primary',
  CANCELLING: 'warning',
  COMPLETED: 'success',
  COMPLETED_WITH_ERROR: 'warning',
  FAILED: 'danger',
  CANCELLED: 'subdued',
  EXPIRED: 'subdued',
  UNREACHABLE: 'danger',
};

export function stateHealthColor(state: string): RowColor {
  return STATE_COLORS[state] ?? 'subdued';
}

/** EuiHealth's look (a coloured dot and the text) without its flex group: this is drawn once per table row. */
const DOT_AND_TEXT = { display: 'inline-flex', alignItems: 'center', gap: 4, whiteSpace: 'nowrap' } as const;

/**
 * `dots`: the class names of the dot in each colour, where the table draws it as a plain element (row-classes.tsx);
 * without them the dot is EuiIcon's.
 */
export function TaskStateBadge({ state, dots }: { state: unknown; dots?: Record<RowColor, string> }) {
  if (typeof state !== 'string' || state === '') return <MissingValue />;
  const color = stateHealthColor(state);
  return (
    <span data-test-subj="taskState" style={DOT_AND_TEXT}>
      {dots ? <span className={dots[color]} aria-hidden /> : <EuiIcon type="dot" color={color} aria-hidden />}
      {state}
    </span>
  );
}

/** What a cell shows for a field the document does not have. */
export function MissingValue() {
  return <span aria-label="not set">—</span>;
}
