// Deleting tasks, as the user sees it: one or many behind one confirmation, then progress and a per-task report.
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
import type { DeletionFailure, TaskDeletion } from './use-task-deletion';

export interface DeleteTasksModalProps {
  ids: string[];
  /** The task view's deletion: idle until confirmed (here, or in the drawer, which asks on its own). */
  deletion: TaskDeletion;
  onClose: () => void;
}

/** Confirmation, then progress, then the report: one modal for one task or many. */
export function DeleteTasksModal({ ids, deletion, onClose }: DeleteTasksModalProps) {
  const single = ids.length === 1;
  const title = single ? `Delete task ${ids[0]}?` : `Delete ${ids.length} tasks?`;

  if (deletion.isIdle) {
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
