// Deleting tasks, one at a time, with progress and a per-task report; deleted rows leave every cached page at once.
// A hook of the task view itself, so that a deletion starts from the click that confirms it, never from an effect
// (StrictMode runs effects twice: the second run used to delete again and report "Deleted 0 of 1").
import { useState } from 'react';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { deleteTask } from '../api/ml';
import type { MlTask, SearchResponse } from '../../shared/ml-types';
import { taskKeys } from './task-queries';

export interface DeletionFailure {
  id: string;
  reason: string;
}

export interface DeletionReport {
  deleted: string[];
  failed: DeletionFailure[];
}

const NOT_FOUND_REASON = 'The cluster has no such task: it was already deleted';

function failureReason(error: unknown): string {
  if (error instanceof ApiError && error.classified.meaning === 'not-found') {
    return `${NOT_FOUND_REASON} (${error.reason}, HTTP ${error.status})`;
  }
  if (error instanceof ApiError) return `${error.reason} (HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}

/** Takes a deleted task out of every cached list page and its total, so it leaves the table at once. */
function removeFromCache(queryClient: QueryClient, id: string): void {
  queryClient.setQueriesData<SearchResponse<MlTask>>({ queryKey: taskKeys.lists() }, (data) => {
    if (!data || !data.hits.hits.some((h) => h._id === id)) return data;
    const total = data.hits.total && { ...data.hits.total, value: Math.max(0, data.hits.total.value - 1) };
    return { ...data, hits: { ...data.hits, total, hits: data.hits.hits.filter((h) => h._id !== id) } };
  });
  queryClient.removeQueries({ queryKey: taskKeys.detail(id) });
}

export function useTaskDeletion(onDeleted?: (ids: string[]) => void) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState(0);
  const mutation = useMutation({
    // One at a time: a cluster under trouble should not get a burst, and progress stays meaningful.
    mutationFn: async (ids: string[]): Promise<DeletionReport> => {
      const report: DeletionReport = { deleted: [], failed: [] };
      setDone(0);
      for (const id of ids) {
        try {
          const answer = await deleteTask(id);
          // 2.4 and 2.5 answer 200 for an id they do not have, with `result: not_found`.
          if (answer.result === 'not_found') report.failed.push({ id, reason: NOT_FOUND_REASON });
          else report.deleted.push(id);
          removeFromCache(queryClient, id);
        } catch (error) {
          report.failed.push({ id, reason: failureReason(error) });
        }
        setDone((n) => n + 1);
      }
      return report;
    },
    onSettled: (report) => {
      if (report?.deleted.length) onDeleted?.(report.deleted);
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: taskKeys.allCounts() });
    },
  });
  return { ...mutation, done };
}

export type TaskDeletion = ReturnType<typeof useTaskDeletion>;
