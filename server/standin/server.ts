// The stand-in's HTTP server: ML Commons task and model endpoints over two in-memory indices, answered as one ML
// Commons release answers them (see versions.ts), plus what a cluster says about itself (see cluster-info.ts).

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODEL_INDEX, TASK_FIELDS, TASK_INDEX } from '../../shared/ml-types';
import type { MlTask } from '../../shared/ml-types';
import type { Release } from '../../shared/ml-releases';
import { IndexStore } from './index-store';
import type { Source, StoredDoc } from './index-store';
import { MODEL_MAPPING, TASK_MAPPING } from './mapping';
import { OpenSearchError, PlainHttpError, notSupportedByStandin } from './errors';
import { emptySearchResponse, search } from './search';
import type { RestRequest } from './rest';
import {
  checkContentType,
  checkParams,
  parseJson,
  readRequest,
  rejectBody,
  requireBody,
  sendError,
  sendJson,
} from './rest';
import { indexNotFound, profileOf, wrapSearchFailure } from './versions';
import type { StandinProfile } from './versions';
import { NODE_METRICS, clusterInfo, nodesBody, pluginRows, rootBody, selectNodes } from './cluster-info';
import type { ClusterInfo } from './cluster-info';
import { catTable } from './cat';

export interface StandinUser {
  username: string;
  password: string;
  /** `ml_full_access` may do everything; `ml_read_access` may get and search but not delete or cancel. */
  role: 'ml_full_access' | 'ml_read_access';
}

export interface StandinOptions {
  tasks?: Array<StoredDoc<Source>>;
  models?: Array<StoredDoc<Source>>;
  /** With users, every request needs HTTP basic credentials, as with the security plugin. */
  users?: StandinUser[];
  now?: () => number;
  /**
   * The ML Commons release to answer as (`2.11.0`, default the newest): its statuses, error bodies and routes. A
   * malformed version or one older than 2.4 throws.
   */
  version?: string | Release;
  /** The cluster's name in `GET /` and `_nodes`. */
  clusterName?: string;
  /** Refuse `_cat/plugins` and `_nodes/plugins` with a 403, as a managed service that hides its plugins may. */
  hidePlugins?: boolean;
}

export interface Standin {
  tasks: IndexStore;
  models: IndexStore;
  server: Server;
  /** How this stand-in answers: the release's behaviour, computed once. */
  profile: StandinProfile;
  /** Requests held open and never answered (a 2.19.2 task search with aggregations), until the client gives up. */
  readonly held: ReadonlySet<ServerResponse>;
  /** Requests answered so far (method, path and status), for tests that assert what reached the cluster. */
  requestLog: Array<{ method: string; uri: string; status: number; authorization?: string }>;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** JSON, plain text (the `_cat` APIs), or no answer at all. */
type Answer = { status: number; body: unknown } | { status: number; text: string } | typeof HOLD;

/** A request the cluster never answers: the connection stays open until the client or `close()` ends it. */
const HOLD = Symbol('hold');

type Handler = (req: RestRequest, args: string[], ctx: HandlerContext) => Answer;

interface HandlerContext {
  tasks: IndexStore;
  models: IndexStore;
  now: number;
  user?: StandinUser;
  profile: StandinProfile;
  cluster: ClusterInfo;
  hidePlugins: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Literal routes win over parameterised ones, as in OpenSearch's path trie. */
  literal: boolean;
  action?: string;
  handler: Handler;
}

const ID = '([^/]+)';

function route(method: string, path: string, handler: Handler, action?: string): Route {
  const literal = !path.includes('{');
  const pattern = new RegExp(`^${path.replace(/\{[a-z_]+\}/g, ID)}/?$`);
  return { method, pattern, literal, action, handler };
}

/**
 * A bare task as `GET /_plugins/_ml/tasks/{id}` returns it: `worker_node` always an array (on 2.4, `asStored`, the
 * one string it held), `is_async` always there.
 */
export function taskView(source: MlTask, asStored = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TASK_FIELDS) {
    let v = source[key];
    // Documents from 2.4 hold one string, comma-joined for several nodes; ML Commons splits it on read since 2.5.
    if (key === 'worker_node' && typeof v === 'string' && !asStored) v = v.split(',');
    if (key === 'is_async' && v === undefined) v = false;
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new OpenSearchError(400, 'illegal_argument_exception', `unable to decode path segment [${raw}]`);
  }
}

function runSearch(
  store: IndexStore,
  req: RestRequest,
  now: number,
  noIndex: StandinProfile['searchNoIndex'],
  extraFilter?: Record<string, unknown>,
): Record<string, unknown> {
  checkParams(req);
  const raw = requireBody(req);
  const body = parseJson(raw);
  if (!store.exists) {
    // Validate the body anyway, so a malformed request fails the same before and after the first task. Only
    // failures of parsing the request can happen, though: shard failures (a sort on a text field, the result
    // window, a bad date) need a shard, and the index not being there comes first.
    try {
      search(new IndexStore(store.name, store.mapping, 1), body, { now, raw });
    } catch (e) {
      if (!(e instanceof OpenSearchError && e.type === 'search_phase_execution_exception')) throw e;
    }
    if (noIndex === 'index_not_found') throw indexNotFound(store.name);
    return emptySearchResponse();
  }
  if (extraFilter && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    // ML Commons wraps the caller's query to hide what the caller may not see.
    const b = body as Record<string, unknown>;
    const query = b.query === undefined ? { match_all: {} } : b.query;
    return search(
      store,
      { ...b, query: { bool: { must: [query], must_not: [extraFilter] } } },
      {
        now,
        raw,
      },
    ) as Record<string, unknown>;
  }
  return search(store, body, { now, raw }) as Record<string, unknown>;
}

/** An answer that carries at least one aggregation: what the 2.19.2 SDK cannot parse back. */
function hasAggregations(response: Record<string, unknown>): boolean {
  const aggs = response.aggregations;
  return typeof aggs === 'object' && aggs !== null && Object.keys(aggs).length > 0;
}

function searchTasks(req: RestRequest, c: HandlerContext): Answer {
  const p = c.profile;
  let response;
  try {
    response = runSearch(c.tasks, req, c.now, p.searchNoIndex);
  } catch (e) {
    throw p.searchTasksFailure ? wrapSearchFailure(e, p.searchTasksFailure) : e;
  }
  if (p.searchTasksHangsOnAggregations && hasAggregations(response)) return HOLD;
  return { status: 200, body: response };
}

function searchModels(req: RestRequest, c: HandlerContext): Answer {
  const p = c.profile;
  let response;
  try {
    // ML Commons wraps the caller's query to leave out what the caller may not read.
    const hide = p.searchModelsHidesUnreadable ? { term: { is_hidden: true } } : undefined;
    response = runSearch(c.models, req, c.now, p.searchNoIndex, hide);
  } catch (e) {
    throw wrapSearchFailure(e, p.searchModelsFailure);
  }
  if (p.searchModelsFailsOnAggregations && hasAggregations(response)) {
    throw new OpenSearchError(500, 'status_exception', p.searchModelsFailure);
  }
  return { status: 200, body: response };
}

/** The delete-document body; `not_found` for a delete of a document that is not there (2.4 – 2.5). */
function deleteBody(
  c: HandlerContext,
  id: string,
  result: 'deleted' | 'not_found',
  version: number,
  seqNo: number,
): Record<string, unknown> {
  return {
    _index: TASK_INDEX,
    _id: id,
    _version: version,
    result,
    ...(c.profile.deleteForcesRefresh ? { forced_refresh: true } : {}),
    _shards: { total: 1, successful: 1, failed: 0 },
    _seq_no: seqNo,
    _primary_term: c.tasks.primaryTerm,
  };
}

/**
 * The sequence number the next write would get. A delete of a missing document takes one in OpenSearch; the index
 * store only numbers the writes it keeps, so this one is shown but not taken.
 */
function nextSeqNo(store: IndexStore): number {
  let max = -1;
  for (let slot = 0; slot < store.slotCount; slot++) max = Math.max(max, store.seqNos[slot]!);
  return max + 1;
}

/** What a cluster says when its user may not list plugins: the security plugin's refusal of the nodes-info action. */
function pluginsRefused(c: HandlerContext): OpenSearchError {
  return new OpenSearchError(
    403,
    'security_exception',
    `no permissions for [cluster:monitor/nodes/info] and User [name=${c.user?.username ?? 'console'}, backend_roles=[], requestedTenant=null]`,
  );
}

/** `_nodes`, `_nodes/{nodes or metrics}`, `_nodes/{nodes}/{metrics}`, as RestNodesInfoAction reads them. */
function nodesInfo(req: RestRequest, args: string[], c: HandlerContext): Answer {
  checkParams(req, ['flat_settings', 'timeout']);
  rejectBody(req);
  let [nodeFilter, metricList] = args.map((a) => decodeId(a));
  // Other node APIs share the prefix; OpenSearch routes them to their own handlers.
  if (['stats', 'usage', 'hot_threads', 'reload_secure_settings'].includes(nodeFilter ?? '')) {
    throw notSupportedByStandin(`GET /_nodes/${nodeFilter}`);
  }
  if (metricList === undefined && nodeFilter !== undefined) {
    // One segment is metrics when every part names one (or `_all`), node ids otherwise.
    const parts = nodeFilter.split(',');
    if (parts.every((m) => m === '_all' || NODE_METRICS.includes(m)))
      [nodeFilter, metricList] = [undefined, nodeFilter];
  }
  const metrics = metricList === undefined || metricList === '_all' ? ['_all'] : metricList.split(',');
  const unknown = metrics.filter((m) => m !== '_all' && !NODE_METRICS.includes(m));
  if (unknown.length) {
    throw new OpenSearchError(
      400,
      'illegal_argument_exception',
      `request [${req.path}] contains unrecognized metric${unknown.length > 1 ? 's' : ''}: [${unknown.join(', ')}]`,
    );
  }
  const explicit = metrics.filter((m) => m !== '_all');
  const lacking = explicit.filter((m) => m !== 'plugins');
  if (lacking.length)
    throw notSupportedByStandin(`the _nodes metric${lacking.length > 1 ? 's' : ''} [${lacking.join(', ')}]`);
  if (explicit.includes('plugins') && c.hidePlugins) throw pluginsRefused(c);
  // Every metric (`_all`) includes the plugins, which a cluster that hides them leaves out.
  const withPlugins = explicit.includes('plugins') || (metrics.includes('_all') && !c.hidePlugins);
  return { status: 200, body: nodesBody(c.cluster, selectNodes(c.cluster, nodeFilter), withPlugins) };
}

/** The routes of a cluster running this release: the cancel endpoint's path changed (2.17, 2.18). */
function routesOf(p: StandinProfile): Route[] {
  const routes: Route[] = [
    route('GET', '/_plugins/_ml/tasks/_search', (req, _a, c) => searchTasks(req, c), 'tasks/search'),
    route('POST', '/_plugins/_ml/tasks/_search', (req, _a, c) => searchTasks(req, c), 'tasks/search'),
    route(
      'GET',
      '/_plugins/_ml/tasks/{task_id}',
      (req, [id], c) => {
        checkParams(req);
        rejectBody(req);
        const taskId = decodeId(id!);
        if (!c.tasks.exists) throw c.profile.getTaskNoIndex();
        const found = c.tasks.get(taskId);
        if (!found) throw c.profile.getTaskMissing();
        return { status: 200, body: taskView(found.source as MlTask, c.profile.getTaskWorkerNodeAsStored) };
      },
      'tasks/get',
    ),
    route(
      'DELETE',
      '/_plugins/_ml/tasks/{task_id}',
      (req, [rawId], c) => {
        checkParams(req);
        rejectBody(req);
        const id = decodeId(rawId!);
        const p = c.profile;
        if (!c.tasks.exists) throw p.deleteTaskNoIndex();
        const found = c.tasks.get(id);
        if (!found) {
          if (p.deleteTaskMissing !== 'not_found') throw p.deleteTaskMissing();
          return { status: 200, body: deleteBody(c, id, 'not_found', 1, nextSeqNo(c.tasks)) };
        }
        if ((found.source as MlTask).state === 'RUNNING' && p.deleteRunningTask) throw p.deleteRunningTask();
        const { version, seqNo } = c.tasks.delete(id)!;
        return { status: 200, body: deleteBody(c, id, 'deleted', version, seqNo) };
      },
      'tasks/delete',
    ),
    route('GET', '/_plugins/_ml/models/_search', (req, _a, c) => searchModels(req, c), 'models/search'),
    route('POST', '/_plugins/_ml/models/_search', (req, _a, c) => searchModels(req, c), 'models/search'),
    route(
      'GET',
      '/_plugins/_ml/models/{model_id}',
      (req, [rawId], c) => {
        checkParams(req);
        rejectBody(req);
        const id = decodeId(rawId!);
        const p = c.profile;
        if (!c.models.exists) throw p.getModelNoIndex();
        const found = c.models.get(id);
        if (!found || found.source.chunk_number !== undefined) throw p.getModelMissing(id);
        if (found.source.is_hidden === true && p.getModelUnreadable) throw p.getModelUnreadable(id);
        const { content: _content, ...model } = found.source;
        if (!p.modelShowsIsHidden) delete model.is_hidden;
        return { status: 200, body: model };
      },
      'models/get',
    ),
    route('GET', '/', (req, _a, c) => {
      checkParams(req);
      rejectBody(req);
      return { status: 200, body: rootBody(c.cluster, c.profile.release) };
    }),
    route('HEAD', '/', (req, _a, c) => {
      checkParams(req);
      return { status: 200, body: rootBody(c.cluster, c.profile.release) };
    }),
    route('GET', '/_cat/plugins', (req, _a, c) => {
      checkParams(req, ['h', 'help', 's', 'v', 'local', 'master_timeout', 'cluster_manager_timeout']);
      rejectBody(req);
      if (c.hidePlugins) throw pluginsRefused(c);
      return catTable(req, PLUGIN_COLUMNS, pluginRows(c.cluster));
    }),
    route('GET', '/_nodes', (req, args, c) => nodesInfo(req, args, c)),
    route('GET', '/_nodes/{nodes}', (req, args, c) => nodesInfo(req, args, c)),
    route('GET', '/_nodes/{nodes}/{metrics}', (req, args, c) => nodesInfo(req, args, c)),
  ];
  if (p.cancelPath) {
    routes.push(
      route(
        'POST',
        `/_plugins/_ml/tasks/{task_id}/${p.cancelPath}`,
        (req, [rawId], c) => {
          checkParams(req);
          rejectBody(req);
          const id = decodeId(rawId!);
          if (!c.tasks.exists) throw c.profile.cancelTaskNoIndex();
          const found = c.tasks.get(id);
          if (!found) throw c.profile.cancelTaskMissing();
          const task = found.source as MlTask;
          if (task.task_type !== 'BATCH_PREDICTION' || task.function_name !== 'REMOTE' || !task.remote_job) {
            throw new OpenSearchError(
              400,
              'illegal_argument_exception',
              'The task ID you provided does not have any associated batch job',
            );
          }
          // The provider acknowledges at once; the task reports the cancellation once the job winds down (before
          // 2.18, which has no CANCELLING, it reads RUNNING until then).
          if ((task.state === 'RUNNING' || task.state === 'CREATED') && c.profile.hasCancelling) {
            c.tasks.put(id, { ...task, state: 'CANCELLING', last_update_time: c.now });
          }
          return { status: 200, body: { status: 'OK' } };
        },
        'tasks/cancel',
      ),
    );
  }
  return routes;
}

/** `_cat/plugins` columns (RestPluginsAction): name, component and version unless `h` asks for others. */
const PLUGIN_COLUMNS = [
  { name: 'id', aliases: ['id'], shown: false },
  { name: 'name', aliases: ['n'], shown: true },
  { name: 'component', aliases: ['c'], shown: true },
  { name: 'version', aliases: ['v'], shown: true },
  { name: 'description', aliases: ['d'], shown: false },
];

/** Resolves a request to its handler, or answers OpenSearch's 400 "no handler" / 405 errors. */
function resolve(routes: Route[], req: RestRequest): { route: Route; args: string[] } | 'options' {
  const matching = routes.map((r) => ({ r, m: r.pattern.exec(req.path) })).filter((x) => x.m);
  const forMethod = matching
    .filter((x) => x.r.method === req.method)
    .sort((a, b) => Number(b.r.literal) - Number(a.r.literal));
  if (forMethod.length) return { route: forMethod[0]!.r, args: forMethod[0]!.m!.slice(1) };
  if (matching.length === 0) {
    throw new PlainHttpError(400, {
      error: `no handler found for uri [${req.uri}] and method [${req.method}]`,
    });
  }
  const allowed = [...new Set(matching.map((x) => x.r.method))];
  if (req.method === 'OPTIONS') return 'options';
  throw new PlainHttpError(
    405,
    {
      error: `Incorrect HTTP method for uri [${req.uri}] and method [${req.method}], allowed: [${allowed.join(', ')}]`,
      status: 405,
    },
    { allow: allowed.join(',') },
  );
}

function authenticate(req: RestRequest, users: StandinUser[] | undefined): StandinUser | undefined {
  if (!users?.length) return undefined;
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = users.find(
      (u) => u.username === decoded.slice(0, sep) && u.password === decoded.slice(sep + 1),
    );
    if (user) return user;
  }
  throw new PlainHttpError(401, 'Unauthorized', { 'www-authenticate': 'Basic realm="OpenSearch Security"' });
}

function authorise(user: StandinUser | undefined, action: string | undefined): void {
  if (!user || !action || user.role === 'ml_full_access') return;
  if (action.endsWith('/get') || action.endsWith('/search')) return;
  throw new OpenSearchError(
    403,
    'security_exception',
    `no permissions for [cluster:admin/opensearch/ml/${action}] and User [name=${user.username}, backend_roles=[], requestedTenant=null]`,
  );
}

export function createStandin(options: StandinOptions = {}): Standin {
  // First, so that a bad version fails before anything is built.
  const profile = profileOf(options.version);
  const routes = routesOf(profile);
  const cluster = clusterInfo(profile.release, {
    clusterName: options.clusterName,
    withSecurity: (options.users?.length ?? 0) > 0,
  });
  const held = new Set<ServerResponse>();
  const tasks = new IndexStore(TASK_INDEX, TASK_MAPPING, Math.max(1024, options.tasks?.length ?? 0));
  const models = new IndexStore(MODEL_INDEX, MODEL_MAPPING, Math.max(1024, options.models?.length ?? 0));
  for (const doc of options.tasks ?? []) tasks.put(doc._id, doc._source);
  for (const doc of options.models ?? []) models.put(doc._id, doc._source);
  // Registering or training a model writes the model index along with the task, so a cluster with tasks has one,
  // if perhaps empty; so has one whose models were given, even as none.
  if (tasks.exists || options.models !== undefined) models.exists = true;
  const now = options.now ?? Date.now;
  const requestLog: Standin['requestLog'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let rest: RestRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      uri: req.url ?? '/',
      params: new URLSearchParams(),
      headers: req.headers,
      body: undefined,
    };
    res.on('finish', () => {
      requestLog.push({
        method: rest.method,
        uri: rest.uri,
        status: res.statusCode,
        authorization: req.headers.authorization,
      });
      if (requestLog.length > 10_000) requestLog.splice(0, requestLog.length - 10_000);
    });
    try {
      rest = await readRequest(req);
      const user = authenticate(rest, options.users);
      const resolved = resolve(routes, rest);
      if (resolved === 'options') {
        res.writeHead(200, {
          allow: routes
            .filter((r) => r.pattern.test(rest.path))
            .map((r) => r.method)
            .join(','),
        });
        res.end();
        return;
      }
      checkContentType(rest);
      authorise(user, resolved.route.action);
      const answer = resolved.route.handler(rest, resolved.args, {
        tasks,
        models,
        now: now(),
        user,
        profile,
        cluster,
        hidePlugins: options.hidePlugins ?? false,
      });
      if (answer === HOLD) {
        // Nothing is written and no timer runs: the client's own timeout ends it, or close() does.
        held.add(res);
        res.once('close', () => held.delete(res));
        return;
      }
      if ('text' in answer) {
        res.writeHead(answer.status, {
          'content-type': 'text/plain; charset=UTF-8',
          'content-length': Buffer.byteLength(answer.text),
        });
        res.end(rest.method === 'HEAD' ? undefined : answer.text);
        return;
      }
      sendJson(rest, res, answer.status, answer.body);
    } catch (err) {
      sendError(rest, res, err);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  return {
    tasks,
    models,
    server,
    profile,
    held,
    requestLog,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolveUrl, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          resolveUrl(`http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`);
        });
      });
    },
    close() {
      return new Promise((resolveClose) => {
        // Held requests would keep server.close() waiting for ever: end their connections first.
        for (const res of held) res.destroy();
        held.clear();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}
