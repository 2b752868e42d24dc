// The tasks page's first screen, rendered by the gateway: it runs the page's first search itself (with its own
// credentials, as for any proxied call) and sends the HTML with the rows in it, so they show as soon as the page
// arrives instead of after the app's code has loaded and rendered. The browser's app then takes over.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { MlTask, SearchResponse } from '../../shared/ml-types';
import { SYSTEM_COLOR_MODE_KEY, cookieValue } from '../../shared/cookies';
import {
  FIRST_SCREEN_MARKER,
  firstPageScript,
  firstPageSearchBody,
  renderedPageRequest,
  type FirstPageData,
  type RenderedPageRequest,
} from '../../shared/first-page';
import type { FailureGroupsResult } from '../../shared/failure-groups';
import { readFailureGroupsWith, type FailureScope, type FailureSearch } from '../../shared/failure-scope';
import type { ClusterReport } from '../../shared/cluster-capabilities';
import type { MlProxy, UpstreamAnswer } from './proxy';
import { acquireRenderPool, type RenderPool } from './render-pool';
import { acceptsEncoding, addVary } from './static';
import { NODES_FILTER_PATH } from './routes';
import { UPSTREAM_TIMEOUT } from './upstream-errors';

/** `GET /_nodes` as the gateway forwards the browser's (its fixed filter_path). */
const NODES_PATH = `/_nodes?filter_path=${encodeURIComponent(NODES_FILTER_PATH)}`;

/**
 * The most the page waits for the cluster's first page. A slower cluster gets the plain page then (and the next
 * pages at once, for a while), and the app shows the rows (or the cluster's error, explained) when they come.
 */
export const FIRST_PAGE_SEARCH_MS = 250;
/** How long the gateway's check of the cluster (after a page's search failed or was slow) waits for its answer. */
const CLUSTER_CHECK_MS = 1_000;
/** How long pages go out plain after the cluster itself was slow or failing. */
const PAUSE_MS = 30_000;
/** Renders at start-up, with the cluster's real first pages, before the renderer serves a user. */
const WARM_UP_PAGES = ['/', '/', '/nodes', '/failures', '/', '/', '/nodes', '/failures', '/'];
/**
 * The most the failures page waits for its failures (several searches, read one after another): the cluster's side
 * of that page's budget. Slower, the page goes out plain and the browser reads them itself.
 */
export const FAILURES_READ_MS = 1_000;
/** Pages being prepared at once; more get the plain page, so a burst of loads cannot queue up renders. */
const MAX_PENDING = 4;

/**
 * The first page's search for a path with its query string and the request's cookies, in the form the cluster takes
 * (no aggregations where they are never answered); `undefined` for other routes and bad queries.
 */
function requestOf(
  href: string,
  cluster: ClusterReport | undefined,
  cookies = '',
): RenderedPageRequest | undefined {
  const q = href.indexOf('?');
  return renderedPageRequest(
    q === -1 ? href : href.slice(0, q),
    q === -1 ? '' : href.slice(q),
    cluster?.capabilities,
    cookies,
  );
}

/** Why a search's answer says the cluster is failing or too slow (not: refused, or a bad query), else undefined. */
function clusterFailure(answer: UpstreamAnswer): string | undefined {
  if ('error' in answer) return answer.error.type;
  return answer.status >= 500 ? String(answer.status) : undefined;
}

/** The request's first language when Intl knows it (the browser formats numbers in its own), else undefined. */
export function localeOf(acceptLanguage: string | undefined): string | undefined {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  if (!first || first === '*') return undefined;
  try {
    return Intl.NumberFormat.supportedLocalesOf([first])[0];
  } catch {
    return undefined; // not a language tag
  }
}

/**
 * The Sec-CH-Prefers-Color-Scheme client hint (a structured-field string, `"dark"`), when the browser sends it: the
 * system's colour mode on the user's very first visit, before the browser has kept it in a cookie.
 */
export function colorSchemeOf(hint: string | undefined): 'light' | 'dark' | undefined {
  const value = hint?.trim().replace(/^"(.*)"$/, '$1');
  return value === 'light' || value === 'dark' ? value : undefined;
}

/**
 * Whether the browser says the user opened the page: typed, bookmarked, or from the console itself. Another
 * site's page could otherwise have the gateway run any search with its credentials (and time the answers to learn
 * what matches), or keep it busy rendering. Clients that send no Fetch Metadata (curl, scripts) are not browsers.
 */
function openedByItsUser(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  const dest = req.headers['sec-fetch-dest'];
  return (
    (site === undefined || site === 'same-origin' || site === 'none') &&
    (dest === undefined || dest === 'document')
  );
}

export interface FirstPages {
  /** Settles when the renderer (React and EUI on the server) has loaded, or failed to. */
  ready: Promise<void>;
  /** For /console/health: whether pages go out with their first screen yet. */
  status(): 'loading' | 'ready' | 'paused' | 'failed';
  /** Stops the start-up warm-up: the gateway is closing. */
  close(): void;
  /**
   * Answers a GET of a page the gateway renders (the tasks, nodes and failures pages) with its first screen, and says
   * whether it did; `false` when the plain
   * index.html should go: another route, a query that does not parse, the renderer not loaded, a page asked for by
   * another site, a pause. The page's head goes out at once, so the browser fetches the app's code while the
   * gateway searches and renders; a cluster that then fails or is slow gets the rest of the plain page. `note` says
   * why in the request's log line. On those pages' responses it asks for the colour-scheme hint.
   */
  serve(req: IncomingMessage, res: ServerResponse, note: (text: string) => void): Promise<boolean>;
}

/** The client hint that tells the system's colour mode (Chromium sends it when asked to). */
const COLOR_SCHEME_HINT = 'Sec-CH-Prefers-Color-Scheme';

/**
 * Whether this is a first visit from a browser that sends client hints, without the colour-scheme one yet. The
 * gateway asks for it as a critical hint, so Chromium at once asks again with it, and renders nothing for this
 * request, whose answer Chromium drops: the page rendered for the second request has the user's colours, not light
 * ones that turn dark when the app takes over. Once the browser has kept the system's mode in its cookie, a browser
 * that never sends the hint (an old or locked-down Chromium) still gets its first screen.
 */
function lacksColorHint(req: IncomingMessage): boolean {
  return (
    req.headers['sec-ch-ua'] !== undefined &&
    req.headers['sec-ch-prefers-color-scheme'] === undefined &&
    cookieValue(req.headers.cookie ?? '', SYSTEM_COLOR_MODE_KEY) === undefined
  );
}

interface TemplatePieces {
  head: string;
  middle: string;
  tail: string;
}

interface RenderedScreen {
  /** The page's data for the app, and the styles the markup uses. */
  head: string;
  markup: string;
}

/**
 * A page written in parts as they are ready, gzipped when the browser takes it: it carries the cluster's data, so
 * no cache keeps it. A browser that has gone away is not written to.
 */
function startPage(req: IncomingMessage, res: ServerResponse) {
  const gzip = acceptsEncoding(req.headers['accept-encoding'], 'gzip');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    vary: addVary(res.getHeader('vary'), 'Accept-Encoding'),
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  // Level 4 keeps most of the saving at a fraction of the default level's time.
  const zip = gzip ? createGzip({ level: 4 }) : undefined;
  if (zip) {
    zip.pipe(res);
    zip.on('error', () => res.destroy());
  }
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (res.destroyed) return resolve();
      if (zip) zip.write(text, () => resolve());
      else res.write(text, () => resolve());
    });
  return {
    /** Writes `text`; `flush` sends it through gzip at once instead of when the compressor's buffer fills. */
    async send(text: string, { flush = false } = {}): Promise<void> {
      await write(text);
      if (flush && zip && !res.destroyed) await new Promise<void>((resolve) => zip.flush(() => resolve()));
    },
    async end(text: string): Promise<void> {
      await write(text);
      if (zip) zip.end();
      else res.end();
    },
  };
}

/** index.html split around where the first screen goes, or why it cannot be. */
function split(html: string): TemplatePieces | string {
  const head = html.indexOf('<head>');
  const root = html.indexOf('<div id="root"></div>');
  const headEnd = html.indexOf('</head>');
  if (head === -1 || root === -1 || headEnd === -1 || !(head < headEnd && headEnd < root)) {
    return 'index.html has no <head> or no empty #root';
  }
  const afterHead = head + '<head>'.length;
  const afterRoot = root + '<div id="root">'.length;
  return {
    // The marker goes first in the head: early-recorder.ts and first-search.ts, also in the head, look for it (to record, or not to search).
    head: html.slice(0, afterHead) + FIRST_SCREEN_MARKER + html.slice(afterHead, headEnd),
    middle: html.slice(headEnd, afterRoot),
    tail: html.slice(afterRoot),
  };
}

export function createFirstPages(options: {
  distDir: string;
  proxy: MlProxy;
  readOnly: boolean;
  log: (line: string) => void;
  /** The workers that render; by default the process's own pool. */
  renderPool?: RenderPool;
}): FirstPages {
  const held = options.renderPool ? undefined : acquireRenderPool();
  const pool: RenderPool = options.renderPool ?? held!.pool;
  /** Whether the workers have loaded the renderer and warmed up. */
  let rendering = false;
  let pausedUntil = 0;
  let pauseReason = '';
  let failed = false;
  let closed = false;
  let pending = 0;
  /** index.html's pieces (or why it has none), for the build they were read from. */
  let template: { pieces: TemplatePieces | string; mtimeMs: number; size: number } | undefined;

  /** Stops rendering for a while: a cluster that is slow or failing would make every page wait for it. */
  function pause(reason: string): void {
    // Said once, when it starts: each plain page's own log line says it again.
    if (Date.now() >= pausedUntil)
      options.log(`First screens go out plain for ${PAUSE_MS / 1000} s: ${reason}`);
    pausedUntil = Date.now() + PAUSE_MS;
    pauseReason = reason;
  }

  let checking = false;
  /**
   * After a page's search failed or was slow: is it the cluster, or only that search? A client chooses its page's
   * search (a costly query, a page the cluster fails on), so its failure alone must not switch rendering off for
   * everyone. The gateway asks the plain tasks page's search itself, one check at a time, and pauses only when
   * that fails too, or takes over CLUSTER_CHECK_MS: right after a slow search, a cluster may still be working on it
   * (one that answers the plain page in a second is not down, and its pages wait at most their own budget).
   */
  function checkCluster(): void {
    if (checking || closed) return;
    checking = true;
    const body = JSON.stringify(firstPageSearchBody('/', '', options.proxy.cluster.current()?.capabilities));
    void options.proxy
      .searchTasks(body, CLUSTER_CHECK_MS)
      .then((answer) => {
        const failure = clusterFailure(answer);
        if (failure && !closed) pause(`the cluster's own search answered ${failure}`);
      })
      .finally(() => {
        checking = false;
      });
  }

  /**
   * index.html in the pieces the first screen goes between: the head up to its end (sent at once), then what
   * follows up to the inside of #root, then the rest. Split once per build; a rebuild is read again.
   */
  async function pieces(note: (text: string) => void): Promise<TemplatePieces | undefined> {
    const file = join(options.distDir, 'index.html');
    try {
      const info = await stat(file);
      if (template?.mtimeMs !== info.mtimeMs || template.size !== info.size) {
        template = { pieces: split(await readFile(file, 'utf8')), mtimeMs: info.mtimeMs, size: info.size };
      }
    } catch {
      template = undefined;
      note('first screen not rendered: the build has no index.html');
      return undefined;
    }
    if (typeof template.pieces === 'string') {
      note(`first screen not rendered: ${template.pieces}`);
      return undefined;
    }
    return template.pieces;
  }

  /**
   * The JSON of an answer the first screen needs, or why there is none (told to `onClusterFailure` when it is the
   * cluster failing or too slow).
   */
  function answerOf(
    what: string,
    answer: UpstreamAnswer,
    onClusterFailure: (what: string) => void,
  ): { json: unknown } | { why: string } {
    if ('error' in answer || answer.status !== 200 || !answer.complete) {
      // The app asks again and explains whatever the cluster says. A refusal (401, 403) comes back at once; a
      // cluster that is slow, down or failing would hold every page up for as long.
      const failure = clusterFailure(answer);
      if (failure) onClusterFailure(failure);
      return { why: `${what} answered ${'error' in answer ? answer.error.type : String(answer.status)}` };
    }
    try {
      return { json: JSON.parse(answer.text) as unknown };
    } catch {
      return { why: `${what} answered no JSON` };
    }
  }

  /** The answers of a page's first screen, or why it cannot be rendered. */
  async function pageData(
    request: RenderedPageRequest,
    cluster: ClusterReport | undefined,
    onClusterFailure: (what: string) => void,
  ): Promise<FirstPageData | string> {
    // The nodes and failures pages show nodes by name: the list is asked at the same time as the page's searches.
    const read = (path: string) =>
      options.proxy.read('GET', path, { timeoutMs: FIRST_PAGE_SEARCH_MS, forPage: true });
    const nodes = request.page === 'tasks' ? undefined : read(NODES_PATH);
    // The cluster the request was built for goes with it: the app checks that it would have asked the same.
    const common = () => ({
      fetchedAt: Date.now(),
      readOnly: options.readOnly,
      ...(cluster ? { cluster } : {}),
    });
    if (request.page === 'failures') {
      const groups = await readFailures(request.scope, onClusterFailure);
      if (typeof groups === 'string') return groups;
      // Names are a nicety here: without them the groups show node ids, and the app asks for the list itself.
      const listed = answerOf('GET /_nodes', await nodes!, () => {});
      const { scope } = request;
      return {
        page: 'failures',
        ...common(),
        scope,
        result: groups,
        ...('json' in listed ? { nodes: listed.json } : {}),
      };
    }
    const { page, body } = request;
    const stats = page === 'nodes' ? read('/_plugins/_ml/stats') : undefined;
    const searched = answerOf(
      'the search',
      await options.proxy.searchTasks(JSON.stringify(body), FIRST_PAGE_SEARCH_MS),
      onClusterFailure,
    );
    if ('why' in searched) return searched.why;
    if (page === 'tasks') {
      return { page, ...common(), body, response: searched.json as SearchResponse<MlTask> };
    }
    // Only the search speaks for the cluster (the gateway then checks the plain page's): a node list or stats
    // the gateway may not read leave this page plain, and nothing else.
    const listed = answerOf('GET /_nodes', await nodes!, () => {});
    if ('why' in listed) return listed.why;
    // Stats a user may not read (403) are the page's to explain: it asks for them itself.
    const counted = answerOf('GET /_plugins/_ml/stats', await stats!, () => {});
    return {
      page,
      ...common(),
      body,
      response: searched.json as SearchResponse<unknown>,
      nodes: listed.json,
      ...('json' in counted ? { stats: counted.json } : {}),
    };
  }

  /**
   * The failures page's groups: the newest failures read and grouped here as the page would (a page of a thousand
   * at a time), within FAILURES_READ_MS; or why not.
   */
  async function readFailures(
    scope: FailureScope,
    onClusterFailure: (what: string) => void,
  ): Promise<FailureGroupsResult | string> {
    const endsAt = performance.now() + FAILURES_READ_MS;
    const search: FailureSearch = async (body) => {
      // The reading as a whole has the budget: one slower page may take what the others left.
      const left = Math.round(endsAt - performance.now());
      if (left <= 0) throw new Error(`the failures took over ${FAILURES_READ_MS} ms to read`);
      const answer = await options.proxy.searchTasks(JSON.stringify(body), left);
      // A page that outlasts only what was left of the reading's budget says nothing about the cluster (and a check
      // of the cluster would wait behind the search still running there); one that had a page's whole budget does.
      const searched = answerOf('a search of the failures', answer, (what) => {
        if (what !== UPSTREAM_TIMEOUT || left >= FIRST_PAGE_SEARCH_MS) onClusterFailure(what);
      });
      if ('why' in searched) throw new Error(searched.why);
      return searched.json as SearchResponse<MlTask>;
    };
    try {
      return await readFailureGroupsWith(search, scope);
    } catch (err) {
      return (err as Error).message;
    }
  }

  /**
   * The first screen at `href`: its data, markup and styles, or `undefined` (and why, in `note`). A search the
   * cluster failed or was too slow for is told to `onClusterFailure`.
   */
  async function renderScreen(
    href: string,
    request: RenderedPageRequest,
    cluster: ClusterReport | undefined,
    headers: IncomingHttpHeaders,
    note: (text: string) => void,
    onClusterFailure: (what: string) => void,
  ): Promise<RenderedScreen | undefined> {
    const started = performance.now();
    const data = await pageData(request, cluster, onClusterFailure);
    if (typeof data === 'string') {
      note(`first screen not rendered: ${data}`);
      return undefined;
    }
    return drawScreen(href, data, headers, note, `search ${Math.round(performance.now() - started)} ms, `);
  }

  /** Renders a first screen from its answers, on a worker; `undefined` (and why, in `note`) when that fails. */
  async function drawScreen(
    href: string,
    data: FirstPageData,
    headers: IncomingHttpHeaders,
    note: (text: string) => void,
    searched = '',
  ): Promise<RenderedScreen | undefined> {
    const renderStarted = performance.now();
    let page;
    try {
      // On a worker: the event loop goes on forwarding meanwhile.
      page = await pool.render(
        {
          href,
          cookies: headers.cookie ?? '',
          locale: localeOf(headers['accept-language']),
          // Node joins a repeated header into one string.
          colorScheme: colorSchemeOf(headers['sec-ch-prefers-color-scheme'] as string | undefined),
        },
        data,
      );
    } catch (err) {
      // The app renders it in the browser, where its error boundary can show what went wrong. One page's render
      // says nothing about the next one's: no pause.
      note(`first screen not rendered: ${(err as Error).message}`);
      return undefined;
    }
    note(`first screen rendered (${searched}render ${Math.round(performance.now() - renderStarted)} ms)`);
    // The data and the styles close the head; the markup fills #root.
    return { head: firstPageScript(data) + page.styles, markup: page.html };
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    note: (text: string) => void,
  ): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const href = req.url ?? '/';
    const cluster = options.proxy.cluster.current();
    // The timeline panel's cookie decides whether the page's search carries the timeline's aggregation.
    const request = requestOf(href, cluster, req.headers.cookie ?? '');
    if (!request) return false;
    res.setHeader('accept-ch', COLOR_SCHEME_HINT);
    res.setHeader('critical-ch', COLOR_SCHEME_HINT);
    res.setHeader('vary', `Accept-Language, Cookie, ${COLOR_SCHEME_HINT}`);
    if (!rendering || req.method !== 'GET') return false;
    if (!openedByItsUser(req)) {
      note('first screen not rendered: asked for by another site');
      return false;
    }
    if (lacksColorHint(req)) {
      note('first screen not rendered: the browser asks again with its colour scheme');
      return false;
    }
    if (Date.now() < pausedUntil) {
      note(`first screen not rendered: paused, ${pauseReason}`);
      return false;
    }
    if (pending >= MAX_PENDING) {
      note('first screen not rendered: busy');
      return false;
    }
    const page = await pieces(note);
    if (!page) return false;
    pending++;
    try {
      const out = startPage(req, res);
      await out.send(page.head, { flush: true });
      const screen = await renderScreen(href, request, cluster, req.headers, note, checkCluster);
      await out.end(screen ? screen.head + page.middle + screen.markup + page.tail : page.middle + page.tail);
    } finally {
      pending--;
    }
    return true;
  }

  // React and EUI take a moment to load, and the first few renders run before the JIT has compiled them (several
  // times slower): both happen before the renderer serves anyone. Pages go out plain meanwhile.
  const ready = pool.ready.then(
    async () => {
      // Warm up with the searches this cluster takes: the detection started with the gateway. Every worker warms up:
      // each page's answers are rendered once on each.
      const cluster = await options.proxy.cluster.report();
      // The tasks page most, the nodes page (where the cluster aggregates) and the failures page in between.
      const warmUps = WARM_UP_PAGES.map((href) => ({ href, request: requestOf(href, cluster) })).filter(
        (w): w is { href: string; request: RenderedPageRequest } => w.request !== undefined,
      );
      for (const { href, request } of warmUps) {
        if (closed) break;
        let failure: string | undefined;
        const note = (text: string) => (failure = text);
        // The cluster is asked once a page: the warm-up is the renderers'. The gateway's own search of the plain
        // page failing is the cluster's failure; the other pages' (slower on a large index) are checked against the
        // plain page's, as a user's page is.
        const data = await pageData(
          request,
          cluster,
          request.page === 'tasks' ? (what) => pause(`the search answered ${what}`) : checkCluster,
        );
        if (typeof data === 'string') note(`first screen not rendered: ${data}`);
        const screens =
          typeof data === 'string'
            ? [undefined]
            : await Promise.all(Array.from({ length: pool.size }, () => drawScreen(href, data, {}, note)));
        if (screens.some((screen) => !screen)) {
          // Another page alone (its node list refused, its reading too slow) leaves the tasks page's warm-up to go on.
          if (request.page !== 'tasks') continue;
          // A cluster that is down or refuses now may be fine later: render from the first real page on.
          if (!closed) options.log(`Rendering the first screen without a warm-up: ${failure ?? 'no page'}`);
          break;
        }
      }
      rendering = !closed;
    },
    (err: unknown) => {
      failed = true;
      options.log(`The first screen will not be rendered on the server: ${(err as Error).message}`);
    },
  );

  return {
    ready,
    serve,
    status: () =>
      rendering ? (Date.now() < pausedUntil ? 'paused' : 'ready') : failed ? 'failed' : 'loading',
    close: () => {
      closed = true;
      rendering = false;
      held?.release();
    },
  };
}
