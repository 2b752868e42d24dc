// What the time range looks like while its date picker loads, and in the server's render of the first screen: the
// same time-field select and the picker's quick-menu button and range, drawn with EUI's light form parts. It
// cannot be used (inert) and says it is loading; the real control replaces it at the same size.
import {
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormControlButton,
  EuiFormControlLayout,
  EuiFormPrepend,
  EuiSelect,
} from '@elastic/eui';
import type { TaskViewState } from '../../shared/task-view-state';
import { TIME_FIELD_OPTIONS, timeRangeLabel } from './time-range-options';

/** The date picker's width in the page (EUI's restricted width for it). */
export const DATE_PICKER_WIDTH = 480;

const ignore = () => {};

export function TimeRangePlaceholder({ view }: { view: Pick<TaskViewState, 'timeField' | 'from' | 'to'> }) {
  return (
    <div
      role="group"
      aria-busy="true"
      aria-label="Loading the time range"
      data-test-subj="timeRangePlaceholder"
    >
      {/* React 18 knows no `inert` prop: an empty string is passed through as the attribute. */}
      <div {...{ inert: '' }}>
        <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
          <EuiFlexItem grow={false}>
            <EuiSelect
              compressed
              options={TIME_FIELD_OPTIONS}
              value={view.timeField}
              onChange={ignore}
              aria-label="Time field of the range"
              tabIndex={-1}
            />
          </EuiFlexItem>
          <EuiFlexItem grow={false} style={{ width: DATE_PICKER_WIDTH }}>
            <EuiFormControlLayout
              compressed
              fullWidth
              prepend={<EuiFormPrepend iconLeft="calendar" iconRight="chevronSingleDown" compressed />}
            >
              <EuiFormControlButton compressed tabIndex={-1} value={timeRangeLabel(view.from, view.to)} />
            </EuiFormControlLayout>
          </EuiFlexItem>
        </EuiFlexGroup>
      </div>
    </div>
  );
}
