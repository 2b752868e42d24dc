// The task searches that count, per worker node, the tasks touching it, its failures, its active tasks and its last
// activity: one search with aggregations where the cluster answers them, `size: 0` searches per node where it cannot.
import { isObject } from '../../shared/json';
import { workerNodeList } from '../lib/format';
import type { SearchResponse, TaskSearchBody } from '../../shared/ml-types';
import { DEFAULT_VIEW, viewToSearch } from '../../shared/task-view-state';
import {
  query,
  scopeClauses,
  statesClause,
  type CountScope,
  type StateGroups,
} from '../../shared/node-count-search';
import { emptyTaskQuery, formatTaskQuery, setFieldSelection } from '../../shared/task-query';

export interface NodeTaskCounts {
  id: string;
  /**
   * The stored `worker_node` values that name the node: its id, and the comma-joined lists older releases stored as
   * one string (`"idA,idB"`, before 2.5). A filter on all of them finds exactly the tasks counted.
   */
  values: string[];
  /** Tasks whose `worker_node` names the node. */
  tasks: number;
  failures: number;
  active: number;
  /** The newest `last_update_time` of those tasks (epoch millis). */
  lastActivity: number | undefined;
}

/** Where the cluster cannot aggregate: how many of the newest tasks are read to find nodes no longer in the cluster. */
export const DISCOVERY_SAMPLE = 1000;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function docCount(bucket: unknown): number {
  return isObject(bucket) ? count(bucket.doc_count) : 0;
}

export interface NodeCountsResult {
  counts: NodeTaskCounts[];
  /** Tasks on nodes past the buckets listed (never, in practice): the counts are then incomplete. */
  uncountedTasks: number;
  /** Where nodes were found by reading the newest tasks: how many were read, and whether there were more. */
  sample?: { read: number; more: boolean };
}

/** The node ids in one stored `worker_node` value: one id, or (before 2.5) several joined by commas. */
export function idsInStoredValue(value: string): string[] {
  return [...new Set(value.split(',').map((id) => id.trim()))].filter((id) => id !== '');
}

export function emptyCounts(id: string): NodeTaskCounts {
  return { id, values: [id], tasks: 0, failures: 0, active: 0, lastActivity: undefined };
}

/**
 * Adds one stored value's counts to each node it names. A task holds either one string or a list of distinct ids, so
 * it is in one bucket per node it names and nothing is counted twice.
 */
function addTo(byId: Map<string, NodeTaskCounts>, value: string, add: Omit<NodeTaskCounts, 'id' | 'values'>) {
  for (const id of idsInStoredValue(value)) {
    const row = byId.get(id) ?? emptyCounts(id);
    if (!row.values.includes(value)) row.values.push(value);
    row.tasks += add.tasks;
    row.failures += add.failures;
    row.active += add.active;
    if (add.lastActivity !== undefined)
      row.lastActivity = Math.max(row.lastActivity ?? -Infinity, add.lastActivity);
    byId.set(id, row);
  }
}

/** Reads the aggregation search's answer. */
export function readNodeAggregation(response: SearchResponse<unknown>): NodeCountsResult {
  const nodes = response.aggregations?.nodes;
  const buckets = isObject(nodes) && Array.isArray(nodes.buckets) ? (nodes.buckets as unknown[]) : [];
  const byId = new Map<string, NodeTaskCounts>();
  for (const bucket of buckets) {
    if (!isObject(bucket) || (typeof bucket.key !== 'string' && typeof bucket.key !== 'number')) continue;
    const groups = isObject(bucket.groups) && isObject(bucket.groups.buckets) ? bucket.groups.buckets : {};
    const last = isObject(bucket.last_activity) ? bucket.last_activity.value : undefined;
    addTo(byId, String(bucket.key), {
      tasks: count(bucket.doc_count),
      failures: docCount(groups.failed),
      active: docCount(groups.active),
      lastActivity: typeof last === 'number' && Number.isFinite(last) ? last : undefined,
    });
  }
  return {
    counts: [...byId.values()],
    uncountedTasks: isObject(nodes) ? count(nodes.sum_other_doc_count) : 0,
  };
}

/** Where aggregations cannot be asked: the newest tasks' worker nodes, to find nodes that have left the cluster. */
export function buildNodeDiscoverySearch(scope: CountScope): TaskSearchBody {
  return {
    size: DISCOVERY_SAMPLE,
    track_total_hits: true,
    query: query(scopeClauses(scope)),
    sort: [{ create_time: { order: 'desc' } }],
    _source: ['worker_node'],
  };
}

/** Every stored `worker_node` value of the tasks read, in the order first seen. */
export function readDiscoveredNodes(response: SearchResponse<{ worker_node?: unknown }>): string[] {
  const ids = new Set<string>();
  for (const hit of response.hits.hits) {
    // As the index holds them (and a `term` query matches them): a list since 2.5, one string before.
    for (const id of workerNodeList(hit._source?.worker_node)) if (id.trim() !== '') ids.add(id);
  }
  return [...ids];
}

export type CountKind = 'tasks' | 'failures' | 'active';

export interface NodeCountSearch {
  id: string;
  kind: CountKind;
  body: TaskSearchBody;
}

/**
 * Three searches per node: its tasks with the newest update (one hit, with the exact total), its failures and its
 * active tasks (`size: 0`). A state group the release lacks is not asked.
 */
export function buildNodeCountSearches(
  scope: CountScope,
  groups: StateGroups,
  nodes: ReadonlyArray<Pick<NodeTaskCounts, 'id' | 'values'>>,
): NodeCountSearch[] {
  const searches: NodeCountSearch[] = [];
  for (const { id, values } of nodes) {
    const base = [...scopeClauses(scope), { terms: { worker_node: values } }];
    searches.push({
      id,
      kind: 'tasks',
      body: {
        size: 1,
        track_total_hits: true,
        query: query(base),
        sort: [{ last_update_time: { order: 'desc' } }],
        _source: ['last_update_time'],
      },
    });
    if (groups.failed.length > 0) {
      searches.push({
        id,
        kind: 'failures',
        body: { size: 0, track_total_hits: true, query: query([...base, statesClause(groups.failed)]) },
      });
    }
    if (groups.active.length > 0) {
      searches.push({
        id,
        kind: 'active',
        body: { size: 0, track_total_hits: true, query: query([...base, statesClause(groups.active)]) },
      });
    }
  }
  return searches;
}

/** The nodes to count one by one: the cluster's, and those the stored values name, each with its stored values. */
export function nodesToCount(
  clusterIds: readonly string[],
  storedValues: readonly string[],
): NodeTaskCounts[] {
  const byId = new Map(clusterIds.map((id) => [id, emptyCounts(id)]));
  for (const value of storedValues)
    addTo(byId, value, { tasks: 0, failures: 0, active: 0, lastActivity: undefined });
  return [...byId.values()];
}

/** The per-node searches' answers as counts, in the order of `nodes`; a node no task names counts zero. */
export function readNodeCountSearches(
  nodes: ReadonlyArray<Pick<NodeTaskCounts, 'id' | 'values'>>,
  searches: readonly NodeCountSearch[],
  responses: ReadonlyArray<SearchResponse<{ last_update_time?: unknown }>>,
): NodeTaskCounts[] {
  const byId = new Map<string, NodeTaskCounts>(
    nodes.map(({ id, values }) => [id, { ...emptyCounts(id), values }]),
  );
  searches.forEach((search, i) => {
    const response = responses[i];
    const row = byId.get(search.id);
    if (!response || !row) return;
    const total = count(response.hits.total?.value);
    if (search.kind === 'tasks') {
      row.tasks = total;
      const last = response.hits.hits[0]?._source?.last_update_time;
      if (typeof last === 'number' && Number.isFinite(last)) row.lastActivity = last;
    } else if (search.kind === 'failures') row.failures = total;
    else row.active = total;
  });
  return [...byId.values()];
}

/**
 * The tasks page showing a node's tasks (all, its failures or its active ones) in the same time range: `values` are
 * the stored values that name the node (its id, and older joined lists).
 */
export function nodeTasksHref(
  values: readonly string[],
  group: 'all' | 'failed' | 'active',
  groups: StateGroups,
  scope: CountScope,
): string {
  let q = setFieldSelection(emptyTaskQuery(), 'node', [...values], []);
  if (group !== 'all')
    q = setFieldSelection(q, 'state', group === 'failed' ? groups.failed : groups.active, []);
  return `/${viewToSearch({ ...DEFAULT_VIEW, q: formatTaskQuery(q), ...scope })}`;
}
