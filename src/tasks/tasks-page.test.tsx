// Tests for the tasks page against the in-process stand-in cluster: rows in the cluster's order, the empty state, and a real error.
import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStandin, type Standin, type StandinOptions } from '../../server/standin/server';
import { generateTasks } from '../../server/standin/seed';
import type { MlTask, SearchResponse } from '../api/ml-types';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { buildTaskSearchBody, DEFAULT_TASK_LIST_PARAMS } from './task-search-body';
import { TasksPage } from './tasks-page';

let standin: Standin | undefined;

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
});

/** Starts a stand-in and sends the app's same-origin requests to it, as the dev proxy would. */
async function startStandin(options: StandinOptions): Promise<string> {
  standin = createStandin(options);
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(new URL(String(input), baseUrl), init),
  );
  return baseUrl;
}

function renderPage() {
  return render(
    <AppProviders queryClient={createQueryClient()}>
      <TasksPage />
    </AppProviders>,
  );
}

describe('TasksPage', () => {
  it('shows the newest 25 tasks in the order the cluster returns them, with the exact total', async () => {
    const baseUrl = await startStandin({ tasks: generateTasks(60, 7, Date.UTC(2025, 0, 10)) });
    const direct = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(buildTaskSearchBody(DEFAULT_TASK_LIST_PARAMS)),
    });
    const expected = ((await direct.json()) as SearchResponse<MlTask>).hits.hits.map((hit) => hit._id);
    expect(expected).toHaveLength(25);

    renderPage();

    expect(await screen.findByText('Showing 25 of 60 tasks')).toBeInTheDocument();
    const table = screen.getByTestId('tasksTable');
    expect(
      within(table)
        .getAllByTestId('taskId')
        .map((cell) => cell.textContent),
    ).toEqual(expected);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says there are no tasks when the task index does not exist yet', async () => {
    await startStandin({ tasks: [] });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No tasks' })).toBeInTheDocument();
    expect(screen.getByText('Showing 0 of 0 tasks')).toBeInTheDocument();
  });

  it('explains a failed search with the cluster’s answer', async () => {
    // With the security plugin on, a request without credentials is a text/plain 401.
    await startStandin({
      tasks: [],
      users: [{ username: 'admin', password: 'secret', role: 'ml_full_access' }],
    });
    renderPage();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not search tasks');
    expect(within(alert).getByTestId('errorType')).toHaveTextContent('unauthorized');
    expect(within(alert).getByTestId('errorReason')).toHaveTextContent('Unauthorized');
    expect(alert).toHaveTextContent('HTTP 401');
    expect(screen.getByText('Tasks could not be loaded.')).toBeInTheDocument();
  });
});
