// Node names and the gateway's first screen: the server draws ids, the browser's hydration draws the same ids even
// when the names are already known, and the names replace them once the app owns the page; a first screen that
// brought the node list (the nodes and failures pages) draws names on both sides.
import { act, screen } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MlTask } from '../../shared/ml-types';
import { DEFAULT_VIEW } from '../../shared/task-view-state';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { TasksTable, type TaskHit } from '../tasks/tasks-table';
import { readClusterNodes } from './cluster-nodes';
import { nodesQueryOptions } from './node-queries';
import { NamesOnFirstScreen } from './use-node-names';

const HITS: TaskHit[] = [
  {
    _index: '.plugins-ml-task',
    _id: 'task-1',
    _score: null,
    _source: { state: 'COMPLETED', worker_node: ['node-id-1', 'gone-id'], create_time: 1 } satisfies MlTask,
  },
];

function page(named = false, queryClient = createQueryClient()) {
  queryClient.setQueryData(
    nodesQueryOptions.queryKey,
    readClusterNodes({ nodes: { 'node-id-1': { name: 'ml-node-one', roles: ['ml'] } } }),
  );
  return (
    <NamesOnFirstScreen.Provider value={named}>
      <AppProviders queryClient={queryClient}>
        <TasksTable
          hits={HITS}
          total={1}
          view={DEFAULT_VIEW}
          now={10}
          isLoading={false}
          hiddenColumns={[]}
          noItemsMessage="none"
          selection={[]}
          onOpen={() => {}}
          onTableChange={() => {}}
        />
      </AppProviders>
    </NamesOnFirstScreen.Provider>
  );
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/**
 * Renders the table on the server and hydrates it in the document: returns the server's markup, the errors React
 * recovered from and the hydration warnings that are not about React's generated ids.
 */
async function hydrate(named: boolean) {
  const html = renderToString(page(named));
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const errors = vi.spyOn(console, 'error');
  const recoverable = vi.fn();
  let root: ReturnType<typeof hydrateRoot> | undefined;
  await act(async () => {
    root = hydrateRoot(container, page(named), { onRecoverableError: recoverable });
  });
  const mismatches = () =>
    errors.mock.calls
      .map((call) => String(call[0]))
      .filter((message) => /did not match|hydrat/i.test(message))
      .filter((message) => !/Prop `(id|aria-\w+|for|htmlFor)`/.test(message));
  return { html, recoverable, mismatches, unmount: () => act(() => root!.unmount()) };
}

describe('node names on the first screen', () => {
  it('are ids on the server and in hydration, names once hydrated', async () => {
    const { html, recoverable, mismatches, unmount } = await hydrate(false);
    expect(html).toContain('node-id-1');
    expect(html).not.toContain('ml-node-one');

    expect(await screen.findByText('ml-node-one')).toBeInTheDocument();
    expect(screen.getByTestId('workerNodes')).toHaveAttribute(
      'title',
      'ml-node-one (node-id-1), gone-id (not in the cluster)',
    );
    expect(recoverable).not.toHaveBeenCalled();
    expect(mismatches()).toEqual([]);
    unmount();
  });

  it('are names on the server and in hydration when the first screen brought the node list', async () => {
    const { html, recoverable, mismatches, unmount } = await hydrate(true);
    expect(html).toContain('ml-node-one');
    expect(screen.getByText('ml-node-one')).toBeInTheDocument();
    expect(recoverable).not.toHaveBeenCalled();
    expect(mismatches()).toEqual([]);
    unmount();
  });
});
