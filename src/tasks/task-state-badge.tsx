// The task state as EUI health colour plus its text; an unknown state (a newer cluster) shows as itself, neutral.
import { EuiHealth } from '@elastic/eui';

const STATE_COLORS: Record<string, string> = {
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

export function stateHealthColor(state: string): string {
  return STATE_COLORS[state] ?? 'subdued';
}

export function TaskStateBadge({ state }: { state: unknown }) {
  if (typeof state !== 'string' || state === '') return <MissingValue />;
  return (
    <EuiHealth color={stateHealthColor(state)} data-test-subj="taskState" style={{ whiteSpace: 'nowrap' }}>
      {state}
    </EuiHealth>
  );
}

/** What a cell shows for a field the document does not have. */
export function MissingValue() {
  return <span aria-label="not set">—</span>;
}
