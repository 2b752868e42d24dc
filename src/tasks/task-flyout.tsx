// The task drawer: one task read by id, shown as a summary, its error, response and raw JSON, with prev/next, filter and delete actions.
import { Suspense, lazy, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  EuiBasicTable,
  EuiButton,
  EuiButtonEmpty,
  EuiButtonIcon,
  EuiCallOut,
  EuiCodeBlock,
  EuiConfirmModal,
  EuiDescriptionList,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFlyout,
  EuiFlyoutBody,
  EuiFlyoutFooter,
  EuiFlyoutHeader,
  EuiScreenReaderOnly,
  EuiSkeletonText,
  EuiSkeletonTitle,
  EuiSpacer,
  EuiTab,
  EuiTabs,
  EuiText,
  EuiTitle,
  EuiToolTip,
  type EuiBasicTableColumn,
  type EuiDescriptionListProps,
  useEuiTheme,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { TASK_FIELDS, type MlTask } from '../../shared/ml-types';
import type { StaleFinding } from '../../shared/stale-rules';
import { StaleExplanation } from '../triage/stale-view';
import { CopyButton, TimeValue } from '../lib/field-values';
import { formatDuration, workerNodeList } from '../lib/format';
import { useCapabilities } from '../lib/cluster-report';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { AppLink, modelPath } from '../lib/router';
import { NodeName } from '../nodes/node-name';
import {
  canDelete,
  firstLine,
  isRemoteBatchJob,
  parseNodeErrors,
  taskDuration,
  taskErrorText,
  type NodeError,
} from './task-fields';
import { taskDetailQueryOptions } from './task-queries';
import type { FilterField } from '../../shared/task-query';
import { TaskStateBadge } from './task-state-badge';

const AskProvider = lazy(() => import('./ask-provider').then((m) => ({ default: m.AskProvider })));

export interface TaskFlyoutProps {
  taskId: string;
  onClose: () => void;
  /** Undefined when there is no previous task on this page: the button is disabled. */
  onPrevious?: () => void;
  onNext?: () => void;
  /** "Show only tasks with this value." */
  onFilter: (field: FilterField, value: string) => void;
  /** Undefined in a read-only console: no delete button. */
  onDelete?: (taskId: string) => void;
  /** Whether the stale rules flag the task as shown now (undefined until their facts are known). */
  staleOf?: (taskId: string, task: MlTask) => StaleFinding | undefined;
}

type TabId = 'summary' | 'error' | 'response' | 'remoteJob' | 'raw';

// Fields the summary lays out itself; any other field (a newer cluster's) is still listed, under its own name.
const KNOWN_FIELDS: ReadonlySet<string> = new Set(TASK_FIELDS);

const FIELD_LABELS: Record<FilterField, string> = {
  state: 'state',
  function: 'function',
  type: 'task type',
  node: 'worker node',
  model: 'model',
};

/** Any value as display text: strings as they are, everything else as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function isTextEntry(target: EventTarget): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

interface ValueProps {
  /** The text that is copied and filtered on. */
  value: string;
  /** Names the value in the buttons' accessible names ("Copy task type"). */
  label: string;
  /** How the value shows, when not as plain text. */
  children?: ReactNode;
  onFilter?: () => void;
}

/** One value with its copy button and, for filterable fields, a "filter by this value" button. */
function Value({ value, label, children, onFilter }: ValueProps) {
  return (
    <EuiFlexGroup gutterSize="xs" alignItems="center" responsive={false} wrap>
      <EuiFlexItem grow={false} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children ?? <span>{value}</span>}
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <CopyButton value={value} label={label} />
      </EuiFlexItem>
      {onFilter && (
        <EuiFlexItem grow={false}>
          <EuiButtonIcon
            iconType="filter"
            size="xs"
            color="text"
            aria-label={`Filter by ${label} ${value}`}
            title={`Show only tasks with this ${label}`}
            onClick={onFilter}
          />
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
}

interface SummaryProps {
  task: MlTask;
  now: number;
  onFilter: TaskFlyoutProps['onFilter'];
  onShowError: () => void;
}

function Summary({ task, now, onFilter, onShowError }: SummaryProps) {
  const items: NonNullable<EuiDescriptionListProps['listItems']> = [];
  const add = (title: string, description: ReactNode) => {
    items.push({ title, description: <div data-test-subj={`taskField-${title}`}>{description}</div> });
  };
  /** A keyword field: copyable, and filterable when it names one of the table's filters. */
  const keyword = (title: string, raw: unknown, field?: FilterField, display?: ReactNode) => {
    if (!isPresent(raw)) return;
    const value = asText(raw);
    const filterable = field !== undefined && typeof raw === 'string';
    add(
      title,
      <Value
        value={value}
        label={field ? FIELD_LABELS[field] : title.toLowerCase()}
        onFilter={filterable ? () => onFilter(field, value) : undefined}
      >
        {display}
      </Value>,
    );
  };

  keyword('Task type', task.task_type, 'type');
  keyword('Function', task.function_name, 'function');
  keyword('State', task.state, 'state', <TaskStateBadge state={task.state} />);
  keyword('Input type', task.input_type);

  if (isPresent(task.model_id)) {
    const modelId = asText(task.model_id);
    add(
      'Model',
      <EuiFlexGroup gutterSize="xs" alignItems="center" responsive={false} wrap>
        <EuiFlexItem grow={false} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          <AppLink to={modelPath(modelId)} data-test-subj="taskModelLink">
            {modelId}
          </AppLink>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <CopyButton value={modelId} label="model ID" />
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButtonEmpty size="xs" iconType="filter" onClick={() => onFilter('model', modelId)}>
            Other tasks of this model
          </EuiButtonEmpty>
        </EuiFlexItem>
      </EuiFlexGroup>,
    );
  }

  if (task.worker_node !== undefined) {
    const nodes = workerNodeList(task.worker_node);
    add(
      nodes.length === 1 ? 'Worker node' : 'Worker nodes',
      nodes.length === 0 ? (
        <span className="eui-textSubdued">none</span>
      ) : (
        <ul aria-label="Worker nodes">
          {nodes.map((node, index) => (
            <li key={`${index}-${node}`}>
              <Value value={node} label="worker node" onFilter={() => onFilter('node', node)}>
                <NodeName id={node} />
              </Value>
            </li>
          ))}
        </ul>
      ),
    );
  }

  if (isPresent(task.create_time)) add('Created', <TimeValue value={task.create_time} now={now} />);
  if (isPresent(task.last_update_time)) {
    add('Last updated', <TimeValue value={task.last_update_time} now={now} />);
  }
  const duration = taskDuration(task, now);
  if (duration) {
    add(
      'Duration',
      <span>
        {duration.running ? `running for ${formatDuration(duration.ms)}` : formatDuration(duration.ms)}
      </span>,
    );
  }

  const errorText = taskErrorText(task);
  if (errorText !== undefined) {
    add(
      'Error',
      <>
        <span style={{ overflowWrap: 'anywhere' }}>{firstLine(errorText, 200)}</span>{' '}
        <EuiButtonEmpty size="xs" flush="left" onClick={onShowError}>
          Show the full error
        </EuiButtonEmpty>
      </>,
    );
  }

  if (task.is_async !== undefined) {
    add(
      'Async',
      <span>{task.is_async === true ? 'Yes' : task.is_async === false ? 'No' : asText(task.is_async)}</span>,
    );
  }
  keyword('Tenant', task.tenant_id);
  if (isPresent(task.progress)) add('Progress', <span>{asText(task.progress)}</span>);
  keyword('Output index', task.output_index);

  for (const key of Object.keys(task)) {
    if (KNOWN_FIELDS.has(key) || !isPresent(task[key])) continue;
    const raw = task[key];
    if (typeof raw === 'object') {
      add(key, <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{prettyJson(raw)}</pre>);
    } else {
      keyword(key, raw);
    }
  }

  return (
    <EuiDescriptionList
      type="column"
      compressed
      columnWidths={[1, 3]}
      listItems={items}
      data-test-subj="taskSummary"
    />
  );
}

function ErrorTab({ task, onFilter }: { task: MlTask; onFilter: TaskFlyoutProps['onFilter'] }) {
  const text = taskErrorText(task) ?? '';
  const fromAgentResponse = !(typeof task.error === 'string' && task.error !== '');
  const nodeErrors = fromAgentResponse ? undefined : parseNodeErrors(task.error);

  if (nodeErrors && nodeErrors.length > 0) {
    const columns: Array<EuiBasicTableColumn<NodeError>> = [
      {
        field: 'node',
        name: 'Node',
        width: '16em',
        render: (node: string) => (
          <Value value={node} label="worker node" onFilter={() => onFilter('node', node)}>
            <NodeName id={node} />
          </Value>
        ),
      },
      {
        field: 'message',
        name: 'Message',
        render: (message: string) => (
          <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{message}</span>
        ),
      },
    ];
    return (
      <>
        <EuiText size="s">
          <p>
            The deployment failed on {nodeErrors.length} {nodeErrors.length === 1 ? 'node' : 'nodes'}:
          </p>
        </EuiText>
        <EuiSpacer size="s" />
        <EuiBasicTable
          items={nodeErrors}
          columns={columns}
          tableCaption="Deployment errors per node"
          data-test-subj="taskNodeErrors"
        />
        <EuiSpacer size="m" />
        <EuiTitle size="xxs">
          <h3>As stored</h3>
        </EuiTitle>
        <EuiSpacer size="xs" />
        <EuiCodeBlock language="json" whiteSpace="pre-wrap" isCopyable paddingSize="s" fontSize="s">
          {text}
        </EuiCodeBlock>
      </>
    );
  }

  return (
    <>
      {fromAgentResponse && (
        <>
          <EuiText size="s">
            <p>
              The agent reported this failure in <code>response.error_message</code>.
            </p>
          </EuiText>
          <EuiSpacer size="s" />
        </>
      )}
      <EuiCodeBlock
        language="text"
        whiteSpace="pre-wrap"
        isCopyable
        paddingSize="s"
        fontSize="s"
        data-test-subj="taskErrorText"
      >
        {text}
      </EuiCodeBlock>
    </>
  );
}

function JsonBlock({ value, testSubj }: { value: unknown; testSubj: string }) {
  return (
    <EuiCodeBlock language="json" isCopyable paddingSize="s" fontSize="s" data-test-subj={testSubj}>
      {prettyJson(value)}
    </EuiCodeBlock>
  );
}

function LoadingBody() {
  return (
    <div aria-busy="true" data-test-subj="taskFlyoutLoading">
      <EuiSkeletonTitle size="s" />
      <EuiSpacer size="m" />
      <EuiSkeletonText lines={8} />
    </div>
  );
}

export function TaskFlyout({
  taskId,
  onClose,
  onPrevious,
  onNext,
  onFilter,
  onDelete,
  staleOf,
}: TaskFlyoutProps) {
  const { euiTheme } = useEuiTheme();
  const titleId = useId();
  const tabsId = useId();
  const deleteReasonId = useId();
  const [selectedTab, setSelectedTab] = useState<TabId>('summary');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const { data: task, error, isPending, refetch, dataUpdatedAt } = useQuery(taskDetailQueryOptions(taskId));

  // The search finds nothing (null) for an unknown id; an error that means the same is classified so whatever
  // the release's form.
  const notFound = task === null || (error instanceof ApiError && error.classified.meaning === 'not-found');
  const shown = notFound ? undefined : (task ?? undefined);

  const tabs: Array<{ id: TabId; name: string }> = [{ id: 'summary', name: 'Summary' }];
  if (shown && taskErrorText(shown) !== undefined) tabs.push({ id: 'error', name: 'Error' });
  if (shown && isPresent(shown.response)) tabs.push({ id: 'response', name: 'Response' });
  if (shown && isPresent(shown.remote_job)) tabs.push({ id: 'remoteJob', name: 'Remote job' });
  if (shown) tabs.push({ id: 'raw', name: 'Raw JSON' });
  // Stepping to a task without the open tab (no error, say) shows its summary, and the tab comes back on the next one that has it.
  const activeTab = tabs.some((tab) => tab.id === selectedTab) ? selectedTab : 'summary';
  const tabDomId = (id: TabId) => `${tabsId}-${id}`;

  const capabilities = useCapabilities();
  const deletable = shown ? canDelete(shown, capabilities) : undefined;
  const deleteBlockedReason = deletable && !deletable.ok ? deletable.reason : undefined;
  const staleFinding = shown ? staleOf?.(taskId, shown) : undefined;

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTextEntry(event.target)) return;
    if (event.key === 'k' && onPrevious) {
      event.preventDefault();
      onPrevious();
    } else if (event.key === 'j' && onNext) {
      event.preventDefault();
      onNext();
    }
  };

  // Relative times count from the last fetch, which polling renews every few seconds while the task runs.
  const now = dataUpdatedAt;

  let body: ReactNode;
  if (task === null && !error) {
    body = (
      <EuiCallOut
        title={`Task ${taskId} was not found: it may have been deleted`}
        color="warning"
        iconType="warning"
        data-test-subj="taskNotFound"
      >
        <p>The cluster has no task with this ID.</p>
      </EuiCallOut>
    );
  } else if (error) {
    body = (
      <>
        <RequestErrorCallOut
          title={
            notFound
              ? `Task ${taskId} was not found: it may have been deleted`
              : `Could not load task ${taskId}`
          }
          error={error}
          onRetry={() => void refetch()}
        />
        {shown && <EuiSpacer size="m" />}
      </>
    );
  }
  const content = shown && (
    <div role="tabpanel" id={`${tabDomId(activeTab)}-panel`} aria-labelledby={tabDomId(activeTab)}>
      {activeTab === 'summary' && (
        <>
          {staleFinding && (
            <>
              <StaleExplanation finding={staleFinding} />
              <EuiSpacer size="m" />
            </>
          )}
          {isRemoteBatchJob(shown) && (
            <Suspense fallback={null}>
              <AskProvider taskId={taskId} />
            </Suspense>
          )}
          <Summary task={shown} now={now} onFilter={onFilter} onShowError={() => setSelectedTab('error')} />
        </>
      )}
      {activeTab === 'error' && <ErrorTab task={shown} onFilter={onFilter} />}
      {activeTab === 'response' && <JsonBlock value={shown.response} testSubj="taskResponse" />}
      {activeTab === 'remoteJob' && <JsonBlock value={shown.remote_job} testSubj="taskRemoteJob" />}
      {activeTab === 'raw' && <JsonBlock value={shown} testSubj="taskRawJson" />}
    </div>
  );

  return (
    <>
      <EuiFlyout
        ownFocus
        onClose={onClose}
        size="m"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        data-test-subj="taskFlyout"
      >
        <EuiFlyoutHeader hasBorder>
          <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false} wrap>
            <EuiFlexItem grow={false} style={{ minWidth: 0 }}>
              <EuiTitle size="s">
                <h2 id={titleId} style={{ overflowWrap: 'anywhere' }}>
                  Task <span data-test-subj="taskFlyoutId">{taskId}</span>
                </h2>
              </EuiTitle>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <CopyButton value={taskId} label="task ID" />
            </EuiFlexItem>
            {shown && (
              <EuiFlexItem grow={false}>
                <TaskStateBadge state={shown.state} />
              </EuiFlexItem>
            )}
          </EuiFlexGroup>
          <EuiSpacer size="s" />
          <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false}>
            <EuiFlexItem grow={false}>
              <EuiButtonEmpty
                size="xs"
                iconType="chevronSingleUp"
                isDisabled={!onPrevious}
                onClick={onPrevious}
                aria-keyshortcuts="k"
                title="Previous task (k)"
              >
                Previous task
              </EuiButtonEmpty>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButtonEmpty
                size="xs"
                iconType="chevronSingleDown"
                isDisabled={!onNext}
                onClick={onNext}
                aria-keyshortcuts="j"
                title="Next task (j)"
              >
                Next task
              </EuiButtonEmpty>
            </EuiFlexItem>
          </EuiFlexGroup>
          {shown && (
            <>
              <EuiSpacer size="s" />
              {/* Pulled down over the header's bottom padding (the flyout's default "l") so the tabs sit on its border. */}
              <EuiTabs size="s" bottomBorder={false} style={{ marginBlockEnd: `-${euiTheme.size.l}` }}>
                {tabs.map((tab) => (
                  <EuiTab
                    key={tab.id}
                    id={tabDomId(tab.id)}
                    aria-controls={`${tabDomId(tab.id)}-panel`}
                    isSelected={tab.id === activeTab}
                    onClick={() => setSelectedTab(tab.id)}
                  >
                    {tab.name}
                  </EuiTab>
                ))}
              </EuiTabs>
            </>
          )}
        </EuiFlyoutHeader>
        <EuiFlyoutBody>
          {body}
          {content}
          {isPending && <LoadingBody />}
        </EuiFlyoutBody>
        <EuiFlyoutFooter>
          <EuiFlexGroup justifyContent="spaceBetween" alignItems="center" responsive={false}>
            <EuiFlexItem grow={false}>
              <EuiButtonEmpty iconType="cross" flush="left" onClick={onClose}>
                Close
              </EuiButtonEmpty>
            </EuiFlexItem>
            {onDelete && (
              <EuiFlexItem grow={false}>
                <EuiToolTip content={deleteBlockedReason} position="top">
                  <EuiButton
                    color="danger"
                    iconType="trash"
                    isDisabled={!deletable?.ok}
                    aria-describedby={deleteBlockedReason ? deleteReasonId : undefined}
                    onClick={() => setConfirmingDelete(true)}
                  >
                    Delete task
                  </EuiButton>
                </EuiToolTip>
                {deleteBlockedReason && (
                  <EuiScreenReaderOnly>
                    <span id={deleteReasonId}>{deleteBlockedReason}</span>
                  </EuiScreenReaderOnly>
                )}
              </EuiFlexItem>
            )}
          </EuiFlexGroup>
        </EuiFlyoutFooter>
      </EuiFlyout>
      {confirmingDelete && onDelete && (
        <EuiConfirmModal
          title={`Delete task ${taskId}?`}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => {
            setConfirmingDelete(false);
            onDelete(taskId);
          }}
          cancelButtonText="Cancel"
          confirmButtonText="Delete task"
          buttonColor="danger"
          defaultFocusedButton="cancel"
        >
          <p>
            This removes the task record from the cluster. It does not stop or undo the work the task
            describes.
          </p>
        </EuiConfirmModal>
      )}
    </>
  );
}
