// Stale tasks in a view: how many there are under its filters (one `size: 0` search with the rules' own query) and
// which of the page's rows are stale (the same rules, applied to each row).
import { useMemo } from 'react';
import { keepPreviousData, queryOptions, skipToken } from '@tanstack/react-query';
import type { MlTask, SearchHit, TaskSearchBody } from '../../shared/ml-types';
import {
  findStale,
  staleClause,
  type StaleCapabilities,
  type StaleContext,
  type StaleFinding,
} from '../../shared/stale-rules';
import { searchAfterRows, taskKeys } from '../tasks/task-queries';
import { withinView } from '../../shared/task-search-body';

/** The count of the view's stale tasks: its filters and the rules' query, no hits. */
export function staleCountBody(
  viewBody: Pick<TaskSearchBody, 'query' | 'post_filter'>,
  context: Omit<StaleContext, 'now'>,
  caps: StaleCapabilities,
): TaskSearchBody {
  return { query: withinView(viewBody, staleClause(context, caps)), size: 0, track_total_hits: true };
}

export function staleCountQueryOptions(body: TaskSearchBody | undefined, refreshMs = 0) {
  return queryOptions({
    queryKey: [...taskKeys.all, 'stale-count', body ?? null] as const,
    queryFn: body
      ? async ({ signal }) => (await searchAfterRows(body, signal)).hits.total?.value ?? 0
      : skipToken,
    placeholderData: keepPreviousData,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
  });
}

/** The rows' findings by task id; empty until the facts are known. */
export function useStaleFindings(
  hits: ReadonlyArray<SearchHit<MlTask>>,
  context: Omit<StaleContext, 'now'> | undefined,
  caps: StaleCapabilities | undefined,
  now: number,
): ReadonlyMap<string, StaleFinding> {
  return useMemo(() => {
    const found = new Map<string, StaleFinding>();
    if (!context || !caps) return found;
    for (const hit of hits) {
      const finding = findStale(hit._id, hit._source, { ...context, now }, caps);
      if (finding) found.set(hit._id, finding);
    }
    return found;
  }, [hits, context, caps, now]);
}
