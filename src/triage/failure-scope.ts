// The scope a view's failure groups are read in: its own filters without any `failure:` term, and the failed states
// its cluster has; the tasks page (for `failure:`) and the failures page use the same one, so they share one reading.
import { failedStatesOf } from '../../shared/failure-groups';
import type { TaskQuery } from '../../shared/task-query';
import { buildTaskSearchBody } from '../../shared/task-search-body';
import type { TaskViewState } from '../../shared/task-view-state';
import type { FailureScope } from './failure-read';
import { withoutFailureGroups } from './failure-query';

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
