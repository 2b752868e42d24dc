// Tests for the task drawer against the in-process stand-in: every field, decoded errors, text-only rendering and its callbacks.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clusterNodes } from '../../server/standin/seed';
import { createStandin, type Standin } from '../../server/standin/server';
import type { MlTask } from '../../shared/ml-types';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { formatTimestamp } from '../lib/format';
import { TaskFlyout, type TaskFlyoutProps } from './task-flyout';
import { taskDetailQueryOptions, UNFINISHED_TASK_REFRESH_MS } from './task-queries';

const T0 = Date.UTC(2025, 0, 10, 9, 30, 0);

const DEPLOY_OK: MlTask = {
  model_id: 'model-abc',
  task_type: 'DEPLOY_MODEL',
  function_name: 'TEXT_EMBEDDING',
  state: 'COMPLETED',
  worker_node: ['node-a', 'node-b'],
  create_time: T0,
  last_update_time: T0 + 95_000,
  is_async: true,
  tenant_id: 'tenant-7',
};

const DEPLOY_FAILED: MlTask = {
  model_id: 'model-abc',
  task_type: 'DEPLOY_MODEL',
  function_name: 'TEXT_EMBEDDING',
  state: 'FAILED',
  worker_node: ['node-a', 'node-b'],
  create_time: T0,
  last_update_time: T0 + 5_000,
  is_async: true,
  error: JSON.stringify({
    'node-a': 'Native Memory Circuit Breaker is open, please check your resources!',
    'node-b': 'Failed to deploy model: model-abc',
  }),
};

const AGENT_FAILED: MlTask = {
  task_type: 'AGENT_EXECUTION',
  function_name: 'AGENT',
  state: 'FAILED',
  worker_node: ['node-c'],
  create_time: T0,
  last_update_time: T0 + 2_000,
  is_async: true,
  response: { memory_id: 'mem-42', error_message: 'Tool ListIndexTool failed: index [logs] not found' },
};

const HOSTILE_ERROR = `<script>alert(1)</script> then <img src=x onerror=alert(1)>`;
const HOSTILE: MlTask = {
  task_type: 'TRAINING',
  function_name: 'KMEANS',
  state: 'FAILED',
  input_type: 'SEARCH_QUERY',
  worker_node: ['<b>node</b>'],
  create_time: T0,
  last_update_time: T0 + 1_000,
  is_async: true,
  error: HOSTILE_ERROR,
};

const RUNNING: MlTask = {
  model_id: 'model-abc',
  task_type: 'REGISTER_MODEL',
  function_name: 'TEXT_EMBEDDING',
  state: 'RUNNING',
  worker_node: ['node-a'],
  create_time: T0,
  last_update_time: T0 + 1_000,
  is_async: true,
};

const REMOTE_BATCH: MlTask = {
  model_id: 'model-remote',
  task_type: 'BATCH_PREDICTION',
  function_name: 'REMOTE',
  input_type: 'REMOTE',
  state: 'RUNNING',
  worker_node: ['node-a'],
  create_time: T0,
  last_update_time: T0 + 1_000,
  is_async: true,
  remote_job: {
    id: 'batch_abc',
    status: 'in_progress',
    request_counts: { total: 10, completed: 4, failed: 0 },
  },
};

let standin: Standin | undefined;

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
});

async function startStandin(tasks: Record<string, MlTask>): Promise<void> {
  standin = createStandin({ tasks: Object.entries(tasks).map(([_id, _source]) => ({ _id, _source })) });
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(new URL(String(input), baseUrl), init),
  );
}

function renderFlyout(props: Partial<TaskFlyoutProps> & { taskId: string }) {
  const handlers = {
    onClose: vi.fn(),
    onFilter: vi.fn(),
    ...props,
  };
  render(
    <AppProviders queryClient={createQueryClient()}>
      <TaskFlyout {...handlers} />
    </AppProviders>,
  );
  return handlers;
}

/** Waits for the task to load: the summary appears once the GET has answered. */
async function loaded() {
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByTestId('taskSummary');
  return dialog;
}

const field = (title: string) => screen.getByTestId(`taskField-${title}`);

describe('TaskFlyout', () => {
  it('shows every field of a DEPLOY_MODEL task', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    renderFlyout({ taskId: 'task-1' });
    const dialog = await loaded();

    // EUI's test build drops the flyout's aria-labelledby, so the title is checked as the heading it points at.
    const title = within(dialog).getByRole('heading', { level: 2, name: 'Task task-1' });
    expect(title.id).not.toBe('');
    expect(field('Task type')).toHaveTextContent('DEPLOY_MODEL');
    expect(field('Function')).toHaveTextContent('TEXT_EMBEDDING');
    expect(field('State')).toHaveTextContent('COMPLETED');
    expect(within(field('Model')).getByRole('link', { name: 'model-abc' })).toHaveAttribute(
      'href',
      '/models/model-abc',
    );
    // Neither id is a node of the stand-in's cluster: once `_nodes` has answered, each says so.
    await within(field('Worker nodes')).findAllByTestId('nodeNotInCluster');
    const nodes = within(field('Worker nodes')).getAllByRole('listitem');
    expect(nodes.map((n) => n.textContent)).toEqual([
      'node-a (not in the cluster)',
      'node-b (not in the cluster)',
    ]);
    expect(field('Created')).toHaveTextContent(formatTimestamp(T0)!);
    expect(field('Last updated')).toHaveTextContent(formatTimestamp(T0 + 95_000)!);
    expect(field('Duration')).not.toHaveTextContent(/running/i);
    expect(field('Duration').textContent).not.toBe('');
    expect(field('Async')).toHaveTextContent('Yes');
    expect(field('Tenant')).toHaveTextContent('tenant-7');
    expect(screen.queryByTestId('taskField-Error')).not.toBeInTheDocument();
    expect(screen.queryByTestId('taskField-Input type')).not.toBeInTheDocument();

    // Tabs: no Error, Response or Remote job tab for this task; the raw JSON is what the cluster sent.
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Summary', 'Raw JSON']);
    await userEvent.click(screen.getByRole('tab', { name: 'Raw JSON' }));
    const raw = JSON.parse(screen.getByTestId('taskRawJson').textContent!);
    expect(raw).toEqual(DEPLOY_OK);
    expect(screen.getByRole('tabpanel')).toBeInTheDocument();
  });

  it('decodes per-node deploy errors into a table', async () => {
    await startStandin({ 'task-2': DEPLOY_FAILED });
    renderFlyout({ taskId: 'task-2' });
    await loaded();
    expect(field('Error')).toHaveTextContent('node-a');

    await userEvent.click(screen.getByRole('tab', { name: 'Error' }));
    const table = screen.getByTestId('taskNodeErrors');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('node-a');
    expect(rows[0]).toHaveTextContent('Native Memory Circuit Breaker is open, please check your resources!');
    expect(rows[1]).toHaveTextContent('node-b');
    expect(rows[1]).toHaveTextContent('Failed to deploy model: model-abc');
  });

  it('shows an agent’s failure from response.error_message, and the response', async () => {
    await startStandin({ 'agent-1': AGENT_FAILED });
    renderFlyout({ taskId: 'agent-1' });
    await loaded();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Summary',
      'Error',
      'Response',
      'Raw JSON',
    ]);

    await userEvent.click(screen.getByRole('tab', { name: 'Error' }));
    expect(screen.getByTestId('taskErrorText')).toHaveTextContent(
      'Tool ListIndexTool failed: index [logs] not found',
    );
    expect(screen.getByText('response.error_message')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Response' }));
    const response = JSON.parse(screen.getByTestId('taskResponse').textContent!);
    expect(response).toEqual(AGENT_FAILED.response);
  });

  it('shows a worker node by its name, with its id on hover and for screen readers', async () => {
    const node = clusterNodes()[0]!.id;
    await startStandin({ 'task-n': { ...DEPLOY_OK, worker_node: [node] } });
    renderFlyout({ taskId: 'task-n' });
    await loaded();

    const name = await within(field('Worker node')).findByText('opensearch-ml-1');
    const shown = name.closest('[data-test-subj="nodeName"]')!;
    expect(shown).toHaveTextContent(`opensearch-ml-1 (node ID ${node})`);
    await userEvent.hover(shown);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(`Node ID ${node}`);
    // Filtering and copying still use the id, which the query language stores.
    expect(screen.getByRole('button', { name: `Filter by worker node ${node}` })).toBeInTheDocument();
  });

  it('renders hostile strings as text, never as HTML', async () => {
    const hostileId = '<img src=x onerror=alert(2)>';
    await startStandin({ [hostileId]: HOSTILE });
    renderFlyout({ taskId: hostileId });
    const dialog = await loaded();

    expect(within(dialog).getByTestId('taskFlyoutId')).toHaveTextContent(hostileId);
    expect(field('Error')).toHaveTextContent(HOSTILE_ERROR);
    expect(within(field('Worker node')).getByText('<b>node</b>')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Error' }));
    expect(screen.getByTestId('taskErrorText')).toHaveTextContent(HOSTILE_ERROR);
    await userEvent.click(screen.getByRole('tab', { name: 'Raw JSON' }));
    expect(screen.getByTestId('taskRawJson')).toHaveTextContent('<script>alert(1)</script>');

    expect(document.querySelector('script')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('calls onPrevious / onNext from the buttons and the k / j keys, and disables a missing one', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    const onNext = vi.fn();
    renderFlyout({ taskId: 'task-1', onNext });
    const dialog = await loaded();

    const previous = within(dialog).getByRole('button', { name: 'Previous task' });
    const next = within(dialog).getByRole('button', { name: 'Next task' });
    expect(previous).toBeDisabled();
    expect(previous).toHaveAttribute('aria-keyshortcuts', 'k');
    expect(next).toHaveAttribute('aria-keyshortcuts', 'j');

    await userEvent.click(next);
    expect(onNext).toHaveBeenCalledTimes(1);

    screen.getByRole('tab', { name: 'Summary' }).focus();
    await userEvent.keyboard('j');
    expect(onNext).toHaveBeenCalledTimes(2);
    await userEvent.keyboard('k'); // no previous task: nothing to call, nothing breaks
    await userEvent.keyboard('{Control>}j{/Control}');
    expect(onNext).toHaveBeenCalledTimes(2);
  });

  it('calls onPrevious from k', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    const onPrevious = vi.fn();
    renderFlyout({ taskId: 'task-1', onPrevious });
    await loaded();
    screen.getByRole('tab', { name: 'Summary' }).focus();
    await userEvent.keyboard('k');
    expect(onPrevious).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Next task' })).toBeDisabled();
  });

  it('calls onFilter with the field and the value', async () => {
    await startStandin({ 'task-2': DEPLOY_FAILED });
    const { onFilter } = renderFlyout({ taskId: 'task-2' });
    await loaded();

    await userEvent.click(screen.getByRole('button', { name: 'Filter by state FAILED' }));
    expect(onFilter).toHaveBeenLastCalledWith('state', 'FAILED');
    await userEvent.click(screen.getByRole('button', { name: 'Filter by task type DEPLOY_MODEL' }));
    expect(onFilter).toHaveBeenLastCalledWith('type', 'DEPLOY_MODEL');
    await userEvent.click(screen.getByRole('button', { name: 'Filter by function TEXT_EMBEDDING' }));
    expect(onFilter).toHaveBeenLastCalledWith('function', 'TEXT_EMBEDDING');
    await userEvent.click(screen.getByRole('button', { name: 'Filter by worker node node-b' }));
    expect(onFilter).toHaveBeenLastCalledWith('node', 'node-b');
    await userEvent.click(screen.getByRole('button', { name: 'Other tasks of this model' }));
    expect(onFilter).toHaveBeenLastCalledWith('model', 'model-abc');

    // The per-node table filters by node too.
    await userEvent.click(screen.getByRole('tab', { name: 'Error' }));
    const table = screen.getByTestId('taskNodeErrors');
    await userEvent.click(within(table).getByRole('button', { name: 'Filter by worker node node-a' }));
    expect(onFilter).toHaveBeenLastCalledWith('node', 'node-a');
  });

  it('disables delete for a RUNNING task and says why', async () => {
    await startStandin({ 'task-r': RUNNING });
    const onDelete = vi.fn();
    renderFlyout({ taskId: 'task-r', onDelete });
    await loaded();

    const button = screen.getByRole('button', { name: 'Delete task' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(/running/i);
    expect(field('Duration')).toHaveTextContent(/running for/i);
    expect(onDelete).not.toHaveBeenCalled();
  });

  it('asks before deleting, then calls onDelete with the id', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    const onDelete = vi.fn();
    renderFlyout({ taskId: 'task-1', onDelete });
    await loaded();

    await userEvent.click(screen.getByRole('button', { name: 'Delete task' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm).toHaveTextContent('Delete task task-1?');
    expect(onDelete).not.toHaveBeenCalled();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Delete task' }));
    expect(onDelete).toHaveBeenCalledWith('task-1');
  });

  it('has no delete button in a read-only console', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    renderFlyout({ taskId: 'task-1' });
    await loaded();
    expect(screen.queryByRole('button', { name: 'Delete task' })).not.toBeInTheDocument();
  });

  it('says a missing task may have been deleted', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    renderFlyout({ taskId: 'gone' });
    // The drawer reads with a search on the id, which finds nothing (GET would call a batch job's provider).
    expect(await screen.findByTestId('taskNotFound')).toHaveTextContent(
      'Task gone was not found: it may have been deleted',
    );
    expect(standin!.requestLog.filter((r) => r.method === 'GET' && r.uri.includes('/tasks/'))).toEqual([]);
  });

  it('reads a remote batch job without asking its provider, and asks only when told, once per 30 s', async () => {
    await startStandin({ 'batch-1': REMOTE_BATCH });
    renderFlyout({ taskId: 'batch-1' });
    await loaded();
    const gets = () =>
      standin!.requestLog.filter((r) => r.method === 'GET' && r.uri.includes('/tasks/batch-1'));
    expect(gets()).toEqual([]);
    const ask = await screen.findByTestId('askProvider');
    await userEvent.click(ask);
    expect(await screen.findByTestId('askProviderAnswer')).toHaveTextContent(
      'The provider says: in_progress; the task is RUNNING',
    );
    expect(gets()).toHaveLength(1);
    expect(ask).toBeDisabled();
    expect(screen.getByTestId('askProviderNote')).toHaveTextContent(/again in \d+ s/);
  });

  it('closes from the Close button', async () => {
    await startStandin({ 'task-1': DEPLOY_OK });
    const { onClose } = renderFlyout({ taskId: 'task-1' });
    await loaded();
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('re-reads a task every few seconds until it has finished, and not after a failed read', () => {
    const interval = taskDetailQueryOptions('t').refetchInterval as (query: any) => number | false;
    const query = (state: Partial<{ data: MlTask; status: string }>) => ({
      state: { status: 'success', ...state },
    });
    expect(interval(query({ data: RUNNING }))).toBe(UNFINISHED_TASK_REFRESH_MS);
    expect(interval(query({ data: { ...RUNNING, state: 'CREATED' } }))).toBe(UNFINISHED_TASK_REFRESH_MS);
    expect(interval(query({ data: DEPLOY_OK }))).toBe(false);
    expect(interval(query({ data: DEPLOY_FAILED }))).toBe(false);
    expect(interval(query({ data: RUNNING, status: 'error' }))).toBe(false);
  });
});
