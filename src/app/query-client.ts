// The app's React Query client and its retry policy.
import { QueryClient } from '@tanstack/react-query';
import { isTransientError } from '../api/http';
import { clusterQueryOptions } from '../lib/cluster-report';
import { consoleConfigQueryOptions } from '../lib/console-config';
import type { FirstPageData } from '../../shared/first-page';
import { taskListQueryOptions } from '../tasks/task-queries';
import { seedNodesPage } from '../nodes/node-queries';
import { seedFailuresPage } from '../triage/failure-groups-query';
import { countScopeOf } from '../../shared/node-count-search';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => failureCount < 2 && isTransientError(error),
        staleTime: 5_000,
      },
    },
  });
}

/**
 * Puts the first page the gateway rendered in the cache, as if the app had asked for it: the page's answers (the
 * tasks page's rows, the nodes page's or the failures page's groups), the console's settings (what /console/config answers, the one place the
 * app reads read-only mode from) and the cluster. `search` is the page's query string.
 */
export function seedFirstPage(queryClient: QueryClient, data: FirstPageData, search: string): void {
  if (data.page === 'tasks') {
    queryClient.setQueryData(taskListQueryOptions(data.body).queryKey, data.response, {
      updatedAt: data.fetchedAt,
    });
  } else if (data.page === 'failures') {
    seedFailuresPage(queryClient, data);
  } else if (data.cluster) {
    seedNodesPage(queryClient, data, countScopeOf(search), data.cluster.capabilities);
  }
  queryClient.setQueryData(consoleConfigQueryOptions.queryKey, { readOnly: data.readOnly });
  if (data.cluster) queryClient.setQueryData(clusterQueryOptions.queryKey, data.cluster);
}
