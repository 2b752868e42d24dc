// The nodes view's rows: the cluster's nodes, the node ids tasks name, their task counts and their ML stats merged
// into one row per node.
import type { MlNodeStats, MlStatsResponse } from '../../shared/ml-types';
import type { ClusterNodes } from './cluster-nodes';
import { emptyCounts, type NodeTaskCounts } from './node-task-counts';

/** The ML stats the view shows per node; a stat the node did not report is undefined. */
export interface NodeStats {
  executingTasks?: number;
  requests?: number;
  failures?: number;
  deployedModels?: number;
  circuitBreakerTrips?: number;
  /** Percent of the JVM heap in use. */
  heapPercent?: number;
}

export interface NodeRow {
  id: string;
  /** The node's name; the id when the cluster does not list it. */
  name: string;
  roles: string[];
  host?: string;
  version?: string;
  /** True: listed by `_nodes`; false: not (it left the cluster); undefined: `_nodes` could not be read. */
  inCluster: boolean | undefined;
  /** Undefined when the tasks could not be counted. */
  counts?: NodeTaskCounts;
  /** Undefined when the node reported no ML stats (or they could not be read). */
  stats?: NodeStats;
}

function stat(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function readNodeStats(stats: MlNodeStats): NodeStats {
  return {
    executingTasks: stat(stats.ml_executing_task_count),
    requests: stat(stats.ml_request_count),
    failures: stat(stats.ml_failure_count),
    deployedModels: stat(stats.ml_deployed_model_count),
    circuitBreakerTrips: stat(stats.ml_circuit_breaker_trigger_count),
    heapPercent: stat(stats.ml_jvm_heap_usage),
  };
}

export interface NodeRowsInput {
  /** Undefined when `_nodes` could not be read (or has not answered yet). */
  nodes?: ClusterNodes;
  /** Undefined when the tasks could not be counted (or have not been yet). */
  counts?: readonly NodeTaskCounts[];
  stats?: MlStatsResponse;
}

/**
 * One row per node of the cluster and per node id a task names that the cluster does not list: nodes of the cluster
 * first (ML nodes, then the others, each by name), then the nodes that left, the most recently active first.
 */
export function buildNodeRows({ nodes, counts, stats }: NodeRowsInput): NodeRow[] {
  const countsById = new Map((counts ?? []).map((c) => [c.id, c]));
  const statsById = stats?.nodes && typeof stats.nodes === 'object' ? stats.nodes : {};
  const ids = new Set<string>([...(nodes?.byId.keys() ?? []), ...countsById.keys()]);
  const rows: NodeRow[] = [];
  for (const id of ids) {
    const node = nodes?.byId.get(id);
    const nodeStats = Object.hasOwn(statsById, id) ? statsById[id] : undefined;
    const nodeCounts = counts ? (countsById.get(id) ?? emptyCounts(id)) : undefined;
    rows.push({
      id,
      name: node?.name ?? id,
      roles: node?.roles ?? [],
      ...(node?.host !== undefined ? { host: node.host } : {}),
      ...(node?.version !== undefined ? { version: node.version } : {}),
      inCluster: nodes ? node !== undefined : undefined,
      ...(nodeCounts ? { counts: nodeCounts } : {}),
      ...(nodeStats && typeof nodeStats === 'object' ? { stats: readNodeStats(nodeStats) } : {}),
    });
  }
  return rows.sort(compareRows);
}

function rank(row: NodeRow): number {
  if (row.inCluster === false) return 2;
  return row.roles.includes('ml') ? 0 : 1;
}

function compareRows(a: NodeRow, b: NodeRow): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.inCluster === false) {
    const byActivity = (b.counts?.lastActivity ?? -Infinity) - (a.counts?.lastActivity ?? -Infinity);
    if (byActivity !== 0 && !Number.isNaN(byActivity)) return byActivity;
  }
  return a.name.localeCompare(b.name, 'en', { numeric: true }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
