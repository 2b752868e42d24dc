// `npm run bench:standin`: generation time, memory and search latency of the stand-in at one million tasks.
// Usage: npm run bench:standin -- [--tasks 1000000] [--runs 60] [--json]

import { parseArgs } from 'node:util';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin } from '../server/standin/server';

const { values } = parseArgs({
  options: { tasks: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
});
const count = Number(values.tasks ?? 1_000_000);
const runs = Number(values.runs ?? 60);

/** The console's own request shape: a bool filter, a sort on create_time, facets on state, function and type. */
export function consoleSearchBody(states: string[], functions: string[]): Record<string, unknown> {
  return {
    size: 25,
    track_total_hits: true,
    sort: [{ create_time: { order: 'desc' } }],
    query: {
      bool: {
        filter: [
          { terms: { state: states } },
          { terms: { function_name: functions } },
          { range: { create_time: { gte: 'now-7d' } } },
        ],
      },
    },
    aggs: {
      state: { terms: { field: 'state', size: 20 } },
      function_name: { terms: { field: 'function_name', size: 30 } },
      task_type: { terms: { field: 'task_type', size: 20 } },
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseRss = process.memoryUsage().rss;
const now = Date.now();
let t0 = performance.now();
const tasks = generateTasks(count, 1, now);
const models = generateModels(tasks, 1, now);
const generateMs = performance.now() - t0;
t0 = performance.now();
const standin = createStandin({ tasks, models });
const indexMs = performance.now() - t0;
tasks.length = 0; // the store holds the documents now
gc?.();
const rssMb = (process.memoryUsage().rss - baseRss) / 2 ** 20;
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
const url = await standin.listen(0, '127.0.0.1');

const bodies = [
  consoleSearchBody(['FAILED', 'COMPLETED'], ['TEXT_EMBEDDING', 'REMOTE']),
  consoleSearchBody(
    ['RUNNING', 'CREATED', 'FAILED'],
    ['TEXT_EMBEDDING', 'SPARSE_ENCODING', 'KMEANS', 'REMOTE'],
  ),
  consoleSearchBody(['COMPLETED'], ['TEXT_EMBEDDING']),
];
const times: number[] = [];
let lastTotal = 0;
for (let i = 0; i < runs + 5; i++) {
  const body = JSON.stringify(bodies[i % bodies.length]);
  const start = performance.now();
  const res = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { hits: { total: { value: number } } };
  const elapsed = performance.now() - start;
  if (res.status !== 200) throw new Error(`search failed: ${res.status} ${JSON.stringify(json)}`);
  lastTotal = json.hits.total.value;
  if (i >= 5) times.push(elapsed); // the first few warm up the JIT
}
times.sort((a, b) => a - b);
await standin.close();

const result = {
  tasks: count,
  generate_ms: Math.round(generateMs),
  index_ms: Math.round(indexMs),
  memory_rss_mb: Math.round(rssMb),
  heap_used_mb: Math.round(heapMb),
  search_runs: runs,
  search_p50_ms: Number(percentile(times, 50).toFixed(1)),
  search_p95_ms: Number(percentile(times, 95).toFixed(1)),
  last_total_hits: lastTotal,
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`stand-in at ${count.toLocaleString('en')} tasks`);
  console.log(`  generate        ${result.generate_ms} ms (+ index ${result.index_ms} ms)`);
  console.log(`  memory          ${result.memory_rss_mb} MB RSS above start, ${result.heap_used_mb} MB heap`);
  console.log(
    `  console search  p50 ${result.search_p50_ms} ms, p95 ${result.search_p95_ms} ms over ${runs} runs over HTTP`,
  );
}
