// Tests for merging the node list, the task counts and the ML stats into the nodes view's rows, and for node labels.
import { describe, expect, it } from 'vitest';
import { nodeLabel, readClusterNodes, type NodeNames } from './cluster-nodes';
import { buildNodeRows } from './node-rows';
import { emptyCounts, type NodeTaskCounts } from './node-task-counts';

const NODES = readClusterNodes({
  _nodes: { total: 3, successful: 3, failed: 0 },
  nodes: {
    d1: { name: 'data-1', roles: ['data', 'ingest'], ip: '10.0.0.1', version: '3.8.0' },
    m2: { name: 'ml-2', roles: ['ml'], host: 'ml-2.local' },
    m1: { name: 'ml-1', roles: ['ml'] },
  },
});

const counts = (id: string, tasks: number, lastActivity?: number): NodeTaskCounts => ({
  id,
  values: [id],
  tasks,
  failures: 1,
  active: 0,
  lastActivity,
});

describe('readClusterNodes', () => {
  it('reads names, roles and addresses, tolerating what a filter_path left out', () => {
    expect(NODES.complete).toBe(true);
    expect(NODES.byId.get('d1')).toEqual({
      id: 'd1',
      name: 'data-1',
      roles: ['data', 'ingest'],
      host: '10.0.0.1',
      version: '3.8.0',
    });
    const bare = readClusterNodes({ nodes: { x: {}, y: null as never } });
    expect([...bare.byId.values()]).toEqual([{ id: 'x', name: 'x', roles: [] }]);
    expect(readClusterNodes({}).byId.size).toBe(0);
  });

  it('knows when some nodes did not answer', () => {
    expect(readClusterNodes({ _nodes: { total: 3, successful: 2, failed: 1 }, nodes: {} }).complete).toBe(
      false,
    );
  });
});

describe('nodeLabel', () => {
  const ready: NodeNames = { status: 'ready', nodes: NODES };

  it('names a node of the cluster, and keeps the id for the hint', () => {
    expect(nodeLabel(ready, 'm1')).toMatchObject({
      text: 'ml-1',
      named: true,
      inCluster: true,
      hint: 'Node ID m1',
    });
  });

  it('shows the id of a node not in the cluster, and says so', () => {
    const label = nodeLabel(ready, 'gone');
    expect(label).toMatchObject({ text: 'gone', named: false, inCluster: false });
    expect(label.hint).toMatch(/left the cluster/);
    const partial: NodeNames = { status: 'ready', nodes: { ...NODES, complete: false } };
    expect(nodeLabel(partial, 'gone').hint).toMatch(/some nodes did not answer/);
  });

  it('names each node of a list older releases stored as one string', () => {
    expect(nodeLabel(ready, 'm1,m2')).toMatchObject({ text: 'ml-1, ml-2', named: true, inCluster: true });
    const mixed = nodeLabel(ready, 'm1,gone');
    expect(mixed).toMatchObject({ text: 'ml-1, gone', inCluster: false });
    expect(mixed.hint).toBe('Node IDs m1, gone; not in the cluster now: gone');
    expect(nodeLabel({ status: 'pending' }, 'm1,m2')).toMatchObject({ text: 'm1, m2', inCluster: undefined });
  });

  it('shows ids while names are pending or unavailable, with the reason', () => {
    expect(nodeLabel({ status: 'pending' }, 'm1')).toMatchObject({ text: 'm1', inCluster: undefined });
    const label = nodeLabel({ status: 'unavailable', reason: 'Forbidden (403).' }, 'm1');
    expect(label).toMatchObject({ text: 'm1', named: false, inCluster: undefined });
    expect(label.hint).toContain('Forbidden (403).');
  });
});

describe('buildNodeRows', () => {
  it('lists ML nodes, then the others, then the nodes that left, the most recently active first', () => {
    const rows = buildNodeRows({
      nodes: NODES,
      counts: [counts('m2', 5, 100), counts('old', 2, 50), counts('older', 1, 10), counts('newer', 1, 500)],
    });
    expect(rows.map((r) => [r.id, r.inCluster])).toEqual([
      ['m1', true],
      ['m2', true],
      ['d1', true],
      ['newer', false],
      ['old', false],
      ['older', false],
    ]);
    // A node of the cluster that no task names counts zero.
    expect(rows[0]!.counts).toEqual(emptyCounts('m1'));
    expect(rows[1]).toMatchObject({
      name: 'ml-2',
      host: 'ml-2.local',
      counts: { tasks: 5, lastActivity: 100 },
    });
    expect(rows[3]).toMatchObject({ name: 'newer', roles: [] });
  });

  it('merges the ML stats by node id, and leaves out what a node did not report', () => {
    const rows = buildNodeRows({
      nodes: NODES,
      counts: [],
      stats: {
        ml_model_count: 3,
        nodes: {
          m1: {
            ml_executing_task_count: 2,
            ml_request_count: 40,
            ml_failure_count: 3,
            ml_deployed_model_count: 1,
            ml_circuit_breaker_trigger_count: 4,
            ml_jvm_heap_usage: 71,
          },
          d1: { ml_jvm_heap_usage: 12, ml_failure_count: 'many' as never },
          stranger: { ml_jvm_heap_usage: 1 },
        },
      },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('m1')!.stats).toEqual({
      executingTasks: 2,
      requests: 40,
      failures: 3,
      deployedModels: 1,
      circuitBreakerTrips: 4,
      heapPercent: 71,
    });
    expect(byId.get('d1')!.stats).toMatchObject({ heapPercent: 12, failures: undefined });
    expect(byId.get('m2')!.stats).toBeUndefined();
    // Stats of a node neither listed nor named by a task add no row.
    expect(byId.has('stranger')).toBe(false);
  });

  it('shows nodes from the counts alone when the node list could not be read, and no counts when they failed', () => {
    const fromCounts = buildNodeRows({ counts: [counts('b', 1), counts('a', 2)] });
    expect(fromCounts.map((r) => [r.id, r.inCluster])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
    const fromNodes = buildNodeRows({ nodes: NODES });
    expect(fromNodes.every((r) => r.counts === undefined)).toBe(true);
    expect(buildNodeRows({})).toEqual([]);
  });
});
