// The triage pages in Chromium through the gateway: the failures page from navigation to its groups on screen (and
// the main thread's longest tasks while it reads and groups the failures), the nodes page to its counted rows.
// Every time is taken inside the page, in ms since navigation start; Node only navigates, waits and reads.
import type { Browser, Page, Request } from '@playwright/test';
import { median, round } from './stats';

const VIEWPORT = { width: 1440, height: 900 };
const SETTLE_MS = 300;

export type TriagePage = 'failures' | 'nodes';

/** When each page shows what it is for: the groups of the newest failures; every node's task count. */
const READY: Record<TriagePage, string> = {
  // The summary says "N causes among …" only once the read is done (before: "Reading the newest failures…").
  failures: `(() => {
    if (!document.querySelector('tr[data-test-subj^="failureGroup-"]')) return false;
    return /cause/.test(document.querySelector('[data-test-subj="failureGroupsSummary"]')?.textContent ?? '');
  })()`,
  // Rows come from GET /_nodes first; the counts (one aggregation) fill their cells after: ready when all have one.
  nodes: `(() => {
    const cells = document.querySelectorAll('td[data-test-subj="nodeCount-tasks"]');
    if (cells.length === 0) return false;
    for (const cell of cells) if (!/\\d/.test(cell.textContent ?? '')) return false;
    return true;
  })()`,
};
const FIRST_ROW: Record<TriagePage, string> = {
  failures: 'tr[data-test-subj^="failureGroup-"]',
  nodes: 'tr[data-test-subj^="nodeRow-"]',
};

/**
 * Runs before any page script. Records the main thread's long tasks (over 50 ms) and long animation frames with the
 * scripts that ran in them (their source file tells the app's chunks apart), and the first frame after the page is
 * ready (the start of the next requestAnimationFrame callback, as the loads' "painted").
 */
function pageScript(which: TriagePage, waitMs: number): string {
  return `(() => {
  if (window !== window.top) return;
  performance.setResourceTimingBufferSize(100000);
  let finish;
  const t = (window.__triage = { firstRow: null, inDom: null, ready: null, outcome: null, longTasks: [], frames: [],
    done: new Promise((resolve) => { finish = resolve; }) });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) t.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = (e.scripts || []).map((s) => ({ duration: s.duration, invoker: s.invoker,
          source: String(s.sourceURL || '').split('/').pop(), fn: s.sourceFunctionName }));
        scripts.sort((a, b) => b.duration - a.duration);
        t.frames.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration, scripts: scripts.slice(0, 3) });
      }
    }).observe({ type: 'long-animation-frame' });
  } catch {}
  let phase = 'waiting';
  const step = () => {
    if (phase !== 'waiting') return;
    if (t.firstRow === null && document.querySelector(${JSON.stringify(FIRST_ROW[which])})) t.firstRow = performance.now();
    if (!${READY[which]}) return;
    phase = 'showing';
    t.inDom = performance.now();
    requestAnimationFrame(() => {
      t.ready = performance.now();
      t.outcome = 'ready';
      observer.disconnect();
      finish();
    });
  };
  const observer = new MutationObserver(step);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  setTimeout(() => { if (phase === 'waiting') { t.outcome = 'timeout'; observer.disconnect(); finish(); } }, ${waitMs});
})();`;
}

interface LongTask {
  start: number;
  duration: number;
}

interface Frame extends LongTask {
  blocking: number;
  scripts: Array<{ duration: number; invoker: string; source: string; fn: string }>;
}

interface TriageState {
  firstRow: number | null;
  inDom: number | null;
  ready: number | null;
  outcome: 'ready' | 'timeout' | null;
  longTasks: LongTask[];
  frames: Frame[];
}

export interface TriageLoadSample {
  ready_ms: number;
  first_row_ms: number;
  page_arrived_ms: number;
  /** The page's task searches: how many, the first sent and the last answered. */
  searches: number;
  searches_start_ms: number;
  searches_end_ms: number;
  /** The longest main-thread task of the whole load. */
  longest_task_ms: number;
  /**
   * The longest task overlapping the work on the answers: from the first search's answer (or, when that came before,
   * from when the app owns the page) to ready in the DOM.
   */
  longest_task_after_first_answer_ms: number;
  /** The long animation frame that held that task: its scripts, longest first (source file, invoker). */
  longest_frame_scripts: string;
}

export interface TriagePageResult {
  page: TriagePage;
  loads: number;
  cold: {
    median: Record<keyof Omit<TriageLoadSample, 'longest_frame_scripts'>, number>;
    samples: TriageLoadSample[];
  };
  warm: {
    median: Record<keyof Omit<TriageLoadSample, 'longest_frame_scripts'>, number>;
    samples: TriageLoadSample[];
  };
  /** The longest task after the first answer, over every load (cold and warm): the worst a user sees. */
  worst_task_after_first_answer_ms: number;
  worst_task_scripts: string;
}

async function loadOnce(
  page: Page,
  url: string,
  which: TriagePage,
  timeoutMs: number,
): Promise<TriageLoadSample> {
  // The searches as the browser's network saw them: the page's own and its workers' (the failures are read in one),
  // which the page's resource timing does not list. Wall-clock times, made page-relative below.
  const seen: Array<{ start: number; end: number }> = [];
  const onFinished = (request: Request): void => {
    if (!request.url().includes('/_plugins/_ml/tasks/_search')) return;
    const t = request.timing();
    if (t.responseEnd >= 0) seen.push({ start: t.startTime, end: t.startTime + t.responseEnd });
  };
  page.on('requestfinished', onFinished);
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await page.evaluate(() => (window as unknown as { __triage: { done: Promise<void> } }).__triage.done);
  const raw = await page.evaluate(() => {
    const s = (window as unknown as { __triage: TriageState }).__triage;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      s: { ...s, done: undefined },
      arrived: nav?.responseEnd ?? NaN,
      ownsPage: performance.getEntriesByName('ml:app-owns-page')[0]?.startTime ?? NaN,
      origin: performance.timeOrigin,
      text: document.body.innerText.slice(0, 300),
    };
  });
  page.off('requestfinished', onFinished);
  // Only this load's searches that finished before ready (a warm load follows in the same tab).
  const searches = seen
    .map((x) => ({ start: x.start - raw.origin, end: x.end - raw.origin }))
    .filter((x) => x.start >= 0 && x.end <= (raw.s.inDom ?? Infinity) + 1);
  const r = { ...raw, searches };
  if (r.s.outcome !== 'ready') {
    throw new Error(
      `the ${which} page was not ready within ${timeoutMs} ms; it reads: "${r.text.replace(/\s+/g, ' ')}"`,
    );
  }
  const inDom = r.s.inDom!;
  // The page works on its answers from the first one, or from when the app owns the page if the answer came first
  // (the page's first requests leave before the app has loaded, see first-search.ts): the app's own start-up is
  // the loads' figures, not this one.
  const firstAnswer = r.searches.length > 0 ? Math.min(...r.searches.map((x) => x.end)) : NaN;
  const workFrom = Math.max(firstAnswer, Number.isFinite(r.ownsPage) ? r.ownsPage : -Infinity);
  const after = r.s.longTasks.filter(
    (l) => Number.isFinite(workFrom) && l.start + l.duration > workFrom && l.start < inDom,
  );
  const worst = after.reduce<LongTask | undefined>(
    (a, b) => (a && a.duration >= b.duration ? a : b),
    undefined,
  );
  // The long animation frame around that task names the scripts that ran in it.
  const frame = worst
    ? r.s.frames.find(
        (f) => f.start <= worst.start + 1 && f.start + f.duration >= worst.start + worst.duration - 1,
      )
    : undefined;
  return {
    ready_ms: round(r.s.ready!, 1),
    first_row_ms: round(r.s.firstRow ?? NaN, 1),
    page_arrived_ms: round(r.arrived, 1),
    searches: r.searches.length,
    searches_start_ms: round(r.searches.length > 0 ? Math.min(...r.searches.map((x) => x.start)) : NaN, 1),
    searches_end_ms: round(r.searches.length > 0 ? Math.max(...r.searches.map((x) => x.end)) : NaN, 1),
    longest_task_ms: round(Math.max(0, ...r.s.longTasks.map((l) => l.duration)), 1),
    longest_task_after_first_answer_ms: round(worst?.duration ?? 0, 1),
    longest_frame_scripts: frame
      ? frame.scripts.length > 0
        ? frame.scripts
            .map(
              (x) =>
                `${Math.round(x.duration)} ms ${x.invoker || '?'} in ${x.source || '?'}${x.fn ? ` (${x.fn})` : ''}`,
            )
            .join('; ')
        : `a frame of ${Math.round(frame.duration)} ms, no script named in it`
      : '',
  };
}

function summary(samples: TriageLoadSample[]): TriagePageResult['cold'] {
  const keys = [
    'ready_ms',
    'first_row_ms',
    'page_arrived_ms',
    'searches',
    'searches_start_ms',
    'searches_end_ms',
    'longest_task_ms',
    'longest_task_after_first_answer_ms',
  ] as const;
  const medianOf = Object.fromEntries(
    keys.map((k) => [k, round(median(samples.map((s) => s[k]).filter((v) => !Number.isNaN(v))), 1)]),
  ) as TriagePageResult['cold']['median'];
  return { median: medianOf, samples };
}

/**
 * Loads `url` (a triage page) `loads` times after `warmUp` dropped loads: each in a new context (cold: no cache, no
 * cookies), then once more in the same tab once it has gone quiet (warm: HTTP and V8 caches).
 */
export async function measureTriagePage(
  browser: Browser,
  url: string,
  which: TriagePage,
  options: { loads: number; warmUp: number; timeoutMs: number; log: (line: string) => void },
): Promise<TriagePageResult> {
  const cold: TriageLoadSample[] = [];
  const warm: TriageLoadSample[] = [];
  for (let i = 0; i < options.warmUp + options.loads; i++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      await context.addInitScript({ content: pageScript(which, options.timeoutMs) });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const c = await loadOnce(page, url, which, options.timeoutMs);
      await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
      const w = await loadOnce(page, url, which, options.timeoutMs);
      if (errors.length > 0) throw new Error(`script error on the ${which} page: ${errors[0]}`);
      if (i >= options.warmUp) {
        cold.push(c);
        warm.push(w);
        options.log(
          `  ${which} ${i - options.warmUp + 1}/${options.loads}: cold ready ${Math.round(c.ready_ms)} ms (longest task after the first answer ${Math.round(c.longest_task_after_first_answer_ms)} ms), warm ${Math.round(w.ready_ms)} ms`,
        );
      }
    } finally {
      await context.close();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
  }
  const all = [...cold, ...warm];
  const worst = all.reduce((a, b) =>
    a.longest_task_after_first_answer_ms >= b.longest_task_after_first_answer_ms ? a : b,
  );
  return {
    page: which,
    loads: options.loads,
    cold: summary(cold),
    warm: summary(warm),
    worst_task_after_first_answer_ms: worst.longest_task_after_first_answer_ms,
    worst_task_scripts: worst.longest_frame_scripts,
  };
}
