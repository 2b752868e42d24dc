// Typed calls to the ML Commons task, model, stats and profile endpoints and the node and settings reads, through the
// same-origin proxy.
import { taskAsGetAnswers } from '../../shared/task-document';
import { ApiError, readJson, requestJson, sendRequest } from './http';
import type {
  ClusterSettingsResponse,
  DeleteResponse,
  MlModel,
  MlStatsResponse,
  MlTask,
  MlTaskProfileResponse,
  NodesInfoResponse,
  SearchResponse,
  TaskSearchBody,
} from '../../shared/ml-types';

const ML_BASE = '/_plugins/_ml';

/** One path segment for an id; `.`/`..` would be resolved away by the URL parser and hit another endpoint. */
function idSegment(kind: string, id: string): string {
  if (id === '' || id === '.' || id === '..') throw new RangeError(`Invalid ${kind} id: "${id}"`);
  return encodeURIComponent(id);
}

const TASK_SEARCH_PATH = `${ML_BASE}/tasks/_search`;

/**
 * The first page's search, started by `first-search.ts` while the app's code is still loading. The app's first
 * search closes the hand-over: it takes the early answer when it asks for exactly the same body, and drops it
 * otherwise. Both scripts are modules that may run in either order: an early search that would start after the app
 * has asked is not sent, and a later search (a refresh) never gets an old answer.
 */
export interface EarlySearch {
  key: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    /** Unset: nothing yet; null: the app has made its first search, too late to start one. */
    __mlEarlySearch?: EarlySearch | null;
  }
}

export function startEarlySearch(body: TaskSearchBody): void {
  if (window.__mlEarlySearch !== undefined) return;
  const response = sendRequest('POST', TASK_SEARCH_PATH, { body });
  // Whoever takes it over handles a failure; until then it must not count as unhandled.
  response.catch(() => {});
  window.__mlEarlySearch = { key: JSON.stringify(body), response };
}

/** The early search for this body, if it is the app's first; from now on there is none. */
function takeEarlySearch(body: TaskSearchBody): Promise<Response> | undefined {
  if (typeof window === 'undefined') return undefined;
  const early = window.__mlEarlySearch;
  window.__mlEarlySearch = null;
  return early && early.key === JSON.stringify(body) ? early.response : undefined;
}

export async function searchTasks(
  body: TaskSearchBody,
  signal?: AbortSignal,
): Promise<SearchResponse<MlTask>> {
  const early = takeEarlySearch(body);
  return emptyWhenNothingIndexed(
    early
      ? early.then((response) => readJson(response, 'POST', TASK_SEARCH_PATH, signal, 'task-search'))
      : requestJson('POST', TASK_SEARCH_PATH, {
          body,
          operation: 'task-search',
          ...(signal ? { signal } : {}),
        }),
  );
}

/** Up to 2.11 a search before the first task is a 404 index_not_found_exception; since 2.12, an empty answer. */
async function emptyWhenNothingIndexed(
  search: Promise<SearchResponse<MlTask>>,
): Promise<SearchResponse<MlTask>> {
  try {
    return await search;
  } catch (error) {
    if (error instanceof ApiError && error.classified.meaning === 'nothing-indexed')
      return emptySearchResponse();
    throw error;
  }
}

/** What a cluster since 2.12 answers a search before the first task exists. */
function emptySearchResponse(): SearchResponse<MlTask> {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: 0, hits: [] },
  };
}

/**
 * One task, read with a search on its id: null when there is none. Not with GET, which for a remote batch
 * prediction calls the model's provider and rewrites the task (2.17+): a drawer that re-reads a running task every
 * few seconds would cost money and trip the provider's rate limits. The search returns what GET would, but for
 * `worker_node`'s old string form and `is_async`, which `taskAsGetAnswers` fills in as GET does.
 */
export async function readTask(taskId: string, signal?: AbortSignal): Promise<MlTask | null> {
  // Not searchTasks: the page's early first search is the task list's to take.
  const found = await emptyWhenNothingIndexed(
    requestJson('POST', TASK_SEARCH_PATH, {
      body: { query: { ids: { values: [taskId] } }, size: 1 },
      operation: 'task-search',
      ...(signal ? { signal } : {}),
    }),
  );
  const hit = found.hits.hits[0];
  return hit ? taskAsGetAnswers(hit._source) : null;
}

/**
 * GET of one task. For a remote batch prediction this asks the provider for the job's status and writes it into the
 * task: only on an explicit "ask the provider now".
 */
export function getTask(taskId: string, signal?: AbortSignal): Promise<MlTask> {
  return requestJson('GET', `${ML_BASE}/tasks/${idSegment('task', taskId)}`, {
    operation: 'task-get',
    ...(signal ? { signal } : {}),
  });
}

/** `result` is `not_found` when a 2.4 or 2.5 cluster was asked to delete a task it does not have. */
export function deleteTask(taskId: string): Promise<Omit<DeleteResponse, 'result'> & { result: string }> {
  return requestJson('DELETE', `${ML_BASE}/tasks/${idSegment('task', taskId)}`, { operation: 'task-delete' });
}

export function getModel(modelId: string, signal?: AbortSignal): Promise<MlModel> {
  return requestJson('GET', `${ML_BASE}/models/${idSegment('model', modelId)}`, {
    operation: 'model-get',
    ...(signal ? { signal } : {}),
  });
}

/** A read-only GET whose answer is JSON. */
function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson('GET', path, { operation: 'other', ...(signal ? { signal } : {}) });
}

/**
 * The cluster's nodes: id, name, roles, address and version. The bare path: the gateway adds its own fixed
 * `filter_path`, and forwards no parameter the browser sends.
 */
export function getNodes(signal?: AbortSignal): Promise<NodesInfoResponse> {
  return getJson('/_nodes', signal);
}

/** ML Commons' counters, cluster-wide and per node (executing tasks, failures, deployed models, heap…). */
export function getMlStats(signal?: AbortSignal): Promise<MlStatsResponse> {
  return getJson(`${ML_BASE}/stats`, signal);
}

/** The tasks each node holds in memory: a task in the index that no node holds is held by nobody. */
export function getTaskProfile(signal?: AbortSignal): Promise<MlTaskProfileResponse> {
  return getJson(`${ML_BASE}/profile/tasks`, signal);
}

/** The cluster's settings (the gateway keeps only the ML Commons ones it needs, with their defaults). */
export function getClusterSettings(signal?: AbortSignal): Promise<ClusterSettingsResponse> {
  return getJson('/_cluster/settings', signal);
}
