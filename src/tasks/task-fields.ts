// Display helpers for one task: its error text in either place, per-node deploy errors, deletability, duration.
import { ASSUMED_CAPABILITIES, type Capabilities } from '../../shared/cluster-capabilities';
import { FINISHED_STATES, type MlTask } from '../../shared/ml-types';
import { toDate } from '../lib/format';

// The error readers moved to shared/ (the failure groups need them on both sides); the task views import them here.
export { parseNodeErrors, taskErrorText, type NodeError } from '../../shared/task-errors';

/** The first non-empty line, trimmed, cut at `max` characters (code points) with an ellipsis. */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  const chars = Array.from(line.trim());
  if (chars.length <= max) return chars.join('');
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/**
 * A batch prediction on a remote model: its job runs at the provider (OpenAI, Bedrock, SageMaker), and GET of the task
 * asks the provider for the job's status and rewrites the task with it.
 */
export function isRemoteBatchJob(task: MlTask): boolean {
  return task.task_type === 'BATCH_PREDICTION' && task.function_name === 'REMOTE';
}

/** The provider's own status in `remote_job`, from the fields ML Commons itself reads. */
export function providerStatus(task: MlTask): string | undefined {
  const job = task.remote_job;
  if (!job) return undefined;
  for (const key of ['status', 'Status', 'TransformJobStatus']) {
    const value = job[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** COMPLETED, COMPLETED_WITH_ERROR, FAILED, CANCELLED, and EXPIRED and UNREACHABLE (terminal in practice). */
export function isFinished(state: string | undefined): boolean {
  return state !== undefined && FINISHED_STATES.includes(state);
}

export const RUNNING_DELETE_REASON =
  'A running task cannot be deleted: ML Commons refuses until the task finishes.';

/**
 * ML Commons refuses to delete exactly the RUNNING state (with a 500) since 2.6; every other state can go, and before
 * 2.6 a running task could be deleted too.
 */
export function canDelete(
  task: MlTask,
  capabilities: Pick<Capabilities, 'runningDeleteRefused'> = ASSUMED_CAPABILITIES,
): { ok: true } | { ok: false; reason: string } {
  return task.state === 'RUNNING' && capabilities.runningDeleteRefused
    ? { ok: false, reason: RUNNING_DELETE_REASON }
    : { ok: true };
}

/**
 * How long the task took (finished: last update minus creation) or has been going (otherwise: now minus
 * creation). `undefined` when the times needed are missing or unreadable; never negative.
 */
export function taskDuration(task: MlTask, now: number): { ms: number; running: boolean } | undefined {
  const created = toDate(task.create_time)?.getTime();
  if (created === undefined) return undefined;
  if (isFinished(task.state)) {
    const updated = toDate(task.last_update_time)?.getTime();
    if (updated === undefined) return undefined;
    return { ms: Math.max(0, updated - created), running: false };
  }
  if (!Number.isFinite(now)) return undefined;
  return { ms: Math.max(0, now - created), running: true };
}
