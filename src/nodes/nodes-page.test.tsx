// Tests for the nodes page against the in-process stand-in: every node with its counts and ML stats, nodes that left
// the cluster, links to the tasks they count, the slow counts of 2.19.3, and a cluster that refuses the node reads.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clusterNodes, generateTasks } from '../../server/standin/seed';
import { createStandin, type Standin, type StandinOptions } from '../../server/standin/server';
import { capabilitiesOf } from '../../shared/cluster-capabilities';
import type { MlTask } from '../../shared/ml-types';
import { parseTaskQuery } from '../../shared/task-query';
import { viewFromSearch } from '../../shared/task-view-state';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { clusterQueryOptions } from '../lib/cluster-report';
import { NodesPage } from './nodes-page';

const NOW = Date.UTC(2025, 0, 10);
let standin: Standin | undefined;
/** The task searches the page sent, as JSON. */
let sentSearches: Array<Record<string, unknown>> = [];

beforeEach(() => window.history.replaceState(null, '', '/nodes'));

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
});

const forbidden = (action: string) =>
  new Response(
    JSON.stringify({
      error: {
        root_cause: [
          { type: 'security_exception', reason: `no permissions for [${action}] and User [name=console]` },
        ],
        type: 'security_exception',
        reason: `no permissions for [${action}] and User [name=console]`,
      },
      status: 403,
    }),
    { status: 403, headers: { 'content-type': 'application/json' } },
  );

/** Starts a stand-in and sends the app's requests to it; `refuse` answers some paths with a 403 instead. */
async function startStandin(options: StandinOptions, refuse: Record<string, string> = {}) {
  standin = createStandin(options);
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  sentSearches = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    if (path.includes('/tasks/_search')) sentSearches.push(JSON.parse(String(init?.body)));
    const action = refuse[path];
    if (action) return forbidden(action);
    return realFetch(new URL(path, baseUrl), init);
  });
}

function renderPage(mlVersion = '3.8.0.0') {
  const queryClient = createQueryClient();
  const identity = { source: 'plugins', mlVersion } as const;
  queryClient.setQueryData(clusterQueryOptions.queryKey, {
    reachable: true,
    identity,
    capabilities: capabilitiesOf(identity),
    detectedAt: NOW,
  });
  return render(
    <AppProviders queryClient={queryClient}>
      <NodesPage />
    </AppProviders>,
  );
}

const FAILED = ['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE', 'EXPIRED'];

function countsOf(tasks: Array<{ _source: MlTask }>, id: string) {
  const on = tasks.filter((t) => {
    const w = t._source.worker_node;
    return Array.isArray(w) ? w.includes(id) : w === id;
  });
  return {
    tasks: on.length,
    failures: on.filter((t) => FAILED.includes(t._source.state ?? '')).length,
    active: on.filter((t) => ['CREATED', 'RUNNING', 'CANCELLING'].includes(t._source.state ?? '')).length,
  };
}

const row = (id: string) => screen.getByTestId(`nodeRow-${id}`);
const cell = (id: string, column: string) => within(row(id)).getByTestId(column);

describe('NodesPage', () => {
  it('lists every node with its tasks, failures, active tasks and ML stats, from one aggregation', async () => {
    const tasks = generateTasks(400, 21, NOW);
    await startStandin({ tasks });
    renderPage();

    const [ml1] = clusterNodes();
    const first = await screen.findByText('opensearch-ml-1');
    expect(first.closest('tr')).toBe(row(ml1!.id));
    const expected = countsOf(tasks, ml1!.id);
    expect(expected.tasks).toBeGreaterThan(0);
    await waitFor(() => expect(cell(ml1!.id, 'nodeCount-tasks')).toHaveTextContent(String(expected.tasks)));
    expect(cell(ml1!.id, 'nodeCount-failures')).toHaveTextContent(String(expected.failures));
    expect(cell(ml1!.id, 'nodeCount-active')).toHaveTextContent(String(expected.active));
    expect(cell(ml1!.id, 'nodeColumn-inCluster')).toHaveTextContent('Yes');
    await waitFor(() => expect(cell(ml1!.id, 'nodeStat-heapPercent')).toHaveTextContent(/^\d+%$/));

    // Every node of the cluster has a row, and so does every node the tasks name that the cluster does not list.
    const inCluster = new Set(clusterNodes().map((n) => n.id));
    for (const id of inCluster) expect(row(id)).toBeInTheDocument();
    const gone = [
      ...new Set(tasks.flatMap((t) => (Array.isArray(t._source.worker_node) ? t._source.worker_node : []))),
    ].filter((id) => !inCluster.has(id));
    expect(gone.length).toBeGreaterThan(0);
    for (const id of gone) {
      expect(cell(id, 'nodeColumn-inCluster')).toHaveTextContent('No: left it');
      expect(cell(id, 'nodeColumn-name')).toHaveTextContent(`${id} (not in the cluster)`);
      expect(cell(id, 'nodeStat-heapPercent')).toHaveTextContent('Not in the cluster: no ML stats');
    }

    // One search counts them all, with its aggregation.
    expect(sentSearches).toHaveLength(1);
    expect(sentSearches[0]).toMatchObject({ size: 0, aggs: { nodes: { terms: { field: 'worker_node' } } } });
    expect(screen.getByTestId('nodesScope')).toHaveTextContent('every task, of all time');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('links each count to exactly those tasks on the tasks page', async () => {
    const tasks = generateTasks(200, 22, NOW);
    await startStandin({ tasks });
    window.history.replaceState(null, '', '/nodes?from=now-7d');
    renderPage();
    const [ml1] = clusterNodes();
    await screen.findByText('opensearch-ml-1');
    const link = await waitFor(() => within(cell(ml1!.id, 'nodeCount-failures')).getByRole('link'));
    expect(link).toHaveAccessibleName(/failed tasks on opensearch-ml-1: show them/);
    const href = link.getAttribute('href')!;
    const view = viewFromSearch(href.slice(href.indexOf('?')));
    expect(view.from).toBe('now-7d');
    const parsed = parseTaskQuery(view.q);
    expect(parsed.ok && parsed.query.include).toMatchObject({ node: [ml1!.id], state: FAILED });
    expect(screen.getByTestId('nodesScope')).toHaveTextContent('created since now-7d');

    fireEvent.click(link);
    // The address bar follows once the new page's frame is painted.
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe(href));
  });

  it('counts node by node on 2.19.3, which never answers a task search with aggregations', async () => {
    const tasks = generateTasks(150, 23, NOW, '2.19.3');
    await startStandin({ tasks, version: '2.19.3' });
    renderPage('2.19.3.0');

    const [ml1] = clusterNodes();
    await screen.findByText('opensearch-ml-1');
    const expected = countsOf(tasks, ml1!.id);
    await waitFor(() => expect(cell(ml1!.id, 'nodeCount-tasks')).toHaveTextContent(String(expected.tasks)), {
      timeout: 15_000,
    });
    expect(cell(ml1!.id, 'nodeCount-failures')).toHaveTextContent(String(expected.failures));
    expect(sentSearches.length).toBeGreaterThan(1);
    expect(sentSearches.every((body) => body.aggs === undefined)).toBe(true);
    expect(screen.getByTestId('slowNodeCounts')).toHaveTextContent('ML Commons 2.19.3 never answers');
  });

  it('shows ids and says why when the cluster refuses the node list and the ML stats', async () => {
    const tasks = generateTasks(100, 24, NOW);
    await startStandin(
      { tasks },
      {
        '/_nodes': 'cluster:monitor/nodes/info',
        '/_plugins/_ml/stats': 'cluster:admin/opensearch/ml/stats/nodes',
      },
    );
    renderPage();

    expect(await screen.findByTestId('nodesUnavailable')).toHaveTextContent('cluster:monitor/nodes/info');
    expect(await screen.findByTestId('statsUnavailable')).toHaveTextContent(
      'cluster:admin/opensearch/ml/stats/nodes',
    );
    const [ml1] = clusterNodes();
    // Known from the tasks alone: by id, with counts, membership unknown.
    await waitFor(() => expect(cell(ml1!.id, 'nodeCount-tasks')).toHaveTextContent(/\d/));
    expect(cell(ml1!.id, 'nodeColumn-name')).toHaveTextContent(ml1!.id);
    expect(within(cell(ml1!.id, 'nodeColumn-name')).getByTestId('nodeName')).not.toHaveTextContent(
      'opensearch',
    );
    expect(cell(ml1!.id, 'nodeColumn-inCluster')).toHaveTextContent('Not known');
    expect(cell(ml1!.id, 'nodeStat-executingTasks')).toHaveTextContent('ML stats not shown');
  });

  it('says when there are no nodes, and reads everything again on refresh', async () => {
    await startStandin({ tasks: [] }, { '/_nodes': 'cluster:monitor/nodes/info' });
    renderPage();
    expect(await screen.findByTestId('noNodes')).toHaveTextContent('No nodes');
    const before = standin!.requestLog.length;
    fireEvent.click(screen.getByTestId('refreshNodes'));
    await waitFor(() =>
      expect(
        standin!.requestLog
          .slice(before)
          .map((r) => r.uri.split('?')[0])
          .sort(),
      ).toEqual(['/_plugins/_ml/stats', '/_plugins/_ml/tasks/_search']),
    );
  });
});
