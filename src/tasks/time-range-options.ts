// The time range's choices, shared by the date picker (loaded after the first rows) and the placeholder drawn in
// its place until then, so that both show the same words.
import type { TimeField } from '../../shared/task-view-state';

/** EuiSuperDatePicker needs a start; "all time" is shown as a range reaching far back. */
export const ALL_TIME_START = 'now-100y';

export const TIME_FIELD_OPTIONS: Array<{ value: TimeField; text: string }> = [
  { value: 'create_time', text: 'Created' },
  { value: 'last_update_time', text: 'Last updated' },
];

export const COMMONLY_USED_RANGES = [
  { start: ALL_TIME_START, end: 'now', label: 'All time' },
  { start: 'now-15m', end: 'now', label: 'Last 15 minutes' },
  { start: 'now-1h', end: 'now', label: 'Last hour' },
  { start: 'now-24h', end: 'now', label: 'Last 24 hours' },
  { start: 'now-7d', end: 'now', label: 'Last 7 days' },
  { start: 'now-30d', end: 'now', label: 'Last 30 days' },
  { start: 'now/d', end: 'now', label: 'Today' },
];

const UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  y: 'year',
};

/**
 * The range in the words the date picker shows it: a commonly used range by its label, "Last N units" for a
 * relative one, else its two ends as written. Light on purpose: no date library before the picker loads.
 */
export function timeRangeLabel(from: string, to: string): string {
  const start = from || ALL_TIME_START;
  const end = to || 'now';
  const common = COMMONLY_USED_RANGES.find((r) => r.start === start && r.end === end);
  if (common) return common.label;
  const relative = end === 'now' ? /^now-(\d+)([smhdwMy])$/.exec(start) : null;
  if (relative) {
    const n = Number(relative[1]);
    return `Last ${n} ${UNITS[relative[2]!]}${n === 1 ? '' : 's'}`;
  }
  return `${start} → ${end}`;
}
