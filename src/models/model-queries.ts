// React Query keys and query options for models: how the model drill-down fetches and caches one model.
import { queryOptions } from '@tanstack/react-query';
import { ApiError, NetworkError } from '../api/http';
import { getModel } from '../api/ml';

export const modelKeys = {
  all: ['models'] as const,
  details: () => [...modelKeys.all, 'detail'] as const,
  detail: (modelId: string) => [...modelKeys.details(), modelId] as const,
};

const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

/**
 * A deleted (404) or hidden (403) model answers the same way every time, and a deleted model is an expected
 * sight here (its tasks outlive it), so the answer is shown at once; only failures that may pass are retried.
 */
export function shouldRetryModelRequest(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && TRANSIENT_STATUSES.has(error.status);
}

export function modelDetailQueryOptions(modelId: string) {
  return queryOptions({
    queryKey: modelKeys.detail(modelId),
    queryFn: ({ signal }) => getModel(modelId, signal),
    retry: shouldRetryModelRequest,
  });
}
