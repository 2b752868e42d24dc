// What a person sees in Chromium: when a page's first rows are painted and when a click made at that moment has
// filtered them (console vs the baseline page, cold and warm), and a click on a state filter to the updated rows.
// Every time is taken inside the page; Node only waits and reads.
import { chromium } from '@playwright/test';
import type { Browser, Page, Request } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium';
import { median, percentile, round } from './stats';
import { TIMELINE_OPEN_KEY } from '../../shared/cookies';

const ROW = 'tr[data-test-subj^="taskRow-"]';
const VIEWPORT = { width: 1440, height: 900 };
const SETTLE_MS = 300;
/** With the timeline open, a click's work is over once no search is in flight and the chart has not drawn for this long. */
const CHART_QUIET_MS = 400;

/** The Chromium the benchmark drives: CHROMIUM_PATH, else Debian's, else Playwright's own. */
export function chromiumExecutable(): string {
  return chromiumPath() ?? chromium.executablePath();
}

/** Launches `executable` (Chromium itself, or a script that starts it pinned to some cores). */
export function launchChromium(executable: string = chromiumExecutable()): Promise<Browser> {
  return chromium.launch({
    executablePath: executable,
    headless: true,
    timeout: 60_000,
    // The benchmark stops the browser itself, after its servers, on Ctrl-C: Playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });
}

// --- Loads: painted and ready, cold and warm --------------------------------------------------------------------

/**
 * Runs before any page script, in every document the context loads. Times, in ms since navigation start:
 * - painted: the first frame after the first task row is in the DOM (the start of the next requestAnimationFrame
 *   callback: the row is drawn in that frame, and not before the main thread gets to it). A MutationObserver set up
 *   before parsing sees rows that come in the HTML as well as rows a script renders.
 * - ready: at painted, the page itself clicks the state's button in the summary (once it exists), as a user who
 *   clicks the moment rows appear; ready is the first frame after the table shows only that state's rows and the
 *   total its count. A click the page drops gives no ready within `readyWaitMs`: the load says so.
 */
function loadScript(state: string, readyWaitMs: number, rowsWaitMs: number): string {
  return `(() => {
  if (window !== window.top) return;
  const ROW = ${JSON.stringify(ROW)};
  const BUTTON = ${JSON.stringify(`[data-test-subj="stateSummary-${state}"]`)};
  const STATE = ${JSON.stringify(state)};
  performance.setResourceTimingBufferSize(100000);
  let finish;
  const b = (window.__bench = {
    firstRow: null, painted: null, rows: 0, click: null, expected: null, filteredInDom: null, ready: null,
    outcome: null, done: new Promise((resolve) => { finish = resolve; }),
  });
  let phase = 'rows';
  const digits = (text) => Number(String(text ?? '').replace(/\\D/g, ''));
  const end = (outcome) => {
    if (phase === 'done') return;
    phase = 'done';
    b.outcome = outcome;
    observer.disconnect();
    finish();
  };
  const filtered = () => {
    const rows = document.querySelectorAll(ROW);
    if (rows.length === 0) return false;
    for (const row of rows) {
      if (row.querySelector('[data-test-subj="taskState"]')?.textContent?.trim() !== STATE) return false;
    }
    if (b.expected === null) return true;
    return digits(document.querySelector('[data-test-subj="tasksTotal"]')?.textContent) === b.expected;
  };
  const click = () => {
    const button = document.querySelector(BUTTON);
    if (!button) return;
    const count = button.querySelector('strong');
    b.expected = count ? digits(count.textContent) : null;
    phase = 'filtering';
    setTimeout(() => end('click-lost'), ${readyWaitMs});
    b.click = performance.now();
    button.click();
    step();
  };
  const step = () => {
    if (phase === 'rows') {
      if (!document.querySelector(ROW)) return;
      b.firstRow = performance.now();
      b.rows = document.querySelectorAll(ROW).length;
      phase = 'painting';
      requestAnimationFrame(() => {
        b.painted = performance.now();
        phase = 'clicking';
        click();
      });
    } else if (phase === 'clicking') {
      click();
    } else if (phase === 'filtering' && filtered()) {
      phase = 'showing';
      b.filteredInDom = performance.now();
      requestAnimationFrame(() => {
        b.ready = performance.now();
        end('ready');
      });
    }
  };
  const observer = new MutationObserver(step);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  setTimeout(() => { if (b.click === null) end(b.painted === null ? 'no-rows' : 'no-button'); }, ${rowsWaitMs});
})();`;
}

interface BenchState {
  firstRow: number | null;
  painted: number | null;
  rows: number;
  click: number | null;
  filteredInDom: number | null;
  ready: number | null;
  outcome: 'ready' | 'click-lost' | 'no-rows' | 'no-button' | null;
  done: Promise<void>;
}

export interface LoadSample {
  painted_ms: number;
  first_row_ms: number;
  click_ms: number;
  /** Infinity (null in JSON) when the click had no effect: ready never came. */
  ready_ms: number;
  /** The filtered rows in the DOM (ready is the frame after). */
  filtered_in_dom_ms: number;
  rows: number;
  /** The page's HTML fully arrived. */
  page_arrived_ms: number;
  dom_content_loaded_ms: number;
  /** The browser's first task search; NaN when the gateway ran it and rendered the rows into the page. */
  search_start_ms: number;
  search_end_ms: number;
  /** 1 when the rows came in the page's HTML (the gateway rendered them), else 0. */
  server_rendered: number;
}

type Figure = Exclude<keyof LoadSample, 'rows' | 'server_rendered'>;
const FIGURES: readonly Figure[] = [
  'painted_ms',
  'first_row_ms',
  'click_ms',
  'ready_ms',
  'filtered_in_dom_ms',
  'page_arrived_ms',
  'dom_content_loaded_ms',
  'search_start_ms',
  'search_end_ms',
];

export interface PageLoads {
  /** Medians of each figure (a figure a load lacks, like a browser search on a page the gateway rendered, is left out). */
  median: Record<Figure, number>;
  /** Loads whose click never produced the state's rows. */
  clicks_lost: number;
  /** Loads whose rows the gateway rendered into the HTML. */
  server_rendered: number;
  samples: LoadSample[];
}

export interface Ratio {
  console_ms: number;
  baseline_ms: number;
  ratio: number;
}

export type Warmth = 'cold' | 'warm';

export interface LoadsResult {
  loads: number;
  warm_up_loads: number;
  /** The state clicked at painted. */
  state: string;
  cold: { painted: Ratio; ready: Ratio };
  warm: { painted: Ratio; ready: Ratio };
  console: Record<Warmth, PageLoads>;
  baseline: Record<Warmth, PageLoads>;
  /** The bodies both pages sent: the first page, and the view of the state alone. */
  search_bodies: { first: string; state: string };
}

interface CapturedSearch {
  body: string;
  consoleHeader: string | undefined;
}

/** What a page's load sent and what went wrong in it (script errors, failed requests), to explain a failed load. */
interface Capture {
  searches: CapturedSearch[];
  problems: string[];
}

function canonical(json: string): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sortKeys(JSON.parse(json)));
}

/**
 * The stale count the tasks page sends with each view (src/triage/stale-queries.ts): no hits and no aggregations,
 * the view's filters and, last, the stale rules' clause (a `should` of the rules, or `match_none` when none applies).
 */
function isStaleCount(json: string): boolean {
  const body = JSON.parse(json) as Record<string, unknown>;
  if (body.size !== 0 || Object.keys(body).sort().join() !== 'query,size,track_total_hits') return false;
  const filter = (body.query as { bool?: { filter?: unknown } } | undefined)?.bool?.filter;
  const rules = Array.isArray(filter) ? (filter.at(-1) as Record<string, unknown> | undefined) : undefined;
  if (!rules) return false;
  if ('match_none' in rules) return true;
  const bool = rules.bool as { should?: unknown; minimum_should_match?: unknown } | undefined;
  return Array.isArray(bool?.should) && bool.minimum_should_match === 1;
}

interface LoadOptions {
  state: string;
  expected: { first: string; state: string };
  timeoutMs: number;
  readyWaitMs: number;
}

/** One navigation to `url` in `page`, to its ready (or to the wait's end); checks the searches it sent. */
async function load(
  page: Page,
  which: string,
  warmth: Warmth,
  url: string,
  capture: Capture,
  options: LoadOptions,
): Promise<LoadSample> {
  const { searches, problems } = capture;
  searches.length = 0;
  problems.length = 0;
  await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
  await page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench.done);
  const { b, rendered, nav, firstSearch, text } = await page.evaluate(() => {
    const state = (window as unknown as { __bench: BenchState }).__bench;
    const navigation = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    const search = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find(
      (e) =>
        e.name.includes('/_plugins/_ml/tasks/_search') && (state.click === null || e.startTime < state.click),
    );
    return {
      b: { ...state, done: undefined },
      // The first page the gateway rendered into the HTML carries the body of the search it ran.
      rendered: document.getElementById('ml-first-page')?.textContent ?? null,
      nav: { arrived: navigation?.responseEnd ?? NaN, dcl: navigation?.domContentLoadedEventEnd ?? NaN },
      firstSearch: search ? { start: search.startTime, end: search.responseEnd } : null,
      text: document.body?.innerText.trim().replace(/\s+/g, ' ').slice(0, 300) ?? '',
    };
  });
  if (b.outcome === 'no-rows') {
    throw new Error(
      `the ${which} page (${warmth} load) showed no task row within ${options.timeoutMs} ms; it reads: "${text}"${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`,
    );
  }
  if (b.outcome === 'no-button') {
    throw new Error(`the ${which} page showed rows but no button for ${options.state} in its state summary`);
  }
  // The same searches from both pages: the first page's (the gateway's, when it rendered it) and the state's. The
  // console also counts the view's stale tasks (issue 10), a size-0 search of its own beside the rows': allowed, not
  // compared (the baseline shows no stale count).
  const bodies = new Set(searches.filter((s) => !isStaleCount(s.body)).map((s) => canonical(s.body)));
  if (rendered) bodies.add(canonical(JSON.stringify((JSON.parse(rendered) as { body: unknown }).body)));
  const unexpected = [...bodies].filter((x) => x !== options.expected.first && x !== options.expected.state);
  if (unexpected.length > 0) throw new Error(`the ${which} page sent an unexpected search: ${unexpected[0]}`);
  if (!bodies.has(options.expected.first))
    throw new Error(`the ${which} page never searched for its first page`);
  if (b.outcome === 'ready' && !bodies.has(options.expected.state)) {
    throw new Error(`the ${which} page showed only ${options.state} rows without searching for them`);
  }
  if (searches.some((s) => s.consoleHeader !== '1')) {
    throw new Error(`a search from the ${which} page lacks X-Console-Request: 1`);
  }
  return {
    painted_ms: round(b.painted!, 1),
    first_row_ms: round(b.firstRow!, 1),
    click_ms: round(b.click!, 1),
    ready_ms: b.outcome === 'ready' ? round(b.ready!, 1) : Infinity,
    filtered_in_dom_ms: b.outcome === 'ready' ? round(b.filteredInDom!, 1) : NaN,
    rows: b.rows,
    page_arrived_ms: round(nav.arrived, 1),
    dom_content_loaded_ms: round(nav.dcl, 1),
    search_start_ms: round(firstSearch?.start ?? NaN, 1),
    search_end_ms: round(firstSearch?.end ?? NaN, 1),
    server_rendered: rendered ? 1 : 0,
  };
}

/**
 * Waits for the page to finish what it does after ready (lazy chunks, late requests), so that they are in the cache
 * for the warm load as they would be after a real visit. A page that never goes quiet is left as it is.
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
}

function pageLoads(samples: LoadSample[]): PageLoads {
  const medians = Object.fromEntries(
    FIGURES.map((f) => [f, round(median(samples.map((s) => s[f]).filter((v) => !Number.isNaN(v))), 1)]),
  ) as Record<Figure, number>;
  return {
    median: medians,
    clicks_lost: samples.filter((s) => s.ready_ms === Infinity).length,
    server_rendered: samples.filter((s) => s.server_rendered === 1).length,
    samples,
  };
}

function ratio(c: number, b: number): Ratio {
  return { console_ms: c, baseline_ms: b, ratio: round(c / b, 2) };
}

/**
 * For each page, `loads` times (after `warmUp` dropped rounds that warm the browser process and the servers): a new
 * context (no cache, no cookies) loads it cold; then, once the page has gone quiet, the same context loads it again
 * warm (a navigation in the same tab: the HTTP cache and V8's caches). The console and the baseline alternate which
 * goes first. Every load is checked: rows shown, and the same search bodies from both pages.
 */
export async function measureLoads(
  browser: Browser,
  urls: { console: string; baseline: string },
  options: LoadOptions & { loads: number; warmUp: number; log: (line: string) => void },
): Promise<LoadsResult> {
  const expected = { first: canonical(options.expected.first), state: canonical(options.expected.state) };
  const opts = { ...options, expected };
  const samples = {
    console: { cold: [] as LoadSample[], warm: [] as LoadSample[] },
    baseline: { cold: [] as LoadSample[], warm: [] as LoadSample[] },
  };
  for (let i = 0; i < options.warmUp + options.loads; i++) {
    const measured = i >= options.warmUp;
    const order = i % 2 === 0 ? (['console', 'baseline'] as const) : (['baseline', 'console'] as const);
    for (const which of order) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      try {
        await context.addInitScript({
          content: loadScript(options.state, options.readyWaitMs, options.timeoutMs),
        });
        const page = await context.newPage();
        const capture: Capture = { searches: [], problems: [] };
        page.on('request', (req) => {
          if (req.method() === 'POST' && req.url().includes('/_plugins/_ml/tasks/_search')) {
            capture.searches.push({
              body: req.postData() ?? '',
              consoleHeader: req.headers()['x-console-request'],
            });
          }
        });
        page.on('requestfailed', (req) =>
          capture.problems.push(`${req.method()} ${req.url()} failed: ${req.failure()?.errorText ?? '?'}`),
        );
        page.on('response', (res) => {
          if (res.status() >= 400)
            capture.problems.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
        });
        page.on('pageerror', (e) => capture.problems.push(`script error: ${e.message}`));
        const cold = await load(page, which, 'cold', urls[which], capture, opts);
        await settle(page);
        const warm = await load(page, which, 'warm', urls[which], capture, opts);
        if (measured) {
          samples[which].cold.push(cold);
          samples[which].warm.push(warm);
        }
      } finally {
        await context.close();
        // The closed context's renderer winds down in the background: let it, so loads do not overlap.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    }
    if (measured) {
      const last = (which: 'console' | 'baseline', w: Warmth): LoadSample => samples[which][w].at(-1)!;
      const show = (w: Warmth, f: 'painted_ms' | 'ready_ms'): string =>
        `${msText(last('console', w)[f])}/${msText(last('baseline', w)[f])}`;
      options.log(
        `  load ${i - options.warmUp + 1}/${options.loads} (console/baseline): cold painted ${show('cold', 'painted_ms')}, ready ${show('cold', 'ready_ms')}; warm painted ${show('warm', 'painted_ms')}, ready ${show('warm', 'ready_ms')}`,
      );
    } else {
      options.log(`  warm-up round ${i + 1}/${options.warmUp} done`);
    }
  }
  const pages = {
    console: { cold: pageLoads(samples.console.cold), warm: pageLoads(samples.console.warm) },
    baseline: { cold: pageLoads(samples.baseline.cold), warm: pageLoads(samples.baseline.warm) },
  };
  const pair = (w: Warmth, f: 'painted_ms' | 'ready_ms'): Ratio =>
    ratio(pages.console[w].median[f], pages.baseline[w].median[f]);
  return {
    loads: options.loads,
    warm_up_loads: options.warmUp,
    state: options.state,
    cold: { painted: pair('cold', 'painted_ms'), ready: pair('cold', 'ready_ms') },
    warm: { painted: pair('warm', 'painted_ms'), ready: pair('warm', 'ready_ms') },
    ...pages,
    search_bodies: expected,
  };
}

function msText(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n)}` : 'lost';
}

// --- Filter to rows -------------------------------------------------------------------------------------------

/**
 * Runs before any page script: on an armed click, times until the first frame after the total has changed with
 * task rows in the table (the start of the next requestAnimationFrame callback, as for painted above), and notes the searches sent meanwhile (resource timing; its buffer is raised above the default 250 entries,
 * which the console's lazy icon chunks would fill), and each time the timeline's chart reports a finished render.
 */
const FILTER_SCRIPT = `(() => {
  const SEL = ${JSON.stringify(ROW)};
  performance.setResourceTimingBufferSize(100000);
  const f = (window.__filter = { armed: false, waiting: false, before: null, clickAt: null, inDomAt: null, doneAt: null, after: null, rows: 0, chartRenders: [] });
  window.addEventListener('click', (e) => {
    if (!f.armed) return;
    f.armed = false;
    f.clickAt = e.timeStamp;
    f.chartRenders = [];
    f.waiting = true;
  }, true);
  // The timeline's chart (@elastic/charts) counts its renders in an attribute once each has been drawn.
  new MutationObserver(() => {
    if (f.clickAt !== null) f.chartRenders.push(performance.now());
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ech-render-count'] });
  const check = () => {
    if (!f.waiting) return;
    const text = document.querySelector('[data-test-subj="tasksTotal"]')?.textContent ?? null;
    if (text === null || text === f.before) return;
    const rows = document.querySelectorAll(SEL).length;
    if (rows === 0) return;
    f.inDomAt = performance.now();
    f.after = text;
    f.rows = rows;
    f.waiting = false;
    requestAnimationFrame(() => { f.doneAt = performance.now(); });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

export interface FilterSample {
  /** Click to the frame that shows the updated rows. */
  ms: number;
  /** Click to the updated rows in the DOM. */
  in_dom_ms: number;
  /** Click to the start of the search request, and to the end of its response (resource timing). */
  search_sent_ms: number;
  search_answered_ms: number;
  searches: number;
  /** With the timeline open: click to the chart's last finished render once the page has gone quiet. */
  chart_ms?: number;
}

export interface FilterResult {
  clicks: number;
  warm_up_clicks: number;
  states: string[];
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** Click to the updated rows in the DOM, a frame before they show. */
  in_dom_p50_ms: number;
  in_dom_p95_ms: number;
  /** Where the time goes: click to request sent, to answer received, and from the answer to the rows. */
  search_sent_p50_ms: number;
  search_answered_p50_ms: number;
  after_answer_p50_ms: number;
  /** Whether the timeline panel was open (its chart on screen) during the clicks. */
  timeline: boolean;
  /** With the timeline open: the searches each click sent (median), and when the chart was drawn again. */
  searches_per_click?: number;
  chart_p50_ms?: number;
  chart_p95_ms?: number;
  /** The chart's redraw after the rows were on screen (chart - rows, per click). */
  chart_after_rows_p50_ms?: number;
  chart_after_rows_p95_ms?: number;
  samples: FilterSample[];
}

interface FilterState {
  clickAt: number | null;
  inDomAt: number | null;
  doneAt: number | null;
  after: string | null;
  rows: number;
  chartRenders: number[];
  searches: Array<{ start: number; end: number }>;
}

function digits(text: string | null): number {
  return Number((text ?? '').replace(/\D/g, ''));
}

/**
 * Clicks state filters in the summary bar in Gray-code order over the most common states: each click toggles
 * one state and every combination is new, so each update is a real search (never a cached page). Each update
 * is checked against the summary's counts: the total must equal the sum of the selected states.
 */
export async function measureFilterToRows(
  browser: Browser,
  url: string,
  options: {
    clicks: number;
    warmUp: number;
    timeoutMs: number;
    log: (line: string) => void;
    /** Open the timeline panel (its cookie, as a user who left it open), and time its chart after each click. */
    timeline?: boolean;
  },
): Promise<FilterResult> {
  const timeline = options.timeline === true;
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addInitScript({ content: FILTER_SCRIPT });
    if (timeline) {
      // The panel keeps its open state in this cookie (src/triage/timeline-panel.tsx), JSON in percent-encoding.
      await context.addCookies([{ name: TIMELINE_OPEN_KEY, value: 'true', url }]);
    }
    const page: Page = await context.newPage();
    // Searches in flight: with the timeline open a click sends several, and the next click waits for all of them.
    let inFlight = 0;
    const isSearch = (u: string) => u.includes('/_plugins/_ml/tasks/_search');
    page.on('request', (req) => {
      if (isSearch(req.url())) inFlight++;
    });
    const done = (req: Request): void => {
      if (isSearch(req.url())) inFlight--;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
    await page.locator(ROW).first().waitFor({ timeout: options.timeoutMs });
    await page.locator('[data-test-subj^="stateSummary-"]').first().waitFor({ timeout: options.timeoutMs });
    if (timeline) {
      await page
        .locator('[data-test-subj="timelineChart"] .echChartStatus[data-ech-render-complete="true"]')
        .waitFor({ state: 'attached', timeout: options.timeoutMs })
        .catch(async () => {
          const text = (await page.locator('[data-test-subj="timelinePanel"]').textContent()) ?? 'no panel';
          throw new Error(`the timeline's chart was never drawn; the panel reads: "${text.slice(0, 300)}"`);
        });
    }
    const counts = await page.$$eval('[data-test-subj^="stateSummary-"]', (els) =>
      els.map((e) => ({
        state: e.getAttribute('data-test-subj')!.slice('stateSummary-'.length),
        count: Number((e.querySelector('strong')?.textContent ?? '').replace(/\D/g, '')),
      })),
    );
    const grandTotal = digits(await page.locator('[data-test-subj="tasksTotal"]').textContent());
    const needed = options.clicks + options.warmUp;
    const usable = counts.filter((c) => c.count > 0);
    let bits = 1;
    while (2 ** bits - 1 < needed) bits++;
    if (usable.length < bits) {
      throw new Error(`${needed} clicks need ${bits} states with tasks; the summary shows ${usable.length}`);
    }
    const states = usable.slice(0, bits);
    const selected = new Set<string>();
    const samples: FilterSample[] = [];
    // The page settles after its first rows (lazy chunks, effects) before the first click.
    await page.waitForTimeout(500);
    for (let i = 1; i <= needed; i++) {
      // Gray code: step i toggles the bit of its lowest set bit; no combination repeats within 2^bits - 1 steps.
      const target = states[Math.log2(i & -i)]!;
      if (selected.has(target.state)) selected.delete(target.state);
      else selected.add(target.state);
      const expected =
        selected.size === 0
          ? grandTotal
          : states.filter((s) => selected.has(s.state)).reduce((sum, s) => sum + s.count, 0);
      await page.evaluate(() => {
        const f = (window as unknown as { __filter: Record<string, unknown> }).__filter;
        f.before = document.querySelector('[data-test-subj="tasksTotal"]')?.textContent ?? null;
        Object.assign(f, {
          armed: true,
          waiting: false,
          clickAt: null,
          inDomAt: null,
          doneAt: null,
          after: null,
        });
      });
      await page.click(`[data-test-subj="stateSummary-${target.state}"]`, { timeout: options.timeoutMs });
      await page.waitForFunction(
        () => (window as unknown as { __filter: FilterState }).__filter.doneAt !== null,
        undefined,
        { timeout: options.timeoutMs, polling: 50 },
      );
      const f = await page.evaluate((): FilterState => {
        const state = (window as unknown as { __filter: FilterState }).__filter;
        const searches = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.name.includes('/_plugins/_ml/tasks/_search') && e.startTime >= state.clickAt!)
          .map((e) => ({ start: e.startTime, end: e.responseEnd }));
        return { ...state, searches };
      });
      if (digits(f.after) !== expected) {
        throw new Error(
          `after toggling ${target.state} (selected: ${[...selected].join(',') || 'none'}) the total reads "${f.after}", expected ${expected}`,
        );
      }
      // The search whose answer was rendered: the last one answered before the rows changed.
      const used = f.searches.filter((x) => x.end <= f.inDomAt!).at(-1);
      let chartMs: number | undefined;
      let searchesSent = f.searches.length;
      if (timeline) {
        // The chart follows the rows (a second search for the bars, its redraw deferred): wait until no search is in
        // flight and the chart has not drawn for CHART_QUIET_MS; its last render after the click is when it shows.
        const quietSince = Date.now();
        for (;;) {
          const renders = await page.evaluate(
            () => (window as unknown as { __filter: FilterState }).__filter.chartRenders,
          );
          const lastRender = renders.at(-1);
          const now = await page.evaluate(() => performance.now());
          if (
            inFlight === 0 &&
            (lastRender === undefined ? Date.now() - quietSince : now - lastRender) > CHART_QUIET_MS
          ) {
            if (lastRender === undefined) {
              throw new Error(`after toggling ${target.state} the timeline's chart was not drawn again`);
            }
            chartMs = lastRender - f.clickAt!;
            break;
          }
          if (Date.now() - quietSince > options.timeoutMs) {
            throw new Error(
              `after toggling ${target.state} the page never went quiet (searches in flight: ${inFlight})`,
            );
          }
          await page.waitForTimeout(50);
        }
        searchesSent = await page.evaluate(
          (clickAt) =>
            (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
              (e) => e.name.includes('/_plugins/_ml/tasks/_search') && e.startTime >= clickAt,
            ).length,
          f.clickAt!,
        );
      }
      if (i > options.warmUp) {
        samples.push({
          ms: round(f.doneAt! - f.clickAt!, 1),
          in_dom_ms: round(f.inDomAt! - f.clickAt!, 1),
          search_sent_ms: round(used ? used.start - f.clickAt! : NaN, 1),
          search_answered_ms: round(used ? used.end - f.clickAt! : NaN, 1),
          searches: searchesSent,
          ...(chartMs !== undefined ? { chart_ms: round(chartMs, 1) } : {}),
        });
      }
      // Let the page go idle (paint, effects) so that every click starts from rest.
      await page.waitForTimeout(150);
    }
    options.log(`  ${samples.length} clicks over ${states.map((s) => s.state).join(', ')}`);
    const times = samples.map((s) => s.ms);
    const answered = samples.filter((s) => Number.isFinite(s.search_answered_ms));
    /** The p-th percentile of some milliseconds, to a tenth. */
    const at = (values: number[], p: number) => round(percentile(values, p), 1);
    const inDom = samples.map((s) => s.in_dom_ms);
    const sent = answered.map((s) => s.search_sent_ms);
    const answeredAt = answered.map((s) => s.search_answered_ms);
    const afterAnswer = answered.map((s) => s.ms - s.search_answered_ms);
    return {
      clicks: samples.length,
      warm_up_clicks: options.warmUp,
      states: states.map((s) => s.state),
      p50_ms: at(times, 50),
      p95_ms: at(times, 95),
      max_ms: round(Math.max(...times), 1),
      in_dom_p50_ms: at(inDom, 50),
      in_dom_p95_ms: at(inDom, 95),
      search_sent_p50_ms: at(sent, 50),
      search_answered_p50_ms: at(answeredAt, 50),
      after_answer_p50_ms: at(afterAnswer, 50),
      timeline,
      ...(timeline
        ? (() => {
            const charts = samples.map((s) => s.chart_ms!);
            const afterRows = samples.map((s) => s.chart_ms! - s.ms);
            return {
              searches_per_click: median(samples.map((s) => s.searches)),
              chart_p50_ms: at(charts, 50),
              chart_p95_ms: at(charts, 95),
              chart_after_rows_p50_ms: at(afterRows, 50),
              chart_after_rows_p95_ms: at(afterRows, 95),
            };
          })()
        : {}),
      samples,
    };
  } finally {
    await context.close();
  }
}
