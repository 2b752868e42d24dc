// The stand-in's HTTP server: ML Commons task and model endpoints over two in-memory indices, answered as one ML
// Commons release answers them (see versions.ts), plus what a cluster says about itself (see cluster-info.ts).

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODEL_INDEX, TASK_INDEX } from '../../shared/ml-types';
import { taskView } from './task-view';
import type { MlModel, MlTask } from '../../shared/ml-types';
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
import { DEFAULT_NODE_UPTIME_MS, MlNodes, deployedModelsOn, heapUsage, profileTask } from './ml-nodes';
import { clusterSettingsBody, effectiveSetting, settingValue } from './settings';
import type { SettingValue } from './settings';

export interface StandinUser {
  username: string;
  password: string;
  /** `ml_full_access` may do everything; `ml_read_access` may get and search but not delete or cancel. */
  role: 'ml_full_access' | 'ml_read_access';
}

/**
 * The security plugin's `proxy` authenticator: a trusted reverse proxy names the user and its backend roles in headers.
 * The plugin reads them only from its internal proxies, and only with an X-Forwarded-For (its XFF resolver).
 */
export interface StandinProxy {
  /** The proxies' addresses (the plugin's `internalProxies`); default loopback. */
  internalProxies?: RegExp;
  /** Default `x-proxy-user`. */
  userHeader?: string;
  /** Comma-separated backend roles; default `x-proxy-roles`. */
  rolesHeader?: string;
}

export interface StandinOptions {
  tasks?: Array<StoredDoc<Source>>;
  models?: Array<StoredDoc<Source>>;
  /** With users, every request needs HTTP basic credentials, as with the security plugin. */
  users?: StandinUser[];
  /** With a proxy, a trusted proxy's headers name the user (before basic credentials, when there are users too). */
  proxy?: StandinProxy;
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
  /**
   * Cluster settings set persistently (`{"plugins.ml_commons.ml_task_timeout_in_seconds": 120}`), as `PUT
   * _cluster/settings` would have: `GET _cluster/settings` shows them and the stand-in's task timeout follows them.
   */
  persistentSettings?: Record<string, unknown>;
  /** Transient settings, which win over persistent ones. */
  transientSettings?: Record<string, unknown>;
  /**
   * When the cluster's nodes last started (epoch ms; default five hours before the stand-in starts, a few minutes
   * apart): active tasks created before their node started are held by no node, as after a restart.
   */
  nodesStartedAt?: number;
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
  /** The cluster's nodes: who is in it, since when, and which tasks each holds in memory. */
  nodes: MlNodes;
  /** Persistent and transient cluster settings (`GET _cluster/settings`); change them to change the cluster. */
  settings: { persistent: Map<string, SettingValue>; transient: Map<string, SettingValue> };
  /**
   * A node restarts now: it holds nothing it held, so its CREATED and RUNNING tasks stay so for ever (no timeout
   * fires for them, live activity never completes them). Returns the ids of the tasks it stranded.
   */
  restartNode(nodeId: string): string[];
  /** A node leaves the cluster now: absent from `_nodes`, its tasks stranded. Returns their ids. */
  removeNode(nodeId: string): string[];
  /** `ml_task_timeout_in_seconds` in force, or undefined on a release without the timeout (2.4). */
  taskTimeoutSeconds(): number | undefined;
  /**
   * What the nodes' sync-up job does: every held task created more than the timeout ago is failed with "timeout after
   * N seconds" and leaves its node's memory. Tasks no node holds are untouched. Returns the ids it failed.
   */
  failTimedOutTasks(): string[];
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
  /** Who asks, when the security plugin is there. */
  user?: Caller;
  /** The client's address and port, as the security plugin reports it (`127.0.0.1:53422`). */
  remoteAddress: string;
  profile: StandinProfile;
  cluster: ClusterInfo;
  hidePlugins: boolean;
  nodes: MlNodes;
  settings: Standin['settings'];
}

interface Route {
  method: string;
  pattern: RegExp;
  /**
   * Literal routes win over parameterised ones, and of two parameterised ones the one whose first parameter comes
   * later, as OpenSearch's path trie prefers a literal segment at each level.
   */
  specificity: number;
  action?: string;
  handler: Handler;
}

const ID = '([^/]+)';

function route(method: string, path: string, handler: Handler, action?: string): Route {
  const brace = path.indexOf('{');
  const specificity = brace === -1 ? Number.MAX_SAFE_INTEGER : brace;
  const pattern = new RegExp(`^${path.replace(/\{[a-zA-Z_]+\}/g, ID)}/?$`);
  return { method, pattern, specificity, action, handler };
}

export { taskView };

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
    `no permissions for [cluster:monitor/nodes/info] and ${c.user ? userString(c.user) : 'User [name=console, backend_roles=[], requestedTenant=null]'}`,
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

/** What a profile request asks for: from its body (MLProfileInput) or its path. */
interface ProfileInput {
  allTasks: boolean;
  allModels: boolean;
  taskIds: Set<string>;
  modelIds: Set<string>;
  nodeIds: Set<string>;
}

/** The id list of a profile body field: an array of strings, or one string. */
function idList(value: unknown, field: string): Set<string> {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) {
    throw new OpenSearchError(400, 'parsing_exception', `[${field}] must be an array of strings`);
  }
  return new Set(list as string[]);
}

function profileInput(
  req: RestRequest,
  kind: 'all' | 'tasks' | 'models',
  id: string | undefined,
): ProfileInput {
  if (req.body !== undefined) {
    const body = parseJson(req.body);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new OpenSearchError(
        400,
        'parsing_exception',
        `Failed to parse object: expecting token of type [START_OBJECT] but found [${Array.isArray(body) ? 'START_ARRAY' : 'VALUE_STRING'}]`,
      );
    }
    const b = body as Record<string, unknown>;
    // MLProfileInput.parse skips fields it does not know.
    return {
      allTasks: b.return_all_tasks === true,
      allModels: b.return_all_models === true,
      taskIds: b.tasks === undefined ? new Set() : idList(b.tasks, 'tasks'),
      modelIds: b.models === undefined ? new Set() : idList(b.models, 'models'),
      nodeIds: b.node_ids === undefined ? new Set() : idList(b.node_ids, 'node_ids'),
    };
  }
  const ids = id === undefined ? new Set<string>() : new Set(decodeId(id).split(','));
  return {
    allTasks: kind === 'all' || (kind === 'tasks' && id === undefined),
    allModels: kind === 'all' || (kind === 'models' && id === undefined),
    taskIds: kind === 'tasks' ? ids : new Set(),
    modelIds: kind === 'models' ? ids : new Set(),
    nodeIds: new Set(),
  };
}

/** The Java class a deployed model's predictor is, as the profile prints `predictor` (class@hash). */
function predictorOf(id: string, algorithm: string | undefined): string {
  const cls =
    algorithm === 'REMOTE'
      ? 'org.opensearch.ml.engine.algorithms.remote.RemoteModel'
      : algorithm === 'SPARSE_ENCODING'
        ? 'org.opensearch.ml.engine.algorithms.sparse_encoding.TextEmbeddingSparseEncodingModel'
        : algorithm === 'TEXT_SIMILARITY'
          ? 'org.opensearch.ml.engine.algorithms.text_similarity.TextSimilarityCrossEncoderModel'
          : 'org.opensearch.ml.engine.algorithms.text_embedding.TextEmbeddingDenseModel';
  let h = 7;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return `${cls}@${h.toString(16)}`;
}

/**
 * `GET /_plugins/_ml/profile[/tasks[/{ids}]|/models[/{ids}]]`: per node, the tasks it holds in memory and the models
 * deployed on it; nodes with neither are left out, and with none at all the answer is `{}`.
 */
function profile(
  req: RestRequest,
  kind: 'all' | 'tasks' | 'models',
  id: string | undefined,
  c: HandlerContext,
): Answer {
  checkParams(req, c.profile.profileViews ? ['view'] : []);
  const input = profileInput(req, kind, id);
  const view = req.params.get('view') ?? 'node';
  if (c.profile.profileNeedsModelIndex && !c.models.exists) return { status: 200, body: {} };
  const held = c.nodes.held(c.tasks);
  const hidden = (modelId: string | undefined): boolean =>
    modelId !== undefined && c.models.get(modelId)?.source.is_hidden === true;
  const nodes = c.nodes
    .current()
    .filter((n) => input.nodeIds.size === 0 || input.nodeIds.has(n.id))
    .map((n) => {
      const tasks = (held.get(n.id) ?? []).filter(
        (h) => (input.allTasks || input.taskIds.has(h.id)) && !hidden(h.task.model_id),
      );
      const models =
        input.allModels || input.modelIds.size > 0
          ? deployedModelsOn(c.models, n.id).filter(
              (m) => (input.allModels || input.modelIds.has(m.id)) && m.model.is_hidden !== true,
            )
          : [];
      return { node: n, tasks, models };
    })
    .filter((n) => n.tasks.length > 0 || n.models.length > 0);
  if (nodes.length === 0) return { status: 200, body: {} };
  const modelProfile = (m: { id: string; model: MlModel }): Record<string, unknown> => {
    const target = (m.model.planning_worker_nodes as string[] | undefined) ?? [];
    return {
      model_state: 'DEPLOYED',
      predictor: predictorOf(m.id, m.model.algorithm),
      target_worker_nodes: target,
      worker_nodes: target.filter((node) => c.nodes.has(node)),
    };
  };
  const asStored = c.profile.getTaskWorkerNodeAsStored;
  if (view === 'model') {
    // RestMLProfileAction.buildModelCentricResult: per model, its node profiles and its tasks.
    const byModel: Record<string, Record<string, unknown>> = {};
    for (const n of nodes) {
      for (const m of n.models) {
        const entry = (byModel[m.id] ??= {});
        const p = modelProfile(m);
        entry.target_worker_nodes ??= p.target_worker_nodes;
        entry.worker_nodes ??= p.worker_nodes;
        ((entry.nodes ??= {}) as Record<string, unknown>)[n.node.id] = {
          model_state: p.model_state,
          predictor: p.predictor,
        };
      }
      for (const t of n.tasks) {
        const entry = (byModel[t.task.model_id ?? 'null'] ??= {});
        ((entry.tasks ??= {}) as Record<string, unknown>)[t.id] = profileTask(t, asStored);
      }
    }
    return { status: 200, body: { models: byModel } };
  }
  if (view !== 'node') return { status: 200, body: {} };
  return {
    status: 200,
    body: {
      nodes: Object.fromEntries(
        nodes.map((n) => [
          n.node.id,
          {
            ...(n.tasks.length
              ? { tasks: Object.fromEntries(n.tasks.map((t) => [t.id, profileTask(t, asStored)])) }
              : {}),
            ...(n.models.length
              ? { models: Object.fromEntries(n.models.map((m) => [m.id, modelProfile(m)])) }
              : {}),
          },
        ]),
      ),
    },
  };
}

/** An index's health as the stats API reports it. */
function indexStatus(store: IndexStore | undefined): string {
  return store?.exists ? 'green' : 'non-existent';
}

/**
 * `GET /_plugins/_ml/[{nodeId}/]stats[/{stat}]`: cluster-level stats at the top, node-level ones (and per function
 * and action) under `nodes`, as RestMLStatsAction builds them. Unknown stat names are refused the way `from()` does.
 */
function stats(
  req: RestRequest,
  nodeFilter: string | undefined,
  statList: string | undefined,
  c: HandlerContext,
): Answer {
  checkParams(req);
  const names = c.profile.statNames;
  let nodeStats = [...names.node];
  let clusterStats = [...names.cluster];
  let withAlgorithms = true;
  if (req.body !== undefined) {
    // MLStatsInput.parse: the same choices in a body; the stand-in takes its stat lists and ignores the rest.
    const body = parseJson(req.body) as Record<string, unknown>;
    if (Array.isArray(body.node_level_stats))
      nodeStats = nodeStats.filter((n) => (body.node_level_stats as unknown[]).includes(n.toUpperCase()));
    if (Array.isArray(body.cluster_level_stats))
      clusterStats = clusterStats.filter((n) =>
        (body.cluster_level_stats as unknown[]).includes(n.toUpperCase()),
      );
  } else if (statList !== undefined) {
    const asked = decodeId(statList)
      .split(',')
      .map((s) => s.toLowerCase());
    for (const stat of asked) {
      if (!names.node.includes(stat) && !names.cluster.includes(stat)) {
        throw new OpenSearchError(400, 'illegal_argument_exception', 'Wrong ML cluster level stat');
      }
    }
    nodeStats = names.node.filter((n) => asked.includes(n));
    clusterStats = names.cluster.filter((n) => asked.includes(n));
    withAlgorithms = false;
  }
  const body: Record<string, unknown> = {};
  // Models, not their chunks: kept until the next write, like the other facts of a million-document index.
  const modelCount = (): number =>
    c.models.derived('model count', () => {
      let n = 0;
      for (const slot of c.models.liveSlots()) if (c.models.sources[slot]!.chunk_number === undefined) n++;
      return n;
    });
  const clusterValue: Record<string, () => unknown> = {
    ml_model_index_status: () => indexStatus(c.models),
    ml_task_index_status: () => indexStatus(c.tasks),
    ml_connector_index_status: () => 'non-existent',
    ml_config_index_status: () => (c.tasks.exists ? 'green' : 'non-existent'),
    ml_controller_index_status: () => 'non-existent',
    ml_model_count: modelCount,
    ml_connector_count: () => 0,
  };
  for (const name of clusterStats) body[name] = clusterValue[name]!();
  if (nodeStats.length === 0 && !withAlgorithms) return { status: 200, body };
  const wanted = nodeFilter === undefined ? undefined : new Set(decodeId(nodeFilter).split(','));
  const members = c.nodes
    .current()
    .filter((n) => wanted === undefined || wanted.has('_all') || wanted.has(n.id) || wanted.has(n.name));
  if (members.length === 0) return { status: 200, body };
  const counters = c.nodes.counters(c.tasks);
  const held = c.nodes.held(c.tasks);
  const nodes: Record<string, unknown> = {};
  for (const n of members) {
    const k = counters.get(n.id)!;
    // In the enums' order: heap, executing, requests, failures, models, circuit breaker.
    const values = [
      heapUsage(n.id, c.nodes.started(n.id) ?? 0, c.now),
      held.get(n.id)?.length ?? 0,
      k.requests,
      k.failures,
      deployedModelsOn(c.models, n.id).length,
      k.circuitBreakerTrips,
    ];
    const node: Record<string, unknown> = {};
    names.node.forEach((name, i) => {
      if (nodeStats.includes(name)) node[name] = values[i];
    });
    if (withAlgorithms && k.algorithms.size > 0) {
      const algorithms: Record<string, unknown> = {};
      for (const [fn, actions] of k.algorithms) {
        algorithms[fn] = Object.fromEntries(
          [...actions].map(([action, [requests, failures]]) => [
            action,
            { ml_action_request_count: requests, ...(failures ? { ml_action_failure_count: failures } : {}) },
          ]),
        );
      }
      node.algorithms = algorithms;
    }
    if (Object.keys(node).length) nodes[n.id] = node;
  }
  if (Object.keys(nodes).length) body.nodes = nodes;
  return { status: 200, body };
}

/** `GET /_cluster/settings` (RestClusterGetSettingsAction): its own parameters, then the settings. */
function clusterSettings(req: RestRequest, c: HandlerContext): Answer {
  checkParams(req, [
    'include_defaults',
    'flat_settings',
    'local',
    'master_timeout',
    'cluster_manager_timeout',
  ]);
  rejectBody(req);
  const flag = (name: string): boolean => {
    const v = req.params.get(name);
    if (v === null || v === 'false') return false;
    if (v === '' || v === 'true') return true;
    throw new OpenSearchError(
      400,
      'illegal_argument_exception',
      `Failed to parse value [${v}] as only [true] or [false] are allowed.`,
    );
  };
  return {
    status: 200,
    body: clusterSettingsBody(c.profile.release, c.settings, {
      includeDefaults: flag('include_defaults'),
      flatSettings: flag('flat_settings'),
      clusterName: c.cluster.clusterName,
      nodeName: c.cluster.local.name,
    }),
  };
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
    route('GET', '/_cluster/settings', (req, _a, c) => clusterSettings(req, c)),
    route('GET', '/_plugins/_ml/profile', (req, _a, c) => profile(req, 'all', undefined, c), 'profile/nodes'),
    route(
      'GET',
      '/_plugins/_ml/profile/tasks',
      (req, _a, c) => profile(req, 'tasks', undefined, c),
      'profile/nodes',
    ),
    route(
      'GET',
      '/_plugins/_ml/profile/tasks/{task_id}',
      (req, [id], c) => profile(req, 'tasks', id, c),
      'profile/nodes',
    ),
    route(
      'GET',
      '/_plugins/_ml/profile/models',
      (req, _a, c) => profile(req, 'models', undefined, c),
      'profile/nodes',
    ),
    route(
      'GET',
      '/_plugins/_ml/profile/models/{model_id}',
      (req, [id], c) => profile(req, 'models', id, c),
      'profile/nodes',
    ),
    route('GET', '/_plugins/_ml/stats', (req, _a, c) => stats(req, undefined, undefined, c), 'stats/nodes'),
    route(
      'GET',
      '/_plugins/_ml/stats/{stat}',
      (req, [stat], c) => stats(req, undefined, stat, c),
      'stats/nodes',
    ),
    route(
      'GET',
      '/_plugins/_ml/{nodeId}/stats',
      (req, [node], c) => stats(req, node, undefined, c),
      'stats/nodes',
    ),
    route(
      'GET',
      '/_plugins/_ml/{nodeId}/stats/{stat}',
      (req, [node, stat], c) => stats(req, node, stat, c),
      'stats/nodes',
    ),
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
    .sort((a, b) => b.r.specificity - a.r.specificity);
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

/** Who a request acts as once the security plugin has authenticated it. */
interface Caller {
  username: string;
  backendRoles: string[];
  /** Security roles mapped to the user: its ML role, or those of its backend roles that name one. */
  roles: string[];
}

/** The stand-in's roles mapping: a backend role that names one of these roles maps to it. */
const KNOWN_ROLES = ['all_access', 'ml_full_access', 'ml_read_access'];
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

function header(req: RestRequest, name: string): string | undefined {
  const value = req.headers[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one === '' ? undefined : one;
}

/**
 * The security plugin's authentication: the proxy's headers from a trusted proxy first, then basic credentials. A
 * request neither names is refused with 401: with basic's challenge where there are users, else as the plugin says
 * when no authenticator challenges.
 */
function authenticate(
  req: RestRequest,
  options: Pick<StandinOptions, 'users' | 'proxy'>,
  remoteIp: string,
): Caller | undefined {
  const { users, proxy } = options;
  if (!users?.length && !proxy) return undefined;
  const proxied = proxy ? proxyCaller(req, proxy, remoteIp) : undefined;
  if (proxied) return proxied;
  if (users?.length) {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      const user = users.find(
        (u) => u.username === decoded.slice(0, sep) && u.password === decoded.slice(sep + 1),
      );
      if (user) return { username: user.username, backendRoles: [], roles: [user.role] };
    }
    throw new PlainHttpError(401, 'Unauthorized', {
      'www-authenticate': 'Basic realm="OpenSearch Security"',
    });
  }
  throw new PlainHttpError(401, 'Authentication finally failed');
}

/** HTTPProxyAuthenticator: the user and backend roles from the proxy's headers, once XFF has trusted the request. */
function proxyCaller(req: RestRequest, proxy: StandinProxy, remoteIp: string): Caller | undefined {
  if (!(proxy.internalProxies ?? LOOPBACK).test(remoteIp) || header(req, 'x-forwarded-for') === undefined) {
    return undefined;
  }
  const username = header(req, proxy.userHeader ?? 'x-proxy-user');
  if (username === undefined) return undefined;
  const backendRoles = (header(req, proxy.rolesHeader ?? 'x-proxy-roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  return { username, backendRoles, roles: backendRoles.filter((r) => KNOWN_ROLES.includes(r)) };
}

function authorise(caller: Caller | undefined, action: string | undefined): void {
  if (!caller || !action) return;
  if (caller.roles.includes('all_access') || caller.roles.includes('ml_full_access')) return;
  // ml_read_access (the security plugin's roles.yml) grants get, search, profile/nodes and stats/nodes.
  const read = action.endsWith('/get') || action.endsWith('/search') || action.endsWith('/nodes');
  if (read && caller.roles.includes('ml_read_access')) return;
  throw new OpenSearchError(
    403,
    'security_exception',
    `no permissions for [cluster:admin/opensearch/ml/${action}] and ${userString(caller)}`,
  );
}

/** The security plugin's User.toString(), as it quotes a user in refusals and in `authinfo`. */
function userString(caller: Caller): string {
  return `User [name=${caller.username}, backend_roles=[${caller.backendRoles.join(', ')}], requestedTenant=null]`;
}

/**
 * `authinfo`, the security plugin's account of who is asking (SecurityInfoAction): the user, its backend roles (none
 * for an internal user), the security roles mapped to it (and `own_index`, which the plugin's default roles mapping
 * gives every user), and its tenants (its private one). Any authenticated user may ask.
 */
function authinfo(req: RestRequest, c: HandlerContext): Answer {
  checkParams(req, ['verbose']);
  const user = c.user!;
  return {
    status: 200,
    body: {
      user: userString(user),
      user_name: user.username,
      user_requested_tenant: null,
      remote_address: c.remoteAddress,
      backend_roles: user.backendRoles,
      custom_attribute_names: [],
      roles: [...user.roles, 'own_index'],
      tenants: { [user.username]: true },
      principal: null,
      peer_certificates: '0',
      sso_logout_url: null,
    },
  };
}

/** The security plugin's routes, on a stand-in that has its users (under both of the plugin's prefixes). */
const SECURITY_ROUTES: Route[] = ['/_plugins/_security', '/_opendistro/_security'].flatMap((prefix) =>
  ['GET', 'POST'].map((method) => route(method, `${prefix}/authinfo`, (req, _a, c) => authinfo(req, c))),
);

export function createStandin(options: StandinOptions = {}): Standin {
  // First, so that a bad version fails before anything is built.
  const profile = profileOf(options.version);
  const secured = (options.users?.length ?? 0) > 0 || options.proxy !== undefined;
  const routes = [...routesOf(profile), ...(secured ? SECURITY_ROUTES : [])];
  const cluster = clusterInfo(profile.release, {
    clusterName: options.clusterName,
    withSecurity: (options.users?.length ?? 0) > 0 || options.proxy !== undefined,
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
  const nodes = new MlNodes(cluster.nodes, options.nodesStartedAt ?? now() - DEFAULT_NODE_UPTIME_MS);
  const settings: Standin['settings'] = {
    persistent: new Map(
      Object.entries(options.persistentSettings ?? {}).map(([k, v]) => [k, settingValue(v)]),
    ),
    transient: new Map(Object.entries(options.transientSettings ?? {}).map(([k, v]) => [k, settingValue(v)])),
  };
  /** The cluster as `_nodes` and `GET /` see it now: only the nodes still in it. */
  const clusterNow = (): ClusterInfo => {
    const members = nodes.current();
    if (members === cluster.nodes) return cluster;
    const local = members.includes(cluster.local) ? cluster.local : members[0]!;
    return { ...cluster, nodes: members, local };
  };
  const taskTimeoutSeconds = (): number | undefined => {
    if (!profile.taskTimeout) return undefined;
    const value = Number(
      effectiveSetting(profile.release, settings, 'plugins.ml_commons.ml_task_timeout_in_seconds'),
    );
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  /** The tasks a node holds, before it loses them. */
  const heldBy = (nodeId: string): string[] => (nodes.held(tasks).get(nodeId) ?? []).map((h) => h.id);

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
      const remoteIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const user = authenticate(rest, options, remoteIp);
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
        remoteAddress: `${remoteIp}:${req.socket.remotePort ?? 0}`,
        profile,
        cluster: clusterNow(),
        hidePlugins: options.hidePlugins ?? false,
        nodes,
        settings,
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
    nodes,
    settings,
    restartNode(nodeId) {
      const stranded = heldBy(nodeId);
      nodes.restart(nodeId, now());
      return stranded;
    },
    removeNode(nodeId) {
      const stranded = heldBy(nodeId);
      nodes.remove(nodeId);
      return stranded;
    },
    taskTimeoutSeconds,
    failTimedOutTasks() {
      const seconds = taskTimeoutSeconds();
      if (seconds === undefined) return [];
      const t = now();
      const failed: string[] = [];
      for (const list of nodes.held(tasks).values()) {
        for (const { id, task } of list) {
          // The cached MLTask keeps the times it was created with: the timeout counts from its creation.
          if ((task.create_time ?? t) + seconds * 1000 >= t) continue;
          tasks.put(id, {
            ...task,
            state: 'FAILED',
            error: `timeout after ${seconds} seconds`,
            last_update_time: t,
          } as Source);
          failed.push(id);
        }
      }
      return failed;
    },
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
