// Tests for the tasks page against the in-process stand-in cluster: rows in the cluster's order, filters from the
// URL with their counts, empty versus no match, a malformed query that sends nothing, and real errors.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStandin, type Standin, type StandinOptions } from '../../server/standin/server';
import { clusterNodes, generateTasks } from '../../server/standin/seed';
import type { MlTask, SearchResponse } from '../../shared/ml-types';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { emptyTaskQuery } from '../../shared/task-query';
import { buildTaskSearchBody } from '../../shared/task-search-body';
import { DEFAULT_VIEW } from '../../shared/task-view-state';
import { capabilitiesOf } from '../../shared/cluster-capabilities';
import { NEWEST_RELEASE } from '../../shared/ml-releases';
import { clusterQueryOptions } from '../lib/cluster-report';
import { taskKeys } from './task-queries';
import { TasksPage } from './tasks-page';

let standin: Standin | undefined;
/** The bodies of the view's task searches the page has sent, in the order it sent them. */
let sentSearches: string[] = [];
/** The bodies of its `size: 0` searches (the stale count; facet counts on releases without aggregations). */
let sentCounts: string[] = [];
const NOW = Date.UTC(2025, 0, 10);

beforeEach(() => window.history.replaceState(null, '', '/'));

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
  sentSearches = [];
  sentCounts = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).includes('/_plugins/_ml/tasks/_search')) {
      const body = String(init?.body);
      (body.includes('"size":0,') ? sentCounts : sentSearches).push(body);
    }
    return realFetch(new URL(String(input), baseUrl), init);
  });
  return baseUrl;
}

function renderPage(queryClient = createQueryClient()) {
  return render(
    <AppProviders queryClient={queryClient}>
      <TasksPage />
    </AppProviders>,
  );
}

/** A query client that knows the cluster (the newest release) from the start, as if /console/cluster had answered. */
function clientKnowingTheCluster() {
  const queryClient = createQueryClient();
  const identity = { source: 'plugins', mlVersion: NEWEST_RELEASE } as const;
  queryClient.setQueryData(clusterQueryOptions.queryKey, {
    reachable: true,
    identity,
    capabilities: capabilitiesOf(identity),
    detectedAt: NOW,
  });
  return queryClient;
}

/**
 * Submits a query that is fine and waits for its rows: the page sends its search as it handles the submit, after any
 * it had sent before; so if that search is the only one, nothing before it sent anything.
 */
async function searchFailedTasks(tasks: Array<{ _source: { state?: string } }>) {
  const bar = screen.getByTestId('queryBar');
  fireEvent.change(bar, { target: { value: 'state:FAILED' } });
  fireEvent.submit(bar.closest('form')!);
  const failed = tasks.filter((t) => t._source.state === 'FAILED').length;
  expect(failed).toBeGreaterThan(1);
  expect(await screen.findByText(`${failed} tasks`, undefined, { timeout: 5000 })).toBeInTheDocument();
}

const searches = () => standin!.requestLog.filter((r) => r.uri.startsWith('/_plugins/_ml/tasks/_search'));

describe('TasksPage', () => {
  it('shows the newest 25 tasks in the order the cluster returns them, with the exact total', async () => {
    const baseUrl = await startStandin({ tasks: generateTasks(60, 7, NOW) });
    const direct = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery())),
    });
    const expected = ((await direct.json()) as SearchResponse<MlTask>).hits.hits.map((hit) => hit._id);
    expect(expected).toHaveLength(25);

    renderPage();

    // The file's first render loads EUI's lazy parts in a cold jsdom and asks the console's server about the cluster
    // before it searches: more than findBy's default second on a loaded machine.
    expect(await screen.findByText('60 tasks', undefined, { timeout: 5000 })).toBeInTheDocument();
    const table = screen.getByTestId('tasksTable');
    expect(
      within(table)
        .getAllByTestId('taskId')
        .map((cell) => cell.textContent),
    ).toEqual(expected);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('applies the filters in the URL and counts each state under them', async () => {
    const tasks = generateTasks(400, 3, NOW);
    await startStandin({ tasks });
    window.history.replaceState(null, '', '/?q=function:TEXT_EMBEDDING%20state:FAILED');
    renderPage();

    const embedding = tasks.filter((t) => t._source.function_name === 'TEXT_EMBEDDING');
    const failed = embedding.filter((t) => t._source.state === 'FAILED');
    expect(await screen.findByText(`${failed.length} tasks`)).toBeInTheDocument();
    const states = screen.getAllByTestId('taskState').map((el) => el.textContent);
    expect(new Set(states)).toEqual(new Set(['FAILED']));
    // The summary counts every state under the other filters (function), so the user can switch.
    const completed = embedding.filter((t) => t._source.state === 'COMPLETED').length;
    expect(screen.getByTestId('stateSummary-COMPLETED')).toHaveTextContent(`COMPLETED ${completed}`);
    expect(screen.getByTestId('stateSummary-FAILED')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('queryBar')).toHaveValue('function:TEXT_EMBEDDING state:FAILED');
  });

  it('keeps the focus in the query bar after a search, and follows a filter set elsewhere', async () => {
    const tasks = generateTasks(100, 5, NOW);
    await startStandin({ tasks });
    renderPage();
    expect(await screen.findByText('100 tasks')).toBeInTheDocument();
    const bar = screen.getByTestId('queryBar');
    bar.focus();
    fireEvent.change(bar, { target: { value: 'state:FAILED' } });
    fireEvent.submit(bar.closest('form')!);
    const failed = tasks.filter((t) => t._source.state === 'FAILED').length;
    expect(await screen.findByText(`${failed} tasks`)).toBeInTheDocument();
    expect(screen.getByTestId('queryBar')).toBe(bar);
    expect(bar).toHaveFocus();
    // The summary bar sets the state: the draft in the bar becomes the new query.
    fireEvent.click(screen.getByTestId('stateSummary-FAILED'));
    await waitFor(() => expect(bar).toHaveValue(''));
  });

  it('says there are no tasks when the task index does not exist yet', async () => {
    await startStandin({ tasks: [] });
    renderPage();
    expect(await screen.findByTestId('noTasks')).toHaveTextContent('No tasks yet');
    expect(screen.getByText('0 tasks')).toBeInTheDocument();
  });

  it('tells "no match" apart from "no tasks", and clears the filters', async () => {
    await startStandin({ tasks: generateTasks(30, 1, NOW) });
    window.history.replaceState(null, '', '/?q=model:no-such-model');
    renderPage();
    const prompt = await screen.findByTestId('noMatch');
    expect(prompt).toHaveTextContent('No tasks match');
    fireEvent.click(within(prompt).getByTestId('clearFilters'));
    expect(await screen.findByText('30 tasks')).toBeInTheDocument();
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('shows a malformed query inline and sends nothing', async () => {
    const tasks = generateTasks(30, 1, NOW);
    await startStandin({ tasks });
    window.history.replaceState(null, '', '/?q=state%3A');
    // The cluster known from the first render: only the malformed query can hold the page's search back.
    renderPage(clientKnowingTheCluster());
    expect(await screen.findByText(/state/, { selector: '.euiFormErrorText' })).toBeInTheDocument();
    await searchFailedTasks(tasks);
    expect(sentSearches).toHaveLength(1);
    expect(sentSearches[0]).toContain('FAILED');
    // Whatever reached the cluster, the page sent: the view's search and its stale count (which follows the rows, so
    // may still be on its way), nothing for the malformed query.
    await waitFor(() => expect(searches()).toHaveLength(sentSearches.length + sentCounts.length));
    expect(sentCounts.every((b) => b.includes('FAILED'))).toBe(true);
  });

  it('has nothing to refresh while the query is malformed: no search, no failure', async () => {
    const tasks = generateTasks(30, 1, NOW);
    await startStandin({ tasks });
    window.history.replaceState(null, '', '/?q=state%3A');
    const queryClient = clientKnowingTheCluster();
    renderPage(queryClient);
    expect(await screen.findByText(/state/, { selector: '.euiFormErrorText' })).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('refreshNow'));
    await searchFailedTasks(tasks);
    expect(sentSearches).toHaveLength(1);
    // The malformed view's query was never run, so it never failed (it used to: "Missing queryFn" in a callout).
    expect(queryClient.getQueryState(taskKeys.list(undefined))?.status).toBe('pending');
  });

  it('explains a 401 with where the credentials live', async () => {
    // With the security plugin on, a request without credentials is a text/plain 401.
    await startStandin({
      tasks: [],
      users: [{ username: 'admin', password: 'secret', role: 'ml_full_access' }],
    });
    renderPage();
    const alert = await screen.findByTestId('requestErrorCallOut');
    expect(alert).toHaveTextContent('Could not search tasks');
    expect(within(alert).getByTestId('errorHeadline')).toHaveTextContent(
      'refused the console’s credentials (401)',
    );
    expect(within(alert).getByTestId('errorReason')).toHaveTextContent('Unauthorized');
    expect(screen.getByText('Tasks could not be loaded.')).toBeInTheDocument();
  });

  it('opens the drawer of the task in the URL and closes it with its button', async () => {
    const tasks = generateTasks(20, 2, NOW);
    await startStandin({ tasks });
    const target = tasks[5]!;
    window.history.replaceState(null, '', `/?task=${target._id}`);
    renderPage();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog).toHaveTextContent(target._id));
    fireEvent.click(within(dialog).getAllByRole('button', { name: /close/i })[0]!);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('deletes a task from its drawer once, in StrictMode too', async () => {
    const tasks = generateTasks(20, 2, NOW);
    await startStandin({ tasks });
    const target = tasks.find((t) => t._source.state !== 'RUNNING')!;
    window.history.replaceState(null, '', `/?task=${target._id}`);
    // StrictMode runs effects twice: a deletion started from an effect deleted twice and reported "Deleted 0 of 1".
    render(
      <StrictMode>
        <AppProviders queryClient={createQueryClient()}>
          <TasksPage />
        </AppProviders>
      </StrictMode>,
    );
    const dialog = await screen.findByRole('dialog', undefined, { timeout: 5000 });
    await waitFor(() => expect(dialog).toHaveTextContent(target._id));
    const del = await within(dialog).findByRole('button', { name: 'Delete task' });
    await waitFor(() => expect(del).toBeEnabled());
    fireEvent.click(del);
    fireEvent.click(await screen.findByTestId('confirmModalConfirmButton', undefined, { timeout: 5000 }));
    expect(await screen.findByText('Deleted 1 of 1.', undefined, { timeout: 5000 })).toBeInTheDocument();
    const deletes = standin!.requestLog.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => [r.uri, r.status])).toEqual([[`/_plugins/_ml/tasks/${target._id}`, 200]]);
  });

  it('shows worker nodes by name once the cluster has listed them, and filters by id from the node facet', async () => {
    const [node] = clusterNodes();
    const tasks = [
      { _id: 'on-a-node', _source: { state: 'COMPLETED', worker_node: [node!.id], create_time: NOW } },
      {
        _id: 'on-a-gone-node',
        _source: { state: 'FAILED', worker_node: ['gone-node'], create_time: NOW - 1 },
      },
    ];
    await startStandin({ tasks });
    renderPage(clientKnowingTheCluster());

    const named = await screen.findByText('opensearch-ml-1');
    const cell = named.closest('[data-test-subj="workerNodes"]')!;
    expect(cell).toHaveAttribute('title', `opensearch-ml-1 (${node!.id})`);
    expect(cell).toHaveTextContent(`opensearch-ml-1 (node ID ${node!.id})`);
    const gone = within(screen.getByTestId('taskRow-on-a-gone-node')).getByTestId('workerNodes');
    expect(gone).toHaveTextContent('gone-node (not in the cluster)');
    // One read of the nodes for the whole table.
    expect(standin!.requestLog.filter((r) => r.uri.startsWith('/_nodes'))).toHaveLength(1);

    fireEvent.click(screen.getByTestId('filter-node'));
    const option = await screen.findByRole('option', { name: /opensearch-ml-1/ });
    fireEvent.click(option);
    await waitFor(() => expect(screen.getByTestId('queryBar')).toHaveValue(`node:${node!.id}`));
    expect(await screen.findByText('1 task')).toBeInTheDocument();
  });
});
