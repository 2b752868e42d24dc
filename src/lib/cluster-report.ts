// Who the console talks to and what that cluster can do, as the console's server learnt it (/console/cluster): the
// header names the cluster, and the task views ask it for capabilities instead of comparing versions.
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Capabilities, ClusterReport } from '../../shared/cluster-capabilities';
import { readClusterReport, takeEarlyClusterRead } from '../api/cluster';

export const clusterQueryOptions = queryOptions({
  queryKey: ['console', 'cluster'] as const,
  queryFn: ({ signal }): Promise<ClusterReport> => takeEarlyClusterRead() ?? readClusterReport(signal),
  // The server re-detects when the cluster comes back (it may have been upgraded meanwhile); the page asks again
  // now and then, and soon while the cluster could not be read.
  staleTime: 60_000,
  refetchInterval: (query) => (query.state.data?.reachable === false ? 10_000 : 5 * 60_000),
  retry: false,
});

export function useClusterReport(): ClusterReport | undefined {
  return useQuery(clusterQueryOptions).data;
}

/** The cluster's capabilities; undefined until the server has said, so no search goes out in a form it cannot take. */
export function useCapabilities(): Capabilities | undefined {
  return useClusterReport()?.capabilities;
}
