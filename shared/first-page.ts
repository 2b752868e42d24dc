// The first screen the gateway renders (the tasks page's; the nodes page's is its count search, in
// node-count-search.ts, with the node list and the ML stats; the failures page's is its failures' groups, read as
// shared/failure-scope.ts reads them), shared by the three places that prepare it before the app renders: the gateway (which renders it into the HTML), first-search.ts (which starts its search early) and
// main.tsx (which seeds the query cache). All three work out the same search body from the URL, so the view finds
// the answer in its cache.
import { ASSUMED_CAPABILITIES, type Capabilities, type ClusterReport } from './cluster-capabilities';
import type { FailureGroupsResult } from './failure-groups';
import { failureScopeOf, type FailureScope } from './failure-scope';
import { nodeAggregationSearchOf } from './node-count-search';
import type { MlTask, SearchResponse, TaskSearchBody } from './ml-types';
import { parseTaskQuery } from './task-query';
import { buildTaskSearchBody, needsTriage, type SearchCapabilities } from './task-search-body';
import { viewFromSearch } from './task-view-state';
import { timelineOpenIn } from './cookies';
import { fixedPageOf } from './routes';

/**
 * The search the tasks page sends first for a URL on a cluster with these capabilities (first-search.ts, which cannot
 * wait to learn them, assumes the newest release's), or `undefined` when the URL is not the tasks page, its query
 * does not parse, or it needs a triage context (`is:stale`, `failure:`): that body depends on node lists, the
 * profile, settings and failure groups that only the page loads, so neither the gateway nor the early search can
 * build the one the view will send, and the browser searches itself. `cookies` (the request's Cookie header, or
 * `document.cookie`) say whether the timeline panel is open, and with it whether the search carries its aggregation.
 */
export function firstPageSearchBody(
  pathname: string,
  search: string,
  capabilities: SearchCapabilities = ASSUMED_CAPABILITIES,
  cookies = '',
): TaskSearchBody | undefined {
  if (fixedPageOf(pathname) !== 'tasks') return undefined;
  const view = viewFromSearch(search);
  const parsed = parseTaskQuery(view.q);
  if (!parsed.ok || needsTriage(parsed.query)) return undefined;
  return buildTaskSearchBody(view, parsed.query, capabilities, undefined, {
    timeline: timelineOpenIn(cookies),
  });
}

/** What a page the gateway renders asks first: one search, or (the failures page) the reading of its failures. */
export type RenderedPageRequest =
  { page: 'tasks' | 'nodes'; body: TaskSearchBody } | { page: 'failures'; scope: FailureScope };

/**
 * The first request of a page the gateway renders, for a URL on a cluster with these capabilities: the tasks page's
 * search (firstPageSearchBody), the nodes page's count of tasks per node where the cluster aggregates, or the failures
 * page's reading of its failures (both depend on the release's states, so only for a known cluster); `undefined` for
 * other pages. The gateway, first-search.ts and main.tsx all ask it, so the page finds the answer under the request
 * it makes itself.
 */
export function renderedPageRequest(
  pathname: string,
  search: string,
  capabilities: Capabilities | undefined,
  cookies = '',
): RenderedPageRequest | undefined {
  const page = fixedPageOf(pathname);
  if (page === 'nodes') {
    const body = capabilities && nodeAggregationSearchOf(search, capabilities);
    return body ? { page, body } : undefined;
  }
  if (page === 'failures') {
    const view = viewFromSearch(search);
    const parsed = parseTaskQuery(view.q);
    const scope = capabilities && parsed.ok ? failureScopeOf(view, parsed.query, capabilities) : undefined;
    return scope ? { page, scope } : undefined;
  }
  const body = firstPageSearchBody(pathname, search, capabilities, cookies);
  return body ? { page: 'tasks', body } : undefined;
}

/** Whether the gateway's first screen answered exactly the request the page makes (compared as JSON). */
export function answersRequest(data: FirstPageData, request: RenderedPageRequest | undefined): boolean {
  if (!request || request.page !== data.page) return false;
  const asked = (r: RenderedPageRequest | FirstPageData) => JSON.stringify('scope' in r ? r.scope : r.body);
  return asked(data) === asked(request);
}

/** What the app knows of the request when the gateway renders its first screen (src/first-screen/prerender.tsx). */
export interface ServerRequest {
  href: string;
  cookies: string;
  /** The request's first Accept-Language, for numbers formatted as the browser will format them. */
  locale: string | undefined;
  /** The system's colour mode, when the browser says it (the Sec-CH-Prefers-Color-Scheme client hint). */
  colorScheme?: 'light' | 'dark' | undefined;
}

interface FirstPageCommon {
  /** When the gateway had the answers (epoch ms): the age the page shows as "updated N s ago". */
  fetchedAt: number;
  /** What GET /console/config answers: the app starts its console settings from it (src/lib/console-config.ts). */
  readOnly: boolean;
  /** Who the gateway searched, and what it can do: the body below was built for it. */
  cluster?: ClusterReport;
}

/** What the gateway hands the browser along with the rendered first screen: the page's answers. */
export type FirstPageData =
  | (FirstPageCommon & {
      page: 'tasks';
      /** The task view's first search, and its answer. */
      body: TaskSearchBody;
      response: SearchResponse<MlTask>;
    })
  | (FirstPageCommon & {
      page: 'nodes';
      /** The count of tasks per node (one search with aggregations), and its answer. */
      body: TaskSearchBody;
      response: SearchResponse<unknown>;
      /** `GET /_nodes` as the gateway forwards it (its fixed filter_path). */
      nodes: unknown;
      /** `GET /_plugins/_ml/stats`, when the cluster answered it (else the page asks, and explains a refusal). */
      stats?: unknown;
    })
  | (FirstPageCommon & {
      page: 'failures';
      /** What the failures were read in, and their groups. */
      scope: FailureScope;
      result: FailureGroupsResult;
      /** `GET /_nodes`, when the cluster answered it: the groups' nodes show by name. */
      nodes?: unknown;
    });

export const FIRST_PAGE_ELEMENT_ID = 'ml-first-page';

const FIRST_SCREEN_META = 'ml-first-screen';

/**
 * What the gateway puts first in a page whose first screen it is rendering: it sends the head at once and the
 * screen when it is ready, so the early scripts, which run before the rest arrives, know to record and not to search.
 */
export const FIRST_SCREEN_MARKER = `<meta name="${FIRST_SCREEN_META}" content="rendered by the gateway">`;

/** Whether the gateway is rendering (or has rendered) the first screen into this page. */
export function gatewayRendersFirstScreen(doc: Document): boolean {
  return doc.querySelector(`meta[name="${FIRST_SCREEN_META}"]`) !== null;
}

/** index.html's element the app renders into, and the gateway puts the first screen's markup in. */
export const ROOT_ELEMENT_ID = 'root';

/**
 * The data as a `<script type="application/json">` element: not run (no CSP exception needed), and with every `<`,
 * `>` and `&` escaped, so no task text can close the element or open another one.
 */
export function firstPageScript(data: FirstPageData): string {
  const json = JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `<script type="application/json" id="${FIRST_PAGE_ELEMENT_ID}">${json}</script>`;
}

/** The data the gateway put into the page, or `undefined` when it rendered none (or it is not readable). */
export function readFirstPage(doc: Document): FirstPageData | undefined {
  const text = doc.getElementById(FIRST_PAGE_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as FirstPageData;
    if (typeof data.fetchedAt !== 'number') return undefined;
    const complete =
      data.page === 'failures'
        ? Boolean(data.scope && Array.isArray(data.result?.groups))
        : (data.page === 'tasks' || (data.page === 'nodes' && data.nodes !== undefined)) &&
          Boolean(data.body && data.response?.hits);
    return complete ? data : undefined;
  } catch {
    return undefined;
  }
}
