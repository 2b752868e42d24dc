// The one allow-list of ML Commons calls the console may make, shared by the gateway and the Vite dev server.
//
// A request is forwarded only when its raw URL is already in canonical form and matches a route exactly:
// nothing is decoded or normalised, so whatever the gateway checked is byte for byte what the cluster parses.
//
// Decisions (documented in the README):
// - An id is 1–512 characters of [A-Za-z0-9_.-]. OpenSearch's generated ids are 20 characters of base64url
//   ([A-Za-z0-9_-], and may start with `_` or `-`); `.` is allowed for hand-made ids. An id made only of dots
//   (`.`, `..`) is a path segment, not an id; an id that looks like an endpoint name (`_` followed only by
//   lower-case letters and underscores: `_search`, `_cancel`, `_deploy`) is refused, so `_search` is only
//   ever the search endpoint. Any `%` in the path is refused (encoded slashes, dots, double encoding).
// - URL parameters: only `pretty` (empty, `true` or `false`). OpenSearch would refuse anything but its
//   common set, and the rest of that set is no use to the console: `error_trace` returns stack traces,
//   `source` moves a search body into the URL, `format`/`filter_path`/`human` change the response shape.
// - Beyond ML Commons, two read-only cluster calls: `GET /_nodes` and `GET /_cluster/settings`, each exactly that
//   path, sent with the gateway's own fixed query (see NODES_FILTER_PATH, SETTINGS_FILTER_PATH): the browser can
//   neither widen what they return nor reach any other `_nodes/...` or `_cluster/...` API.

export interface MlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  action: string;
  destructive: boolean;
  /**
   * The gateway's own query string for this call (without `?`), sent whatever the browser asked: the browser calls
   * the bare path, and the cluster answers only what the console needs.
   */
  fixedQuery?: string;
}

/** Longest URL the gateway reads at all; a real one is at most ~560 characters (a 512-character id). */
export const MAX_URL_LENGTH = 2048;
/** OpenSearch's limit on `_id`: 512 bytes (all allowed characters are one byte). */
export const MAX_ID_LENGTH = 512;
export const ALLOWED_PARAMS: readonly string[] = ['pretty'];

// Negative look-aheads keep endpoint-like names and dot segments out of the id position.
const ID = `(?!_[a-z_]*(?:/|$))(?!\\.+(?:/|$))([A-Za-z0-9_.-]{1,${MAX_ID_LENGTH}})`;
const ML = '/_plugins/_ml';

function route(method: MlRoute['method'], path: string, action: string, destructive = false): MlRoute {
  return { method, pattern: new RegExp(`^${ML}${path}$`), action, destructive };
}

/**
 * `_nodes`: node ids to names, roles and addresses, nothing of the nodes' settings, paths or plugins. Node ids are
 * the keys of `nodes`, which the `*` keeps.
 */
export const NODES_FILTER_PATH =
  '_nodes,cluster_name,nodes.*.name,nodes.*.host,nodes.*.ip,nodes.*.roles,nodes.*.version';

/**
 * `_cluster/settings` (flat): only the ML task timeout, the sync-up interval that applies it and the batch limits, in whichever of persistent, transient
 * and defaults holds them. The keys of flat settings carry dots: `\.` keeps a dot inside one segment (OpenSearch's
 * FilterPath.parse), and the leading `*` matches the three scopes.
 */
export const SETTINGS_FILTER_PATH = [
  'ml_task_timeout_in_seconds',
  'max_batch_inference_tasks',
  'max_batch_ingestion_tasks',
  // What applies the timeout: 0 switches it off, and the stale rules must then not expect it to have fired.
  'sync_up_job_interval_in_seconds',
]
  .map((name) => `*.plugins\\.ml_commons\\.${name}`)
  .join(',');

function clusterRoute(path: string, action: string, fixedQuery: string): MlRoute {
  return { method: 'GET', pattern: new RegExp(`^${path}$`), action, destructive: false, fixedQuery };
}

export const ML_ROUTES: readonly MlRoute[] = Object.freeze([
  route('GET', '/tasks/_search', 'tasks/search'),
  route('POST', '/tasks/_search', 'tasks/search'),
  route('GET', `/tasks/${ID}`, 'tasks/get'),
  route('DELETE', `/tasks/${ID}`, 'tasks/delete', true),
  route('POST', `/tasks/${ID}/_cancel`, 'tasks/cancel', true),
  route('GET', '/models/_search', 'models/search'),
  route('POST', '/models/_search', 'models/search'),
  route('GET', `/models/${ID}`, 'models/get'),
  // Read-only questions for the triage views: what each node holds in memory, and its counters.
  route('GET', '/profile/tasks', 'profile/nodes'),
  route('GET', '/stats', 'stats/nodes'),
  clusterRoute('/_nodes', 'nodes/info', `filter_path=${encodeURIComponent(NODES_FILTER_PATH)}`),
  clusterRoute(
    '/_cluster/settings',
    'cluster/settings',
    `include_defaults=true&flat_settings=true&filter_path=${encodeURIComponent(SETTINGS_FILTER_PATH)}`,
  ),
]);

export type RouteDecision =
  | { ok: true; route: MlRoute; upstreamPath: string }
  | {
      ok: false;
      status: 400 | 403 | 404 | 405 | 414;
      body: { error: string; status: number };
      allow?: string[];
    };

/** The first path segments of the two cluster calls the proxy forwards (besides everything under `/_plugins`). */
const CLUSTER_SEGMENTS = new Set(['_nodes', '_cluster']);

/** True for the requests the ML proxy answers (everything else is the static server's or Vite's). */
export function isMlRequest(rawUrl: string): boolean {
  // Case-insensitive so that `/_PLUGINS/_ml/...` is refused by the proxy rather than served as a page.
  if (rawUrl.slice(0, 9).toLowerCase() === '/_plugins') return true;
  const segment = /^\/([^/?#]*)/.exec(rawUrl)?.[1]?.toLowerCase();
  return segment !== undefined && CLUSTER_SEGMENTS.has(segment);
}

/** A path or method made printable and short enough to quote in a message or a log line. */
export function printable(text: string, max = 200): string {
  const safe = text.replace(/[^\x21-\x7e]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

function refuse(
  status: 400 | 403 | 404 | 405 | 414,
  error: string,
  allow?: string[],
): Extract<RouteDecision, { ok: false }> {
  return { ok: false, status, body: { error, status }, ...(allow ? { allow } : {}) };
}

function notForwarded(method: string, path: string, why: string): Extract<RouteDecision, { ok: false }> {
  return refuse(
    404,
    `The console's gateway does not forward [${printable(method, 20)} ${printable(path)}]: ${why}`,
  );
}

function checkQuery(path: string, query: string): string | Extract<RouteDecision, { ok: false }> {
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    if (!ALLOWED_PARAMS.includes(key)) {
      return refuse(
        400,
        `request [${path}] contains unrecognized parameter: [${printable(key, 50)}]; the console's gateway forwards only [${ALLOWED_PARAMS.join(', ')}]`,
      );
    }
    if (seen.has(key) || !['', 'true', 'false'].includes(value)) {
      return refuse(
        400,
        `request [${path}] has an invalid [${key}] parameter: give it once, as true or false`,
      );
    }
    seen.add(key);
    kept.push(eq === -1 ? key : `${key}=${value}`);
  }
  return kept.length ? `?${kept.join('&')}` : '';
}

/**
 * Decides whether one request may go to the cluster, from its method and raw request target (`req.url`,
 * not decoded). Refusals carry the JSON body to answer with, in OpenSearch's simple error form.
 */
export function checkRoute(method: string, rawUrl: string, options: { readOnly: boolean }): RouteDecision {
  if (rawUrl.length > MAX_URL_LENGTH) {
    return refuse(414, `The request URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) {
    return refuse(400, `The request target must be a path, not [${printable(rawUrl)}]`);
  }
  // Spaces, control characters (NUL included), non-ASCII and fragments never belong in a request target.
  if (/[^\x21-\x7e]|#/.test(rawUrl)) {
    return refuse(400, `The request URL contains a character it may not carry: [${printable(rawUrl)}]`);
  }
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);

  if (path.includes('%')) return notForwarded(method, path, 'percent-encoded characters are refused');
  if (path.includes('\\')) return notForwarded(method, path, 'backslashes are refused');
  if (/\/\.{1,2}(?:\/|$)/.test(path)) return notForwarded(method, path, 'dot segments are refused');
  if (path.includes('//')) return notForwarded(method, path, 'empty path segments are refused');

  const matching = ML_ROUTES.filter((r) => r.pattern.test(path));
  if (matching.length === 0) return notForwarded(method, path, 'not one of the calls the console makes');
  const route = matching.find((r) => r.method === method);
  if (!route) {
    const allow = [...new Set(matching.map((r) => r.method))];
    return refuse(
      405,
      `Incorrect HTTP method for uri [${path}] and method [${printable(method, 20)}], allowed: [${allow.join(', ')}]`,
      allow,
    );
  }
  if (options.readOnly && route.destructive) {
    return refuse(
      403,
      `The console is read-only (CONSOLE_READ_ONLY=true): [${method} ${path}] is refused by its gateway`,
    );
  }
  const kept = checkQuery(path, query);
  if (typeof kept !== 'string') return kept;
  if (route.fixedQuery !== undefined) {
    // The gateway's own parameters, then the browser's `pretty` if it gave one.
    return { ok: true, route, upstreamPath: `${path}?${route.fixedQuery}${kept.replace('?', '&')}` };
  }
  return { ok: true, route, upstreamPath: path + kept };
}
