// Reading a view's failure groups: the newest failures matching it, a page at a time with search_after, grouped by
// cause as each page arrives. Runs in the failure-reading worker in a browser, in the page elsewhere.
import { searchTasks } from '../api/ml';
import {
  FAILURE_PAGE_SIZE,
  FAILURE_READ_CAP,
  FailureGrouper,
  failurePageBody,
  nextFailurePage,
  type FailureGroupsResult,
} from '../../shared/failure-groups';
import type { TaskSearchBody } from '../../shared/ml-types';

/** What the groups are built from: the view's filters (its query and post_filter) and the failed states asked for. */
export interface FailureScope {
  filter: Pick<TaskSearchBody, 'query' | 'post_filter'>;
  states: string[];
}

/** Reads up to `cap` of the newest failures in the scope and groups them; stops early when the view has fewer. */
export async function readFailureGroups(
  scope: FailureScope,
  signal?: AbortSignal,
  cap = FAILURE_READ_CAP,
  pageSize = FAILURE_PAGE_SIZE,
): Promise<FailureGroupsResult> {
  const grouper = new FailureGrouper();
  let total = 0;
  let after: number | undefined;
  for (let first = true; grouper.read < cap; first = false) {
    // Always a whole page: a page re-reads the tasks of its start's millisecond, and asking for only what the cap
    // still lacks would then take a request or three for a handful of tasks. The grouper stops at the cap.
    const page = await searchTasks(failurePageBody(scope.filter, scope.states, pageSize, after), signal);
    if (first) total = page.hits.total?.value ?? 0;
    grouper.add(page.hits.hits, cap);
    const next = nextFailurePage(page.hits.hits, pageSize, after);
    if (next === undefined) break;
    after = next;
  }
  return grouper.result(total);
}
