// Measures the gateway's added latency: the same searches sent straight to a stand-in and through the
// gateway, interleaved so both see the same conditions. Usage: npx tsx server/gateway/proxy-bench.ts
// [--tasks 10000] [--runs 200] [--json]
import { parseArgs } from 'node:util';
import { generateModels, generateTasks } from '../standin/seed';
import { createStandin } from '../standin/server';
import { DEFAULT_DIST_DIR } from './config';
import { startGateway } from './server';

const { values } = parseArgs({
  options: { tasks: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
});
const count = Number(values.tasks ?? 10_000);
const runs = Number(values.runs ?? 200);
const WARM_UP = 20;

/** The console's first page: 25 rows sorted by time, exact total, facets on state, function and type. */
const SEARCH = JSON.stringify({
  size: 25,
  track_total_hits: true,
  sort: [{ create_time: { order: 'desc' } }],
  query: { bool: { filter: [{ range: { create_time: { gte: 'now-30d' } } }] } },
  aggs: {
    state: { terms: { field: 'state', size: 20 } },
    function_name: { terms: { field: 'function_name', size: 30 } },
    task_type: { terms: { field: 'task_type', size: 20 } },
  },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  return { ms, bytes: text.length };
}

const now = Date.now();
const tasks = generateTasks(count, 1, now);
const standin = createStandin({ tasks, models: generateModels(tasks, 1, now) });
const direct = await standin.listen(0, '127.0.0.1');
const gateway = await startGateway(
  {
    host: '127.0.0.1',
    port: 0,
    opensearchUrl: new URL(direct),
    authorization: undefined,
    ca: undefined,
    tlsInsecure: false,
    readOnly: false,
    prerender: false,
    upstreamTimeoutMs: 30_000,
    distDir: DEFAULT_DIST_DIR,
  },
  () => {},
);

async function compare(path: string, init: RequestInit): Promise<Record<string, number>> {
  const times = { direct: [] as number[], gateway: [] as number[] };
  let bytes = 0;
  for (let i = 0; i < runs + WARM_UP; i++) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    const order = i % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
    for (const which of order) {
      const base = which === 'direct' ? direct : gateway.url;
      const r = await timed(base + path, init);
      bytes = r.bytes;
      if (i >= WARM_UP) times[which].push(r.ms);
    }
  }
  times.direct.sort((a, b) => a - b);
  times.gateway.sort((a, b) => a - b);
  const round = (n: number): number => Number(n.toFixed(2));
  return {
    response_bytes: bytes,
    direct_p50_ms: round(percentile(times.direct, 50)),
    gateway_p50_ms: round(percentile(times.gateway, 50)),
    added_p50_ms: round(percentile(times.gateway, 50) - percentile(times.direct, 50)),
    direct_p95_ms: round(percentile(times.direct, 95)),
    gateway_p95_ms: round(percentile(times.gateway, 95)),
  };
}

const search = await compare('/_plugins/_ml/tasks/_search', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-console-request': '1' },
  body: SEARCH,
});
const getOne = await compare(`/_plugins/_ml/tasks/${tasks[0]!._id}`, {});
await gateway.close();
await standin.close();

const result = { tasks: count, runs, search, get_task: getOne };
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(
    `gateway overhead at ${count.toLocaleString('en')} tasks, ${runs} runs each (keep-alive, one process)`,
  );
  for (const [name, r] of [
    ['console search', search],
    ['get one task', getOne],
  ] as const) {
    console.log(
      `  ${name.padEnd(15)} direct p50 ${r.direct_p50_ms} ms, gateway p50 ${r.gateway_p50_ms} ms ` +
        `(+${r.added_p50_ms} ms); p95 ${r.direct_p95_ms} / ${r.gateway_p95_ms} ms; ${r.response_bytes} bytes`,
    );
  }
}
