// The timeline panel's content, loaded with @elastic/charts once the panel is open and the app owns the page: the bars
// (from the view's own search, or from a second one over the span it found) beside the durations per task type.
import { useCallback, useDeferredValue, useMemo } from 'react';
import { EuiFlexGroup, EuiFlexItem, EuiText } from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { timelineQueryOptions } from '../tasks/task-queries';
import type { TaskSearchBody } from '../../shared/ml-types';
import { chooseInterval, timelinePlan } from '../../shared/timeline';
import {
  brushRange,
  histogramSearchBody,
  readTimeline,
  type TimelineBucket,
} from '../../shared/timeline-results';
import type { TaskViewState } from '../../shared/task-view-state';
import { DurationsTable } from './durations-table';
import { TimelineChart } from './timeline-chart';
import { TIMELINE_BODY_HEIGHT } from './timeline-placeholder';

export interface TimelineBodyProps {
  /** The view's search answer's aggregations; undefined while it loads or where the cluster answers none. */
  aggregations: Record<string, unknown> | undefined;
  viewBody: TaskSearchBody;
  view: Pick<TaskViewState, 'timeField' | 'from' | 'to' | 'refresh'>;
  /** The view's own search is under way (a new filter, a refresh). */
  viewSearching: boolean;
  /** Where the cluster cannot answer aggregations in a task search, why (said instead of the chart). */
  noAggregations: string | undefined;
  selectedStates: readonly string[];
  onSelectState: (state: string) => void;
  onRangeChange: (from: string, to: string) => void;
}

const NO_BARS: TimelineBucket[] = [];
const NO_STATES: string[] = [];

export function TimelineBody({
  aggregations,
  viewBody,
  view,
  viewSearching,
  noAggregations,
  selectedStates,
  onSelectState,
  onRangeChange,
}: TimelineBodyProps) {
  const { timeField, from, to, refresh } = view;
  const inView = useMemo(() => readTimeline(aggregations), [aggregations]);
  // A range the gateway cannot place in time without a clock: the view's search found its span, bars come next.
  const span = inView?.kind === 'span' && inView.first !== null && inView.last !== null ? inView : undefined;
  const followUpBody = useMemo(
    () => (span ? histogramSearchBody(viewBody, timeField, span.first!, span.last!) : undefined),
    [span, viewBody, timeField],
  );
  const followUp = useQuery(timelineQueryOptions(followUpBody, refresh));
  const bars =
    inView?.kind === 'bars' ? inView : span ? readTimeline(followUp.data?.aggregations) : undefined;
  const intervalSource = span ? chooseInterval(span.last! - span.first!) : undefined;
  const plan = timelinePlan({ timeField, from, to });
  const interval = intervalSource ?? (plan.kind === 'histogram' ? plan.interval : chooseInterval(0));

  // The bars by content: a new answer with the same counts (another page, a refresh that changed nothing) draws
  // nothing again. Deferred, so that the table's rows are on screen before the chart redraws.
  const barsKey = JSON.stringify(bars?.kind === 'bars' ? [bars.buckets, bars.states] : null);
  const stable = useMemo(() => JSON.parse(barsKey) as [TimelineBucket[], string[]] | null, [barsKey]);
  const shown = useDeferredValue(stable);
  const buckets = shown?.[0] ?? NO_BARS;
  const onBrush = useCallback(
    (x0: number, x1: number) => {
      const range = brushRange(x0, x1, buckets, interval.ms);
      onRangeChange(range.from, range.to);
    },
    [buckets, interval.ms, onRangeChange],
  );

  let chart;
  if (noAggregations) {
    chart = (
      <EuiText size="s" color="subdued" data-test-subj="timelineUnavailable">
        <p>{noAggregations}</p>
      </EuiText>
    );
  } else if (followUp.error) {
    chart = (
      <RequestErrorCallOut
        title="Could not count tasks over time"
        error={followUp.error}
        onRetry={() => void followUp.refetch()}
      />
    );
  } else if (inView?.kind === 'span' && !span) {
    chart = (
      <EuiText size="s" color="subdued" data-test-subj="timelineEmpty">
        <p>No tasks in this view to show over time.</p>
      </EuiText>
    );
  } else if (!shown) {
    chart = (
      <EuiText size="s" color="subdued">
        <p>Counting tasks over time…</p>
      </EuiText>
    );
  } else {
    chart = (
      <TimelineChart
        buckets={buckets}
        states={shown[1] ?? NO_STATES}
        intervalMs={interval.ms}
        intervalLabel={interval.label}
        timeField={timeField}
        selectedStates={selectedStates}
        onBrush={onBrush}
        onSelectState={onSelectState}
      />
    );
  }

  return (
    <EuiFlexGroup gutterSize="l" responsive={false} wrap style={{ minHeight: TIMELINE_BODY_HEIGHT }}>
      <EuiFlexItem grow={3} style={{ minWidth: 360 }}>
        {chart}
      </EuiFlexItem>
      <EuiFlexItem grow={2} style={{ minWidth: 300 }}>
        <DurationsTable
          viewBody={viewBody}
          refreshMs={refresh}
          viewSearching={viewSearching}
          height={TIMELINE_BODY_HEIGHT}
        />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}
