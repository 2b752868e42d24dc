// Deleting tasks: one or many behind one confirmation, with progress, a per-task report of what failed, and the
// deleted rows taken out of every cached page at once.
import { useEffect, useState } from 'react';
import {
  EuiBasicTable,
  EuiButton,
  EuiCallOut,
  EuiCode,
  EuiConfirmModal,
  EuiModal,
  EuiModalBody,
  EuiModalFooter,
  EuiModalHeader,
  EuiModalHeaderTitle,
  EuiProgress,
  EuiSpacer,
  EuiText,
} from '@elastic/eui';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { deleteTask } from '../api/ml';
import type { MlTask, SearchResponse } from '../api/ml-types';
import { taskKeys } from './task-queries';

export interface DeletionFailure {
  id: string;
  reason: string;
}

interface DeletionReport {
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

export interface DeleteTasksModalProps {
  ids: string[];
  /** The user already confirmed elsewhere (the drawer asks on its own): start at once. */
  confirmed?: boolean;
  onClose: () => void;
  onDeleted?: (ids: string[]) => void;
}

/** Confirmation, then progress, then the report: one modal for one task or many. */
export function DeleteTasksModal({ ids, confirmed = false, onClose, onDeleted }: DeleteTasksModalProps) {
  const deletion = useTaskDeletion(onDeleted);
  const { isIdle, mutate } = deletion;
  useEffect(() => {
    if (confirmed && isIdle) mutate(ids);
  }, [confirmed, isIdle, mutate, ids]);
  const single = ids.length === 1;
  const title = single ? `Delete task ${ids[0]}?` : `Delete ${ids.length} tasks?`;

  if (deletion.isIdle && !confirmed) {
    return (
      <EuiConfirmModal
        title={title}
        onCancel={onClose}
        onConfirm={() => deletion.mutate(ids)}
        cancelButtonText="Cancel"
        confirmButtonText={single ? 'Delete task' : `Delete ${ids.length} tasks`}
        buttonColor="danger"
        defaultFocusedButton="cancel"
        data-test-subj="deleteTasksConfirm"
      >
        <EuiText size="s">
          <p>
            The task {single ? 'document is' : 'documents are'} removed from the cluster&apos;s task index.
            This does not stop or undo any work, and it cannot be undone.
          </p>
          {!single && (
            <p>
              {ids.slice(0, 8).map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <EuiCode>{id}</EuiCode>
                </span>
              ))}
              {ids.length > 8 && ` and ${ids.length - 8} more`}
            </p>
          )}
        </EuiText>
      </EuiConfirmModal>
    );
  }

  const report = deletion.data;
  return (
    <EuiModal onClose={onClose} aria-labelledby="deleteTasksTitle" data-test-subj="deleteTasksProgress">
      <EuiModalHeader>
        <EuiModalHeaderTitle id="deleteTasksTitle">
          {single ? 'Deleting the task' : `Deleting ${ids.length} tasks`}
        </EuiModalHeaderTitle>
      </EuiModalHeader>
      <EuiModalBody>
        <EuiProgress
          value={deletion.done}
          max={ids.length}
          size="m"
          color={report?.failed.length ? 'warning' : 'success'}
          valueText={`${deletion.done} of ${ids.length}`}
          label="Progress"
        />
        <EuiSpacer />
        {report && report.failed.length === 0 && (
          <EuiCallOut
            color="success"
            iconType="check"
            title={`Deleted ${report.deleted.length} of ${ids.length}.`}
            role="status"
          />
        )}
        {report && report.failed.length > 0 && (
          <>
            <EuiCallOut
              color="warning"
              iconType="warning"
              role="alert"
              title={`Deleted ${report.deleted.length} of ${ids.length}; ${report.failed.length} could not be deleted.`}
              data-test-subj="deleteFailures"
            />
            <EuiSpacer size="s" />
            <EuiBasicTable<DeletionFailure>
              tableCaption="Tasks that could not be deleted"
              items={report.failed}
              columns={[
                { field: 'id', name: 'Task ID' },
                { field: 'reason', name: 'Why' },
              ]}
            />
          </>
        )}
      </EuiModalBody>
      <EuiModalFooter>
        <EuiButton onClick={onClose} isDisabled={deletion.isPending} fill data-test-subj="deleteTasksDone">
          {deletion.isPending ? 'Deleting…' : 'Close'}
        </EuiButton>
      </EuiModalFooter>
    </EuiModal>
  );
}
