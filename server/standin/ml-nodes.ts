// What each node of the stand-in's cluster holds in memory, as ML Commons' MLTaskManager keeps it, and the answers
// that rest on it: `_plugins/_ml/profile` and `_plugins/_ml/stats`. Nodes restart (emptying their cache) and leave.
//
// Read from ml-commons (P = plugin/src/main/java/org/opensearch/ml): the task cache is a map in each node's
// MLTaskManager, filled when a task is created on that node (TransportRegisterModelAction, TransportDeployModelAction,
// MLTrainingTaskRunner, TransportBatchIngestionAction) and emptied of a task when it ends. Agent runs
// (MLAgentExecutor) and batch predictions (past their first call) never stay in it. The sync-up job fails cached tasks
// older than `ml_task_timeout_in_seconds` with "timeout after N seconds" (TransportSyncUpOnNodeAction, 2.5+).
// Nothing persists the cache: a restarted node holds none of the tasks it held.

import type { MlModel, MlTask } from '../../shared/ml-types';
import type { IndexStore } from './index-store';
import type { NodeInfo } from './cluster-info';
import { nodeOfId } from './seed';
import { taskView } from './task-view';

/** The task types ML Commons keeps in a node's task cache while they run (the pre-2.7 names too). */
export const CACHE_TRACKED_TYPES: ReadonlySet<string> = new Set([
  'REGISTER_MODEL',
  'DEPLOY_MODEL',
  'TRAINING',
  'BATCH_INGEST',
  'UPLOAD_MODEL',
  'LOAD_MODEL',
]);

/** States a cached task can be in: it leaves the cache when it ends. */
const CACHED_STATES: ReadonlySet<string> = new Set(['CREATED', 'RUNNING']);

/** How long before the stand-in started its nodes last started: older active tasks are no node's any more. */
export const DEFAULT_NODE_UPTIME_MS = 5 * 3_600_000;

function workerNodes(task: MlTask): string[] {
  const w = task.worker_node;
  return Array.isArray(w) ? w : typeof w === 'string' && w !== '' ? w.split(',') : [];
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A task the cache holds, with its id. */
export interface HeldTask {
  id: string;
  task: MlTask;
}

export interface NodeCounters {
  requests: number;
  failures: number;
  circuitBreakerTrips: number;
  /** function name (lower case) → action → [requests, failures]. */
  algorithms: Map<string, Map<string, [number, number]>>;
}

/** The ML Commons action a task type counts under in the node's algorithm stats (ActionName). */
const ACTION_OF_TYPE: Record<string, string> = {
  REGISTER_MODEL: 'register',
  DEPLOY_MODEL: 'deploy',
  UPLOAD_MODEL: 'upload',
  LOAD_MODEL: 'load',
  TRAINING: 'train',
  BATCH_PREDICTION: 'batch_predict',
  AGENT_EXECUTION: 'execute',
};

const FAILED_STATES: ReadonlySet<string> = new Set(['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE']);

/** The cluster's membership and each member's start time: what decides which node holds which task. */
export class MlNodes {
  private readonly members: NodeInfo[];
  private readonly gone = new Map<string, NodeInfo>();
  private readonly startedAt = new Map<string, number>();
  /** Bumped on every restart or removal: cached answers computed before are stale. */
  private generation = 0;
  private countersCache: { tasks: IndexStore; key: string; counters: Map<string, NodeCounters> } | undefined;
  private heldCache: { tasks: IndexStore; key: string; held: Map<string, HeldTask[]> } | undefined;

  constructor(nodes: readonly NodeInfo[], startedAt: number) {
    this.members = [...nodes];
    // Nodes did not all start together: a few minutes apart, as a rolling start leaves them.
    this.members.forEach((n, i) => this.startedAt.set(n.id, startedAt - i * 7 * 60_000));
  }

  /** The nodes in the cluster now. */
  current(): readonly NodeInfo[] {
    return this.members;
  }

  has(nodeId: string): boolean {
    return this.members.some((n) => n.id === nodeId);
  }

  /** When a node (in the cluster or gone) last started. */
  started(nodeId: string): number | undefined {
    return this.startedAt.get(nodeId);
  }

  /** A node restarts at `at`: it holds nothing it held. Throws for a node not in the cluster. */
  restart(nodeId: string, at: number): void {
    if (!this.has(nodeId)) throw new Error(`no node [${nodeId}] in the cluster`);
    this.startedAt.set(nodeId, at);
    this.generation++;
  }

  /** A node leaves the cluster: absent from `_nodes`, holding nothing. The last node cannot leave. */
  remove(nodeId: string): void {
    const i = this.members.findIndex((n) => n.id === nodeId);
    if (i < 0) throw new Error(`no node [${nodeId}] in the cluster`);
    if (this.members.length === 1) throw new Error('the last node of the cluster cannot leave it');
    this.gone.set(nodeId, this.members[i]!);
    this.members.splice(i, 1);
    this.generation++;
  }

  /**
   * The node whose cache a task went into: the node its id was generated on (ids carry the node's MAC; the seed's
   * and live tasks are created there), else its first worker, else one node picked by its id.
   */
  ownerOf(id: string, task: MlTask): string | undefined {
    const workers = workerNodes(task);
    const byId = nodeOfId(id);
    if (byId && (workers.length === 0 || workers.includes(byId) || !this.has(byId))) return byId;
    if (workers.length) return workers[0];
    if (this.members.length === 0) return undefined;
    return this.members[hash(id) % this.members.length]!.id;
  }

  /** Whether some node's cache holds this task now (so the timeout can still fire for it). */
  holds(id: string, task: MlTask): boolean {
    if (!CACHED_STATES.has(task.state ?? '') || !CACHE_TRACKED_TYPES.has(task.task_type ?? '')) return false;
    const owner = this.ownerOf(id, task);
    if (owner === undefined || !this.has(owner)) return false;
    return (task.create_time ?? 0) >= (this.startedAt.get(owner) ?? Number.POSITIVE_INFINITY);
  }

  /**
   * The held tasks of every node, by node id (nodes holding nothing are absent). Kept until the next write or change
   * of the nodes, as the counters are: at a million tasks the seed's stranded ones alone took 0.3 s to find.
   */
  held(tasks: IndexStore): Map<string, HeldTask[]> {
    const key = this.cacheKey(tasks);
    if (this.heldCache?.tasks === tasks && this.heldCache.key === key) return this.heldCache.held;
    const out = new Map<string, HeldTask[]>();
    for (const slot of activeSlots(tasks)) {
      const task = tasks.sources[slot] as MlTask;
      const id = tasks.ids[slot]!;
      if (!this.holds(id, task)) continue;
      const owner = this.ownerOf(id, task)!;
      let list = out.get(owner);
      if (!list) out.set(owner, (list = []));
      list.push({ id, task });
    }
    this.heldCache = { tasks, key, held: out };
    return out;
  }

  /** What the caches of this index's facts depend on: the nodes' changes and the index's writes. */
  private cacheKey(tasks: IndexStore): string {
    return `${this.generation}:${tasks.slotCount}:${tasks.size}`;
  }

  /**
   * Per node in the cluster, the counters ML Commons keeps in memory since the node started: requests and failures of
   * the tasks that touched it (its worker list, or its cache for tasks without one), circuit breaker trips among
   * those failures, and the same per function and action. One pass over the index, kept until the next write.
   */
  counters(tasks: IndexStore): Map<string, NodeCounters> {
    const key = this.cacheKey(tasks);
    if (this.countersCache?.tasks === tasks && this.countersCache.key === key)
      return this.countersCache.counters;
    const out = new Map<string, NodeCounters>();
    for (const n of this.members)
      out.set(n.id, { requests: 0, failures: 0, circuitBreakerTrips: 0, algorithms: new Map() });
    const live = tasks.liveSlots();
    for (let i = 0; i < live.length; i++) {
      const slot = live[i]!;
      const task = tasks.sources[slot] as MlTask;
      const created = task.create_time ?? 0;
      const workers = workerNodes(task);
      const touched = workers.length ? workers : [this.ownerOf(tasks.ids[slot]!, task) ?? ''];
      const failed = FAILED_STATES.has(task.state ?? '');
      const perNode = failed ? perNodeErrors(task) : undefined;
      for (const nodeId of touched) {
        const c = out.get(nodeId);
        if (!c || created < (this.startedAt.get(nodeId) ?? 0)) continue;
        c.requests++;
        const message = perNode
          ? (perNode[nodeId] ?? (perNode === NO_MAP ? task.error : undefined))
          : undefined;
        const nodeFailed = failed && (perNode !== NO_MAP ? perNode?.[nodeId] !== undefined : true);
        if (nodeFailed) c.failures++;
        if (
          nodeFailed &&
          typeof message === 'string' &&
          /Circuit Breaker is open|Data too large/.test(message)
        )
          c.circuitBreakerTrips++;
        const action = ACTION_OF_TYPE[task.task_type ?? ''];
        if (action && task.function_name) {
          const fn = task.function_name.toLowerCase();
          let actions = c.algorithms.get(fn);
          if (!actions) c.algorithms.set(fn, (actions = new Map()));
          const counts = actions.get(action) ?? [0, 0];
          counts[0]++;
          if (nodeFailed) counts[1]++;
          actions.set(action, counts);
        }
      }
    }
    this.countersCache = { tasks, key, counters: out };
    return out;
  }
}

/** A failure whose `error` is not a per-node map: it counts for every node the task touched. */
const NO_MAP: Record<string, string> = Object.freeze({});

/** A deploy's `{nodeId: message}` error, or NO_MAP when the error is plain text (or absent). */
function perNodeErrors(task: MlTask): Record<string, string> {
  const error = task.error;
  if (typeof error !== 'string' || !error.startsWith('{')) return NO_MAP;
  try {
    const parsed = JSON.parse(error) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : NO_MAP;
  } catch {
    return NO_MAP;
  }
}

/** Slots of live tasks whose state is one a cache holds: a pass over the state column, not the documents. */
function activeSlots(tasks: IndexStore): number[] {
  const column = tasks.keyword.get('state');
  const out: number[] = [];
  if (!column) return out;
  const codes = new Set<number>();
  for (const state of CACHED_STATES) {
    const code = column.lookup(state);
    if (code >= 0) codes.add(code);
  }
  if (codes.size === 0) return out;
  const n = tasks.slotCount;
  for (let slot = 0; slot < n; slot++) {
    if (tasks.live[slot] && codes.has(column.codes[slot]!)) out.push(slot);
  }
  return out;
}

/** The models deployed on a node: deployed (fully or partly) with the node among their planned workers. */
export function deployedModelsOn(models: IndexStore, nodeId: string): Array<{ id: string; model: MlModel }> {
  return deployedModelsByNode(models).get(nodeId) ?? [];
}

const DEPLOYED_STATES: ReadonlySet<string> = new Set([
  'DEPLOYED',
  'PARTIALLY_DEPLOYED',
  'LOADED',
  'PARTIALLY_LOADED',
]);

/**
 * Every node's deployed models, in one pass over the model index kept until its next write: the stats and the
 * profile ask it per node, and a pass per node over 300,000 models was 0.15 s of every `_plugins/_ml/stats`.
 */
function deployedModelsByNode(models: IndexStore): Map<string, Array<{ id: string; model: MlModel }>> {
  return models.derived('deployed models by node', () => {
    const out = new Map<string, Array<{ id: string; model: MlModel }>>();
    const live = models.liveSlots();
    for (let i = 0; i < live.length; i++) {
      const model = models.sources[live[i]!] as MlModel;
      const nodes = model.planning_worker_nodes;
      if (!DEPLOYED_STATES.has(model.model_state ?? '') || !Array.isArray(nodes)) continue;
      const entry = { id: models.ids[live[i]!]!, model };
      for (const nodeId of new Set(nodes)) {
        let list = out.get(nodeId);
        if (!list) out.set(nodeId, (list = []));
        list.push(entry);
      }
    }
    return out;
  });
}

/**
 * A held task as the profile prints the cached MLTask: its id first, then the task's own fields (on 2.4, whose MLTask
 * held one string, `worker_node` as that string).
 */
export function profileTask(held: HeldTask, workerNodeAsStored = false): Record<string, unknown> {
  return { task_id: held.id, ...taskView(held.task, workerNodeAsStored) };
}

/** The heap a node uses, in percent: steady per node, lower for a while after it started. */
export function heapUsage(nodeId: string, startedAt: number, now: number): number {
  const base = 38 + (hash(nodeId) % 35);
  const warm = Math.min(1, Math.max(0, (now - startedAt) / 3_600_000));
  return Math.round(base * (0.55 + 0.45 * warm));
}
