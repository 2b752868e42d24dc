// Pure builder from the task list's parameters to the one search body sent to `_search`.
import type { TaskSearchBody } from '../api/ml';

export const DEFAULT_PAGE_SIZE = 25;

export interface TaskListParams {
  pageIndex: number;
  pageSize: number;
}

export const DEFAULT_TASK_LIST_PARAMS: TaskListParams = { pageIndex: 0, pageSize: DEFAULT_PAGE_SIZE };

export function buildTaskSearchBody(params: TaskListParams = DEFAULT_TASK_LIST_PARAMS): TaskSearchBody {
  const from = params.pageIndex * params.pageSize;
  return {
    ...(from > 0 ? { from } : {}),
    size: params.pageSize,
    sort: [{ create_time: { order: 'desc' } }],
    // The default stops counting at 10,000; the table's count should be exact.
    track_total_hits: true,
  };
}
