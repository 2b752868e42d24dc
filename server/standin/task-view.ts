// A task as ML Commons prints it (GET of one task, the profile's cached tasks): what the stored document becomes.

import { TASK_FIELDS } from '../../shared/ml-types';
import type { MlTask } from '../../shared/ml-types';

/**
 * A bare task as `GET /_plugins/_ml/tasks/{id}` returns it: `worker_node` always an array (on 2.4, `asStored`, the
 * one string it held), `is_async` always there.
 */
export function taskView(source: MlTask, asStored = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TASK_FIELDS) {
    let v = source[key];
    // Documents from 2.4 hold one string, comma-joined for several nodes; ML Commons splits it on read since 2.5.
    if (key === 'worker_node' && typeof v === 'string' && !asStored) v = v.split(',');
    if (key === 'is_async' && v === undefined) v = false;
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}
