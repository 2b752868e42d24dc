// React Query keys and query options for tasks: the one place that knows how task data is fetched and cached.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { getTask, searchTasks } from '../api/ml';
import { buildTaskSearchBody, type TaskListParams } from './task-search-body';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  list: (params: TaskListParams) => [...taskKeys.lists(), params] as const,
  details: () => [...taskKeys.all, 'detail'] as const,
  detail: (taskId: string) => [...taskKeys.details(), taskId] as const,
};

export function taskListQueryOptions(params: TaskListParams) {
  return queryOptions({
    queryKey: taskKeys.list(params),
    queryFn: ({ signal }) => searchTasks(buildTaskSearchBody(params), signal),
    // Keep showing the previous page while the next one loads instead of flashing an empty table.
    placeholderData: keepPreviousData,
  });
}

export function taskDetailQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: ({ signal }) => getTask(taskId, signal),
  });
}
