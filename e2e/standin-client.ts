// Direct calls to the spec's own stand-in (e2e/own-cluster.ts), so that journeys check what the console shows against
// the cluster's own data.
import { test, type APIRequestContext } from '@playwright/test';
import { capabilitiesOf, type Capabilities } from '../shared/cluster-capabilities';
import type { MlTask, SearchHit, SearchResponse } from '../shared/ml-types';
import { STANDIN_URL } from './env';

interface ReleaseMetadata {
  standinUrl?: string;
  release?: string;
}

/** Where the stand-in behind the console this test's project drives listens (the newest release's or an older one's). */
export function standinUrl(): string {
  return (test.info().project.metadata as ReleaseMetadata).standinUrl ?? STANDIN_URL;
}

/** The ML Commons release this test's project runs at; undefined: the newest. */
export function projectRelease(): string | undefined {
  return (test.info().project.metadata as ReleaseMetadata).release;
}

/** What the cluster of this test's project can do, for the few journeys whose outcome depends on the release. */
export function projectCapabilities(): Capabilities {
  const release = projectRelease();
  return capabilitiesOf(release ? { source: 'plugins', mlVersion: release } : { source: 'unknown' });
}

export async function searchStandin(
  request: APIRequestContext,
  body: Record<string, unknown>,
): Promise<SearchResponse<MlTask>> {
  const response = await request.post(`${standinUrl()}/_plugins/_ml/tasks/_search`, { data: body });
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
