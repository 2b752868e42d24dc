// The failure groups of a view: the newest failures matching it, read a page at a time with search_after and grouped
// by cause as each page arrives, cached per view like any other task data.
import { keepPreviousData, queryOptions, skipToken, type QueryClient } from '@tanstack/react-query';
import type { FailureGroupsResult } from '../../shared/failure-groups';
import { seedClusterNodes } from '../nodes/node-queries';
import type { FailureScope } from '../../shared/failure-scope';
import { readFailureGroups } from './failure-read';
import { taskKeys } from '../tasks/task-queries';
import { readFailureGroupsInWorker, readsInWorker } from './failure-read-client';

export const failureGroupKeys = {
  all: () => [...taskKeys.all, 'failure-groups'] as const,
  scope: (scope: FailureScope | undefined) => [...failureGroupKeys.all(), scope ?? null] as const,
};

/** `scope` undefined: nothing to read yet (a malformed query, capabilities not known). */
export function failureGroupsQueryOptions(scope: FailureScope | undefined, refreshMs = 0) {
  return queryOptions({
    queryKey: failureGroupKeys.scope(scope),
    // In a worker where there is one: the answers' parsing and grouping never hold the page's thread.
    queryFn: scope
      ? ({ signal }) =>
          readsInWorker() ? readFailureGroupsInWorker(scope, signal) : readFailureGroups(scope, signal)
      : skipToken,
    placeholderData: keepPreviousData,
    // Up to five searches of a thousand tasks: refreshed at most every 30 s, however fast the table refreshes.
    refetchInterval: refreshMs > 0 ? Math.max(refreshMs, 30_000) : false,
    refetchIntervalInBackground: false,
    staleTime: 15_000,
  });
}

/** Puts the failures page the gateway rendered in the cache: its groups under their scope, and the node names. */
export function seedFailuresPage(
  queryClient: QueryClient,
  data: { scope: FailureScope; result: FailureGroupsResult; nodes?: unknown; fetchedAt: number },
): void {
  queryClient.setQueryData(failureGroupKeys.scope(data.scope), data.result, { updatedAt: data.fetchedAt });
  if (data.nodes !== undefined) seedClusterNodes(queryClient, data.nodes, data.fetchedAt);
}
