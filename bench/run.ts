// `npm run bench`: builds the console into a temporary directory and writes the baseline page (React's UMD build,
// fetch, a <table>) beside it, starts stand-ins and the gateway as child processes on 127.0.0.1 (on other cores than
// the browser), and measures loads (painted and ready, cold and warm, console against baseline), filter to rows, the
// bundle, the stand-in at 1M tasks and the gateway; prints a table (or, with --json, the JSON) and writes
// bench/results.json. Usage: npm run bench -- [--json] [--quick] [--loads N] [--no-pin] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import * as prettier from 'prettier';
import { bundleReport, FIRST_ROUTE_JS_GZIP_BUDGET, kB } from '../scripts/bundle-report';
import type { BundleReport, Sizes } from '../scripts/bundle-report';
import { writeBaselinePage } from './lib/baseline-page';
import { launchChromium, measureFilterToRows, measureLoads } from './lib/browser-bench';
import { measureTriagePage } from './lib/triage-browser-bench';
import type { TriagePageResult } from './lib/triage-browser-bench';
import type { FilterResult, LoadsResult, PageLoads, Ratio } from './lib/browser-bench';
import { formatCores, observedCores, pinThisProcess, planCoreSplit } from './lib/cores';
import { loadGateway, measureGatewayOverhead } from './lib/http-bench';
import type { LoadResult, OverheadResult } from './lib/http-bench';
import { runJsonScript, startChild, startChildrenOn, stopAllChildren } from './lib/processes';
import type { Child } from './lib/processes';
import { repoRoot } from './lib/paths';
import { baselineSearches, firstPageSearch, stateSearch } from './lib/searches';
import { round } from './lib/stats';
import type { StandinBenchResult } from './standin-bench';

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean' },
    // Fewer samples and smaller data, to check the benchmark itself; its figures are not comparable.
    quick: { type: 'boolean' },
    // Measured loads per page and kind (cold, warm); 7 by default, 3 with --quick.
    loads: { type: 'string' },
    // Leave the browser and the servers on the same cores (the figures are then not the targets' figures).
    'no-pin': { type: 'boolean' },
    keep: { type: 'boolean' },
    // Only some parts, comma-separated (see PARTS): to iterate on one figure; the others are "not measured".
    only: { type: 'string' },
  },
});
const quick = Boolean(flags.quick);

/**
 * The run's parts: loads (1) with the gateway (5); the filter to rows (2), closed and with the timeline open (7);
 * the triage pages (7); the stand-in's requests (4, 6). The bundle (3) is always reported.
 */
const PARTS = ['loads', 'filter', 'triage', 'standin'] as const;
type Part = (typeof PARTS)[number];
const only = flags.only?.split(',').map((p) => p.trim());
for (const p of only ?? []) {
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`--only takes ${PARTS.join(', ')}; not "${p}"`);
}
const runs = (part: Part): boolean => only === undefined || only.includes(part);

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, not "${value}"`);
  return n;
}

const PLAN = {
  loadTasks: 10_000,
  loads: positiveInteger('loads', flags.loads, quick ? 3 : 7),
  loadsWarmUp: 1,
  /** The state clicked the moment rows are painted. */
  readyState: 'FAILED',
  /** How long after its click a load waits for the state's rows before it counts the click as lost. */
  readyWaitMs: 30_000,
  filterTasks: 100_000,
  // 2^6 - 1 = 63 combinations of the six commonest states: 3 warm-up clicks, 60 measured.
  filterClicks: quick ? 4 : 60,
  filterWarmUp: 3,
  standinTasks: quick ? 100_000 : 1_000_000,
  standinRuns: quick ? 20 : 60,
  overheadRuns: quick ? 50 : 200,
  overheadWarmUp: 20,
  loadSeconds: quick ? 3 : 10,
  loadConnections: 10,
  // The triage views (issue 10): at 100,000 tasks with the filter's servers, and at 1,000,000 on their own servers.
  triageLoads: quick ? 2 : 5,
  triageWarmUp: 1,
  triageBigTasks: quick ? undefined : 1_000_000,
  triageBigClicks: quick ? 4 : 30,
  // The stand-in's triage requests at this size too, besides standinTasks (not with --quick: it runs at 100,000).
  standinSmallTasks: quick ? undefined : 100_000,
} as const;

/** Console / baseline, medians of the loads. */
const LOAD_TARGETS = {
  cold_painted: 2.0,
  cold_ready: 3.0,
  warm_painted: 1.5,
  warm_ready: 2.0,
} as const;

/**
 * The triage views' targets: what an operator in an incident accepts. Pages: ready within 1.5 s at 100,000 tasks and
 * 3 s at a million (a cold load, median). The table's filter keeps its own target with the timeline on screen; the
 * chart may follow the rows, within half a second. No main-thread task over 50 ms from the failures' reading and
 * grouping. On the cluster side (the stand-in at its size, p50): what goes with every view (its search with the
 * timeline, the stale count) within the view's own 50 ms; what comes after the rows (the bars' second search, the
 * durations) within 250 ms; the failures' whole read within 1 s (a third of the page's 3 s); the nodes' one
 * aggregation within 500 ms; the GETs within 20 ms.
 */
const TRIAGE_TARGETS = {
  pageReadyMs: { 100_000: 1500, 1_000_000: 3000 } as Record<number, number>,
  chartAfterRowsP95Ms: 500,
  longestTaskMs: 50,
  viewWithTimelineP50Ms: 50,
  staleCountP50Ms: 50,
  afterRowsP50Ms: 250,
  failureReadP50Ms: 1000,
  nodesAggregationP50Ms: 500,
  getP50Ms: 20,
} as const;

const TARGETS = {
  filterP95Ms: 100,
  firstRouteJsGzip: FIRST_ROUTE_JS_GZIP_BUDGET,
  standinP50Ms: 50,
  gatewayAddedP50Ms: 2,
} as const;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

// --- The machine and the sources measured ---------------------------------------------------------------------

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The share of CPU time not idle over `ms`, from /proc/stat; undefined where there is none. */
async function cpuBusy(ms: number): Promise<number | undefined> {
  const sample = (): number[] | undefined => {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
      return line.trim().split(/\s+/).slice(1).map(Number);
    } catch {
      return undefined;
    }
  };
  const a = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = sample();
  if (!a || !b) return undefined;
  const d = b.map((v, i) => v - (a[i] ?? 0));
  const total = d.reduce((x, y) => x + y, 0);
  const idle = (d[3] ?? 0) + (d[4] ?? 0); // idle + iowait
  return total > 0 ? round(1 - idle / total, 2) : undefined;
}

function gitState(): { commit: string; uncommitted_changes: boolean } | undefined {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', ['--no-optional-locks', ...args], { cwd: repoRoot, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommitted_changes: git('status', '--porcelain') !== '',
    };
  } catch {
    return undefined;
  }
}

// --- Building -------------------------------------------------------------------------------------------------

function viteBuild(args: string[]): void {
  const result = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'vite'),
    ['build', '--logLevel', 'error', ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 300_000,
    },
  );
  if (result.status !== 0) throw new Error(`vite build ${args.join(' ')} failed (see above)`);
}

// --- Servers --------------------------------------------------------------------------------------------------

async function startStandin(tasks: number): Promise<Child> {
  const child = await startChild(`stand-in(${tasks})`, 'bench/serve-standin.ts', ['--tasks', String(tasks)], {
    cwd: repoRoot,
    timeoutMs: 120_000,
  });
  log(
    `  stand-in with ${tasks.toLocaleString('en')} tasks at ${String(child.info.url)} (${String(child.info.generate_ms)} ms)`,
  );
  return child;
}

async function startGatewayChild(upstream: string, distDir: string): Promise<Child> {
  const child = await startChild(
    'gateway',
    'bench/serve-gateway.ts',
    ['--upstream', upstream, '--dist', distDir],
    {
      cwd: repoRoot,
      timeoutMs: 60_000,
    },
  );
  log(`  gateway at ${String(child.info.url)}`);
  return child;
}

/** Runs `fn` with a stand-in of `tasks` tasks and a gateway in front of it; both are stopped afterwards. */
async function withServers<T>(
  tasks: number,
  distDir: string,
  fn: (urls: { standin: string; gateway: string }, pids: number[]) => Promise<T>,
): Promise<T> {
  const standin = await startStandin(tasks);
  try {
    const gateway = await startGatewayChild(String(standin.info.url), distDir);
    try {
      return await fn({ standin: String(standin.info.url), gateway: String(gateway.info.url) }, [
        standin.pid,
        gateway.pid,
      ]);
    } finally {
      await gateway.stop();
    }
  } finally {
    await standin.stop();
  }
}

// --- The triage views in the browser -------------------------------------------------------------------------

/**
 * The triage views at `tasks` tasks through the gateway at `gateway`: the filter with the timeline open, the failures
 * page and the nodes page. Each part is its own section: one that fails leaves the others' figures.
 */
async function measureTriageBrowser(
  b: Browser,
  gateway: string,
  tasks: number,
  clicks: number,
): Promise<void> {
  const run: TriageBrowserRun = { tasks };
  (results.triage_browser ??= []).push(run);
  const size = tasks >= 1_000_000 ? '1m' : '100k';
  if (runs('filter'))
    await section(`triage_filter_timeline_${size}`, async () => {
      run.filter_timeline = await measureFilterToRows(b, `${gateway}/`, {
        clicks,
        warmUp: PLAN.filterWarmUp,
        timeoutMs: 60_000,
        log,
        timeline: true,
      });
    });
  for (const page of ['failures', 'nodes'] as const) {
    if (!runs('triage')) break;
    await section(`triage_${page}_${size}`, async () => {
      run[page] = await measureTriagePage(b, `${gateway}/${page}`, page, {
        loads: PLAN.triageLoads,
        warmUp: PLAN.triageWarmUp,
        timeoutMs: 60_000,
        log,
      });
    });
  }
}

// --- The report -----------------------------------------------------------------------------------------------

interface Target {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

interface TriageBrowserRun {
  tasks: number;
  filter_timeline?: FilterResult;
  failures?: TriagePageResult;
  nodes?: TriagePageResult;
}

interface Results {
  date: string;
  command: string;
  machine: Record<string, unknown>;
  source?: { commit: string; uncommitted_changes: boolean };
  duration_s?: number;
  build?: { console_ms: number };
  loads?: LoadsResult & { tasks: number };
  filter_to_rows?: FilterResult & { tasks: number };
  bundle?: BundleReport & { first_route_js_gzip_budget: number };
  standin?: StandinBenchResult;
  /** The stand-in bench at 100,000 tasks too (its triage requests at both sizes). */
  standin_small?: StandinBenchResult;
  /** The triage views in Chromium, per data size. */
  triage_browser?: TriageBrowserRun[];
  gateway?: { tasks: number; overhead: OverheadResult; load: LoadResult };
  targets: Target[];
  errors: Array<{ section: string; message: string }>;
}

function sizes(s: Sizes): string {
  return `${kB(s.raw)} / ${kB(s.gzip)} / ${kB(s.brotli)} (${s.files} files)`;
}

function ms(n: number | undefined): string {
  if (n === Infinity) return 'never';
  return n === undefined || Number.isNaN(n) ? '—' : `${n} ms`;
}

function metText(met: boolean | null | undefined): string {
  return met === true ? 'met' : met === false ? 'NOT MET' : '';
}

function table(r: Results): string {
  const rows: string[][] = [];
  const target = (name: string): Target | undefined => r.targets.find((t) => t.name === name);
  const add = (section: string, what: string, value: string, targetName?: string): void => {
    const t = targetName ? target(targetName) : undefined;
    rows.push([section, what, value, t?.target ?? '', metText(t?.met)]);
  };
  // A section with no figures says why: it failed (the message follows the table) or never ran.
  const failed = (section: string, key: keyof Results, what: string): boolean => {
    const e = r.errors.find((x) => x.section === key);
    if (e) rows.push([section, what, 'FAILED (see below)', '', 'NOT MET']);
    else if (r[key] === undefined) rows.push([section, what, 'not measured (see below)', '', '']);
    return Boolean(e) || r[key] === undefined;
  };

  const l = r.loads;
  if (!failed('1', 'loads', 'loads') && l) {
    const of = `median of ${l.loads}, ${l.tasks.toLocaleString('en')} tasks`;
    const ratioText = (x: Ratio): string =>
      `${ms(x.console_ms)} / ${ms(x.baseline_ms)} = ${Number.isFinite(x.ratio) ? x.ratio.toFixed(2) : '—'}`;
    add('1', `cold painted, console / baseline (${of})`, ratioText(l.cold.painted), 'cold_painted_ratio');
    add('', `cold ready (${l.state} clicked at painted)`, ratioText(l.cold.ready), 'cold_ready_ratio');
    add('', 'warm painted', ratioText(l.warm.painted), 'warm_painted_ratio');
    add('', 'warm ready', ratioText(l.warm.ready), 'warm_ready_ratio');
    for (const [name, page] of [
      ['console', l.console],
      ['baseline', l.baseline],
    ] as const) {
      for (const w of ['cold', 'warm'] as const) {
        const p: PageLoads = page[w];
        const m = p.median;
        const search =
          p.server_rendered === p.samples.length
            ? 'rows in the HTML'
            : `search ${ms(m.search_start_ms)} – ${ms(m.search_end_ms)}`;
        add(
          '',
          `${name} ${w}: HTML in / DOMContentLoaded / first search / row in DOM / click / filtered rows in DOM`,
          `${ms(m.page_arrived_ms)} / ${ms(m.dom_content_loaded_ms)} / ${search} / ${ms(m.first_row_ms)} / ${ms(m.click_ms)} / ${ms(m.filtered_in_dom_ms)}`,
        );
        if (p.server_rendered > 0 && p.server_rendered < p.samples.length) {
          add(
            '',
            `${name} ${w}: loads whose rows the gateway rendered`,
            `${p.server_rendered} of ${p.samples.length}`,
          );
        }
        if (p.clicks_lost > 0) {
          add(
            '',
            `${name} ${w}: clicks that never filtered (counted as never ready)`,
            `${p.clicks_lost} of ${p.samples.length}`,
          );
        }
      }
    }
  }
  const f = r.filter_to_rows;
  if (!failed('2', 'filter_to_rows', 'filter to rows') && f) {
    add('2', `filter to rows, p50 (${f.clicks} clicks, ${f.tasks.toLocaleString('en')} tasks)`, ms(f.p50_ms));
    add('', 'filter to rows, p95', ms(f.p95_ms), 'filter_p95');
    add(
      '',
      'filter: rows in the DOM (a frame before they show), p50 / p95',
      `${ms(f.in_dom_p50_ms)} / ${ms(f.in_dom_p95_ms)}`,
    );
    add(
      '',
      'filter: search sent / answered / rows after answer (p50)',
      `${ms(f.search_sent_p50_ms)} / ${ms(f.search_answered_p50_ms)} / ${ms(f.after_answer_p50_ms)}`,
    );
  }
  const b = r.bundle;
  if (!failed('3', 'bundle', 'bundle') && b) {
    add('3', 'first route JS raw / gzip / brotli', sizes(b.firstRoute.js), 'first_route_js_gzip');
    add('', 'first route CSS raw / gzip / brotli', sizes(b.firstRoute.css));
    add('', 'lazy JS raw / gzip / brotli', sizes(b.lazy.js));
    add('', 'lazy CSS raw / gzip / brotli', sizes(b.lazy.css));
  }
  const s = r.standin;
  if (!failed('4', 'standin', 'stand-in') && s) {
    add(
      '4',
      `stand-in, console's view request p50 (${s.tasks.toLocaleString('en')} tasks)`,
      ms(s.console_view_p50_ms),
      'standin_p50',
    );
    add('', "stand-in, console's view request p95", ms(s.console_view_p95_ms));
    add(
      '',
      'stand-in, classic filtered search p50 / p95',
      `${ms(s.filtered_search_p50_ms)} / ${ms(s.filtered_search_p95_ms)}`,
    );
    add(
      '',
      `stand-in, a view's counts on 2.19.2 – 2.19.6 (${s.slow_counts_searches} size-0 searches) p50 / p95`,
      `${ms(s.slow_counts_p50_ms)} / ${ms(s.slow_counts_p95_ms)}`,
    );
    add(
      '',
      'stand-in, generate + index / memory',
      `${s.generate_ms + s.index_ms} ms / ${s.memory_rss_mb} MB RSS`,
    );
  }
  const g = r.gateway;
  if (!failed('5', 'gateway', 'gateway') && g) {
    const l = g.load;
    add(
      '5',
      `gateway under load (${l.connections} connections, ${l.duration_s} s, ${g.tasks.toLocaleString('en')} tasks)`,
      `${l.requests_per_s} req/s, p99 ${l.latency_p99_ms} ms`,
    );
    add(
      '',
      'gateway under load: errors / timeouts / non-2xx',
      `${l.errors} / ${l.timeouts} / ${l.non_2xx} of ${l.requests}`,
      'gateway_errors',
    );
    add(
      '',
      `gateway adds at p50 (${g.overhead.runs} sequential searches each)`,
      `${g.overhead.added_p50_ms} ms (direct ${g.overhead.direct_p50_ms}, via gateway ${g.overhead.gateway_p50_ms})`,
      'gateway_added_p50',
    );
  }

  // 6. The triage requests on the stand-in, at each size measured (smaller first).
  const standins = [r.standin_small, r.standin].filter(
    (x): x is StandinBenchResult => x?.triage !== undefined,
  );
  if (standins.length > 0) {
    const sizes = standins.map((x) => x.tasks.toLocaleString('en')).join(' | ');
    const biggest = standins.at(-1)!;
    const byName = (x: StandinBenchResult, name: string) => x.triage.requests.find((q) => q.name === name);
    let first = true;
    for (const q of biggest.triage.requests) {
      const value = standins
        .map((x) => {
          const t = byName(x, q.name);
          return t ? `${t.p50_ms} / ${t.p95_ms} ms` : '—';
        })
        .join(' | ');
      add(
        first ? '6' : '',
        `stand-in: ${q.what}, p50 / p95 (${sizes} tasks; ${Math.round(q.bytes / 1024)} kB)`,
        value,
        TRIAGE_REQUEST_TARGET[q.name],
      );
      first = false;
    }
    add(
      '',
      `stand-in: failure groups' whole read (${biggest.triage.failure_read.pages} pages for ${biggest.triage.failure_read.read.toLocaleString('en')} of ${biggest.triage.failure_read.total.toLocaleString('en')} failures, ${biggest.triage.failure_read.groups} groups), p50 / p95`,
      standins.map((x) => `${x.triage.failure_read.p50_ms} / ${x.triage.failure_read.p95_ms} ms`).join(' | '),
      'standin_failure_read_p50',
    );
    add(
      '',
      "failure groups' pages, hits asked : new failures (ties at a page's end are read again)",
      biggest.triage.failure_read.page_sizes,
    );
    add(
      '',
      'grouping in Node (V8), warm: all pages / the longest page',
      standins
        .map((x) => `${x.triage.failure_read.group_all_ms} / ${x.triage.failure_read.group_page_max_ms} ms`)
        .join(' | '),
    );
  } else if (r.standin) {
    rows.push(['6', 'triage requests on the stand-in', 'not measured (see below)', '', '']);
  }

  // 7. The triage views in Chromium.
  for (const [i, run] of (r.triage_browser ?? []).entries()) {
    const n = run.tasks.toLocaleString('en');
    const size = run.tasks >= 1_000_000 ? '1m' : '100k';
    const f = run.filter_timeline;
    let section = i === 0 ? '7' : '';
    const addRow = (what: string, value: string, targetName?: string) => {
      add(section, what, value, targetName);
      section = '';
    };
    if (f) {
      addRow(
        `filter to rows with the timeline open, p50 / p95 (${f.clicks} clicks, ${n} tasks; ${f.searches_per_click ?? '?'} searches a click)`,
        `${ms(f.p50_ms)} / ${ms(f.p95_ms)}`,
        `triage_filter_timeline_p95_${size}`,
      );
      addRow(
        '  timeline: search sent / answered / rows after answer (p50)',
        `${ms(f.search_sent_p50_ms)} / ${ms(f.search_answered_p50_ms)} / ${ms(f.after_answer_p50_ms)}`,
      );
      addRow(
        '  timeline: chart drawn after the click, p50 / p95',
        `${ms(f.chart_p50_ms)} / ${ms(f.chart_p95_ms)}`,
      );
      addRow(
        '  timeline: chart drawn after the rows, p50 / p95',
        `${ms(f.chart_after_rows_p50_ms)} / ${ms(f.chart_after_rows_p95_ms)}`,
        `triage_chart_after_rows_p95_${size}`,
      );
    }
    for (const p of [run.failures, run.nodes]) {
      if (!p) continue;
      const what = p.page === 'failures' ? 'failures page to groups on screen' : 'nodes page to counted rows';
      addRow(
        `${what}, cold / warm (median of ${p.loads}, ${n} tasks)`,
        `${ms(p.cold.median.ready_ms)} / ${ms(p.warm.median.ready_ms)}`,
        `${p.page}_ready_${size}`,
      );
      addRow(
        `  ${p.page}: HTML in / searches (${p.cold.median.searches}) sent – answered / first row (cold)`,
        `${ms(p.cold.median.page_arrived_ms)} / ${ms(p.cold.median.searches_start_ms)} – ${ms(p.cold.median.searches_end_ms)} / ${ms(p.cold.median.first_row_ms)}`,
      );
      addRow(
        `  ${p.page}: longest main-thread task, whole load / after the first answer (cold median)`,
        `${ms(p.cold.median.longest_task_ms)} / ${ms(p.cold.median.longest_task_after_first_answer_ms)}`,
      );
      addRow(
        `  ${p.page}: longest task after the first answer, worst of ${p.loads * 2} loads`,
        `${ms(p.worst_task_after_first_answer_ms)}${p.worst_task_scripts ? ` (${p.worst_task_scripts})` : ''}`,
        p.page === 'failures' ? `failures_longest_task_${size}` : undefined,
      );
    }
  }
  for (const e of r.errors.filter((x) => x.section.startsWith('triage'))) {
    rows.push(['7', e.section, 'FAILED (see below)', '', 'NOT MET']);
  }

  const header = ['#', 'measure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const m = r.machine;
  return [
    `ML Tasks Console benchmark, ${r.date}${r.duration_s ? ` (${r.duration_s} s)` : ''}`,
    `machine: ${String(m.cpu)}, ${String(m.cores)} cores, ${String(m.memory_gb)} GB, Node ${String(m.node)}, Chromium ${String(m.chromium ?? '?')}`,
    pinningText(m.pinning),
    r.source
      ? `source: ${r.source.commit}${r.source.uncommitted_changes ? ' with uncommitted changes' : ''}`
      : '',
    busy(r) ?? '',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    targetSummary(r.targets),
    ...(r.errors.length > 0 ? ['', 'errors:', ...r.errors.map((e) => `  ${e.section}: ${e.message}`)] : []),
  ]
    .filter((l, i) => l !== '' || i >= 5)
    .join('\n');
}

/** One line: how many targets were met, and which were not (or could not be measured). */
function targetSummary(targets: Target[]): string {
  const met = targets.filter((t) => t.met === true).length;
  const missed = targets.filter((t) => t.met === false).map((t) => t.name);
  const unmeasured = targets.filter((t) => t.met === null).map((t) => t.name);
  return [
    `targets met: ${met} of ${targets.length}`,
    missed.length > 0 ? `not met: ${missed.join(', ')}` : '',
    unmeasured.length > 0 ? `not measured: ${unmeasured.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** Which cores the browser and the servers ran on, as planned and as /proc showed them during the loads. */
function pinningText(pinning: unknown): string {
  if (typeof pinning === 'string') return `cores: ${pinning}`;
  if (!pinning || typeof pinning !== 'object') return 'cores: not recorded';
  const p = pinning as { browser_cores: string; server_cores: string; observed?: Record<string, string> };
  const seen = p.observed
    ? ` (seen: browser ${p.observed.browser}, servers ${p.observed.servers}, this run ${p.observed.runner})`
    : '';
  return `cores: browser and this run on ${p.browser_cores}, servers on ${p.server_cores}${seen}`;
}

/** A warning when the machine was already busy: other work on the same cores skews every timing. */
function busy(r: Results): string | undefined {
  const share = r.machine.cpu_busy_before_start as number | undefined;
  return share !== undefined && share > 0.2
    ? `WARNING: the CPUs were ${Math.round(share * 100)}% busy before the run started: other work was running, timings may be inflated`
    : undefined;
}

/** The stand-in's triage requests that carry a target (see computeTargets), by request name. */
const TRIAGE_REQUEST_TARGET: Record<string, string> = {
  view_all: 'standin_view_all_timeline_p50',
  view_week: 'standin_view_week_timeline_p50',
  timeline_bars_all: 'standin_timeline_bars_p50',
  stale_count: 'standin_stale_count_p50',
  durations: 'standin_durations_p50',
  nodes_aggregation: 'standin_nodes_aggregation_p50',
  get_profile: 'standin_get_profile_p50',
  get_nodes: 'standin_get_nodes_p50',
  get_settings: 'standin_get_settings_p50',
  get_stats: 'standin_get_stats_p50',
};

function computeTargets(r: Results): Target[] {
  const out: Target[] = [];
  const push = (
    name: string,
    value: number | undefined,
    target: string,
    ok: (v: number) => boolean,
  ): void => {
    out.push({ name, value: value ?? null, target, met: value === undefined ? null : ok(value) });
  };
  for (const [key, limit] of Object.entries(LOAD_TARGETS)) {
    const [warmth, figure] = key.split('_') as ['cold' | 'warm', 'painted' | 'ready'];
    push(`${key}_ratio`, r.loads?.[warmth][figure].ratio, `≤ ${limit.toFixed(1)}`, (v) => v <= limit);
  }
  push(
    'filter_p95',
    r.filter_to_rows?.p95_ms,
    `≤ ${TARGETS.filterP95Ms} ms`,
    (v) => v <= TARGETS.filterP95Ms,
  );
  push(
    'first_route_js_gzip',
    r.bundle?.firstRoute.js.gzip,
    `≤ ${kB(TARGETS.firstRouteJsGzip)} gzip`,
    (v) => v <= TARGETS.firstRouteJsGzip,
  );
  push(
    'standin_p50',
    r.standin?.console_view_p50_ms,
    `≤ ${TARGETS.standinP50Ms} ms`,
    (v) => v <= TARGETS.standinP50Ms,
  );
  push(
    'gateway_added_p50',
    r.gateway?.overhead.added_p50_ms,
    `≤ ${TARGETS.gatewayAddedP50Ms} ms`,
    (v) => v <= TARGETS.gatewayAddedP50Ms,
  );
  const t = TRIAGE_TARGETS;
  const req = (name: string) => r.standin?.triage?.requests.find((q) => q.name === name)?.p50_ms;
  for (const [name, request] of [
    ['standin_view_all_timeline_p50', 'view_all'],
    ['standin_view_week_timeline_p50', 'view_week'],
  ] as const) {
    push(name, req(request), `≤ ${t.viewWithTimelineP50Ms} ms`, (v) => v <= t.viewWithTimelineP50Ms);
  }
  push(
    'standin_timeline_bars_p50',
    req('timeline_bars_all'),
    `≤ ${t.afterRowsP50Ms} ms`,
    (v) => v <= t.afterRowsP50Ms,
  );
  push(
    'standin_stale_count_p50',
    req('stale_count'),
    `≤ ${t.staleCountP50Ms} ms`,
    (v) => v <= t.staleCountP50Ms,
  );
  push('standin_durations_p50', req('durations'), `≤ ${t.afterRowsP50Ms} ms`, (v) => v <= t.afterRowsP50Ms);
  push(
    'standin_nodes_aggregation_p50',
    req('nodes_aggregation'),
    `≤ ${t.nodesAggregationP50Ms} ms`,
    (v) => v <= t.nodesAggregationP50Ms,
  );
  for (const get of ['profile', 'nodes', 'settings', 'stats'] as const) {
    push(`standin_get_${get}_p50`, req(`get_${get}`), `≤ ${t.getP50Ms} ms`, (v) => v <= t.getP50Ms);
  }
  push(
    'standin_failure_read_p50',
    r.standin?.triage?.failure_read.p50_ms,
    `≤ ${t.failureReadP50Ms} ms`,
    (v) => v <= t.failureReadP50Ms,
  );
  for (const run of r.triage_browser ?? []) {
    const size = run.tasks >= 1_000_000 ? '1m' : '100k';
    const readyLimit = t.pageReadyMs[run.tasks] ?? t.pageReadyMs[1_000_000]!;
    push(
      `triage_filter_timeline_p95_${size}`,
      run.filter_timeline?.p95_ms,
      `≤ ${TARGETS.filterP95Ms} ms`,
      (v) => v <= TARGETS.filterP95Ms,
    );
    push(
      `triage_chart_after_rows_p95_${size}`,
      run.filter_timeline?.chart_after_rows_p95_ms,
      `≤ ${t.chartAfterRowsP95Ms} ms`,
      (v) => v <= t.chartAfterRowsP95Ms,
    );
    for (const p of ['failures', 'nodes'] as const) {
      push(
        `${p}_ready_${size}`,
        run[p]?.cold.median.ready_ms,
        `≤ ${readyLimit} ms cold`,
        (v) => v <= readyLimit,
      );
    }
    push(
      `failures_longest_task_${size}`,
      run.failures?.worst_task_after_first_answer_ms,
      `≤ ${t.longestTaskMs} ms`,
      (v) => v <= t.longestTaskMs,
    );
  }
  const l = r.gateway?.load;
  push(
    'gateway_errors',
    l ? l.errors + l.timeouts + l.non_2xx : undefined,
    '0 failed requests',
    (v) => v === 0,
  );
  return out;
}

// --- The run --------------------------------------------------------------------------------------------------

const startedAt = performance.now();
const outDir = mkdtempSync(join(tmpdir(), 'ml-console-bench-'));
const consoleDir = join(outDir, 'console');
let browser: Browser | undefined;

async function cleanUp(): Promise<void> {
  const b = browser;
  browser = undefined;
  await b?.close().catch(() => {});
  await stopAllChildren();
  if (!flags.keep) rmSync(outDir, { recursive: true, force: true });
}

let aborted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (aborted) return;
    aborted = true;
    log(`\n${signal}: stopping the servers and the browser…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const results: Results = {
  date: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: {
    cpu: cpuModel(),
    cores: availableParallelism(),
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Anything else running competes for the same cores: the figures are only comparable on a quiet machine.
    load_average_at_start: loadavg().map((n) => round(n, 2)),
    cpu_busy_before_start: await cpuBusy(2000),
  },
  source: gitState(),
  targets: [],
  errors: [],
};

async function section(name: string, fn: () => Promise<void>): Promise<void> {
  if (aborted) return;
  try {
    await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log(`  ${name} failed: ${message}`);
    results.errors.push({ section: name, message });
  }
}

const searchBody = JSON.stringify(firstPageSearch());

/**
 * The browser (and this run, its client) on some cores, the servers on the others. Done after the build, which may
 * use every core. Recorded in the results, with the reason when it is not done.
 */
function pinCores(): void {
  if (flags['no-pin']) {
    results.machine.pinning = 'none: --no-pin (the browser and the servers share every core)';
    return;
  }
  const plan = planCoreSplit();
  if ('reason' in plan) {
    results.machine.pinning = `none: ${plan.reason} (the browser and the servers share every core)`;
    log(`  WARNING: not pinning the browser and the servers to different cores: ${plan.reason}`);
    return;
  }
  pinThisProcess(plan.taskset, plan.split.browser);
  startChildrenOn(plan.taskset, plan.split.servers);
  results.machine.pinning = {
    browser_cores: formatCores(plan.split.browser),
    server_cores: formatCores(plan.split.servers),
  };
  log(
    `  browser (and this run) on cores ${formatCores(plan.split.browser)}, servers on ${formatCores(plan.split.servers)}`,
  );
}

try {
  log(`Building the console into ${outDir}…`);
  await section('build', async () => {
    const t0 = performance.now();
    viteBuild(['--outDir', consoleDir, '--emptyOutDir']);
    results.build = { console_ms: Math.round(performance.now() - t0) };
  });
  const built = !results.errors.some((e) => e.section === 'build');

  if (built) {
    log('3. Bundle');
    await section('bundle', async () => {
      results.bundle = {
        ...bundleReport(consoleDir),
        first_route_js_gzip_budget: FIRST_ROUTE_JS_GZIP_BUDGET,
      };
    });
    // After the bundle's sizes: the baseline's scripts go into the same assets folder.
    const baselinePath = writeBaselinePage(consoleDir, baselineSearches());
    await section('pinning', async () => pinCores());

    await section('browser', async () => {
      browser = await launchChromium();
      results.machine.chromium = browser.version();
    });

    log(`1. Loads and 5. gateway, ${PLAN.loadTasks.toLocaleString('en')} tasks`);
    if (runs('loads'))
      await section('servers', () =>
        withServers(PLAN.loadTasks, consoleDir, async (urls, serverPids) => {
          if (browser) {
            const b = browser;
            await section('loads', async () => {
              const loads = await measureLoads(
                b,
                { console: `${urls.gateway}/`, baseline: `${urls.gateway}${baselinePath}` },
                {
                  loads: PLAN.loads,
                  warmUp: PLAN.loadsWarmUp,
                  state: PLAN.readyState,
                  expected: {
                    first: JSON.stringify(firstPageSearch()),
                    state: JSON.stringify(stateSearch(PLAN.readyState)),
                  },
                  timeoutMs: 30_000,
                  readyWaitMs: PLAN.readyWaitMs,
                  log,
                },
              );
              results.loads = { tasks: PLAN.loadTasks, ...loads };
            });
            // Read back from /proc while everything runs: where each process may actually run.
            if (typeof results.machine.pinning === 'object') {
              results.machine.pinning = { ...results.machine.pinning, observed: observedCores(serverPids) };
            }
          }
          await section('gateway', async () => {
            const overhead = await measureGatewayOverhead(urls.standin, urls.gateway, searchBody, {
              runs: PLAN.overheadRuns,
              warmUp: PLAN.overheadWarmUp,
            });
            log(`  gateway adds ${overhead.added_p50_ms} ms at p50; load for ${PLAN.loadSeconds} s…`);
            const load = await loadGateway(urls.gateway, searchBody, {
              seconds: PLAN.loadSeconds,
              connections: PLAN.loadConnections,
            });
            results.gateway = { tasks: PLAN.loadTasks, overhead, load };
            if (load.errors + load.timeouts + load.non_2xx > 0) {
              throw new Error(
                `${load.errors} errors, ${load.timeouts} timeouts and ${load.non_2xx} non-2xx answers under load`,
              );
            }
          });
        }),
      );

    if (browser && (runs('filter') || runs('triage'))) {
      const b = browser;
      log(`2. Filter to rows, ${PLAN.filterTasks.toLocaleString('en')} tasks`);
      await section('filter_to_rows', () =>
        withServers(PLAN.filterTasks, consoleDir, async (urls) => {
          if (runs('filter')) {
            const f = await measureFilterToRows(b, `${urls.gateway}/`, {
              clicks: PLAN.filterClicks,
              warmUp: PLAN.filterWarmUp,
              timeoutMs: 30_000,
              log,
            });
            results.filter_to_rows = { tasks: PLAN.filterTasks, ...f };
          }
          log(`7. Triage views in Chromium, ${PLAN.filterTasks.toLocaleString('en')} tasks`);
          await measureTriageBrowser(b, urls.gateway, PLAN.filterTasks, PLAN.filterClicks);
        }),
      );
      if (PLAN.triageBigTasks !== undefined) {
        const tasks = PLAN.triageBigTasks;
        log(`7. Triage views in Chromium, ${tasks.toLocaleString('en')} tasks (generating takes a while)…`);
        await section('triage_servers', () =>
          withServers(tasks, consoleDir, (urls) =>
            measureTriageBrowser(b, urls.gateway, tasks, PLAN.triageBigClicks),
          ),
        );
      }
      await browser.close();
      browser = undefined;
    }
  }

  if (PLAN.standinSmallTasks !== undefined && runs('standin')) {
    const tasks = PLAN.standinSmallTasks;
    log(`4. and 6. Stand-in at ${tasks.toLocaleString('en')} tasks…`);
    await section('standin_small', async () => {
      results.standin_small = (await runJsonScript(
        'stand-in bench',
        'bench/standin-bench.ts',
        ['--tasks', String(tasks), '--runs', String(PLAN.standinRuns), '--json'],
        { cwd: repoRoot, timeoutMs: 180_000, nodeArgs: ['--expose-gc'] },
      )) as StandinBenchResult;
    });
  }
  if (runs('standin'))
    log(`4. and 6. Stand-in at ${PLAN.standinTasks.toLocaleString('en')} tasks (generating takes a while)…`);
  if (runs('standin'))
    await section('standin', async () => {
      results.standin = (await runJsonScript(
        'stand-in bench',
        'bench/standin-bench.ts',
        ['--tasks', String(PLAN.standinTasks), '--runs', String(PLAN.standinRuns), '--json'],
        { cwd: repoRoot, timeoutMs: 300_000, nodeArgs: ['--expose-gc'] },
      )) as StandinBenchResult;
    });
} finally {
  await cleanUp();
}

results.duration_s = Math.round((performance.now() - startedAt) / 1000);
results.targets = computeTargets(results);
const resultsFile = join(repoRoot, 'bench', 'results.json');
const json = JSON.stringify(results, null, 2);
const formatted = await prettier.format(json, {
  ...((await prettier.resolveConfig(resultsFile)) ?? {}),
  filepath: resultsFile,
});
writeFileSync(resultsFile, formatted);
if (flags.json) process.stdout.write(formatted);
else process.stdout.write(`${table(results)}\n\nwritten to bench/results.json\n`);
process.exitCode = results.errors.length > 0 ? 1 : 0;
