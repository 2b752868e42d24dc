// `npm run bench:standin`: generation time, memory and the latency of the console's own search at one million tasks.
// Usage: npm run bench:standin -- [--tasks 1000000] [--runs 60] [--json]

import { parseArgs } from 'node:util';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin } from '../server/standin/server';
import { parseTaskQuery } from '../src/tasks/task-query';
import { buildTaskSearchBody } from '../src/tasks/task-search-body';
import { DEFAULT_VIEW } from '../src/tasks/task-view-state';

const { values } = parseArgs({
  options: { tasks: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
});
const count = Number(values.tasks ?? 1_000_000);
const runs = Number(values.runs ?? 60);

/** A bool filter, a sort on create_time and terms facets on state, function and type: the classic shape. */
function filteredSearchBody(states: string[], functions: string[]): Record<string, unknown> {
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

/** Exactly what the console sends for a view: each facet counted under the other filters, worker nodes too. */
function consoleSearchBody(q: string, from = ''): Record<string, unknown> {
  const parsed = parseTaskQuery(q);
  if (!parsed.ok) throw new Error(`bad bench query ${q}: ${parsed.message}`);
  return buildTaskSearchBody({ ...DEFAULT_VIEW, q, from }, parsed.query) as Record<string, unknown>;
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

async function measure(bodies: Array<Record<string, unknown>>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const body = JSON.stringify(bodies[i % bodies.length]);
    const start = performance.now();
    const res = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const json = (await res.json()) as unknown;
    const elapsed = performance.now() - start;
    if (res.status !== 200) throw new Error(`search failed: ${res.status} ${JSON.stringify(json)}`);
    if (i >= 5) times.push(elapsed); // the first few warm up the JIT
  }
  times.sort((a, b) => a - b);
  return { p50: Number(percentile(times, 50).toFixed(1)), p95: Number(percentile(times, 95).toFixed(1)) };
}

const filtered = await measure([
  filteredSearchBody(['FAILED', 'COMPLETED'], ['TEXT_EMBEDDING', 'REMOTE']),
  filteredSearchBody(
    ['RUNNING', 'CREATED', 'FAILED'],
    ['TEXT_EMBEDDING', 'SPARSE_ENCODING', 'KMEANS', 'REMOTE'],
  ),
  filteredSearchBody(['COMPLETED'], ['TEXT_EMBEDDING']),
]);
// The console's first page, a filtered view over a week, and an exclusion.
const consoleView = await measure([
  consoleSearchBody(''),
  consoleSearchBody('state:FAILED,COMPLETED function:TEXT_EMBEDDING,REMOTE', 'now-7d'),
  consoleSearchBody('state:FAILED -type:DEPLOY_MODEL'),
]);
await standin.close();

const result = {
  tasks: count,
  generate_ms: Math.round(generateMs),
  index_ms: Math.round(indexMs),
  memory_rss_mb: Math.round(rssMb),
  heap_used_mb: Math.round(heapMb),
  search_runs: runs,
  filtered_search_p50_ms: filtered.p50,
  filtered_search_p95_ms: filtered.p95,
  console_view_p50_ms: consoleView.p50,
  console_view_p95_ms: consoleView.p95,
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`stand-in at ${count.toLocaleString('en')} tasks`);
  console.log(`  generate        ${result.generate_ms} ms (+ index ${result.index_ms} ms)`);
  console.log(`  memory          ${result.memory_rss_mb} MB RSS above start, ${result.heap_used_mb} MB heap`);
  console.log(`  filtered search with 3 terms facets  p50 ${filtered.p50} ms, p95 ${filtered.p95} ms`);
  console.log(`  the console's view request          p50 ${consoleView.p50} ms, p95 ${consoleView.p95} ms`);
  console.log(`  (over HTTP, ${runs} runs each)`);
}
