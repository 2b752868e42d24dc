// Reading a view's failure groups through the console's own API client (shared/failure-scope.ts reads and groups).
// Runs in the failure-reading worker in a browser, in the page elsewhere.
import { searchTasks } from '../api/ml';
import type { FailureGroupsResult } from '../../shared/failure-groups';
import { readFailureGroupsWith, type FailureScope } from '../../shared/failure-scope';

/** Reads up to `cap` of the newest failures in the scope and groups them; stops early when the view has fewer. */
export function readFailureGroups(
  scope: FailureScope,
  signal?: AbortSignal,
  cap?: number,
  pageSize?: number,
): Promise<FailureGroupsResult> {
  return readFailureGroupsWith((body, s) => searchTasks(body, s), scope, { signal, cap, pageSize });
}
