// The task state as a coloured badge; an unknown state (a newer cluster) shows as itself in a neutral badge.
import { EuiBadge } from '@elastic/eui';

const STATE_COLORS: Record<string, string> = {
  CREATED: 'hollow',
  RUNNING: 'primary',
  CANCELLING: 'warning',
  COMPLETED: 'success',
  COMPLETED_WITH_ERROR: 'warning',
  FAILED: 'danger',
  CANCELLED: 'default',
  EXPIRED: 'default',
  UNREACHABLE: 'danger',
};

export function TaskStateBadge({ state }: { state: unknown }) {
  if (typeof state !== 'string' || state === '') return <MissingValue />;
  return <EuiBadge color={STATE_COLORS[state] ?? 'hollow'}>{state}</EuiBadge>;
}

/** What a cell shows for a field the document does not have. */
export function MissingValue() {
  return <span aria-label="not set">—</span>;
}
