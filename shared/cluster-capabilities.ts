// What the cluster behind the console can do, derived once from what the gateway learnt about it: views ask for a
// capability here, never compare version numbers themselves.
import {
  NEWEST_RELEASE,
  formatRelease,
  functionNamesOf,
  isAtLeast,
  parseRelease,
  searchHangsOnAggregations,
  taskFieldExists,
  taskStatesOf,
  taskTypesOf,
  type Release,
} from './ml-releases.ts';

/** What the gateway read from the cluster (`GET /`, the plugin list), or found by probing. */
export interface ClusterIdentity {
  /** `cluster_name` from `GET /`. */
  clusterName?: string;
  /** OpenSearch's own version (`version.number` from `GET /`). */
  version?: string;
  /** `version.distribution` from `GET /` (`opensearch`). */
  distribution?: string;
  /** The `opensearch-ml` plugin's version from the plugin list, e.g. `2.19.3.0`. */
  mlVersion?: string;
  /**
   * How the ML Commons release was decided: from the plugin list, from the core version (ML Commons ships with the
   * same one), or by probing behaviour when neither could be read (a managed service hiding its plugins).
   */
  source: 'plugins' | 'core-version' | 'probe' | 'unknown';
  /** Probe results, when the version could not be read. */
  probe?: { aggregationsAnswered: boolean };
}

export interface Capabilities {
  /** The ML Commons release the capabilities assume (the newest known when it could not be read). */
  release: string;
  /** Whether that release was read from the cluster or assumed. */
  releaseKnown: boolean;
  /** A task search may carry `aggs`; otherwise counts come from `size: 0` searches, one per value. */
  aggregationsInSearch: boolean;
  /** The path that cancels a remote batch job (`…/tasks/{id}/<path>`), or null before 2.17. */
  cancelPath: '_cancel' | '_cancel_batch' | null;
  /** What a task search answers before the first task exists: an empty result, or 404 `index_not_found_exception`. */
  missingTaskIndex: 'empty' | 'index_not_found';
  /** DELETE refuses a RUNNING task (from 2.6); before that it deletes it. */
  runningDeleteRefused: boolean;
  /** GET of a BATCH_PREDICTION + REMOTE task calls the model's provider and rewrites the task (2.17+). */
  remoteBatchGetCallsProvider: boolean;
  /** Agent runs keep their result and failure in `response` (3.0+). */
  agentResponses: boolean;
  states: string[];
  types: string[];
  functions: string[];
}

/** The ML Commons release of a cluster, when it could be told. */
export function releaseOf(identity: ClusterIdentity): Release | undefined {
  if (identity.source === 'plugins') return parseRelease(identity.mlVersion);
  if (identity.source === 'core-version') return parseRelease(identity.version);
  return undefined;
}

export function capabilitiesOf(identity: ClusterIdentity): Capabilities {
  const known = releaseOf(identity);
  const r = known ?? parseRelease(NEWEST_RELEASE)!;
  return {
    release: formatRelease(r),
    releaseKnown: known !== undefined,
    aggregationsInSearch: known
      ? !searchHangsOnAggregations(known)
      : (identity.probe?.aggregationsAnswered ?? true),
    cancelPath: isAtLeast(r, '2.18.0') ? '_cancel' : isAtLeast(r, '2.17.0') ? '_cancel_batch' : null,
    missingTaskIndex: isAtLeast(r, '2.12.0') ? 'empty' : 'index_not_found',
    runningDeleteRefused: isAtLeast(r, '2.6.0'),
    remoteBatchGetCallsProvider: taskFieldExists(r, 'remote_job'),
    agentResponses: taskFieldExists(r, 'response'),
    states: taskStatesOf(r),
    types: taskTypesOf(r),
    functions: functionNamesOf(r),
  };
}

/** What `GET /console/cluster` answers: who the console talks to, and what that cluster can do. */
export interface ClusterReport {
  /** False while the cluster could not be reached; the capabilities are then the newest release's. */
  reachable: boolean;
  identity: ClusterIdentity;
  capabilities: Capabilities;
  /** Epoch milliseconds of the last detection. */
  detectedAt: number;
  /** Why the cluster could not be read, when it could not. */
  error?: string;
  /**
   * True when a detection was still running when this was answered: the rest is then the last report (or, before the
   * first, an unreachable one). Optional, so a report without it reads as a finished detection.
   */
  detecting?: boolean;
}

/** Capabilities of a cluster nothing is known about: the newest release's, as the console always assumed. */
export const ASSUMED_CAPABILITIES: Capabilities = capabilitiesOf({ source: 'unknown' });
