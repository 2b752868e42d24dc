// Who the console talks to and what that cluster can do, as the console's server learnt it (/console/cluster): the
// header names the cluster, and the task views ask it for capabilities instead of comparing versions.
import { queryOptions, useQuery } from '@tanstack/react-query';
import {
  ASSUMED_CAPABILITIES,
  type Capabilities,
  type ClusterReport,
} from '../../shared/cluster-capabilities';
import { requestJson } from '../api/http';

/** What the console assumes when its server cannot say (an older server, a bare proxy): the newest release. */
export const UNKNOWN_CLUSTER: ClusterReport = {
  reachable: false,
  identity: { source: 'unknown' },
  capabilities: ASSUMED_CAPABILITIES,
  detectedAt: 0,
};

function isReport(value: unknown): value is ClusterReport {
  const v = value as Partial<ClusterReport> | null;
  return typeof v === 'object' && v !== null && typeof v.capabilities === 'object' && v.capabilities !== null;
}

export const clusterQueryOptions = queryOptions({
  queryKey: ['console', 'cluster'] as const,
  queryFn: async ({ signal }): Promise<ClusterReport> => {
    try {
      const report = await requestJson<unknown>('GET', '/console/cluster', { signal });
      return isReport(report) ? report : UNKNOWN_CLUSTER;
    } catch {
      return UNKNOWN_CLUSTER;
    }
  },
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
