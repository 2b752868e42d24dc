// The gateway under HTTP load: its added latency against the stand-in directly, and its throughput under autocannon.
import autocannon from 'autocannon';
import { percentile, round } from './stats';

export const SEARCH_PATH = '/_plugins/_ml/tasks/_search';
/** What the console's fetch wrapper sends with a search (the gateway requires X-Console-Request on a POST). */
export const SEARCH_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/json',
  'x-console-request': '1',
};

export interface OverheadResult {
  runs: number;
  response_bytes: number;
  direct_p50_ms: number;
  gateway_p50_ms: number;
  added_p50_ms: number;
  direct_p95_ms: number;
  gateway_p95_ms: number;
}

async function timedSearch(base: string, body: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const res = await fetch(base + SEARCH_PATH, {
    method: 'POST',
    headers: SEARCH_HEADERS,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${base}${SEARCH_PATH}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(text) };
}

/**
 * The same search sent straight to the stand-in and through the gateway, one at a time, interleaved and
 * alternating which goes first, so that both see the same conditions.
 */
export async function measureGatewayOverhead(
  directUrl: string,
  gatewayUrl: string,
  body: string,
  options: { runs: number; warmUp: number },
): Promise<OverheadResult> {
  const times = { direct: [] as number[], gateway: [] as number[] };
  let bytes = 0;
  for (let i = 0; i < options.runs + options.warmUp; i++) {
    const order = i % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
    for (const which of order) {
      const r = await timedSearch(which === 'direct' ? directUrl : gatewayUrl, body);
      bytes = r.bytes;
      if (i >= options.warmUp) times[which].push(r.ms);
    }
  }
  const d50 = percentile(times.direct, 50);
  const g50 = percentile(times.gateway, 50);
  return {
    runs: options.runs,
    response_bytes: bytes,
    direct_p50_ms: round(d50, 2),
    gateway_p50_ms: round(g50, 2),
    added_p50_ms: round(g50 - d50, 2),
    direct_p95_ms: round(percentile(times.direct, 95), 2),
    gateway_p95_ms: round(percentile(times.gateway, 95), 2),
  };
}

export interface LoadResult {
  connections: number;
  duration_s: number;
  requests: number;
  requests_per_s: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  latency_max_ms: number;
  errors: number;
  timeouts: number;
  non_2xx: number;
}

/** Keeps `connections` searches in flight through the gateway for `seconds`; every failure is counted. */
export async function loadGateway(
  gatewayUrl: string,
  body: string,
  options: { seconds: number; connections: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: gatewayUrl + SEARCH_PATH,
    method: 'POST',
    headers: SEARCH_HEADERS,
    body,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
  });
  return {
    connections: options.connections,
    duration_s: round(result.duration, 1),
    requests: result.requests.total,
    requests_per_s: round(result.requests.total / result.duration, 0),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    latency_max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
  };
}
