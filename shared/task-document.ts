// A task document as ML Commons' GET answers it, from the `_source` a search returns: the one place that knows how
// the two differ, for the stand-in's GET and for the console, which reads tasks with a search.
import { TASK_FIELDS, type MlTask } from './ml-types';

/**
 * `_source` as GET renders it: the known fields in GET's order, `worker_node` always an array (documents written by
 * 2.4 hold one string, comma-joined for several nodes), `is_async` false when missing, nulls dropped. Fields the
 * console does not know (a newer release's) follow, as they are: GET would show them too.
 */
export function taskAsGetAnswers(source: MlTask): MlTask {
  const out: Record<string, unknown> = {};
  for (const key of TASK_FIELDS) {
    let v = source[key];
    if (key === 'worker_node' && typeof v === 'string') v = v.split(',');
    if (key === 'is_async' && v === undefined) v = false;
    if (v !== undefined && v !== null) out[key] = v;
  }
  for (const [key, v] of Object.entries(source)) {
    if (!(key in out) && !(TASK_FIELDS as readonly string[]).includes(key) && v !== null) out[key] = v;
  }
  return out as MlTask;
}
