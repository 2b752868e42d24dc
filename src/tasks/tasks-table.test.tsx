// Tests for the task table: both worker_node shapes, unknown enum values, missing fields, and text-only rendering.
import { EuiProvider } from '@elastic/eui';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MlTask, SearchHit } from '../api/ml-types';
import { formatTimestamp } from '../lib/format';
import { TasksTable } from './tasks-table';

function hit(id: string, source: MlTask): SearchHit<MlTask> {
  return {
    _index: '.plugins-ml-task',
    _id: id,
    _version: 1,
    _seq_no: 0,
    _primary_term: 1,
    _score: null,
    _source: source,
  };
}

function renderTable(
  hits: Array<SearchHit<MlTask>>,
  props: { isLoading?: boolean; hasError?: boolean } = {},
) {
  return render(
    <EuiProvider colorMode="light">
      <TasksTable hits={hits} isLoading={props.isLoading ?? false} hasError={props.hasError ?? false} />
    </EuiProvider>,
  );
}

function rowOf(taskId: string): HTMLElement {
  const row = screen.getByText(taskId).closest('tr');
  if (!row) throw new Error(`no row for ${taskId}`);
  return row;
}

describe('TasksTable', () => {
  it('shows one row per hit in order with every column', () => {
    const created = Date.UTC(2024, 0, 15, 9, 30, 0);
    renderTable([
      hit('task-1', {
        task_type: 'DEPLOY_MODEL',
        function_name: 'TEXT_EMBEDDING',
        state: 'COMPLETED',
        model_id: 'model-9',
        worker_node: ['node-a', 'node-b'],
        create_time: created,
        last_update_time: created + 60_000,
      }),
      hit('task-2', { task_type: 'REGISTER_MODEL', state: 'RUNNING', worker_node: 'legacy-node' }),
    ]);

    const ids = screen.getAllByTestId('taskId').map((el) => el.textContent);
    expect(ids).toEqual(['task-1', 'task-2']);

    const first = within(rowOf('task-1'));
    expect(first.getByText('DEPLOY_MODEL')).toBeInTheDocument();
    expect(first.getByText('TEXT_EMBEDDING')).toBeInTheDocument();
    expect(first.getByText('COMPLETED')).toBeInTheDocument();
    expect(first.getByText('model-9')).toBeInTheDocument();
    const nodes = first.getByTestId('workerNodes');
    expect(nodes).toHaveAttribute('title', 'node-a, node-b');
    expect(nodes).toHaveTextContent(/^node-a\s*\+1/);
    expect(nodes).toHaveTextContent('node-b');
    expect(first.getByText(formatTimestamp(created)!)).toHaveAttribute(
      'datetime',
      new Date(created).toISOString(),
    );
    expect(first.getByText(formatTimestamp(created + 60_000)!)).toBeInTheDocument();

    const second = within(rowOf('task-2'));
    expect(second.getByText('legacy-node')).toBeInTheDocument();
    // No function name, model or times: dashes, not blanks or "undefined".
    expect(second.getAllByLabelText('not set')).toHaveLength(4);
    expect(rowOf('task-2').textContent).not.toContain('undefined');
  });

  it('renders values from a newer cluster as themselves', () => {
    renderTable([hit('task-new', { task_type: 'FUTURE_TYPE', state: 'PAUSED', function_name: 'NEW_ALGO' })]);
    const row = within(rowOf('task-new'));
    expect(row.getByText('FUTURE_TYPE')).toBeInTheDocument();
    expect(row.getByText('PAUSED')).toBeInTheDocument();
    expect(row.getByText('NEW_ALGO')).toBeInTheDocument();
  });

  it('renders markup in task fields as text', () => {
    const { container } = renderTable([
      hit('<img src=x onerror=alert(1)>', { task_type: '<b>bold</b>', state: 'FAILED' }),
    ]);
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(screen.getByText('<b>bold</b>')).toBeInTheDocument();
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('says it is loading, failed, or has no tasks when there are no rows', () => {
    const { rerender } = renderTable([], { isLoading: true });
    expect(screen.getByText('Loading tasks…')).toBeInTheDocument();

    rerender(
      <EuiProvider colorMode="light">
        <TasksTable hits={[]} isLoading={false} hasError />
      </EuiProvider>,
    );
    expect(screen.getByText('Tasks could not be loaded.')).toBeInTheDocument();

    rerender(
      <EuiProvider colorMode="light">
        <TasksTable hits={[]} isLoading={false} />
      </EuiProvider>,
    );
    expect(screen.getByRole('heading', { name: 'No tasks' })).toBeInTheDocument();
  });
});
