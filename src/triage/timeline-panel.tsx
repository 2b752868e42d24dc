// The tasks page's timeline panel: a header that opens and closes it (remembered, like the columns), and once open the
// chart and the durations, which load lazily with @elastic/charts. The server and the first render draw a placeholder
// of the same size: the chart is never part of the first screen.
import { Suspense, lazy, memo, useId } from 'react';
import { EuiButtonEmpty, EuiSpacer } from '@elastic/eui';
import { useHydrated } from '../lib/use-hydrated';
import { useStoredState } from '../lib/use-stored-state';
import { TIMELINE_OPEN_KEY } from '../../shared/cookies';
import type { Capabilities } from '../../shared/cluster-capabilities';
import type { TaskSearchBody } from '../../shared/ml-types';
import type { TaskViewState } from '../../shared/task-view-state';
import { TimelinePlaceholder } from './timeline-placeholder';

const TimelineBody = lazy(() => import('./timeline-body').then((m) => ({ default: m.TimelineBody })));

/**
 * Whether the panel is open, remembered in a cookie (TIMELINE_OPEN_KEY) that the gateway reads too: the view's search
 * carries the timeline's aggregation only while it is open. Closed until the user opens it: the panel's searches (its
 * bars, the durations) then cost nothing to those who never look.
 */
export function useTimelineOpen(): [boolean, (open: boolean) => void] {
  return useStoredState(TIMELINE_OPEN_KEY, false, isBoolean);
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

export interface TimelinePanelProps {
  /** Open: the chart and the durations show, and the view's search carries the bars (useTimelineOpen). */
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The view's search answer's aggregations (the timeline's bars or span among them). */
  aggregations: Record<string, unknown> | undefined;
  /** The view's search; undefined while it sends nothing (a malformed query, the cluster not known yet). */
  viewBody: TaskSearchBody | undefined;
  /** The view's own search is under way: the panel's own searches wait for its answer. */
  viewSearching: boolean;
  timeField: TaskViewState['timeField'];
  from: string;
  to: string;
  refresh: TaskViewState['refresh'];
  capabilities: Pick<Capabilities, 'aggregationsInSearch' | 'release'> | undefined;
  selectedStates: readonly string[];
  onSelectState: (state: string) => void;
  /** A brushed span: absolute ISO bounds. */
  onRangeChange: (from: string, to: string) => void;
}

/** Memoised: the page re-renders it only when what it shows changes (callbacks are stable). */
export const TimelinePanel = memo(function TimelinePanel({
  open,
  onOpenChange,
  aggregations,
  viewBody,
  viewSearching,
  timeField,
  from,
  to,
  refresh,
  capabilities,
  selectedStates,
  onSelectState,
  onRangeChange,
}: TimelinePanelProps) {
  const hydrated = useHydrated();
  const contentId = useId();
  const noAggregations =
    capabilities && !capabilities.aggregationsInSearch
      ? `ML Commons ${capabilities.release} never answers a task search that carries aggregations, so the console cannot count tasks over time on this cluster. The durations still come from the newest finished tasks.`
      : undefined;
  return (
    <section aria-label="Timeline" data-test-subj="timelinePanel">
      <EuiButtonEmpty
        size="s"
        flush="left"
        color="text"
        iconType={open ? 'chevronSingleDown' : 'chevronSingleRight'}
        aria-expanded={open}
        aria-controls={contentId}
        onClick={() => onOpenChange(!open)}
        data-test-subj="timelineToggle"
      >
        Timeline and durations
      </EuiButtonEmpty>
      {open && (
        <div id={contentId}>
          <EuiSpacer size="xs" />
          {/* Nothing lazy while the page hydrates: a boundary still waiting for its code would be drawn again. */}
          {hydrated && viewBody ? (
            <Suspense fallback={<TimelinePlaceholder />}>
              <TimelineBody
                aggregations={aggregations}
                viewBody={viewBody}
                view={{ timeField, from, to, refresh }}
                viewSearching={viewSearching}
                noAggregations={noAggregations}
                selectedStates={selectedStates}
                onSelectState={onSelectState}
                onRangeChange={onRangeChange}
              />
            </Suspense>
          ) : (
            <TimelinePlaceholder />
          )}
        </div>
      )}
    </section>
  );
});
