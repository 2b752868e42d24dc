// The task table: server-side paging and sorting, selection for bulk actions, hideable columns.
// Every value from the cluster is rendered as text, never as HTML.
import { memo, type ReactNode } from 'react';
import {
  EuiBasicTable,
  EuiFlexGroup,
  EuiFlexItem,
  EuiLink,
  EuiScreenReaderOnly,
  EuiTextColor,
  type Criteria,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import type { MlTask, SearchHit } from '../../shared/ml-types';
import { CopyButton } from '../lib/copy-button';
import { formatDuration, formatRelative, formatTimestamp, toDate, workerNodeList } from '../lib/format';
import { AppLink, modelPath } from '../lib/router';
import { useCapabilities } from '../lib/cluster-report';
import { NOT_IN_CLUSTER, nodeLabel, type NodeLabel, type NodeNames } from '../nodes/cluster-nodes';
import { useNodeNames } from '../nodes/use-node-names';
import { canDelete, firstLine, parseNodeErrors, taskDuration, taskErrorText } from './task-fields';
import { MissingValue, TaskStateBadge } from './task-state-badge';
import { reachableMatches } from '../../shared/result-window';
import type { StaleFinding } from '../../shared/stale-rules';
import { StaleBadge } from '../triage/stale-view';
import { PAGE_SIZES, SORT_FIELDS, type SortField, type TaskViewState } from '../../shared/task-view-state';

export type TaskHit = SearchHit<MlTask>;

/** Ids and timestamps are read as one token: never break them across lines. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;
/** The id and its copy button on one line, without a flex group per row. */
const ID_AND_COPY = { display: 'inline-flex', alignItems: 'center', gap: 4, whiteSpace: 'nowrap' } as const;
/** Free text gets one line of bounded width; the whole text is in the title and in the drawer. */
const ONE_LINE = {
  display: 'block',
  maxWidth: '14em',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
} as const;

function TextValue({ value }: { value: unknown }) {
  if (value === undefined || value === null || value === '') return <MissingValue />;
  // Enum values such as REGISTER_MODEL read as one word.
  return <span style={NOWRAP}>{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

// The absolute time is the element's title: a tooltip component per cell would double the table's render work.
function RelativeTime({ value, now }: { value: unknown; now: number }) {
  const absolute = formatTimestamp(value);
  if (absolute === undefined) return <TextValue value={value} />;
  return (
    <time
      dateTime={toDate(value)?.toISOString()}
      style={NOWRAP}
      title={absolute}
      aria-label={`${formatRelative(value, now)}, ${absolute}`}
    >
      {formatRelative(value, now)}
    </time>
  );
}

// DEPLOY_MODEL lists every eligible node: show the first and a count so a row stays one line high;
// the whole list is in the title and read out to screen readers. Names replace ids once `_nodes` has answered.
function WorkerNodes({ value, names }: { value: unknown; names: NodeNames }) {
  const [first, ...rest] = workerNodeList(value).map((id) => nodeLabel(names, id));
  if (first === undefined) return <MissingValue />;
  const all = [first, ...rest].map(describeInList);
  const title = names.status === 'unavailable' ? `${all.join(', ')}. ${names.reason}` : all.join(', ');
  return (
    <span title={title} data-test-subj="workerNodes" style={NOWRAP}>
      {first.text}
      {first.named && (
        <EuiScreenReaderOnly>
          <span> (node ID {first.id})</span>
        </EuiScreenReaderOnly>
      )}
      {first.inCluster === false && <EuiTextColor color="warning"> ({NOT_IN_CLUSTER})</EuiTextColor>}
      {rest.length > 0 && (
        <>
          {' '}
          <EuiTextColor color="subdued" aria-hidden>
            +{rest.length}
          </EuiTextColor>
          <EuiScreenReaderOnly>
            <span>, {rest.map(describeInList).join(', ')}</span>
          </EuiScreenReaderOnly>
        </>
      )}
    </span>
  );
}

function describeInList(label: NodeLabel): string {
  if (label.named) return `${label.text} (${label.id})`;
  return label.inCluster === false ? `${label.id} (${NOT_IN_CLUSTER})` : label.id;
}

export interface ColumnDef {
  id: string;
  name: string;
  /** The sort field this column sorts by, when it can be sorted on the server. */
  sort?: SortField;

  render: (
    hit: TaskHit,
    ctx: {
      now: number;
      onOpen: (id: string) => void;
      nodeNames: NodeNames;
      staleFindings: ReadonlyMap<string, StaleFinding>;
    },
  ) => ReactNode;
}

export const TASK_COLUMNS: ColumnDef[] = [
  {
    id: 'id',
    name: 'Task ID',
    render: (hit, { onOpen }) => (
      <span style={ID_AND_COPY}>
        <EuiLink onClick={() => onOpen(hit._id)} data-test-subj="taskId">
          {hit._id}
        </EuiLink>
        <CopyButton text={hit._id} what={`task id ${hit._id}`} />
      </span>
    ),
  },
  {
    id: 'type',
    name: 'Type',
    sort: 'task_type',
    render: (hit) => <TextValue value={hit._source.task_type} />,
  },
  {
    id: 'function',
    name: 'Function',
    sort: 'function_name',
    render: (hit) => <TextValue value={hit._source.function_name} />,
  },
  {
    id: 'state',
    name: 'State',
    sort: 'state',
    render: (hit, { staleFindings }) => {
      const finding = staleFindings.get(hit._id);
      if (!finding) return <TaskStateBadge state={hit._source.state} />;
      // A stale task says so beside its state, which it keeps for ever.
      return (
        <EuiFlexGroup gutterSize="xs" direction="column" alignItems="flexStart" responsive={false}>
          <EuiFlexItem grow={false}>
            <TaskStateBadge state={hit._source.state} />
          </EuiFlexItem>
          <EuiFlexItem grow={false}>
            <StaleBadge finding={finding} />
          </EuiFlexItem>
        </EuiFlexGroup>
      );
    },
  },
  {
    id: 'error',
    name: 'Error',
    render: (hit) => {
      const error = taskErrorText(hit._source);
      if (!error) return <MissingValue />;
      // A deploy error is JSON of {node: message}: the row shows the first message, not the JSON.
      const nodes = parseNodeErrors(error);
      const line = nodes?.length
        ? `${nodes[0]!.message}${nodes.length > 1 ? ` (and ${nodes.length - 1} more nodes)` : ''}`
        : firstLine(error, 200);
      return (
        <EuiTextColor color="danger" data-test-subj="taskErrorLine" title={line} style={ONE_LINE}>
          {line}
        </EuiTextColor>
      );
    },
  },
  {
    id: 'model',
    name: 'Model ID',
    sort: 'model_id',
    render: (hit) => {
      const id = hit._source.model_id;
      if (typeof id !== 'string' || id === '') return <MissingValue />;
      return (
        <span style={NOWRAP}>
          <AppLink to={modelPath(id)} data-test-subj="modelLink">
            {id}
          </AppLink>
        </span>
      );
    },
  },
  {
    id: 'nodes',
    name: 'Worker nodes',
    sort: 'worker_node',
    render: (hit, { nodeNames }) => <WorkerNodes value={hit._source.worker_node} names={nodeNames} />,
  },
  {
    id: 'created',
    name: 'Created',
    sort: 'create_time',
    render: (hit, { now }) => <RelativeTime value={hit._source.create_time} now={now} />,
  },
  {
    id: 'updated',
    name: 'Last updated',
    sort: 'last_update_time',
    render: (hit, { now }) => <RelativeTime value={hit._source.last_update_time} now={now} />,
  },
  {
    id: 'duration',
    name: 'Duration',
    render: (hit, { now }) => {
      const d = taskDuration(hit._source, now);
      if (!d) return <MissingValue />;
      return (
        <span style={NOWRAP}>{d.running ? `running for ${formatDuration(d.ms)}` : formatDuration(d.ms)}</span>
      );
    },
  },
  {
    id: 'async',
    name: 'Async',
    sort: 'is_async',
    render: (hit) =>
      hit._source.is_async === undefined ? <MissingValue /> : hit._source.is_async ? 'yes' : 'no',
  },
];

export interface TasksTableProps {
  hits: TaskHit[];
  total: number;
  view: TaskViewState;
  now: number;
  isLoading: boolean;
  hiddenColumns: string[];
  noItemsMessage: ReactNode;
  selection: TaskHit[];
  /** Undefined when the console is read-only: no selection column then. */
  onSelectionChange?: (selection: TaskHit[]) => void;
  onOpen: (taskId: string) => void;
  onTableChange: (change: {
    page: number;
    size: TaskViewState['size'];
    sort: SortField;
    dir: 'asc' | 'desc';
  }) => void;
  /** Rows the stale rules flag, by task id. */
  staleFindings?: ReadonlyMap<string, StaleFinding>;
  /** The row the keyboard is on. */
  activeId?: string;
}

/**
 * The table is the page's heaviest render: it re-renders only when what it shows changes. A new URL re-renders
 * the page at once, while the previous rows stay on screen until the new ones arrive; the table skips that render.
 * Callbacks are not compared: the page passes stable ones.
 */
export const TasksTable = memo(TasksTableView, (a, b) =>
  (Object.keys(a) as Array<keyof TasksTableProps>).every((key) => {
    if (key === 'view') return PAGING_FIELDS.every((f) => a.view[f] === b.view[f]);
    return (typeof a[key] === 'function' && typeof b[key] === 'function') || a[key] === b[key];
  }),
);

const PAGING_FIELDS = ['page', 'size', 'sort', 'dir'] as const;
const NO_FINDINGS: ReadonlyMap<string, StaleFinding> = new Map();

function TasksTableView(props: TasksTableProps) {
  const { hits, total, view, now, isLoading, hiddenColumns, onOpen, activeId } = props;
  const staleFindings = props.staleFindings ?? NO_FINDINGS;
  const capabilities = useCapabilities();
  const nodeNames = useNodeNames();
  const columns: Array<EuiBasicTableColumn<TaskHit>> = TASK_COLUMNS.filter(
    (c) => !hiddenColumns.includes(c.id),
  ).map((c) => ({
    // The column's `field` is what a sort reports back; the cells render from the whole hit.
    field: c.sort ?? c.id,
    name: c.name,
    sortable: Boolean(c.sort),
    render: (_value: unknown, hit: TaskHit) => c.render(hit, { now, onOpen, nodeNames, staleFindings }),
    'data-test-subj': `column-${c.id}`,
  }));
  const pageCount = reachableMatches(total, view.size);
  return (
    <EuiBasicTable<TaskHit>
      tableCaption="ML Commons tasks"
      items={hits}
      itemId="_id"
      columns={columns}
      tableLayout="auto"
      compressed
      // Always rows, never EUI's mobile cards: it is the same on the server, which cannot measure the window.
      responsiveBreakpoint={false}
      loading={isLoading}
      noItemsMessage={props.noItemsMessage}
      pagination={{
        pageIndex: view.page,
        pageSize: view.size,
        totalItemCount: pageCount,
        pageSizeOptions: [...PAGE_SIZES],
        showPerPageOptions: true,
      }}
      sorting={{ sort: { field: view.sort as keyof TaskHit, direction: view.dir } }}
      selection={
        props.onSelectionChange
          ? {
              selectable: (hit) => canDelete(hit._source, capabilities).ok,
              selectableMessage: (selectable, hit) => {
                const check = canDelete(hit._source, capabilities);
                return selectable || check.ok ? `Select task ${hit._id}` : check.reason;
              },
              onSelectionChange: props.onSelectionChange,
              selected: props.selection,
            }
          : undefined
      }
      rowProps={(hit) => ({
        'data-test-subj': `taskRow-${hit._id}`,
        'aria-current': hit._id === activeId ? 'true' : undefined,
        className: hit._id === activeId ? 'taskRow--active' : undefined,
      })}
      onChange={(criteria: Criteria<TaskHit>) => {
        const sortField = String(criteria.sort?.field ?? view.sort);
        const sort = (SORT_FIELDS as readonly string[]).includes(sortField)
          ? (sortField as SortField)
          : view.sort;
        const size = (criteria.page?.size ?? view.size) as TaskViewState['size'];
        props.onTableChange({
          page: size !== view.size || sort !== view.sort ? 0 : (criteria.page?.index ?? view.page),
          size,
          sort,
          dir: criteria.sort?.direction ?? view.dir,
        });
      }}
      data-test-subj="tasksTable"
    />
  );
}
