// React Query keys and query options for tasks: the one place that knows how task data is fetched and cached.
import { keepPreviousData, queryOptions, skipToken } from '@tanstack/react-query';
import { readTask, searchTasks } from '../api/ml';
import { afterNextPaint } from '../lib/after-paint';
import { SEARCH_CONCURRENCY, runLimited } from '../lib/run-limited';
import type { MlTask, TaskSearchBody } from '../../shared/ml-types';
import { isFinished } from './task-fields';
import { countsAsAggregations, type CountSearch } from '../../shared/task-search-body';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  /** A list is identified by the exact body it sends: one view, one request, one cache entry. */
  list: (body: TaskSearchBody | undefined) => [...taskKeys.lists(), body ?? null] as const,
  /** Facet counts read one value at a time (clusters that cannot answer aggregations). */
  allCounts: () => [...taskKeys.all, 'counts'] as const,
  counts: (searches: CountSearch[]) => [...taskKeys.allCounts(), searches.map((s) => s.body)] as const,
  details: () => [...taskKeys.all, 'detail'] as const,
  detail: (taskId: string) => [...taskKeys.details(), taskId] as const,
};

/** `body` undefined: the view must send nothing (a malformed query, capabilities not known yet), refetch included. */
export function taskListQueryOptions(body: TaskSearchBody | undefined, refreshMs = 0) {
  return queryOptions({
    queryKey: taskKeys.list(body),
    queryFn: body ? ({ signal }) => searchTasks(body, signal) : skipToken,
    // Keep showing the previous page while the next one loads instead of flashing an empty table.
    placeholderData: keepPreviousData,
    // React Query's timer is the only one; it pauses while the tab is hidden.
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
  });
}

/** How often an open drawer re-reads a task that has not finished yet. */
export const UNFINISHED_TASK_REFRESH_MS = 5000;

export function taskDetailQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    // Read with a search, never GET: see readTask. Null: no such task.
    queryFn: ({ signal }) => readTask(taskId, signal),
    refetchInterval: (query) => {
      const task = query.state.data as MlTask | null | undefined;
      // A failed read (the task was deleted, the cluster is down) waits for "Try again" instead of repeating every 5 s.
      if (query.state.status === 'error') return false;
      return task && !isFinished(task.state) ? UNFINISHED_TASK_REFRESH_MS : false;
    },
    refetchIntervalInBackground: false,
  });
}

/** Facet counts the slow way: one `size: 0` search per value, a few at a time, answered as aggregations would be. */
export function facetCountsQueryOptions(searches: CountSearch[] | undefined, refreshMs = 0) {
  return queryOptions({
    queryKey: taskKeys.counts(searches ?? []),
    queryFn: searches
      ? async ({ signal }) => {
          const totals = await runLimited(searches, SEARCH_CONCURRENCY, (s) => searchTasks(s.body, signal));
          return countsAsAggregations(
            searches.map((s, i) => ({
              field: s.field,
              value: s.value,
              count: totals[i]!.hits.total?.value ?? 0,
            })),
          );
        }
      : skipToken,
    placeholderData: keepPreviousData,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
  });
}

/**
 * A search that completes a view but is not its rows (the timeline's, the stale count): sent once the frame with the
 * rows is painted, so that sending it does not hold them back (after-paint.ts).
 */
export async function searchAfterRows(body: TaskSearchBody, signal: AbortSignal) {
  await afterNextPaint();
  signal.throwIfAborted();
  return searchTasks(body, signal);
}

/**
 * One of the timeline's own searches (shared/timeline.ts builds them from the view's): kept on screen while the next
 * loads, refreshed with the view. `body` undefined sends nothing.
 */
function timelineSearchOptions(
  kind: 'timeline' | 'durations',
  body: TaskSearchBody | undefined,
  refreshMs: number,
  enabled = true,
) {
  return queryOptions({
    // Under taskKeys.all, beside the lists: identified by the exact body, like them.
    queryKey: [...taskKeys.all, kind, body ?? null] as const,
    queryFn: body ? ({ signal }) => searchAfterRows(body, signal) : skipToken,
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
  });
}

/** The timeline's bars, where the view's search could only find their span. */
export function timelineQueryOptions(body: TaskSearchBody | undefined, refreshMs = 0) {
  return timelineSearchOptions('timeline', body, refreshMs);
}

/**
 * The newest finished tasks of the view, for the durations per task type. `enabled` false holds the search back (the
 * previous answer stays on screen): the page sends it once the view's own search has answered, so that the rows,
 * which the user waits for, never share the cluster with it.
 */
export function durationsQueryOptions(body: TaskSearchBody | undefined, refreshMs = 0, enabled = true) {
  return timelineSearchOptions('durations', body, refreshMs, enabled);
}
