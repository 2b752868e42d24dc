// React Query keys and options for the cluster's nodes, their ML stats and their task counts: one `_nodes` read per
// page load, shared by every node name on every page and by the nodes view.
import { queryOptions, skipToken, type QueryClient } from '@tanstack/react-query';
import { SEARCH_CONCURRENCY, runLimited } from '../lib/run-limited';
import { getMlStats, getNodes, searchTasks } from '../api/ml';
import type { MlStatsResponse, NodesInfoResponse, SearchResponse } from '../../shared/ml-types';
import type { Capabilities } from '../../shared/cluster-capabilities';
import { readClusterNodes } from './cluster-nodes';
import {
  buildNodeCountSearches,
  buildNodeDiscoverySearch,
  nodesToCount,
  readDiscoveredNodes,
  readNodeAggregation,
  readNodeCountSearches,
  type NodeCountsResult,
} from './node-task-counts';
import {
  buildNodeAggregationSearch,
  stateGroupsOf,
  type CountScope,
  type StateGroups,
} from '../../shared/node-count-search';

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

/** How the tasks per node are counted: where the cluster can aggregate, or one search per node where it cannot. */
export type NodeCountPlan =
  | { mode: 'aggregations'; scope: CountScope; groups: StateGroups }
  /** `clusterIds`: the nodes `_nodes` listed (none when it could not be read); more are found in the newest tasks. */
  | { mode: 'searches'; scope: CountScope; groups: StateGroups; clusterIds: string[] };

async function countBySearches(
  plan: Extract<NodeCountPlan, { mode: 'searches' }>,
  signal: AbortSignal,
): Promise<NodeCountsResult> {
  const sample = await searchTasks(buildNodeDiscoverySearch(plan.scope), signal);
  const nodes = nodesToCount(plan.clusterIds, readDiscoveredNodes(sample));
  const searches = buildNodeCountSearches(plan.scope, plan.groups, nodes);
  const responses = await runLimited(searches, SEARCH_CONCURRENCY, (s) => searchTasks(s.body, signal));
  const read = sample.hits.hits.length;
  return {
    counts: readNodeCountSearches(nodes, searches, responses),
    uncountedTasks: 0,
    sample: { read, more: (sample.hits.total?.value ?? read) > read },
  };
}

/** `plan` undefined: nothing is sent yet (the cluster's capabilities, or its node list, are not known). */
export function nodeTaskCountsQueryOptions(plan: NodeCountPlan | undefined) {
  return queryOptions({
    queryKey: nodeKeys.counts(plan ?? null),
    queryFn: plan
      ? async ({ signal }): Promise<NodeCountsResult> =>
          plan.mode === 'aggregations'
            ? readNodeAggregation(
                await searchTasks(buildNodeAggregationSearch(plan.scope, plan.groups), signal),
              )
            : countBySearches(plan, signal)
      : skipToken,
  });
}

/** Puts `GET /_nodes` as the gateway read it for a rendered page in the cache: its nodes show by name at once. */
export function seedClusterNodes(queryClient: QueryClient, nodes: unknown, fetchedAt: number): void {
  queryClient.setQueryData(nodesQueryOptions.queryKey, readClusterNodes(nodes as NodesInfoResponse), {
    updatedAt: fetchedAt,
  });
}

/**
 * The nodes page's answers as the gateway read them for its first screen, put where the page looks: the node list,
 * the ML stats (when the cluster gave them) and the count of tasks per node, under the plan the page makes itself.
 */
export function seedNodesPage(
  queryClient: QueryClient,
  data: { response: SearchResponse<unknown>; nodes: unknown; stats?: unknown; fetchedAt: number },
  scope: CountScope,
  capabilities: Capabilities,
): void {
  const at = { updatedAt: data.fetchedAt };
  seedClusterNodes(queryClient, data.nodes, data.fetchedAt);
  if (data.stats !== undefined)
    queryClient.setQueryData(mlStatsQueryOptions.queryKey, data.stats as MlStatsResponse, at);
  const plan: NodeCountPlan = { mode: 'aggregations', scope, groups: stateGroupsOf(capabilities.states) };
  queryClient.setQueryData(nodeTaskCountsQueryOptions(plan).queryKey, readNodeAggregation(data.response), at);
}
