// `npm run bench`: builds the console and a plain-React baseline into a temporary directory, starts stand-ins and
// the gateway as child processes on 127.0.0.1, and measures first rows, filter to rows, the bundle, the stand-in at
// 1M tasks and the gateway; prints a table (or, with --json, the JSON) and writes bench/results.json.
// Usage: npm run bench -- [--json] [--quick] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import * as prettier from 'prettier';
import { bundleReport, FIRST_ROUTE_JS_GZIP_BUDGET, kB } from '../scripts/bundle-report';
import type { BundleReport, Sizes } from '../scripts/bundle-report';
import { repoRoot } from '../server/build';
import { emptyTaskQuery } from '../shared/task-query';
import { buildTaskSearchBody } from '../shared/task-search-body';
import { DEFAULT_VIEW } from '../shared/task-view-state';
import { launchChromium, measureFilterToRows, measureFirstRows } from './lib/browser-bench';
import type { FilterResult, FirstRowsResult } from './lib/browser-bench';
import { loadGateway, measureGatewayOverhead } from './lib/http-bench';
import type { LoadResult, OverheadResult } from './lib/http-bench';
import { runJsonScript, startChild, stopAllChildren } from './lib/processes';
import type { Child } from './lib/processes';
import { round } from './lib/stats';
import type { StandinBenchResult } from './standin-bench';

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean' },
    // Fewer samples and smaller data, to check the benchmark itself; its figures are not comparable.
    quick: { type: 'boolean' },
    keep: { type: 'boolean' },
  },
});
const quick = Boolean(flags.quick);

const PLAN = {
  firstRowsTasks: 10_000,
  firstRowsLoads: quick ? 3 : 11,
  firstRowsWarmUp: 1,
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
} as const;

const TARGETS = {
  firstRowsRatio: 2.0,
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
  fn: (urls: { standin: string; gateway: string }) => Promise<T>,
): Promise<T> {
  const standin = await startStandin(tasks);
  try {
    const gateway = await startGatewayChild(String(standin.info.url), distDir);
    try {
      return await fn({ standin: String(standin.info.url), gateway: String(gateway.info.url) });
    } finally {
      await gateway.stop();
    }
  } finally {
    await standin.stop();
  }
}

// --- The report -----------------------------------------------------------------------------------------------

interface Target {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

interface Results {
  date: string;
  command: string;
  machine: Record<string, unknown>;
  source?: { commit: string; uncommitted_changes: boolean };
  duration_s?: number;
  build?: { console_ms: number; baseline_ms: number };
  first_rows?: FirstRowsResult & { tasks: number };
  filter_to_rows?: FilterResult & { tasks: number };
  bundle?: BundleReport & { first_route_js_gzip_budget: number };
  standin?: StandinBenchResult;
  gateway?: { tasks: number; overhead: OverheadResult; load: LoadResult };
  targets: Target[];
  errors: Array<{ section: string; message: string }>;
}

function sizes(s: Sizes): string {
  return `${kB(s.raw)} / ${kB(s.gzip)} / ${kB(s.brotli)} (${s.files} files)`;
}

function ms(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? '—' : `${n} ms`;
}

function metText(met: boolean | null | undefined): string {
  return met === true ? 'yes' : met === false ? 'NO' : '';
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
    if (e) rows.push([section, what, 'FAILED (see below)', '', 'NO']);
    else if (r[key] === undefined) rows.push([section, what, 'not measured (see below)', '', '']);
    return Boolean(e) || r[key] === undefined;
  };

  const fr = r.first_rows;
  if (!failed('1', 'first_rows', 'first rows') && fr) {
    add('1', `first rows, console (median of ${fr.loads} cold loads)`, ms(fr.console_median_ms));
    add('', `first rows, baseline (median of ${fr.loads} cold loads)`, ms(fr.baseline_median_ms));
    add(
      '',
      `first rows, console / baseline (${fr.tasks.toLocaleString('en')} tasks)`,
      fr.ratio.toFixed(2),
      'first_rows_ratio',
    );
    for (const [name, page] of [
      ['console', fr.console],
      ['baseline', fr.baseline],
    ] as const) {
      const rendered = page.samples.filter((s) => s.server_rendered === 1).length;
      const search =
        rendered === page.samples.length
          ? 'on the server'
          : `${ms(page.median.search_start_ms)} / ${ms(page.median.search_end_ms)}`;
      add(
        '',
        `${name}: page arrived / search sent / answered / DOMContentLoaded`,
        `${ms(page.median.page_arrived_ms)} / ${search} / ${ms(page.median.dom_content_loaded_ms)}`,
      );
      if (rendered > 0 && rendered < page.samples.length) {
        add('', `${name}: loads whose rows the gateway rendered`, `${rendered} of ${page.samples.length}`);
      }
    }
  }
  const f = r.filter_to_rows;
  if (!failed('2', 'filter_to_rows', 'filter to rows') && f) {
    add('2', `filter to rows, p50 (${f.clicks} clicks, ${f.tasks.toLocaleString('en')} tasks)`, ms(f.p50_ms));
    add('', 'filter to rows, p95', ms(f.p95_ms), 'filter_p95');
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

  const header = ['#', 'measure', 'value', 'target', 'met'];
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
    r.source
      ? `source: ${r.source.commit}${r.source.uncommitted_changes ? ' with uncommitted changes' : ''}`
      : '',
    busy(r) ?? '',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(r.errors.length > 0 ? ['', 'errors:', ...r.errors.map((e) => `  ${e.section}: ${e.message}`)] : []),
  ]
    .filter((l, i) => l !== '' || i === 4)
    .join('\n');
}

/** A warning when the machine was already busy: other work on the same cores skews every timing. */
function busy(r: Results): string | undefined {
  const share = r.machine.cpu_busy_before_start as number | undefined;
  return share !== undefined && share > 0.2
    ? `WARNING: the CPUs were ${Math.round(share * 100)}% busy before the run started: other work was running, timings may be inflated`
    : undefined;
}

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
  push(
    'first_rows_ratio',
    r.first_rows?.ratio,
    `≤ ${TARGETS.firstRowsRatio.toFixed(1)}`,
    (v) => v <= TARGETS.firstRowsRatio,
  );
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
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
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

const searchBody = JSON.stringify(buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery()));

try {
  log(`Building the console and the baseline into ${outDir}…`);
  await section('build', async () => {
    let t0 = performance.now();
    viteBuild(['--outDir', consoleDir, '--emptyOutDir']);
    const consoleMs = Math.round(performance.now() - t0);
    t0 = performance.now();
    viteBuild([
      '--config',
      'bench/baseline/vite.config.ts',
      '--outDir',
      join(consoleDir, 'baseline'),
      '--emptyOutDir',
    ]);
    results.build = { console_ms: consoleMs, baseline_ms: Math.round(performance.now() - t0) };
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

    await section('browser', async () => {
      browser = await launchChromium();
      results.machine.chromium = browser.version();
    });

    log(`1. First rows and 5. gateway, ${PLAN.firstRowsTasks.toLocaleString('en')} tasks`);
    await section('servers', () =>
      withServers(PLAN.firstRowsTasks, consoleDir, async (urls) => {
        if (browser) {
          const b = browser;
          await section('first_rows', async () => {
            const fr = await measureFirstRows(
              b,
              { console: `${urls.gateway}/`, baseline: `${urls.gateway}/baseline/index.html` },
              { loads: PLAN.firstRowsLoads, warmUp: PLAN.firstRowsWarmUp, timeoutMs: 30_000, log },
            );
            results.first_rows = { tasks: PLAN.firstRowsTasks, ...fr };
          });
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
          results.gateway = { tasks: PLAN.firstRowsTasks, overhead, load };
          if (load.errors + load.timeouts + load.non_2xx > 0) {
            throw new Error(
              `${load.errors} errors, ${load.timeouts} timeouts and ${load.non_2xx} non-2xx answers under load`,
            );
          }
        });
      }),
    );

    if (browser) {
      const b = browser;
      log(`2. Filter to rows, ${PLAN.filterTasks.toLocaleString('en')} tasks`);
      await section('filter_to_rows', () =>
        withServers(PLAN.filterTasks, consoleDir, async (urls) => {
          const f = await measureFilterToRows(b, `${urls.gateway}/`, {
            clicks: PLAN.filterClicks,
            warmUp: PLAN.filterWarmUp,
            timeoutMs: 30_000,
            log,
          });
          results.filter_to_rows = { tasks: PLAN.filterTasks, ...f };
        }),
      );
      await browser.close();
      browser = undefined;
    }
  }

  log(`4. Stand-in at ${PLAN.standinTasks.toLocaleString('en')} tasks (generating takes a while)…`);
  await section('standin', async () => {
    results.standin = (await runJsonScript(
      'stand-in bench',
      'bench/standin-bench.ts',
      ['--tasks', String(PLAN.standinTasks), '--runs', String(PLAN.standinRuns), '--json'],
      { cwd: repoRoot, timeoutMs: 180_000, nodeArgs: ['--expose-gc'] },
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
