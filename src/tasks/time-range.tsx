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
import type { TaskViewState, TimeField } from '../../shared/task-view-state';
import { ALL_TIME_START, COMMONLY_USED_RANGES, TIME_FIELD_OPTIONS } from './time-range-options';

export interface TimeRangeProps {
  view: Pick<TaskViewState, 'timeField' | 'from' | 'to'>;
  onChange: (patch: Partial<TaskViewState>) => void;
}

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
