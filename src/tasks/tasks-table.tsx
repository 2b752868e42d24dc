// The task list as a plain table; every value from the cluster is rendered as text, never as HTML.
import {
  EuiBasicTable,
  EuiEmptyPrompt,
  EuiScreenReaderOnly,
  EuiTextColor,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { MlTask, SearchHit } from '../api/ml-types';
import { formatTimestamp, toDate, workerNodeList } from '../lib/format';
import { MissingValue, TaskStateBadge } from './task-state-badge';

type TaskHit = SearchHit<MlTask>;

function TextValue({ value }: { value: unknown }) {
  if (value === undefined || value === null || value === '') return <MissingValue />;
  return <>{typeof value === 'string' ? value : JSON.stringify(value)}</>;
}

/** Ids and timestamps are read as one token: never break them across lines. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function Timestamp({ value }: { value: unknown }) {
  const text = formatTimestamp(value);
  if (text === undefined)
    return value === undefined || value === null ? <MissingValue /> : <TextValue value={value} />;
  return (
    <time dateTime={toDate(value)?.toISOString()} style={NOWRAP}>
      {text}
    </time>
  );
}

// DEPLOY_MODEL lists every eligible node: show the first and a count so a row stays one line high;
// the whole list is in the tooltip and read out to screen readers.
function WorkerNodes({ value }: { value: unknown }) {
  const [first, ...rest] = workerNodeList(value);
  if (first === undefined) return <MissingValue />;
  return (
    <span title={[first, ...rest].join(', ')} data-test-subj="workerNodes" style={NOWRAP}>
      {first}
      {rest.length > 0 && (
        <>
          {' '}
          <EuiTextColor color="subdued" aria-hidden>
            +{rest.length}
          </EuiTextColor>
          <EuiScreenReaderOnly>
            <span>, {rest.join(', ')}</span>
          </EuiScreenReaderOnly>
        </>
      )}
    </span>
  );
}

const columns: Array<EuiBasicTableColumn<TaskHit>> = [
  {
    field: '_id',
    name: 'Task ID',
    render: (id: string) => (
      <span data-test-subj="taskId" style={NOWRAP}>
        {id}
      </span>
    ),
  },
  { name: 'Type', render: (hit: TaskHit) => <TextValue value={hit._source.task_type} /> },
  { name: 'Function', render: (hit: TaskHit) => <TextValue value={hit._source.function_name} /> },
  { name: 'State', render: (hit: TaskHit) => <TaskStateBadge state={hit._source.state} /> },
  {
    name: 'Model ID',
    render: (hit: TaskHit) => (
      <span style={NOWRAP}>
        <TextValue value={hit._source.model_id} />
      </span>
    ),
  },
  { name: 'Worker nodes', render: (hit: TaskHit) => <WorkerNodes value={hit._source.worker_node} /> },
  { name: 'Created', render: (hit: TaskHit) => <Timestamp value={hit._source.create_time} /> },
  {
    name: 'Last updated',
    render: (hit: TaskHit) => <Timestamp value={hit._source.last_update_time} />,
  },
];

export interface TasksTableProps {
  hits: TaskHit[];
  isLoading: boolean;
  /** The search failed: the table says so instead of claiming there are no tasks (the page shows the details). */
  hasError?: boolean;
}

export function TasksTable({ hits, isLoading, hasError = false }: TasksTableProps) {
  let noItemsMessage;
  if (isLoading) noItemsMessage = 'Loading tasks…';
  else if (hasError) noItemsMessage = 'Tasks could not be loaded.';
  else {
    noItemsMessage = (
      <EuiEmptyPrompt
        iconType="search"
        titleSize="xs"
        title={<h3>No tasks</h3>}
        body="The cluster has no ML Commons tasks yet. Registering, deploying or training a model creates one."
      />
    );
  }

  return (
    <EuiBasicTable<TaskHit>
      tableCaption="ML Commons tasks, newest first"
      items={hits}
      itemId="_id"
      rowHeader="_id"
      columns={columns}
      // Sized by content: ids, states and times are fixed-length tokens that should not wrap.
      tableLayout="auto"
      loading={isLoading}
      noItemsMessage={noItemsMessage}
      data-test-subj="tasksTable"
    />
  );
}
