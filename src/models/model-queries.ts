// React Query keys and query options for models: how the model drill-down fetches and caches one model.
import { queryOptions } from '@tanstack/react-query';
import { getModel } from '../api/ml';

export const modelKeys = {
  all: ['models'] as const,
  details: () => [...modelKeys.all, 'detail'] as const,
  detail: (modelId: string) => [...modelKeys.details(), modelId] as const,
};

export function modelDetailQueryOptions(modelId: string) {
  return queryOptions({
    queryKey: modelKeys.detail(modelId),
    // A deleted or hidden model answers the same way every time: the app's retry policy (only what may pass on its
    // own) shows it at once.
    queryFn: ({ signal }) => getModel(modelId, signal),
  });
}
