// The tasks page: runs the task search through React Query and shows its result, loading, empty and error states.
import { EuiFlexGroup, EuiFlexItem, EuiSpacer, EuiText } from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import type { TotalHits } from '../api/ml-types';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { taskListQueryOptions } from './task-queries';
import { DEFAULT_TASK_LIST_PARAMS } from './task-search-body';
import { TasksTable } from './tasks-table';

function totalLabel(total: TotalHits | undefined, shown: number): string {
  if (!total) return `${shown.toLocaleString()} tasks shown`;
  const count = `${total.value.toLocaleString()}${total.relation === 'gte' ? '+' : ''}`;
  return `Showing ${shown.toLocaleString()} of ${count} ${total.value === 1 ? 'task' : 'tasks'}`;
}

export function TasksPage() {
  const { data, error, isFetching, refetch } = useQuery(taskListQueryOptions(DEFAULT_TASK_LIST_PARAMS));
  const hits = data?.hits.hits ?? [];

  return (
    <>
      {error && (
        <>
          <RequestErrorCallOut title="Could not search tasks" error={error} onRetry={() => void refetch()} />
          <EuiSpacer size="m" />
        </>
      )}
      <EuiFlexGroup justifyContent="spaceBetween" alignItems="center" responsive={false}>
        <EuiFlexItem grow={false}>
          <EuiText size="s" color="subdued" data-test-subj="tasksTotal">
            {data ? totalLabel(data.hits.total, hits.length) : '\u00a0'}
          </EuiText>
        </EuiFlexItem>
      </EuiFlexGroup>
      <EuiSpacer size="s" />
      <TasksTable hits={hits} isLoading={isFetching} hasError={Boolean(error)} />
    </>
  );
}
