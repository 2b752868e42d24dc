// Where a task keeps its failure: `error` (per-node JSON for deploys) or, for agent runs, `response.error_message`.
import type { MlTask } from './ml-types';

/** The task's failure text: `error`, or for AGENT_EXECUTION (3.0+) `response.error_message`. */
export function taskErrorText(task: MlTask): string | undefined {
  if (typeof task.error === 'string' && task.error.trim() !== '') return task.error;
  if (task.task_type === 'AGENT_EXECUTION') {
    const message = task.response?.error_message;
    if (typeof message === 'string' && message.trim() !== '') return message;
  }
  return undefined;
}

export interface NodeError {
  node: string;
  message: string;
}

/**
 * DEPLOY_MODEL (and LOAD_MODEL) failures store a JSON-encoded string of `{nodeId: message}`. Returns the
 * entries in stored order, or `undefined` when the error is anything else (plain text, other JSON).
 */
export function parseNodeErrors(error: string | undefined): NodeError[] | undefined {
  if (typeof error !== 'string' || !error.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(error);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'string')) return undefined;
  return entries.map(([node, message]) => ({ node, message: message as string }));
}
