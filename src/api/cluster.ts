// The console's server's report on the cluster (/console/cluster), read without React or React Query, so that
// first-search.ts can ask for it before the app's code has loaded.
import { ASSUMED_CAPABILITIES, type ClusterReport } from '../../shared/cluster-capabilities';
import { requestJson } from './http';

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

declare global {
  interface Window {
    /** Asked for by first-search.ts before the app loaded: the app's first read takes it over. */
    __mlEarlyCluster?: Promise<ClusterReport> | null;
  }
}

export async function readClusterReport(signal?: AbortSignal): Promise<ClusterReport> {
  try {
    const report = await requestJson<unknown>('GET', '/console/cluster', signal ? { signal } : {});
    return isReport(report) ? report : UNKNOWN_CLUSTER;
  } catch {
    return UNKNOWN_CLUSTER;
  }
}

/**
 * Asks the console's server about the cluster before the app's code has loaded (first-search.ts needs the answer to
 * send the first search in the form the cluster takes); the app's first read of the report takes this answer. Both
 * scripts are modules that may run in either order: once the app has read the report, this asks nothing (undefined),
 * and first-search.ts leaves the first search to the app.
 */
export function startEarlyClusterRead(): Promise<ClusterReport> | undefined {
  if (window.__mlEarlyCluster === null) return undefined;
  window.__mlEarlyCluster ??= readClusterReport();
  return window.__mlEarlyCluster;
}

/** The early read, for the app's first read only; from now on there is none. */
export function takeEarlyClusterRead(): Promise<ClusterReport> | undefined {
  if (typeof window === 'undefined') return undefined;
  const early = window.__mlEarlyCluster;
  window.__mlEarlyCluster = null;
  return early ?? undefined;
}
