// The stand-in's HTTP server: ML Commons task and model endpoints over two in-memory indices.

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODEL_INDEX, TASK_FIELDS, TASK_INDEX } from '../../src/api/ml-types';
import type { MlTask } from '../../src/api/ml-types';
import { IndexStore } from './index-store';
import type { Source, StoredDoc } from './index-store';
import { MODEL_MAPPING, TASK_MAPPING } from './mapping';
import { OpenSearchError, PlainHttpError } from './errors';
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
}

export interface Standin {
  tasks: IndexStore;
  models: IndexStore;
  server: Server;
  /** Requests answered so far (method, path and status), for tests that assert what reached the cluster. */
  requestLog: Array<{ method: string; uri: string; status: number; authorization?: string }>;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

type Handler = (req: RestRequest, args: string[], ctx: HandlerContext) => { status: number; body: unknown };

interface HandlerContext {
  tasks: IndexStore;
  models: IndexStore;
  now: number;
  user?: StandinUser;
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

/** A bare task as `GET /_plugins/_ml/tasks/{id}` returns it: `worker_node` always an array, `is_async` always there. */
export function taskView(source: MlTask): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TASK_FIELDS) {
    let v = source[key];
    // Documents from 2.4 hold one string, comma-joined for several nodes; ML Commons splits it on read.
    if (key === 'worker_node' && typeof v === 'string') v = v.split(',');
    if (key === 'is_async' && v === undefined) v = false;
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}

const taskNotFound = (): OpenSearchError =>
  new OpenSearchError(404, 'status_exception', 'Failed to find task');

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
  extraFilter?: Record<string, unknown>,
): unknown {
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
    return emptySearchResponse();
  }
  if (extraFilter && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    // ML Commons wraps the caller's query to hide what the caller may not see.
    const b = body as Record<string, unknown>;
    const query = b.query === undefined ? { match_all: {} } : b.query;
    return search(store, { ...b, query: { bool: { must: [query], must_not: [extraFilter] } } }, { now, raw });
  }
  return search(store, body, { now, raw });
}

const ROUTES: Route[] = [
  route(
    'GET',
    '/_plugins/_ml/tasks/_search',
    (req, _a, c) => ({ status: 200, body: runSearch(c.tasks, req, c.now) }),
    'tasks/search',
  ),
  route(
    'POST',
    '/_plugins/_ml/tasks/_search',
    (req, _a, c) => ({ status: 200, body: runSearch(c.tasks, req, c.now) }),
    'tasks/search',
  ),
  route(
    'GET',
    '/_plugins/_ml/tasks/{task_id}',
    (req, [id], c) => {
      checkParams(req);
      rejectBody(req);
      const found = c.tasks.get(decodeId(id!));
      if (!found) throw taskNotFound();
      return { status: 200, body: taskView(found.source as MlTask) };
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
      const found = c.tasks.get(id);
      if (!found) throw taskNotFound();
      if ((found.source as MlTask).state === 'RUNNING') {
        throw new OpenSearchError(
          500,
          'exception',
          'Task cannot be deleted in running state. Try after some time.',
        );
      }
      const { version, seqNo } = c.tasks.delete(id)!;
      return {
        status: 200,
        body: {
          _index: TASK_INDEX,
          _id: id,
          _version: version,
          result: 'deleted',
          forced_refresh: true,
          _shards: { total: 1, successful: 1, failed: 0 },
          _seq_no: seqNo,
          _primary_term: c.tasks.primaryTerm,
        },
      };
    },
    'tasks/delete',
  ),
  route(
    'POST',
    '/_plugins/_ml/tasks/{task_id}/_cancel',
    (req, [rawId], c) => {
      checkParams(req);
      rejectBody(req);
      const id = decodeId(rawId!);
      const found = c.tasks.get(id);
      if (!found) throw taskNotFound();
      const task = found.source as MlTask;
      if (task.task_type !== 'BATCH_PREDICTION' || task.function_name !== 'REMOTE' || !task.remote_job) {
        throw new OpenSearchError(
          400,
          'illegal_argument_exception',
          'The task ID you provided does not have any associated batch job',
        );
      }
      // The provider acknowledges at once; the task reports the cancellation once the job winds down.
      if (task.state === 'RUNNING' || task.state === 'CREATED') {
        c.tasks.put(id, { ...task, state: 'CANCELLING', last_update_time: c.now });
      }
      return { status: 200, body: { status: 'OK' } };
    },
    'tasks/cancel',
  ),
  route(
    'GET',
    '/_plugins/_ml/models/_search',
    (req, _a, c) => ({ status: 200, body: runSearch(c.models, req, c.now, { term: { is_hidden: true } }) }),
    'models/search',
  ),
  route(
    'POST',
    '/_plugins/_ml/models/_search',
    (req, _a, c) => ({ status: 200, body: runSearch(c.models, req, c.now, { term: { is_hidden: true } }) }),
    'models/search',
  ),
  route(
    'GET',
    '/_plugins/_ml/models/{model_id}',
    (req, [rawId], c) => {
      checkParams(req);
      rejectBody(req);
      const id = decodeId(rawId!);
      const found = c.models.get(id);
      if (!found || found.source.chunk_number !== undefined) {
        throw new OpenSearchError(
          404,
          'status_exception',
          `Failed to find model with the provided model id: ${id}`,
        );
      }
      if (found.source.is_hidden === true) {
        throw new OpenSearchError(
          403,
          'status_exception',
          `User doesn't have privilege to perform this operation on this model, model ID ${id}`,
        );
      }
      const { content: _content, ...model } = found.source;
      return { status: 200, body: model };
    },
    'models/get',
  ),
];

/** Resolves a request to its handler, or answers OpenSearch's 400 "no handler" / 405 errors. */
function resolve(req: RestRequest): { route: Route; args: string[] } | 'options' {
  const matching = ROUTES.map((r) => ({ r, m: r.pattern.exec(req.path) })).filter((x) => x.m);
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
  const tasks = new IndexStore(TASK_INDEX, TASK_MAPPING, Math.max(1024, options.tasks?.length ?? 0));
  const models = new IndexStore(MODEL_INDEX, MODEL_MAPPING, Math.max(1024, options.models?.length ?? 0));
  for (const doc of options.tasks ?? []) tasks.put(doc._id, doc._source);
  for (const doc of options.models ?? []) models.put(doc._id, doc._source);
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
      const resolved = resolve(rest);
      if (resolved === 'options') {
        res.writeHead(200, {
          allow: ROUTES.filter((r) => r.pattern.test(rest.path))
            .map((r) => r.method)
            .join(','),
        });
        res.end();
        return;
      }
      checkContentType(rest);
      authorise(user, resolved.route.action);
      const { status, body } = resolved.route.handler(rest, resolved.args, {
        tasks,
        models,
        now: now(),
        user,
      });
      sendJson(rest, res, status, body);
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
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}
