// Durations per task type: median and p95 of the view's newest finished tasks (last update minus creation), read with
// one search of a few fields each, since the gateway lets no script compute them on the cluster.
import { memo, useMemo, useState } from 'react';
import {
  EuiBasicTable,
  EuiButtonGroup,
  EuiFlexGroup,
  EuiFlexItem,
  EuiText,
  EuiTitle,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { formatDuration, formatNumber } from '../lib/format';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { useNumberLocale } from '../lib/server-request';
import { durationsQueryOptions } from '../tasks/task-queries';
import type { TaskSearchBody } from '../../shared/ml-types';
import {
  durationStats,
  durationsSearchBody,
  type DurationOutcome,
  type DurationStats,
} from '../../shared/timeline-results';

const OUTCOMES: Array<{ id: DurationOutcome; label: string }> = [
  { id: 'completed', label: 'Completed' },
  { id: 'failed', label: 'Failed' },
];

export interface DurationsTableProps {
  /** The view's search; its page is left out, so paging asks nothing again. */
  viewBody: TaskSearchBody;
  refreshMs: number;
  /** The view's own search is under way: the durations' waits for it (see durationsQueryOptions). */
  viewSearching: boolean;
  height: number;
}

export const DurationsTable = memo(function DurationsTable({
  viewBody,
  refreshMs,
  viewSearching,
  height,
}: DurationsTableProps) {
  const locale = useNumberLocale();
  const [outcome, setOutcome] = useState<DurationOutcome>('completed');
  const body = useMemo(() => durationsSearchBody(viewBody), [viewBody]);
  const search = useQuery(durationsQueryOptions(body, refreshMs, !viewSearching));
  const hits = search.data?.hits.hits;
  const stats = useMemo(() => (hits ? durationStats(hits) : []), [hits]);
  const rows = stats.filter((s) => s.outcome === outcome);
  const read = hits?.length ?? 0;
  const finished = search.data?.hits.total?.value ?? 0;
  const fmt = (n: number) => formatNumber(n, locale);
  const columns: Array<EuiBasicTableColumn<DurationStats>> = [
    { field: 'taskType', name: 'Task type', truncateText: true },
    { field: 'count', name: 'Tasks', align: 'right', width: '64px', render: (n: number) => fmt(n) },
    { field: 'medianMs', name: 'Median', align: 'right', render: (ms: number) => formatDuration(ms) },
    { field: 'p95Ms', name: 'p95', align: 'right', render: (ms: number) => formatDuration(ms) },
  ];
  return (
    <div data-test-subj="durations" style={{ height, display: 'flex', flexDirection: 'column' }}>
      {/* Not stretched: the table below takes the panel's height and scrolls. */}
      <EuiFlexGroup
        gutterSize="s"
        alignItems="center"
        justifyContent="spaceBetween"
        responsive={false}
        style={{ flexGrow: 0 }}
      >
        <EuiFlexItem grow={false}>
          <EuiTitle size="xxs">
            <h3>Durations per task type</h3>
          </EuiTitle>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButtonGroup
            legend="Durations of"
            buttonSize="compressed"
            options={OUTCOMES}
            idSelected={outcome}
            onChange={(id) => setOutcome(id as DurationOutcome)}
          />
        </EuiFlexItem>
      </EuiFlexGroup>
      {search.error ? (
        <RequestErrorCallOut
          title="Could not read the finished tasks"
          error={search.error}
          onRetry={() => void search.refetch()}
        />
      ) : (
        <>
          <EuiText size="xs" color="subdued" data-test-subj="durationsSample">
            <p>
              {!search.data
                ? 'Reading the finished tasks…'
                : read === 0
                  ? 'No finished task in this view.'
                  : read < finished
                    ? `From the newest ${fmt(read)} of ${fmt(finished)} finished tasks (last update minus creation).`
                    : `From the ${fmt(read)} finished ${read === 1 ? 'task' : 'tasks'} of this view (last update minus creation).`}
            </p>
          </EuiText>
          {/* Focusable and named: a keyboard must be able to scroll it (axe: scrollable-region-focusable). */}
          <div
            style={{ overflowY: 'auto', flex: 1 }}
            tabIndex={0}
            role="region"
            aria-label="Durations per task type"
          >
            <EuiBasicTable
              compressed
              tableCaption={`Median and 95th percentile duration of ${outcome} tasks per task type`}
              items={rows}
              columns={columns}
              rowProps={(s) => ({ 'data-test-subj': `durations-${s.taskType}` })}
              noItemsMessage={search.data ? `No ${outcome} task in this view.` : 'Loading…'}
            />
          </div>
        </>
      )}
    </div>
  );
});
