// Simulated activity for `--live`: new tasks arrive and move CREATED -> RUNNING -> COMPLETED or FAILED over seconds
// (agent runs and batch ingestion stay CREATED until they end, as ML Commons writes them).
// Deploys and batch predictions use models that exist; registers and deploys that complete update the models.
// With the cluster's nodes, now and then a node restarts and strands what it was working on, and the sync-up job's
// timeout fails what the nodes still hold past `ml_task_timeout_in_seconds`.

import type { MlModel, MlTask } from '../../shared/ml-types';
import { isAtLeast } from '../../shared/ml-releases';
import type { Release } from '../../shared/ml-releases';
import type { IndexStore, Source } from './index-store';
import { generateModel, generateTasks, idGenerator, modelAsWrittenBy, seedRelease } from './seed';
import type { MlNodes } from './ml-nodes';

/** The part of a running stand-in that live activity drives: its nodes and their sync-up job. */
export interface LiveCluster {
  nodes: MlNodes;
  restartNode(nodeId: string): string[];
  failTimedOutTasks(): string[];
}

/** How often a node restarts by default in live activity (the CLI's --live, npm start's demo). */
export const DEFAULT_RESTART_EVERY_MS = 4 * 60_000;

export interface LiveOptions {
  seed?: number;
  /** How often the simulation advances, in milliseconds. */
  tickMs?: number;
  /** Chance per tick that a new task arrives. */
  arrivalRate?: number;
  now?: () => number;
  /**
   * The model index. Live DEPLOY_MODEL and BATCH_PREDICTION tasks then use its models; a completed
   * REGISTER_MODEL or TRAINING adds its model, a deploy moves its model through DEPLOYING to DEPLOYED or
   * DEPLOY_FAILED. Without it, model ids are taken from tasks already in the task index.
   */
  models?: IndexStore;
  /**
   * The ML Commons release the cluster runs (default: the newest): new tasks and model changes use only its states,
   * types, functions and fields (UPLOAD_MODEL and LOAD_MODEL, LOADED … before 2.7).
   */
  version?: Release | string;
  /**
   * The stand-in's nodes. Work on a node that restarted or left after the task was created never ends (the task stays
   * as it was); each tick the nodes' timeout fails the tasks they still hold past it.
   */
  cluster?: LiveCluster;
  /** With `cluster`, one node (picked at random) restarts this often; off when undefined or 0. */
  restartEveryMs?: number;
  /** Called with a node's id and the tasks it stranded whenever live activity restarts it. */
  onRestart?: (nodeId: string, stranded: string[]) => void;
}

interface Pending {
  id: string;
  /** When the task moves on. */
  due: number;
  /** The model a DEPLOY_MODEL task deploys, and the nodes it deploys to. */
  deploys?: string;
  nodes?: string[];
}

interface ModelRef {
  id: string;
  functionName: string;
}

const deployFailure = (node: string): Partial<MlTask> => ({
  error: JSON.stringify({ [node]: 'Native Memory Circuit Breaker is open, please check your resources!' }),
});
const registerFailure = (): Partial<MlTask> => ({ error: 'Model size exceeds the limit: 4GB' });

const FAILURES: Record<string, (node: string) => Partial<MlTask>> = {
  DEPLOY_MODEL: deployFailure,
  LOAD_MODEL: deployFailure,
  REGISTER_MODEL: registerFailure,
  UPLOAD_MODEL: registerFailure,
  AGENT_EXECUTION: () => ({
    response: {
      memory_id: 'live-memory',
      error_message: 'Tool [SearchIndexTool] failed: index_not_found_exception',
    },
  }),
};

/**
 * Models a deploy or batch prediction may start on (not hidden, not being deployed, not trained, and from 2.7 on not
 * legacy): the register/deploy states, or before 2.7 the upload/load ones.
 */
const USABLE_MODEL_STATES = new Set([
  'REGISTERED',
  'DEPLOYED',
  'UNDEPLOYED',
  'PARTIALLY_DEPLOYED',
  'DEPLOY_FAILED',
]);
const USABLE_LEGACY_MODEL_STATES = new Set([
  'UPLOADED',
  'LOADED',
  'UNLOADED',
  'PARTIALLY_LOADED',
  'LOAD_FAILED',
]);
/** Task types whose model_id names a model that a deploy or batch prediction can use. */
const MODEL_TASK_TYPES = new Set(['REGISTER_MODEL', 'DEPLOY_MODEL', 'BATCH_PREDICTION']);
const LEGACY_MODEL_TASK_TYPES = new Set(['UPLOAD_MODEL', 'LOAD_MODEL']);
/** The types that deploy a model, and those that register one. */
const DEPLOYS = new Set(['DEPLOY_MODEL', 'LOAD_MODEL']);
const REGISTERS = new Set(['REGISTER_MODEL', 'UPLOAD_MODEL', 'TRAINING']);
/** Random slots looked at before giving up on finding a usable model. */
const PROBES = 64;
/** Half the probes look among this many newest documents: freshly registered models get deployed. */
const RECENT = 64;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Types ML Commons writes CREATED and next writes when they end. */
const STAYS_CREATED = new Set(['BATCH_INGEST', 'AGENT_EXECUTION']);

/** The node working on a task restarted or left after the task was created: its work is gone. */
function stranded(nodes: MlNodes, id: string, task: MlTask): boolean {
  const owner = nodes.ownerOf(id, task);
  if (owner === undefined) return false;
  if (!nodes.has(owner)) return true;
  return (task.create_time ?? 0) < (nodes.started(owner) ?? 0);
}

function nodesOf(task: MlTask): string[] {
  const w = task.worker_node;
  return Array.isArray(w) ? [...w] : typeof w === 'string' ? w.split(',') : [];
}

/** Starts the simulation on the task index; returns a function that stops it. */
export function startLiveActivity(tasks: IndexStore, options: LiveOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const models = options.models;
  const release = seedRelease(options.version);
  const legacy = !isAtLeast(release, '2.7.0');
  const usableStates = legacy ? USABLE_LEGACY_MODEL_STATES : USABLE_MODEL_STATES;
  const modelTaskTypes = legacy ? LEGACY_MODEL_TASK_TYPES : MODEL_TASK_TYPES;
  const random = mulberry32(seed * 7919 + 17);
  const newId = idGenerator(seed * 7919 + 23);
  const pending: Pending[] = [];
  /** Models with a live deploy in progress: no second deploy or batch job starts on them meanwhile. */
  const deploying = new Set<string>();
  let counter = 0;

  /** A random live slot of `store` (half the time among the newest), `PROBES` tries until `accept` says yes. */
  const probe = <T>(
    store: IndexStore,
    accept: (source: Source, id: string) => T | undefined,
  ): T | undefined => {
    const n = store.slotCount;
    if (n === 0) return undefined;
    for (let i = 0; i < PROBES; i++) {
      const slot =
        i % 2 === 0 ? n - 1 - Math.floor(random() * Math.min(n, RECENT)) : Math.floor(random() * n);
      const source = store.sources[slot];
      const id = store.ids[slot]!;
      if (!source || deploying.has(id)) continue;
      const found = accept(source, id);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  /** An existing model for a deploy, or a remote one for a batch prediction. */
  const pickModel = (remote: boolean): ModelRef | undefined => {
    const fromModels =
      models &&
      probe(models, (source, id): ModelRef | undefined => {
        const m = source as MlModel;
        if (m.is_hidden === true || m.chunk_number !== undefined) return undefined;
        if (!usableStates.has(m.model_state ?? '') || typeof m.algorithm !== 'string') return undefined;
        if (remote && m.algorithm !== 'REMOTE') return undefined;
        return { id, functionName: m.algorithm };
      });
    if (fromModels) return fromModels;
    // No model index (or nothing usable in it): ids that tasks already name, e.g. data loaded with --data.
    return probe(tasks, (source): ModelRef | undefined => {
      const t = source as MlTask;
      if (typeof t.model_id !== 'string' || deploying.has(t.model_id)) return undefined;
      if (!modelTaskTypes.has(t.task_type ?? '') || typeof t.function_name !== 'string') return undefined;
      if (remote && t.function_name !== 'REMOTE') return undefined;
      return { id: t.model_id, functionName: t.function_name };
    });
  };

  /**
   * Replaces a model document with `change` applied, the change (in the newest vocabulary) as the release writes it:
   * an update leaves the document's other fields as they are. Documents may be frozen: never mutate them.
   */
  const updateModel = (id: string, change: Partial<MlModel>): void => {
    const found = models?.get(id);
    if (found) models!.put(id, { ...found.source, ...modelAsWrittenBy(change, release) } as Source);
  };

  const arrive = (): void => {
    const t = now();
    // A deploy or batch prediction needs a model; with none to use (an empty cluster) another task comes.
    let template: MlTask | undefined;
    let id = '';
    let model: ModelRef | undefined;
    for (let tries = 0; tries < 20 && template === undefined; tries++) {
      const doc = generateTasks(1, seed * 100_003 + ++counter, t, release)[0]!;
      const type = doc._source.task_type ?? '';
      const needsModel = DEPLOYS.has(type) || type === 'BATCH_PREDICTION';
      model = needsModel ? pickModel(!DEPLOYS.has(type)) : undefined;
      if (model || !needsModel) {
        template = doc._source;
        id = doc._id;
      }
    }
    if (template === undefined) return;
    // Every task is indexed CREATED (MLAgentExecutor too, though its answer says RUNNING).
    const source: MlTask = { ...template, state: 'CREATED', create_time: t, last_update_time: t };
    delete source.error;
    // An agent run writes its response only when it ends.
    delete source.response;
    // REGISTER_MODEL and TRAINING only get a model id once they complete.
    if (REGISTERS.has(source.task_type ?? '')) delete source.model_id;
    if (model) {
      source.model_id = model.id;
      source.function_name = model.functionName;
    }
    if (source.task_type === 'BATCH_PREDICTION') source.remote_job = { status: 'validating' };
    tasks.put(id, source as Source);
    const ingest = STAYS_CREATED.has(source.task_type ?? '');
    const p: Pending = { id, due: t + (ingest ? 7000 + random() * 18_000 : 2000 + random() * 3000) };
    if (DEPLOYS.has(source.task_type ?? '') && model) {
      p.deploys = model.id;
      p.nodes = nodesOf(source);
      deploying.add(model.id);
      updateModel(model.id, { model_state: 'DEPLOYING', last_updated_time: t });
    }
    pending.push(p);
  };

  /** A deploy has ended: the model is (or is not) on the task's nodes. */
  const finishDeploy = (p: Pending, ok: boolean, t: number): void => {
    if (!p.deploys) return;
    deploying.delete(p.deploys);
    if (!ok) {
      updateModel(p.deploys, { model_state: 'DEPLOY_FAILED', last_updated_time: t });
      return;
    }
    const nodes = p.nodes ?? [];
    updateModel(p.deploys, {
      model_state: 'DEPLOYED',
      last_deployed_time: t,
      last_updated_time: t,
      planning_worker_node_count: nodes.length,
      current_worker_node_count: nodes.length,
      planning_worker_nodes: nodes,
      deploy_to_all_nodes: true,
    });
  };

  const advance = (p: Pending): boolean => {
    const found = tasks.get(p.id);
    const t = now();
    if (!found) {
      // Deleting a task does not stop its work: a deploy still completes.
      finishDeploy(p, true, t);
      return true;
    }
    const task = found.source as MlTask;
    if (options.cluster && stranded(options.cluster.nodes, p.id, task)) {
      // Its node restarted or left: nothing will ever write this task again.
      finishDeploy(p, false, t);
      return true;
    }
    const staysCreated = STAYS_CREATED.has(task.task_type ?? '');
    // Batch ingestion and agent runs have no RUNNING state: straight from CREATED to COMPLETED or FAILED.
    if (task.state === 'CREATED' && !staysCreated) {
      tasks.put(p.id, { ...task, state: 'RUNNING', last_update_time: t });
      p.due = t + 5000 + random() * 15_000;
      return false;
    }
    if (task.state !== 'RUNNING' && !(task.state === 'CREATED' && staysCreated)) {
      // Changed by someone else: whatever it says, the deploy did not complete here.
      finishDeploy(p, false, t);
      return true;
    }
    const next: MlTask = { ...task, last_update_time: t };
    if (random() < 0.2) {
      next.state = 'FAILED';
      const node = nodesOf(task)[0] ?? 'node';
      Object.assign(
        next,
        (
          FAILURES[task.task_type ?? ''] ??
          (() => ({ error: 'java.lang.RuntimeException: worker stopped responding' }))
        )(node),
      );
    } else {
      next.state = 'COMPLETED';
      if (REGISTERS.has(task.task_type ?? '')) {
        const modelId = newId(t, nodesOf(task)[0]);
        next.model_id = modelId;
        const model = models && generateModel(next, seed * 100_003 + ++counter, t, release);
        if (model) models!.put(modelId, model as Source);
      }
      if (task.task_type === 'AGENT_EXECUTION')
        next.response = {
          memory_id: 'live-memory',
          inference_results: [{ output: [{ name: 'response', result: 'done' }] }],
        };
      if (task.task_type === 'BATCH_PREDICTION') next.remote_job = { status: 'completed' };
    }
    tasks.put(p.id, next as Source);
    finishDeploy(p, next.state === 'COMPLETED', t);
    return true;
  };

  let nextRestart = options.restartEveryMs ? now() + options.restartEveryMs : Number.POSITIVE_INFINITY;
  const timer = setInterval(() => {
    const cluster = options.cluster;
    if (cluster && now() >= nextRestart) {
      nextRestart = now() + options.restartEveryMs!;
      const members = cluster.nodes.current();
      const node = members[Math.floor(random() * members.length)];
      if (node) options.onRestart?.(node.id, cluster.restartNode(node.id));
    }
    cluster?.failTimedOutTasks();
    if (random() < (options.arrivalRate ?? 0.35)) arrive();
    const t = now();
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i]!.due <= t && advance(pending[i]!)) pending.splice(i, 1);
    }
  }, options.tickMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
