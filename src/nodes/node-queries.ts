// React Query keys and options for the cluster's nodes and their ML stats: one `_nodes` read per page load, shared
// by every node name on every page and by the nodes view.
import { queryOptions } from '@tanstack/react-query';
import { getMlStats, getNodes } from '../api/ml';
import { readClusterNodes } from './cluster-nodes';

export const nodeKeys = {
  all: ['nodes'] as const,
  info: () => [...nodeKeys.all, 'info'] as const,
  stats: () => [...nodeKeys.all, 'ml-stats'] as const,
  /** Task counts per node, by the exact searches that count them. */
  counts: (key: unknown) => [...nodeKeys.all, 'task-counts', key] as const,
};

/** Nodes join and leave rarely; names never change while a node runs. The nodes view's refresh asks again. */
export const NODES_STALE_MS = 5 * 60_000;

export const nodesQueryOptions = queryOptions({
  queryKey: nodeKeys.info(),
  queryFn: async ({ signal }) => readClusterNodes(await getNodes(signal)),
  staleTime: NODES_STALE_MS,
  // Kept while no view shows a node, so that the next one does not ask again within the stale time.
  gcTime: NODES_STALE_MS,
});

export const mlStatsQueryOptions = queryOptions({
  queryKey: nodeKeys.stats(),
  queryFn: ({ signal }) => getMlStats(signal),
});
