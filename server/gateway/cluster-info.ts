// Who the gateway talks to: the cluster's OpenSearch and ML Commons versions, read server-side from `GET /` and the
// plugin list (one probe when neither can be trusted), kept up to date as the cluster goes away and comes back.
// The gateway, the Vite dev server and `npm run check-cluster` share this detection.
import { isObject, parseJsonOrUndefined } from '../../shared/json.ts';
import {
  capabilitiesOf,
  type ClusterIdentity,
  type ClusterReport,
} from '../../shared/cluster-capabilities.ts';
import { compareReleases, parseRelease, searchHangsOnAggregations } from '../../shared/ml-releases.ts';
import type { UpstreamAnswer } from './upstream.ts';

/** Read-only questions to the cluster with the gateway's credentials: GET, or POST of a search. */
export interface ClusterReader {
  read(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; timeoutMs: number; maxBytes?: number },
  ): Promise<UpstreamAnswer>;
}

export interface DetectionOptions {
  /** How long each of `GET /` and the plugin lists may take. */
  readTimeoutMs?: number;
  /** How long the probe search with an aggregation may take before it counts as never answering. */
  probeTimeoutMs?: number;
}

/** One detection: what ended up in the report, and how it was decided, step by step, for people. */
export interface Detection {
  reachable: boolean;
  identity: ClusterIdentity;
  error?: string;
  /** What each step found ("GET / answered 403", "nodes run opensearch-ml 2.19.3.0 and 2.19.4.0"). */
  notes: string[];
  /** Every `opensearch-ml` version the plugin list gave, once each (several during a rolling upgrade). */
  mlVersions?: string[];
}

export const DETECT_READ_TIMEOUT_MS = 3_000;
export const DETECT_PROBE_TIMEOUT_MS = 3_000;
const ML_PLUGIN = 'opensearch-ml';
const TASK_SEARCH = '/_plugins/_ml/tasks/_search';
/** The probe: one small terms aggregation, the kind of search ML Commons 2.19.2–2.19.6 never answers. */
export const PROBE_BODY = JSON.stringify({
  size: 0,
  track_total_hits: false,
  aggs: { console_probe: { terms: { field: 'state', size: 1 } } },
});

type Answered = Extract<UpstreamAnswer, { text: string }>;

function json(answer: Answered): unknown {
  return parseJsonOrUndefined(answer.text);
}

/** The reason of an OpenSearch error body (either form), or the start of a text one. */
export function errorReason(answer: Answered): string {
  const body = json(answer);
  if (isObject(body)) {
    if (typeof body.error === 'string') return body.error;
    if (isObject(body.error)) {
      const type = typeof body.error.type === 'string' ? body.error.type : '';
      const reason = typeof body.error.reason === 'string' ? body.error.reason : '';
      return [type, reason].filter(Boolean).join(': ');
    }
  }
  return answer.text.trim().replace(/\s+/g, ' ').slice(0, 200);
}

function answered(status: number, answer: Answered): string {
  const reason = errorReason(answer);
  return reason ? `${status} (${reason})` : String(status);
}

/** `opensearch-ml` versions from `_cat/plugins?format=json` (rows) or `_nodes/plugins` (per node). */
function mlVersionsOf(body: unknown): string[] {
  const versions: string[] = [];
  if (Array.isArray(body)) {
    for (const row of body) {
      if (isObject(row) && row.component === ML_PLUGIN && typeof row.version === 'string')
        versions.push(row.version);
    }
  } else if (isObject(body) && isObject(body.nodes)) {
    for (const node of Object.values(body.nodes)) {
      if (!isObject(node) || !Array.isArray(node.plugins)) continue;
      for (const p of node.plugins) {
        if (isObject(p) && p.name === ML_PLUGIN && typeof p.version === 'string') versions.push(p.version);
      }
    }
  }
  return versions;
}

/**
 * The version that decides for a cluster whose nodes differ (a rolling upgrade): a node that never answers a search
 * with aggregations wins, since a search may land on it; otherwise the oldest, whose features every node has.
 */
export function decidingVersion(versions: string[]): string | undefined {
  const parsed = versions
    .map((text) => ({ text, r: parseRelease(text) }))
    .filter((v): v is { text: string; r: NonNullable<typeof v.r> } => v.r !== undefined);
  if (parsed.length === 0) return undefined;
  const hanging = parsed.filter((v) => searchHangsOnAggregations(v.r));
  const pool = hanging.length ? hanging : parsed;
  return pool.reduce((a, b) => (compareReleases(b.r, a.r) < 0 ? b : a)).text;
}

/** An OpenSearch core version that says which ML Commons runs: OpenSearch's own, 2.0 or newer. */
function trustedCoreVersion(identity: ClusterIdentity): boolean {
  const r = parseRelease(identity.version);
  // Amazon OpenSearch Service in compatibility mode answers 7.10.2; Elasticsearch has no distribution.
  return r !== undefined && r.major >= 2 && r.major < 7 && identity.distribution === 'opensearch';
}

/** Learns the cluster's identity: `GET /`, the plugin list, and when neither can be trusted one probe search. */
export async function detectCluster(
  reader: ClusterReader,
  options: DetectionOptions = {},
): Promise<Detection> {
  const readTimeoutMs = options.readTimeoutMs ?? DETECT_READ_TIMEOUT_MS;
  const probeTimeoutMs = options.probeTimeoutMs ?? DETECT_PROBE_TIMEOUT_MS;
  const notes: string[] = [];
  const identity: ClusterIdentity = { source: 'unknown' };
  const unreachable = (what: string, answer: Extract<UpstreamAnswer, { error: unknown }>): Detection => ({
    reachable: false,
    identity: { source: 'unknown' },
    error: `${what}: ${answer.error.reason}`,
    notes: [...notes, `${what}: ${answer.error.reason}`],
  });

  const root = await reader.read('GET', '/', { timeoutMs: readTimeoutMs, maxBytes: 64 * 1024 });
  if ('error' in root) return unreachable('GET /', root);
  if (root.status === 401) {
    return {
      reachable: true,
      identity,
      error: 'The cluster refused the credentials (401 on GET /)',
      notes: [...notes, `GET / answered ${answered(401, root)}`],
    };
  }
  const rootBody = root.status === 200 ? json(root) : undefined;
  if (isObject(rootBody)) {
    if (typeof rootBody.cluster_name === 'string') identity.clusterName = rootBody.cluster_name;
    const version = rootBody.version;
    if (isObject(version)) {
      if (typeof version.number === 'string') identity.version = version.number;
      if (typeof version.distribution === 'string') identity.distribution = version.distribution;
    }
    notes.push(
      `GET / answered OpenSearch ${identity.version ?? '(no version)'}, distribution ${identity.distribution ?? '(none)'}`,
    );
  } else {
    notes.push(
      root.status === 200
        ? 'GET / answered something that is not JSON'
        : `GET / answered ${answered(root.status, root)}`,
    );
  }

  let versions: string[] = [];
  for (const path of ['/_cat/plugins?format=json', '/_nodes/plugins']) {
    const answer = await reader.read('GET', path, { timeoutMs: readTimeoutMs, maxBytes: 4 * 1024 * 1024 });
    if ('error' in answer) {
      if (answer.status === 502) return unreachable(`GET ${path}`, answer);
      notes.push(`GET ${path}: ${answer.error.reason}`);
      continue;
    }
    if (answer.status !== 200) {
      notes.push(`GET ${path} answered ${answered(answer.status, answer)}`);
      continue;
    }
    versions = mlVersionsOf(json(answer));
    if (versions.length) break;
    notes.push(`GET ${path} lists no ${ML_PLUGIN}`);
  }
  const distinct = [...new Set(versions)];
  const deciding = decidingVersion(distinct);
  if (deciding) {
    identity.mlVersion = deciding;
    identity.source = 'plugins';
    notes.push(
      distinct.length > 1
        ? `nodes run ${ML_PLUGIN} ${distinct.join(', ')}: going by ${deciding}`
        : `the plugin list gives ${ML_PLUGIN} ${deciding}`,
    );
    return { reachable: true, identity, notes, mlVersions: distinct };
  }
  if (distinct.length) notes.push(`${ML_PLUGIN} versions that cannot be read: ${distinct.join(', ')}`);

  if (trustedCoreVersion(identity)) {
    identity.source = 'core-version';
    notes.push(`ML Commons ships with OpenSearch's own version: going by ${identity.version}`);
    return { reachable: true, identity, notes };
  }
  if (identity.version !== undefined) {
    notes.push(
      `OpenSearch ${identity.version} (distribution ${identity.distribution ?? 'none'}) does not say which ML Commons runs (a compatibility mode answers 7.10.2)`,
    );
  }

  const probe = await reader.read('POST', TASK_SEARCH, {
    body: PROBE_BODY,
    timeoutMs: probeTimeoutMs,
    maxBytes: 64 * 1024,
  });
  if ('error' in probe) {
    if (probe.status === 502) return unreachable('the probe search', probe);
    identity.source = 'probe';
    identity.probe = { aggregationsAnswered: false };
    notes.push(`a task search with an aggregation got no answer within ${probeTimeoutMs} ms`);
    return { reachable: true, identity, notes };
  }
  const probeBody = probe.status === 200 ? json(probe) : undefined;
  if (isObject(probeBody) && isObject(probeBody.aggregations)) {
    identity.source = 'probe';
    identity.probe = { aggregationsAnswered: true };
    notes.push('a task search with an aggregation answered');
    return { reachable: true, identity, notes };
  }
  if (probe.status === 404 && errorReason(probe).startsWith('index_not_found_exception')) {
    // Only ML Commons before 2.12 answers a search of the missing task index with 404; the hang came with 2.19.2.
    identity.source = 'probe';
    identity.probe = { aggregationsAnswered: true };
    notes.push('a task search answered 404 index_not_found_exception: ML Commons older than 2.12');
    return { reachable: true, identity, notes };
  }
  const why =
    probe.status === 200
      ? 'there is no task index yet, so a search with an aggregation could not be tried'
      : `the probe search answered ${answered(probe.status, probe)}`;
  notes.push(why);
  return { reachable: true, identity, error: `The ML Commons version could not be read, and ${why}`, notes };
}

/** Whether a detection said what the cluster can do (rather than falling back to the newest release). */
export function isDecided(identity: ClusterIdentity): boolean {
  return identity.source !== 'unknown';
}

export function reportOf(detection: Detection, detectedAt: number): ClusterReport {
  return {
    reachable: detection.reachable,
    identity: detection.identity,
    capabilities: capabilitiesOf(detection.identity),
    detectedAt,
    ...(detection.error ? { error: detection.error } : {}),
  };
}

/** One line for logs and the check-cluster tool: "OpenSearch 2.19.3, cluster "x"; ML Commons 2.19.3.0 (plugin list)". */
export function describeIdentity(identity: ClusterIdentity): string {
  const core = identity.version
    ? `OpenSearch ${identity.version}${identity.distribution && identity.distribution !== 'opensearch' ? ` (distribution ${identity.distribution})` : ''}`
    : 'OpenSearch (version unknown)';
  const name = identity.clusterName ? `, cluster "${identity.clusterName}"` : '';
  const ml =
    identity.source === 'plugins'
      ? `ML Commons ${identity.mlVersion} (from the plugin list)`
      : identity.source === 'core-version'
        ? `ML Commons ${identity.version} (from the core version)`
        : identity.source === 'probe'
          ? `ML Commons version unknown; probed: a task search with aggregations ${identity.probe?.aggregationsAnswered ? 'answers' : 'never answers'}`
          : 'ML Commons version unknown';
  return `${core}${name}; ${ml}`;
}

/** Why the gateway refuses a task search with aggregations on this cluster, as the refusal's reason. */
export function aggregationsRefusal(report: ClusterReport): string {
  if (report.capabilities.releaseKnown) {
    return `ML Commons ${report.capabilities.release} never answers a task search that carries aggregations (ml-commons #3713); search without them`;
  }
  return (
    "This cluster's ML Commons did not answer a task search that carries aggregations when the gateway probed it " +
    '(its version could not be read; ML Commons 2.19.2 to 2.19.6 never answer one, ml-commons #3713); search without them'
  );
}

/**
 * True when a search body (JSON text) carries a top-level `aggs` or `aggregations` (even an empty one: whether the
 * cluster would answer that is not worth the risk of a search held for the whole timeout).
 */
export function carriesAggregations(body: string): boolean {
  if (!body.includes('agg')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false; // the cluster explains a malformed body itself, at once
  }
  if (!isObject(parsed)) return false;
  return [parsed.aggs, parsed.aggregations].some((a) => a !== undefined && a !== null);
}

export interface ClusterInfo {
  /** Detects now (or joins the detection in flight) and gives its report. */
  detect(): Promise<ClusterReport>;
  /** The last report, without asking the cluster; undefined before the first detection has finished. */
  current(): ClusterReport | undefined;
  /**
   * The report for a need (the browser asking, a search with aggregations): re-detects first when the last report
   * cannot be trusted (none yet, the cluster failed since, undecided) and the retry pause allows, waiting for it up
   * to `waitMs`. A detection that takes longer answers the last report with `detecting: true`.
   */
  report(waitMs?: number): Promise<ClusterReport>;
  /**
   * True when the last report is trusted and says task searches may carry aggregations: the proxy forwards them
   * without a second look. Asks nothing.
   */
  answersAggregations(): boolean;
  /** The connection to the cluster failed: it may come back restarted, as another version. */
  markStale(): void;
  /** Stops detecting (the gateway is closing). */
  close(): void;
}

export interface ClusterInfoOptions extends DetectionOptions {
  /** Told each detection whose outcome differs from the one before. */
  log?: (line: string) => void;
  now?: () => number;
  /** After an unreachable cluster, the next detection waits this long (no storm while it is down). */
  retryUnreachableMs?: number;
  /** After a detection that could not decide (plugin list hidden and the probe refused), this long. */
  retryUndecidedMs?: number;
  /** A decided report is re-read in the background on the next need after this long (a quiet upgrade). */
  maxAgeMs?: number;
}

export const REPORT_WAIT_MS = 3_000;
const RETRY_UNREACHABLE_MS = 5_000;
const RETRY_UNDECIDED_MS = 30_000;
const MAX_AGE_MS = 10 * 60_000;

/** The gateway's knowledge of its cluster: detect at start-up, re-detect after failures, dedup, no storms. */
export function createClusterInfo(reader: ClusterReader, options: ClusterInfoOptions = {}): ClusterInfo {
  const now = options.now ?? Date.now;
  const retryUnreachableMs = options.retryUnreachableMs ?? RETRY_UNREACHABLE_MS;
  const retryUndecidedMs = options.retryUndecidedMs ?? RETRY_UNDECIDED_MS;
  const maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
  let last: ClusterReport | undefined;
  let inFlight: Promise<ClusterReport> | undefined;
  let startedAt = -Infinity;
  let stale = false;
  /** Counts connection failures, so a detection that started before the latest one does not clear it. */
  let failures = 0;
  let closed = false;
  let lastLine = '';

  function summary(report: ClusterReport): string {
    if (!report.reachable) return `cluster not reachable: ${report.error ?? 'no answer'}`;
    const caps = report.capabilities;
    return (
      `cluster: ${describeIdentity(report.identity)}` +
      (caps.aggregationsInSearch
        ? ''
        : '; task searches with aggregations are refused (they would never be answered)') +
      (report.error ? `; ${report.error}` : '')
    );
  }

  function detect(): Promise<ClusterReport> {
    if (inFlight) return inFlight;
    startedAt = now();
    const failuresAtStart = failures;
    const run = detectCluster(reader, options)
      .catch((err: unknown): Detection => ({
        reachable: false,
        identity: { source: 'unknown' },
        error: `The detection failed: ${(err as Error).message}`,
        notes: [],
      }))
      .then((detection) => {
        const report = reportOf(detection, now());
        if (!closed) {
          last = report;
          if (failures === failuresAtStart) stale = false;
          const line = summary(report);
          if (line !== lastLine) options.log?.(line);
          lastLine = line;
        }
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    inFlight = run;
    return run;
  }

  /** Whether the last report may be used as it is while a new one is read. */
  function trusted(): boolean {
    return last !== undefined && !stale && last.reachable && isDecided(last.identity);
  }

  function dueForDetection(): boolean {
    if (closed || inFlight) return false;
    if (!last) return true;
    const since = now() - startedAt;
    if (!last.reachable) return since >= retryUnreachableMs;
    if (!isDecided(last.identity)) return since >= retryUndecidedMs;
    return stale || now() - last.detectedAt >= maxAgeMs;
  }

  async function report(waitMs = REPORT_WAIT_MS): Promise<ClusterReport> {
    if (dueForDetection()) void detect();
    if (!trusted() && inFlight) {
      let stopWaiting = (): void => {};
      const waited = new Promise<undefined>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        stopWaiting = () => clearTimeout(timer);
      });
      const outcome = await Promise.race([inFlight, waited]);
      stopWaiting();
      if (outcome) return outcome;
    }
    if (last) return inFlight ? { ...last, detecting: true } : last;
    return {
      ...reportOf({ reachable: false, identity: { source: 'unknown' }, notes: [] }, now()),
      error: inFlight ? 'The cluster has not answered yet' : 'The cluster has not been asked yet',
      detecting: inFlight !== undefined,
    };
  }

  return {
    detect: () => (closed ? report(0) : detect()),
    current: () => last,
    report,
    answersAggregations: () => trusted() && last!.capabilities.aggregationsInSearch,
    markStale() {
      stale = true;
      failures++;
    },
    close() {
      closed = true;
    },
  };
}
