// The time range: which time field, and EUI's super date picker with relative and absolute ranges. It is the
// heaviest control of the page (the date picker and its calendar), so the page loads it after the first rows.
import { memo } from 'react';
import {
  EuiFlexGroup,
  EuiFlexItem,
  EuiSelect,
  EuiSuperDatePicker,
  type OnTimeChangeProps,
} from '@elastic/eui';
import type { TaskViewState, TimeField } from './task-view-state';

/** EuiSuperDatePicker needs a start; "all time" is shown as a range reaching far back. */
const ALL_TIME_START = 'now-100y';

const TIME_FIELD_OPTIONS = [
  { value: 'create_time', text: 'Created' },
  { value: 'last_update_time', text: 'Last updated' },
];

export interface TimeRangeProps {
  view: Pick<TaskViewState, 'timeField' | 'from' | 'to'>;
  onChange: (patch: Partial<TaskViewState>) => void;
}

const COMMONLY_USED_RANGES = [
  { start: ALL_TIME_START, end: 'now', label: 'All time' },
  { start: 'now-15m', end: 'now', label: 'Last 15 minutes' },
  { start: 'now-1h', end: 'now', label: 'Last hour' },
  { start: 'now-24h', end: 'now', label: 'Last 24 hours' },
  { start: 'now-7d', end: 'now', label: 'Last 7 days' },
  { start: 'now-30d', end: 'now', label: 'Last 30 days' },
  { start: 'now/d', end: 'now', label: 'Today' },
];

/** Re-renders only when the time field or the range changes (the page passes a stable onChange). */
export const TimeRange = memo(
  TimeRangeView,
  (a, b) =>
    a.onChange === b.onChange &&
    a.view.timeField === b.view.timeField &&
    a.view.from === b.view.from &&
    a.view.to === b.view.to,
);

function TimeRangeView({ view, onChange }: TimeRangeProps) {
  const onTimeChange = ({ start, end }: OnTimeChangeProps) => {
    const allTime = start === ALL_TIME_START && end === 'now';
    onChange({ from: allTime ? '' : start, to: allTime ? '' : end });
  };
  return (
    <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
      <EuiFlexItem grow={false}>
        <EuiSelect
          compressed
          options={TIME_FIELD_OPTIONS}
          value={view.timeField}
          onChange={(e) => onChange({ timeField: e.target.value as TimeField })}
          aria-label="Time field of the range"
          data-test-subj="timeField"
        />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiSuperDatePicker
          compressed
          start={view.from || ALL_TIME_START}
          end={view.to || 'now'}
          onTimeChange={onTimeChange}
          showUpdateButton={false}
          commonlyUsedRanges={COMMONLY_USED_RANGES}
          data-test-subj="timeRange"
        />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}
