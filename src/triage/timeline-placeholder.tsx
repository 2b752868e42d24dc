// What the timeline panel shows while its chart loads, and in the server's render of the first screen (which never
// loads the chart): the same height, so that nothing below it moves when the chart arrives.
import { EuiText } from '@elastic/eui';

/** The panel's content height: the legend row and the chart beside the durations. */
export const TIMELINE_BODY_HEIGHT = 212;

export function TimelinePlaceholder() {
  return (
    <div style={{ height: TIMELINE_BODY_HEIGHT }} aria-busy="true" data-test-subj="timelinePlaceholder">
      <EuiText size="s" color="subdued">
        <p>Loading the timeline…</p>
      </EuiText>
    </div>
  );
}
