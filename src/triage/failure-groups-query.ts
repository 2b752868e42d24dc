// The failure groups of a view: the newest failures matching it, read a page at a time with search_after and grouped
// by cause as each page arrives, cached per view like any other task data.
import { keepPreviousData, queryOptions, skipToken } from '@tanstack/react-query';
import { readFailureGroups, type FailureScope } from './failure-read';
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
