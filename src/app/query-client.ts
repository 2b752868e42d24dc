// The app's React Query client and its retry policy.
import { QueryClient } from '@tanstack/react-query';
import { ApiError, NetworkError } from '../api/http';
import { consoleConfigQueryOptions } from '../lib/console-config';
import type { FirstPageData } from '../tasks/first-page';
import { taskListQueryOptions } from '../tasks/task-queries';

const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

/** Only failures that may go away on their own are retried; a 400 or 403 will fail the same way again. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof ApiError) return TRANSIENT_STATUSES.has(error.status);
  return false;
}

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

/** Puts the first page the gateway rendered (and its settings) in the cache, as if the app had asked for them. */
export function seedFirstPage(queryClient: QueryClient, data: FirstPageData): void {
  queryClient.setQueryData(taskListQueryOptions(data.body).queryKey, data.response, {
    updatedAt: data.fetchedAt,
  });
  queryClient.setQueryData(consoleConfigQueryOptions.queryKey, { readOnly: data.readOnly });
}
