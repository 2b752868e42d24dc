// What a person sees in Chromium: navigation to the first task row (console vs the baseline page), and a click on a
// state filter to the updated rows. Every time is taken inside the page; Node only waits and reads.
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium';
import { median, percentile, round } from './stats';

const ROW = 'tr[data-test-subj^="taskRow-"]';
const VIEWPORT = { width: 1440, height: 900 };
const SETTLE_MS = 300;

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    timeout: 60_000,
    // The benchmark stops the browser itself, after its servers, on Ctrl-C: Playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });
}

// --- First rows -------------------------------------------------------------------------------------------------

/** Runs before any page script: notes performance.now() (ms since navigation start) when a task row enters the DOM. */
const FIRST_ROW_SCRIPT = `(() => {
  const SEL = ${JSON.stringify(ROW)};
  performance.setResourceTimingBufferSize(100000);
  const b = (window.__bench = { firstRow: null, frame: null, rows: 0 });
  const mo = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1 || !(n.matches(SEL) || n.querySelector(SEL))) continue;
        b.firstRow = performance.now();
        b.rows = document.querySelectorAll(SEL).length;
        mo.disconnect();
        // The next frame's start: the rows are painted in it, unless something else holds the main thread.
        requestAnimationFrame(() => { b.frame = performance.now(); });
        return;
      }
    }
  });
  mo.observe(document, { childList: true, subtree: true });
})();`;

export interface LoadSample {
  first_row_ms: number;
  /** The start of the frame after the first row: an upper bound of when it was painted. */
  next_frame_ms: number;
  rows: number;
  /** The page's HTML fully arrived. */
  page_arrived_ms: number;
  dom_content_loaded_ms: number;
  /** The browser's first task search; NaN when the gateway ran it and rendered the rows into the page. */
  search_start_ms: number;
  search_end_ms: number;
  searches: number;
  /** 1 when the rows came in the page's HTML (the gateway rendered them), else 0. */
  server_rendered: number;
}

interface PageFigures {
  first_row_ms: number;
  next_frame_ms: number;
  page_arrived_ms: number;
  dom_content_loaded_ms: number;
  search_start_ms: number;
  search_end_ms: number;
  rows: number;
}

export interface FirstRowsResult {
  loads: number;
  warm_up_loads: number;
  console_median_ms: number;
  baseline_median_ms: number;
  ratio: number;
  console_next_frame_median_ms: number;
  baseline_next_frame_median_ms: number;
  /** Medians of each figure, and every measured load in order. */
  console: { median: PageFigures; samples: LoadSample[] };
  baseline: { median: PageFigures; samples: LoadSample[] };
  search_body: string;
}

interface CapturedSearch {
  body: string;
  /** `undefined` for the search the gateway ran for the page: it is not the browser's request. */
  consoleHeader: string | undefined;
  inBrowser: boolean;
}

async function coldLoad(
  browser: Browser,
  url: string,
  timeoutMs: number,
): Promise<{ sample: LoadSample; search: CapturedSearch | undefined }> {
  const context: BrowserContext = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addInitScript({ content: FIRST_ROW_SCRIPT });
    const page = await context.newPage();
    let search: CapturedSearch | undefined;
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/_plugins/_ml/tasks/_search') && !search) {
        search = {
          body: req.postData() ?? '',
          consoleHeader: req.headers()['x-console-request'],
          inBrowser: true,
        };
      }
    });
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    await page.waitForFunction(
      () => (window as unknown as { __bench?: { frame: number | null } }).__bench?.frame != null,
      undefined,
      { timeout: timeoutMs, polling: 100 },
    );
    const { sample, renderedBody } = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { firstRow: number; frame: number; rows: number } }).__bench;
      // The first page the gateway rendered into the HTML carries the body of the search it ran.
      const rendered = document.getElementById('ml-first-page')?.textContent;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const searches = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/_plugins/_ml/tasks/_search')) as PerformanceResourceTiming[];
      const figures: LoadSample = {
        first_row_ms: b.firstRow,
        next_frame_ms: b.frame,
        rows: b.rows,
        page_arrived_ms: nav?.responseEnd ?? NaN,
        dom_content_loaded_ms: nav?.domContentLoadedEventEnd ?? NaN,
        search_start_ms: searches[0]?.startTime ?? NaN,
        search_end_ms: searches[0]?.responseEnd ?? NaN,
        searches: searches.length,
        server_rendered: rendered ? 1 : 0,
      };
      return {
        sample: figures,
        renderedBody: rendered ? JSON.stringify((JSON.parse(rendered) as { body: unknown }).body) : undefined,
      };
    });
    if (!search && renderedBody !== undefined) {
      search = { body: renderedBody, consoleHeader: undefined, inBrowser: false };
    }
    return { sample, search };
  } finally {
    await context.close();
    // The closed context's renderer winds down in the background: let it, so loads do not overlap on two cores.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
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

function rounded(s: LoadSample): LoadSample {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 1)])) as unknown as LoadSample;
}

function medians(samples: LoadSample[]): PageFigures {
  // A figure a load does not have (no browser search on a page rendered by the gateway) is left out.
  const m = (pick: (s: LoadSample) => number): number =>
    round(median(samples.map(pick).filter((v) => !Number.isNaN(v))), 1);
  return {
    first_row_ms: m((s) => s.first_row_ms),
    next_frame_ms: m((s) => s.next_frame_ms),
    page_arrived_ms: m((s) => s.page_arrived_ms),
    dom_content_loaded_ms: m((s) => s.dom_content_loaded_ms),
    search_start_ms: m((s) => s.search_start_ms),
    search_end_ms: m((s) => s.search_end_ms),
    rows: m((s) => s.rows),
  };
}

/**
 * Cold loads (a new context each: no cache, no cookies, no service worker) of the console and the baseline,
 * alternating which goes first. The first `warmUp` pairs warm the browser process and the servers and are dropped.
 * Fails when the two pages do not send the same search body, or a page sends none or renders no rows.
 */
export async function measureFirstRows(
  browser: Browser,
  urls: { console: string; baseline: string },
  options: { loads: number; warmUp: number; timeoutMs: number; log: (line: string) => void },
): Promise<FirstRowsResult> {
  const samples = { console: [] as LoadSample[], baseline: [] as LoadSample[] };
  const bodies: Partial<Record<'console' | 'baseline', string>> = {};
  for (let i = 0; i < options.warmUp + options.loads; i++) {
    const order = i % 2 === 0 ? (['console', 'baseline'] as const) : (['baseline', 'console'] as const);
    for (const which of order) {
      const { sample, search } = await coldLoad(browser, urls[which], options.timeoutMs);
      if (!search) throw new Error(`the ${which} page sent no task search`);
      if (search.inBrowser && search.consoleHeader !== '1')
        throw new Error(`the ${which} page's search lacks X-Console-Request: 1`);
      bodies[which] ??= canonical(search.body);
      if (sample.rows < 1) throw new Error(`the ${which} page rendered no task row`);
      if (i >= options.warmUp) samples[which].push(sample);
    }
    if (i >= options.warmUp) {
      const c = samples.console.at(-1)!.first_row_ms;
      const b = samples.baseline.at(-1)!.first_row_ms;
      options.log(
        `  load ${i - options.warmUp + 1}/${options.loads}: console ${c.toFixed(0)} ms, baseline ${b.toFixed(0)} ms`,
      );
    }
  }
  if (bodies.console !== bodies.baseline) {
    throw new Error(
      `the pages sent different search bodies:\n console  ${bodies.console}\n baseline ${bodies.baseline}`,
    );
  }
  const c = medians(samples.console);
  const b = medians(samples.baseline);
  return {
    loads: options.loads,
    warm_up_loads: options.warmUp,
    console_median_ms: c.first_row_ms,
    baseline_median_ms: b.first_row_ms,
    ratio: round(c.first_row_ms / b.first_row_ms, 2),
    console_next_frame_median_ms: c.next_frame_ms,
    baseline_next_frame_median_ms: b.next_frame_ms,
    console: { median: c, samples: samples.console.map(rounded) },
    baseline: { median: b, samples: samples.baseline.map(rounded) },
    search_body: bodies.console ?? '',
  };
}

// --- Filter to rows -------------------------------------------------------------------------------------------

/**
 * Runs before any page script: on an armed click, times until the total changes with task rows in the table,
 * and notes the searches sent meanwhile (resource timing; its buffer is raised above the default 250 entries,
 * which the console's lazy icon chunks would fill).
 */
const FILTER_SCRIPT = `(() => {
  const SEL = ${JSON.stringify(ROW)};
  performance.setResourceTimingBufferSize(100000);
  const f = (window.__filter = { armed: false, waiting: false, before: null, clickAt: null, doneAt: null, after: null, rows: 0 });
  window.addEventListener('click', (e) => {
    if (!f.armed) return;
    f.armed = false;
    f.clickAt = e.timeStamp;
    f.waiting = true;
  }, true);
  const check = () => {
    if (!f.waiting) return;
    const text = document.querySelector('[data-test-subj="tasksTotal"]')?.textContent ?? null;
    if (text === null || text === f.before) return;
    const rows = document.querySelectorAll(SEL).length;
    if (rows === 0) return;
    f.doneAt = performance.now();
    f.after = text;
    f.rows = rows;
    f.waiting = false;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

export interface FilterSample {
  /** Click to updated rows. */
  ms: number;
  /** Click to the start of the search request, and to the end of its response (resource timing). */
  search_sent_ms: number;
  search_answered_ms: number;
  searches: number;
}

export interface FilterResult {
  clicks: number;
  warm_up_clicks: number;
  states: string[];
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** Where the time goes: click to request sent, to answer received, and from the answer to the rows. */
  search_sent_p50_ms: number;
  search_answered_p50_ms: number;
  after_answer_p50_ms: number;
  samples: FilterSample[];
}

interface FilterState {
  clickAt: number | null;
  doneAt: number | null;
  after: string | null;
  rows: number;
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
  options: { clicks: number; warmUp: number; timeoutMs: number; log: (line: string) => void },
): Promise<FilterResult> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addInitScript({ content: FILTER_SCRIPT });
    const page: Page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
    await page.locator(ROW).first().waitFor({ timeout: options.timeoutMs });
    await page.locator('[data-test-subj^="stateSummary-"]').first().waitFor({ timeout: options.timeoutMs });
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
        Object.assign(f, { armed: true, waiting: false, clickAt: null, doneAt: null, after: null });
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
      const used = f.searches.filter((x) => x.end <= f.doneAt!).at(-1);
      if (i > options.warmUp) {
        samples.push({
          ms: round(f.doneAt! - f.clickAt!, 1),
          search_sent_ms: round(used ? used.start - f.clickAt! : NaN, 1),
          search_answered_ms: round(used ? used.end - f.clickAt! : NaN, 1),
          searches: f.searches.length,
        });
      }
      // Let the page go idle (paint, effects) so that every click starts from rest.
      await page.waitForTimeout(150);
    }
    options.log(`  ${samples.length} clicks over ${states.map((s) => s.state).join(', ')}`);
    const times = samples.map((s) => s.ms);
    const answered = samples.filter((s) => Number.isFinite(s.search_answered_ms));
    return {
      clicks: samples.length,
      warm_up_clicks: options.warmUp,
      states: states.map((s) => s.state),
      p50_ms: round(percentile(times, 50), 1),
      p95_ms: round(percentile(times, 95), 1),
      max_ms: round(Math.max(...times), 1),
      search_sent_p50_ms: round(
        percentile(
          answered.map((s) => s.search_sent_ms),
          50,
        ),
        1,
      ),
      search_answered_p50_ms: round(
        percentile(
          answered.map((s) => s.search_answered_ms),
          50,
        ),
        1,
      ),
      after_answer_p50_ms: round(
        percentile(
          answered.map((s) => s.ms - s.search_answered_ms),
          50,
        ),
        1,
      ),
      samples,
    };
  } finally {
    await context.close();
  }
}
