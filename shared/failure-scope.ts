// The scope a view's failure groups are read in, and their reading: the view's own filters without any `failure:`
// term and the failed states its cluster has, read a page at a time with search_after and grouped as each page
// arrives. The failures page, the tasks page (for `failure:`) and the gateway (which renders the failures page) use
// the same scope, so they share one reading; each reads through its own search (the browser's, the gateway's).
import {
  FAILURE_PAGE_SIZE,
  FAILURE_READ_CAP,
  FailureGrouper,
  failedStatesOf,
  failurePageBody,
  nextFailurePage,
  type FailureGroupsResult,
} from './failure-groups';
import type { MlTask, SearchResponse, TaskSearchBody } from './ml-types';
import type { TaskQuery } from './task-query';
import { buildTaskSearchBody } from './task-search-body';
import type { TaskViewState } from './task-view-state';

/** What the groups are built from: the view's filters (its query and post_filter) and the failed states asked for. */
export interface FailureScope {
  filter: Pick<TaskSearchBody, 'query' | 'post_filter'>;
  states: string[];
}

/** The query showing exactly one group's tasks: any other `failure:` term gives way to it. */
export function withFailureGroup(query: TaskQuery, fingerprint: string): TaskQuery {
  return { ...query, failure: { include: [fingerprint], exclude: [] } };
}

export function withoutFailureGroups(query: TaskQuery): TaskQuery {
  if (query.failure.include.length === 0 && query.failure.exclude.length === 0) return query;
  return { ...query, failure: { include: [], exclude: [] } };
}

/** The scope the groups are read in: the view's own filters without any `failure:` term, and the failed states. */
export function failureScopeOf(
  view: TaskViewState,
  query: TaskQuery | undefined,
  capabilities: Parameters<typeof buildTaskSearchBody>[2] & Parameters<typeof failedStatesOf>[0],
): FailureScope | undefined {
  if (!query) return undefined;
  const body = buildTaskSearchBody(view, withoutFailureGroups(query), capabilities);
  return {
    filter: {
      ...(body.query ? { query: body.query } : {}),
      ...(body.post_filter ? { post_filter: body.post_filter } : {}),
    },
    states: failedStatesOf(capabilities),
  };
}

/** A task search, as the reader's side sends it: the browser's API client, or the gateway's proxy. */
export type FailureSearch = (body: TaskSearchBody, signal?: AbortSignal) => Promise<SearchResponse<MlTask>>;

/** What one page of the reading did: for a caller that reports it (the bench). */
export interface FailurePageReport {
  /** Hits asked for. */
  asked: number;
  /** Failures the page added (a page re-reads the tasks of its start's millisecond). */
  added: number;
  /** Time spent grouping the page, in ms. */
  groupMs: number;
}

export interface FailureReadOptions {
  /** Aborted between pages, it ends the reading with its reason. */
  signal?: AbortSignal;
  cap?: number;
  pageSize?: number;
  onPage?: (report: FailurePageReport) => void;
}

/** Reads up to `cap` of the newest failures in the scope through `search` and groups them; stops early when the view has fewer. */
export async function readFailureGroupsWith(
  search: FailureSearch,
  scope: FailureScope,
  { signal, cap = FAILURE_READ_CAP, pageSize = FAILURE_PAGE_SIZE, onPage }: FailureReadOptions = {},
): Promise<FailureGroupsResult> {
  const grouper = new FailureGrouper();
  let total = 0;
  let after: number | undefined;
  for (let first = true; grouper.read < cap; first = false) {
    signal?.throwIfAborted();
    // Always a whole page: a page re-reads the tasks of its start's millisecond, and asking for only what the cap
    // still lacks would then take a request or three for a handful of tasks. The grouper stops at the cap.
    const page = await search(failurePageBody(scope.filter, scope.states, pageSize, after), signal);
    if (first) total = page.hits.total?.value ?? 0;
    const before = grouper.read;
    const start = onPage ? performance.now() : 0;
    grouper.add(page.hits.hits, cap);
    onPage?.({ asked: pageSize, added: grouper.read - before, groupMs: performance.now() - start });
    const next = nextFailurePage(page.hits.hits, pageSize, after);
    if (next === undefined) break;
    after = next;
  }
  return grouper.result(total);
}
