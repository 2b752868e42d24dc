// `npm run bench:standin`: generation time, memory and the latency of the console's own search at one million tasks.
// Usage: npm run bench:standin -- [--tasks 1000000] [--runs 60] [--json]. `npm run bench` runs it in a child process.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin } from '../server/standin/server';
import { parseTaskQuery } from '../shared/task-query';
import { capabilitiesOf } from '../shared/cluster-capabilities';
import { buildCountSearches, buildTaskSearchBody } from '../shared/task-search-body';
import { DEFAULT_VIEW } from '../shared/task-view-state';
import { percentile } from './lib/stats';
import { measureTriageRequests, type TriageRequestsResult } from './lib/triage-requests';

export interface StandinBenchResult {
  tasks: number;
  generate_ms: number;
  index_ms: number;
  memory_rss_mb: number;
  heap_used_mb: number;
  search_runs: number;
  filtered_search_p50_ms: number;
  filtered_search_p95_ms: number;
  console_view_p50_ms: number;
  console_view_p95_ms: number;
  /** The same views' facet counts the 2.19.2 – 2.19.6 way: one size-0 search per value, four at a time. */
  slow_counts_searches: number;
  slow_counts_p50_ms: number;
  slow_counts_p95_ms: number;
  /** The triage views' requests (issue 10): each one's cost, and the failure groups' whole read. */
  triage: TriageRequestsResult;
}

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
  return buildTaskSearchBody({ ...DEFAULT_VIEW, q, from }, parsedQuery(q)) as Record<string, unknown>;
}

function parsedQuery(q: string) {
  const parsed = parseTaskQuery(q);
  if (!parsed.ok) throw new Error(`bad bench query ${q}: ${parsed.message}`);
  return parsed.query;
}

/** What the console sends for a view's counts where aggregations hang: the release's values, the page's nodes. */
function slowCountBodies(q: string, nodes: string[], from = ''): Array<Record<string, unknown>> {
  const caps = capabilitiesOf({ source: 'plugins', mlVersion: '2.19.3' });
  const candidates = { state: caps.states, type: caps.types, function: caps.functions, node: nodes };
  return buildCountSearches({ ...DEFAULT_VIEW, q, from }, parsedQuery(q), candidates).map(
    (s) => s.body as Record<string, unknown>,
  );
}

const WARM_UP = 5;

/**
 * Generates `tasks` tasks, serves them from a stand-in on loopback and times `runs` searches of each kind
 * over HTTP. Run it with `--expose-gc` for a meaningful memory figure.
 */
export async function runStandinBench(options: { tasks: number; runs: number }): Promise<StandinBenchResult> {
  const { tasks: count, runs } = options;
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
    for (let i = 0; i < runs + WARM_UP; i++) {
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
      if (i >= WARM_UP) times.push(elapsed); // the first few warm up the JIT
    }
    return {
      p50: Number(percentile(times, 50).toFixed(1)),
      p95: Number(percentile(times, 95).toFixed(1)),
    };
  }

  try {
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
    // Each run counts one view's values the slow way, four searches at a time, as the browser does.
    const nodes = (
      (await (
        await fetch(`${url}/_plugins/_ml/tasks/_search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ size: 25, sort: [{ create_time: 'desc' }] }),
        })
      ).json()) as { hits: { hits: Array<{ _source: { worker_node?: string[] | string } }> } }
    ).hits.hits
      .flatMap((h) => h._source.worker_node ?? [])
      .filter((n, i, all) => all.indexOf(n) === i);
    const countViews = [
      slowCountBodies('', nodes),
      slowCountBodies('state:FAILED,COMPLETED function:TEXT_EMBEDDING,REMOTE', nodes, 'now-7d'),
      slowCountBodies('state:FAILED -type:DEPLOY_MODEL', nodes),
    ];
    const countTimes: number[] = [];
    for (let i = 0; i < Math.max(6, Math.round(runs / 6)) + 2; i++) {
      const bodies = countViews[i % countViews.length]!;
      const start = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < bodies.length) {
          const body = JSON.stringify(bodies[next++]);
          const res = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          if (res.status !== 200) throw new Error(`count search failed: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      if (i >= 2) countTimes.push(performance.now() - start);
    }
    const triage = await measureTriageRequests(url, runs);
    return {
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
      slow_counts_searches: Math.round(countViews.reduce((n, v) => n + v.length, 0) / countViews.length),
      slow_counts_p50_ms: Math.round(percentile(countTimes, 50)),
      slow_counts_p95_ms: Math.round(percentile(countTimes, 95)),
      triage,
    };
  } finally {
    await standin.close();
  }
}

export function formatStandinBench(result: StandinBenchResult): string {
  return [
    `stand-in at ${result.tasks.toLocaleString('en')} tasks`,
    `  generate        ${result.generate_ms} ms (+ index ${result.index_ms} ms)`,
    `  memory          ${result.memory_rss_mb} MB RSS above start, ${result.heap_used_mb} MB heap`,
    `  filtered search with 3 terms facets  p50 ${result.filtered_search_p50_ms} ms, p95 ${result.filtered_search_p95_ms} ms`,
    `  the console's view request          p50 ${result.console_view_p50_ms} ms, p95 ${result.console_view_p95_ms} ms`,
    `  the view's counts on 2.19.2 – 2.19.6  ${result.slow_counts_searches} size-0 searches, 4 at a time: p50 ${result.slow_counts_p50_ms} ms, p95 ${result.slow_counts_p95_ms} ms`,
    `  (over HTTP, ${result.search_runs} runs each)`,
    `  triage requests (p50 / p95, answer size):`,
    ...result.triage.requests.map(
      (r) => `    ${r.what.padEnd(56)} ${r.p50_ms} / ${r.p95_ms} ms, ${Math.round(r.bytes / 1024)} kB`,
    ),
    `    failure groups' whole read: ${result.triage.failure_read.pages} pages, ${result.triage.failure_read.read} of ${result.triage.failure_read.total} failures, ${result.triage.failure_read.groups} groups: p50 ${result.triage.failure_read.p50_ms} ms, p95 ${result.triage.failure_read.p95_ms} ms (grouping ${result.triage.failure_read.group_all_ms} ms, at most ${result.triage.failure_read.group_page_max_ms} ms a page)`,
  ].join('\n');
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const { values } = parseArgs({
    options: { tasks: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
  });
  const result = await runStandinBench({
    tasks: Number(values.tasks ?? 1_000_000),
    runs: Number(values.runs ?? 60),
  });
  console.log(values.json ? JSON.stringify(result) : formatStandinBench(result));
}
