// Direct calls to the e2e stand-in, so that journeys check what the console shows against the cluster's own data.
import type { APIRequestContext } from '@playwright/test';
import type { MlTask, SearchHit, SearchResponse } from '../src/api/ml-types';
import { STANDIN_URL } from './env';

export async function searchStandin(
  request: APIRequestContext,
  body: Record<string, unknown>,
): Promise<SearchResponse<MlTask>> {
  const response = await request.post(`${STANDIN_URL}/_plugins/_ml/tasks/_search`, { data: body });
  if (response.status() !== 200)
    throw new Error(`stand-in search failed: ${response.status()} ${await response.text()}`);
  return (await response.json()) as SearchResponse<MlTask>;
}

/** Every task of the stand-in, for counting by hand. */
export async function allTasks(request: APIRequestContext): Promise<Array<SearchHit<MlTask>>> {
  const res = await searchStandin(request, { size: 10_000, track_total_hits: true });
  return res.hits.hits;
}

/** The first task matching a query, newest first. */
export async function findTask(
  request: APIRequestContext,
  query: Record<string, unknown>,
): Promise<SearchHit<MlTask>> {
  const res = await searchStandin(request, { size: 1, query, sort: [{ create_time: 'desc' }] });
  const hit = res.hits.hits[0];
  if (!hit) throw new Error(`no stand-in task matches ${JSON.stringify(query)}`);
  return hit;
}
