// Simulated activity for `--live`: new tasks arrive and move CREATED -> RUNNING -> COMPLETED or FAILED over seconds.

import type { MlTask } from '../../src/api/ml-types';
import type { IndexStore, Source } from './index-store';
import { generateTasks } from './seed';

export interface LiveOptions {
  seed?: number;
  /** How often the simulation advances, in milliseconds. */
  tickMs?: number;
  /** Chance per tick that a new task arrives. */
  arrivalRate?: number;
  now?: () => number;
}

interface Pending {
  id: string;
  /** When the task moves on. */
  due: number;
  /** A model id held back until completion (REGISTER_MODEL and TRAINING only get one when they complete). */
  modelId?: string;
}

const FAILURES: Record<string, (node: string) => Partial<MlTask>> = {
  DEPLOY_MODEL: (node) => ({
    error: JSON.stringify({ [node]: 'Native Memory Circuit Breaker is open, please check your resources!' }),
  }),
  REGISTER_MODEL: () => ({ error: 'Model size exceeds the limit: 4GB' }),
  AGENT_EXECUTION: () => ({
    response: {
      memory_id: 'live-memory',
      error_message: 'Tool [SearchIndexTool] failed: index_not_found_exception',
    },
  }),
};

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

/** Starts the simulation on the task index; returns a function that stops it. */
export function startLiveActivity(tasks: IndexStore, options: LiveOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const random = mulberry32((options.seed ?? 1) * 7919 + 17);
  const pending: Pending[] = [];
  let counter = 0;

  const arrive = (): void => {
    const t = now();
    const template = generateTasks(1, (options.seed ?? 1) * 100_003 + ++counter, t)[0]!;
    const source: MlTask = { ...template._source, state: 'CREATED', create_time: t, last_update_time: t };
    delete source.error;
    let modelId: string | undefined;
    if (source.task_type === 'REGISTER_MODEL' || source.task_type === 'TRAINING') {
      modelId = source.model_id;
      delete source.model_id;
    }
    if (source.task_type === 'AGENT_EXECUTION') source.response = {};
    if (source.task_type === 'BATCH_PREDICTION') source.remote_job = { status: 'validating' };
    tasks.put(template._id, source as Source);
    pending.push({ id: template._id, due: t + 2000 + random() * 3000, modelId });
  };

  const advance = (p: Pending): boolean => {
    const found = tasks.get(p.id);
    if (!found) return true; // deleted meanwhile
    const task = found.source as MlTask;
    const t = now();
    if (task.state === 'CREATED') {
      tasks.put(p.id, { ...task, state: 'RUNNING', last_update_time: t });
      p.due = t + 5000 + random() * 15_000;
      return false;
    }
    if (task.state !== 'RUNNING') return true; // cancelled or changed by someone else
    const next: MlTask = { ...task, last_update_time: t };
    if (random() < 0.2) {
      next.state = 'FAILED';
      const node = Array.isArray(task.worker_node)
        ? (task.worker_node[0] ?? 'node')
        : (task.worker_node ?? 'node');
      Object.assign(
        next,
        (
          FAILURES[task.task_type ?? ''] ??
          (() => ({ error: 'java.lang.RuntimeException: worker stopped responding' }))
        )(node),
      );
    } else {
      next.state = 'COMPLETED';
      if (p.modelId) next.model_id = p.modelId;
      if (task.task_type === 'AGENT_EXECUTION')
        next.response = {
          memory_id: 'live-memory',
          inference_results: [{ output: [{ name: 'response', result: 'done' }] }],
        };
      if (task.task_type === 'BATCH_PREDICTION') next.remote_job = { status: 'completed' };
    }
    tasks.put(p.id, next as Source);
    return true;
  };

  const timer = setInterval(() => {
    if (random() < (options.arrivalRate ?? 0.35)) arrive();
    const t = now();
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i]!.due <= t && advance(pending[i]!)) pending.splice(i, 1);
    }
  }, options.tickMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
