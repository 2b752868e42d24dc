// The task table: server-side paging and sorting, selection for bulk actions, hideable columns.
// Every value from the cluster is rendered as text, never as HTML.
import { memo, useCallback, useEffect, useId, useMemo, useRef, type ReactNode } from 'react';
import {
  EuiCheckbox,
  EuiFlexGroup,
  EuiFlexItem,
  EuiLink,
  EuiProgress,
  EuiScreenReaderOnly,
  EuiTable,
  EuiTableBody,
  EuiTableHeader,
  EuiTableHeaderCell,
  EuiTableHeaderCellCheckbox,
  EuiTablePagination,
  EuiTableRow,
  EuiTableRowCell,
} from '@elastic/eui';
import { RowClassNames, type RowClasses } from './row-classes';
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
import { PAGE_SIZES, type SortField, type TaskViewState } from '../../shared/task-view-state';

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
function WorkerNodes({ value, names, classes }: { value: unknown; names: NodeNames; classes: RowClasses }) {
  const [first, ...rest] = workerNodeList(value).map((id) => nodeLabel(names, id));
  if (first === undefined) return <MissingValue />;
  const all = [first, ...rest].map(describeInList);
  const title = names.status === 'unavailable' ? `${all.join(', ')}. ${names.reason}` : all.join(', ');
  return (
    <span title={title} data-test-subj="workerNodes" style={NOWRAP}>
      {first.text}
      {first.named && <span className={classes.srOnly}> (node ID {first.id})</span>}
      {first.inCluster === false && <span className={classes.text.warning}> ({NOT_IN_CLUSTER})</span>}
      {rest.length > 0 && (
        <>
          {' '}
          <span className={classes.text.subdued} aria-hidden>
            +{rest.length}
          </span>
          <span className={classes.srOnly}>, {rest.map(describeInList).join(', ')}</span>
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
      classes: RowClasses;
      /** The stale rule that flags this row's task, if one does. */
      finding?: StaleFinding;
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
    render: (hit, { finding, classes }) => {
      const state = <TaskStateBadge state={hit._source.state} dots={classes.dot} />;
      if (!finding) return state;
      // A stale task says so beside its state, which it keeps for ever.
      return (
        <EuiFlexGroup gutterSize="xs" direction="column" alignItems="flexStart" responsive={false}>
          <EuiFlexItem grow={false}>{state}</EuiFlexItem>
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
    render: (hit, { classes }) => {
      const error = taskErrorText(hit._source);
      if (!error) return <MissingValue />;
      // A deploy error is JSON of {node: message}: the row shows the first message, not the JSON.
      const nodes = parseNodeErrors(error);
      const line = nodes?.length
        ? `${nodes[0]!.message}${nodes.length > 1 ? ` (and ${nodes.length - 1} more nodes)` : ''}`
        : firstLine(error, 200);
      return (
        <span className={classes.text.danger} data-test-subj="taskErrorLine" title={line} style={ONE_LINE}>
          {line}
        </span>
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
    render: (hit, { nodeNames, classes }) => (
      <WorkerNodes value={hit._source.worker_node} names={nodeNames} classes={classes} />
    ),
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
/** The loading line sits on the table's top edge. */
const RELATIVE = { position: 'relative' } as const;
const NO_FINDINGS: ReadonlyMap<string, StaleFinding> = new Map();

/** What every cell of a row reads besides its task. */
type CellContext = Parameters<ColumnDef['render']>[1];
/** The part of it that is the same for every row of a render: one object. */
type RowContext = Omit<CellContext, 'classes' | 'finding'>;

interface TaskRowProps {
  hit: TaskHit;
  columns: ColumnDef[];
  ctx: RowContext;
  finding: StaleFinding | undefined;
  active: boolean;
  checkboxId: string;
  /** Undefined: no selection column (a read-only console). */
  onToggle: ((hit: TaskHit, on: boolean) => void) | undefined;
  selected: boolean;
  /** Why the task cannot be selected (deleted); undefined when it can. */
  refusal: string | undefined;
  /** The class names of the row's cells and their parts: see row-classes.tsx. */
  classes: RowClasses;
}

/**
 * One row, rendered again only when its task, its columns, its selection, its mark or the clock change: a new page
 * renders its new rows, and a click on a checkbox renders one row. EUI's basic table renders every row on every
 * change and wraps each checkbox in a tooltip; its rows cost twice these (bench/README.md).
 */
const TaskRow = memo(function TaskRow(props: TaskRowProps) {
  const { hit, columns, ctx, finding, active, checkboxId, onToggle, selected, refusal, classes } = props;
  const id = hit._id;
  const cellCtx: CellContext = { ...ctx, classes, ...(finding ? { finding } : {}) };
  return (
    <EuiTableRow
      isSelected={selected}
      hasSelection={onToggle !== undefined}
      data-test-subj={`taskRow-${id}`}
      aria-current={active ? 'true' : undefined}
      className={active ? 'taskRow--active' : undefined}
    >
      {onToggle && (
        <td className={classes.checkbox}>
          <div className="euiTableCellContent">
            <EuiCheckbox
              id={checkboxId}
              checked={selected}
              disabled={refusal !== undefined}
              onChange={(event) => onToggle(hit, event.target.checked)}
              // The reason a task cannot be selected is its label, and its title for the pointer.
              aria-label={refusal ?? `Select task ${id}`}
              title={refusal}
              data-test-subj={`checkboxSelectRow-${id}`}
            />
          </div>
        </td>
      )}
      {columns.map((c) => (
        <td key={c.id} className={classes.cell} data-test-subj={`column-${c.id}`}>
          <div className={classes.content}>{c.render(hit, cellCtx)}</div>
        </td>
      ))}
    </EuiTableRow>
  );
});

/** The column headers change with the columns and the sort only, not with every page of rows. */
const ColumnHeaders = memo(function ColumnHeaders(props: {
  columns: ColumnDef[];
  sort: SortField;
  dir: 'asc' | 'desc';
  onSort: (field: SortField) => void;
}) {
  const { columns, sort, dir, onSort } = props;
  return columns.map((c) => (
    <EuiTableHeaderCell
      key={c.id}
      data-test-subj={`tableHeaderCell_${c.id}`}
      {...(c.sort
        ? {
            onSort: () => onSort(c.sort!),
            isSorted: sort === c.sort,
            isSortAscending: sort === c.sort ? dir === 'asc' : undefined,
          }
        : {})}
    >
      {c.name}
    </EuiTableHeaderCell>
  ));
});

function TasksTableView(props: TasksTableProps) {
  const { hits, total, view, now, isLoading, hiddenColumns, onOpen, activeId, onSelectionChange } = props;
  const staleFindings = props.staleFindings ?? NO_FINDINGS;
  const capabilities = useCapabilities();
  const nodeNames = useNodeNames();
  const tableId = useId();
  const columns = useMemo(() => TASK_COLUMNS.filter((c) => !hiddenColumns.includes(c.id)), [hiddenColumns]);
  const ctx = useMemo<RowContext>(() => ({ now, onOpen, nodeNames }), [now, onOpen, nodeNames]);

  const selectedIds = useMemo(() => new Set(props.selection.map((h) => h._id)), [props.selection]);
  const refusals = useMemo(() => {
    const m = new Map<string, string>();
    for (const hit of hits) {
      const check = canDelete(hit._source, capabilities);
      if (!check.ok) m.set(hit._id, check.reason);
    }
    return m;
  }, [hits, capabilities]);
  const selectable = hits.filter((h) => !refusals.has(h._id));
  const selectedOnPage = selectable.filter((h) => selectedIds.has(h._id)).length;
  // The rows read the selection through a ref: toggling one row re-renders that row, not every row.
  const selectionRef = useRef(props.selection);
  useEffect(() => {
    selectionRef.current = props.selection;
  }, [props.selection]);
  const onToggle = useCallback(
    (hit: TaskHit, on: boolean) => {
      const current = selectionRef.current;
      onSelectionChange?.(on ? [...current, hit] : current.filter((h) => h._id !== hit._id));
    },
    [onSelectionChange],
  );

  const pageCount = Math.ceil(reachableMatches(total, view.size) / view.size);
  const { onTableChange } = props;
  const sortBy = useCallback(
    (field: SortField) =>
      onTableChange({
        page: 0,
        size: view.size,
        sort: field,
        // The sorted column flips; another starts ascending, as EUI's tables do.
        dir: field === view.sort ? (view.dir === 'asc' ? 'desc' : 'asc') : 'asc',
      }),
    [onTableChange, view.size, view.sort, view.dir],
  );
  const columnCount = columns.length + (onSelectionChange ? 1 : 0);

  return (
    <div data-test-subj="tasksTable" aria-busy={isLoading} style={RELATIVE}>
      {isLoading && <EuiProgress size="xs" color="accent" position="absolute" aria-hidden />}
      <EuiTable id={tableId} tableLayout="auto" compressed responsiveBreakpoint={false}>
        <EuiScreenReaderOnly>
          <caption>
            ML Commons tasks
            {hits.length > 0 && pageCount > 0
              ? `: ${hits.length} rows shown, page ${view.page + 1} of ${pageCount}.`
              : ''}
          </caption>
        </EuiScreenReaderOnly>
        <EuiTableHeader>
          {onSelectionChange && (
            <EuiTableHeaderCellCheckbox>
              <EuiCheckbox
                id={`${tableId}-all`}
                checked={selectable.length > 0 && selectedOnPage === selectable.length}
                indeterminate={selectedOnPage > 0 && selectedOnPage < selectable.length}
                disabled={selectable.length === 0}
                onChange={(event) => onSelectionChange(event.target.checked ? selectable : [])}
                aria-label={
                  selectedOnPage > 0 ? 'Deselect the tasks on this page' : 'Select every task on this page'
                }
                data-test-subj="checkboxSelectAll"
              />
            </EuiTableHeaderCellCheckbox>
          )}
          <ColumnHeaders columns={columns} sort={view.sort} dir={view.dir} onSort={sortBy} />
        </EuiTableHeader>
        <EuiTableBody>
          {hits.length === 0 ? (
            <EuiTableRow>
              <EuiTableRowCell align="center" colSpan={columnCount}>
                {props.noItemsMessage}
              </EuiTableRowCell>
            </EuiTableRow>
          ) : (
            <RowClassNames>
              {(classes) =>
                hits.map((hit) => (
                  <TaskRow
                    key={hit._id}
                    classes={classes}
                    hit={hit}
                    columns={columns}
                    ctx={ctx}
                    finding={staleFindings.get(hit._id)}
                    active={hit._id === activeId}
                    checkboxId={`${tableId}-${hit._id}`}
                    onToggle={onSelectionChange ? onToggle : undefined}
                    selected={selectedIds.has(hit._id)}
                    refusal={refusals.get(hit._id)}
                  />
                ))
              }
            </RowClassNames>
          )}
        </EuiTableBody>
      </EuiTable>
      {pageCount > 0 && (
        <EuiTablePagination
          aria-controls={tableId}
          aria-label="Pages of tasks"
          activePage={view.page}
          pageCount={pageCount}
          onChangePage={(page) =>
            props.onTableChange({ page, size: view.size, sort: view.sort, dir: view.dir })
          }
          itemsPerPage={view.size}
          itemsPerPageOptions={[...PAGE_SIZES]}
          showPerPageOptions
          onChangeItemsPerPage={(size) =>
            props.onTableChange({
              page: 0,
              size: size as TaskViewState['size'],
              sort: view.sort,
              dir: view.dir,
            })
          }
        />
      )}
    </div>
  );
}
