// Tests for the per-node task counts: the bodies, what they read, the links, and both ways of counting against the
// stand-in (one aggregation; `size: 0` searches on a release that cannot aggregate) giving the same numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../../server/standin/server';
import { generateTasks } from '../../server/standin/seed';
import type { MlTask, SearchResponse, TaskSearchBody } from '../../shared/ml-types';
import { capabilitiesOf } from '../../shared/cluster-capabilities';
import { parseTaskQuery } from '../../shared/task-query';
import { viewFromSearch } from '../../shared/task-view-state';
import { workerNodeList } from '../lib/format';
import {
  buildNodeCountSearches,
  buildNodeDiscoverySearch,
  emptyCounts,
  idsInStoredValue,
  nodeTasksHref,
  nodesToCount,
  readDiscoveredNodes,
  readNodeAggregation,
  readNodeCountSearches,
  type NodeTaskCounts,
} from './node-task-counts';
import {
  ALL_TIME,
  buildNodeAggregationSearch,
  stateGroupsOf,
  type CountScope,
} from '../../shared/node-count-search';

const NOW = Date.UTC(2025, 0, 10);
const FAILED = ['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE', 'EXPIRED'];
const ACTIVE = ['CREATED', 'RUNNING', 'CANCELLING'];

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function search(baseUrl: string, body: TaskSearchBody): Promise<SearchResponse<any>> {
  const response = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SearchResponse<any>;
}

/** The counts computed from the documents themselves: each node a stored value names (joined lists split). */
function expectedCounts(tasks: Array<{ _source: MlTask }>, inScope: (t: MlTask) => boolean = () => true) {
  const byId = new Map<string, NodeTaskCounts>();
  for (const { _source: t } of tasks) {
    if (!inScope(t)) continue;
    for (const value of workerNodeList(t.worker_node)) {
      for (const id of idsInStoredValue(value)) {
        const row = byId.get(id) ?? emptyCounts(id);
        if (!row.values.includes(value)) row.values.push(value);
        row.tasks++;
        if (FAILED.includes(t.state ?? '')) row.failures++;
        if (ACTIVE.includes(t.state ?? '')) row.active++;
        if (typeof t.last_update_time === 'number')
          row.lastActivity = Math.max(row.lastActivity ?? -Infinity, t.last_update_time);
        byId.set(id, row);
      }
    }
  }
  return normalised([...byId.values()]);
}

/** In id order, with each node's stored values sorted: the order they were met in is not part of the answer. */
const normalised = (counts: NodeTaskCounts[]) =>
  counts.map((c) => ({ ...c, values: [...c.values].sort() })).sort((a, b) => a.id.localeCompare(b.id));

describe('state groups', () => {
  it('keep only the states the release has', () => {
    expect(stateGroupsOf(capabilitiesOf({ source: 'plugins', mlVersion: '3.8.0.0' }).states)).toEqual({
      failed: FAILED,
      active: ACTIVE,
    });
    const old = stateGroupsOf(['CREATED', 'RUNNING', 'COMPLETED', 'FAILED']);
    expect(old).toEqual({ failed: ['FAILED'], active: ['CREATED', 'RUNNING'] });
  });
});

describe('node counts against the stand-in', () => {
  it('count every node with one aggregation: tasks, failures, active tasks and the last activity', async () => {
    const tasks = generateTasks(600, 11, NOW);
    standin = createStandin({ tasks });
    const baseUrl = await standin.listen(0, '127.0.0.1');
    const groups = stateGroupsOf(capabilitiesOf({ source: 'plugins', mlVersion: '3.8.0.0' }).states);

    const result = readNodeAggregation(await search(baseUrl, buildNodeAggregationSearch(ALL_TIME, groups)));

    const expected = expectedCounts(tasks);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.some((c) => c.failures > 0) && expected.some((c) => c.active > 0)).toBe(true);
    expect(normalised(result.counts)).toEqual(expected);
    expect(result.uncountedTasks).toBe(0);
  });

  it('count the same with searches of their own where the release cannot aggregate (2.19.3)', async () => {
    const tasks = generateTasks(300, 12, NOW, '2.19.3');
    standin = createStandin({ tasks, version: '2.19.3' });
    const baseUrl = await standin.listen(0, '127.0.0.1');
    const capabilities = capabilitiesOf({ source: 'plugins', mlVersion: '2.19.3.0' });
    expect(capabilities.aggregationsInSearch).toBe(false);
    const groups = stateGroupsOf(capabilities.states);

    const sample = await search(baseUrl, buildNodeDiscoverySearch(ALL_TIME));
    const nodes = nodesToCount(['never-seen'], readDiscoveredNodes(sample));
    const searches = buildNodeCountSearches(ALL_TIME, groups, nodes);
    expect(searches.every((s) => s.body.aggs === undefined)).toBe(true);
    const responses = await Promise.all(searches.map((s) => search(baseUrl, s.body)));
    const counts = readNodeCountSearches(nodes, searches, responses);

    expect(normalised(counts.filter((c) => c.id !== 'never-seen'))).toEqual(expectedCounts(tasks));
    expect(counts[0]).toEqual(emptyCounts('never-seen'));
  });

  it('count each node of a list older releases stored as one string, and link to exactly those tasks', async () => {
    const tasks = [
      { _id: 't1', _source: { state: 'FAILED', worker_node: 'a,b', last_update_time: 5 } },
      { _id: 't2', _source: { state: 'COMPLETED', worker_node: ['a'], last_update_time: 9 } },
      { _id: 't3', _source: { state: 'RUNNING', worker_node: 'b', last_update_time: 1 } },
    ];
    standin = createStandin({ tasks });
    const baseUrl = await standin.listen(0, '127.0.0.1');
    const groups = stateGroupsOf(ACTIVE.concat(FAILED));

    const aggregated = readNodeAggregation(
      await search(baseUrl, buildNodeAggregationSearch(ALL_TIME, groups)),
    );
    const expected = [
      { id: 'a', values: ['a', 'a,b'], tasks: 2, failures: 1, active: 0, lastActivity: 9 },
      { id: 'b', values: ['a,b', 'b'], tasks: 2, failures: 1, active: 1, lastActivity: 5 },
    ];
    expect(normalised(aggregated.counts)).toEqual(expected);

    const nodes = nodesToCount(
      [],
      readDiscoveredNodes(await search(baseUrl, buildNodeDiscoverySearch(ALL_TIME))),
    );
    const searches = buildNodeCountSearches(ALL_TIME, groups, nodes);
    const responses = await Promise.all(searches.map((s) => search(baseUrl, s.body)));
    expect(normalised(readNodeCountSearches(nodes, searches, responses))).toEqual(expected);

    // The link's filter finds the tasks counted for `b`: both of them.
    const view = viewFromSearch(nodeTasksHref(expected[1]!.values, 'all', groups, ALL_TIME).slice(1));
    const parsed = parseTaskQuery(view.q);
    expect(parsed.ok && parsed.query.include.node).toEqual(['a,b', 'b']);
  });

  it('count only the tasks in the time range', async () => {
    const tasks = generateTasks(300, 13, NOW);
    standin = createStandin({ tasks });
    const baseUrl = await standin.listen(0, '127.0.0.1');
    const groups = stateGroupsOf(ACTIVE.concat(FAILED));
    const from = NOW - 2 * 86_400_000;
    const scope: CountScope = { timeField: 'create_time', from: String(from), to: '' };

    const result = readNodeAggregation(await search(baseUrl, buildNodeAggregationSearch(scope, groups)));

    const expected = expectedCounts(tasks, (t) => (t.create_time ?? 0) >= from);
    expect(expected.reduce((n, c) => n + c.tasks, 0)).toBeLessThan(
      expectedCounts(tasks).reduce((n, c) => n + c.tasks, 0),
    );
    expect(normalised(result.counts)).toEqual(expected);
  });
});

describe('reading answers', () => {
  it('reads worker nodes in both stored forms, as the index holds them, and skips tasks without one', () => {
    const response = {
      hits: {
        hits: [
          { _source: { worker_node: ['a', 'b'] } },
          { _source: { worker_node: 'c,a' } },
          { _source: {} },
          { _source: { worker_node: [' ', 'b'] } },
        ],
      },
    } as unknown as SearchResponse<{ worker_node?: unknown }>;
    expect(readDiscoveredNodes(response)).toEqual(['a', 'b', 'c,a']);
  });

  it('reads an aggregation with missing parts as zeros, and what it left out', () => {
    const response = {
      hits: { hits: [] },
      aggregations: {
        nodes: {
          sum_other_doc_count: 4,
          buckets: [{ key: 'n1', doc_count: 3 }, { doc_count: 2 }, 'junk'],
        },
      },
    } as unknown as SearchResponse<unknown>;
    expect(readNodeAggregation(response)).toEqual({
      counts: [{ ...emptyCounts('n1'), tasks: 3 }],
      uncountedTasks: 4,
    });
  });
});

describe('links to the tasks page', () => {
  const groups = { failed: ['FAILED', 'EXPIRED'], active: ['RUNNING'] };

  it('filter by the node id and the state group, in the same time range', () => {
    const scope: CountScope = { timeField: 'last_update_time', from: 'now-24h', to: '' };
    const href = nodeTasksHref(['node-1'], 'failed', groups, scope);
    expect(href.startsWith('/?')).toBe(true);
    const view = viewFromSearch(href.slice(1));
    expect(view).toMatchObject({ timeField: 'last_update_time', from: 'now-24h', to: '' });
    const parsed = parseTaskQuery(view.q);
    expect(parsed.ok && parsed.query.include).toMatchObject({
      node: ['node-1'],
      state: ['FAILED', 'EXPIRED'],
    });
  });

  it('keep an odd id whole', () => {
    const href = nodeTasksHref(['a "b" c'], 'all', groups, ALL_TIME);
    const parsed = parseTaskQuery(viewFromSearch(href.slice(1)).q);
    expect(parsed.ok && parsed.query.include.node).toEqual(['a "b" c']);
    expect(nodeTasksHref(['n'], 'active', groups, ALL_TIME)).toBe('/?q=state:RUNNING+node:n');
  });
});
