// React Query keys and query options for tasks: the one place that knows how task data is fetched and cached.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { getTask, searchTasks, type TaskSearchBody } from '../api/ml';
import type { MlTask } from '../api/ml-types';
import { isFinished } from './task-fields';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  /** A list is identified by the exact body it sends: one view, one request, one cache entry. */
  list: (body: TaskSearchBody) => [...taskKeys.lists(), body] as const,
  details: () => [...taskKeys.all, 'detail'] as const,
  detail: (taskId: string) => [...taskKeys.details(), taskId] as const,
};

export function taskListQueryOptions(body: TaskSearchBody, refreshMs = 0) {
  return queryOptions({
    queryKey: taskKeys.list(body),
    queryFn: ({ signal }) => searchTasks(body, signal),
    // Keep showing the previous page while the next one loads instead of flashing an empty table.
    placeholderData: keepPreviousData,
    // React Query's timer is the only one; it pauses while the tab is hidden.
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
  });
}

/** How often an open drawer re-reads a task that has not finished yet. */
export const UNFINISHED_TASK_REFRESH_MS = 5000;

export function taskDetailQueryOptions(taskId: string) {
  return queryOptions({
    queryKey: taskKeys.detail(taskId),
    queryFn: ({ signal }) => getTask(taskId, signal),
    refetchInterval: (query) => {
      const task = query.state.data as MlTask | undefined;
      // A failed read (the task was deleted, the cluster is down) waits for "Try again" instead of repeating every 5 s.
      if (query.state.status === 'error') return false;
      return task && !isFinished(task.state) ? UNFINISHED_TASK_REFRESH_MS : false;
    },
    refetchIntervalInBackground: false,
  });
}
