// Typed calls to the ML Commons task and model endpoints, through the same-origin proxy.
import { readJson, requestJson, sendRequest } from './http';
import type { DeleteResponse, MlModel, MlTask, SearchResponse } from './ml-types';

const ML_BASE = '/_plugins/_ml';

type SortOrder = 'asc' | 'desc';

/** A search body for `.plugins-ml-task`. Sent as the POST body: OpenSearch rejects unknown URL parameters. */
export interface TaskSearchBody {
  query?: Record<string, unknown>;
  from?: number;
  size?: number;
  sort?: Array<string | Record<string, SortOrder | { order: SortOrder; [option: string]: unknown }>>;
  track_total_hits?: boolean | number;
  search_after?: Array<string | number | boolean | null>;
  aggs?: Record<string, unknown>;
  post_filter?: Record<string, unknown>;
  _source?: boolean | string | string[] | { includes?: string[]; excludes?: string[] };
}

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
  if (early) return readJson(await early, 'POST', TASK_SEARCH_PATH, signal);
  return requestJson('POST', TASK_SEARCH_PATH, { body, ...(signal ? { signal } : {}) });
}

export function getTask(taskId: string, signal?: AbortSignal): Promise<MlTask> {
  return requestJson('GET', `${ML_BASE}/tasks/${idSegment('task', taskId)}`, signal ? { signal } : {});
}

export function deleteTask(taskId: string): Promise<DeleteResponse> {
  return requestJson('DELETE', `${ML_BASE}/tasks/${idSegment('task', taskId)}`);
}

export function getModel(modelId: string, signal?: AbortSignal): Promise<MlModel> {
  return requestJson('GET', `${ML_BASE}/models/${idSegment('model', modelId)}`, signal ? { signal } : {});
}
