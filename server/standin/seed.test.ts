// Checks the seed data against the rules of a real cluster (reference §1/§2): fields per type, states, ids, times, models.
import { describe, expect, it } from 'vitest';
import type { MlTask } from '../../shared/ml-types';
import { generateModels, generateTasks } from './seed';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const DAY = 86_400_000;
const COUNT = 20_000;
const tasks = generateTasks(COUNT, 42, NOW);
const models = generateModels(tasks, 42, NOW);
const sources = tasks.map((d) => d._source);
const LEGACY_TYPES = new Set(['UPLOAD_MODEL', 'LOAD_MODEL']);
const ACTIVE = new Set(['CREATED', 'RUNNING', 'CANCELLING']);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The longest a healthy task of each type stays active (queue time included); older active ones are stuck. */
const LONGEST_RUN: Record<string, number> = {
  DEPLOY_MODEL: 2 * MINUTE,
  REGISTER_MODEL: 10 * MINUTE,
  AGENT_EXECUTION: 5 * MINUTE,
  TRAINING: 2 * HOUR + MINUTE,
  BATCH_INGEST: 3 * HOUR,
  BATCH_PREDICTION: 21 * HOUR,
};
const ID = /^[A-Za-z0-9_-]{20}$/;

function ofType(type: string): MlTask[] {
  return sources.filter((t) => t.task_type === type);
}

function share(predicate: (t: MlTask) => boolean): number {
  return sources.filter(predicate).length / sources.length;
}

const isActive = (t: MlTask): boolean => ACTIVE.has(t.state ?? '');
const age = (t: MlTask, now = NOW): number => now - (t.create_time ?? 0);
/** Active tasks older than their type's longest healthy run. */
const stuck = (ts: MlTask[], now = NOW): MlTask[] =>
  ts.filter((t) => isActive(t) && age(t, now) > (LONGEST_RUN[t.task_type ?? ''] ?? 0));

function newest(ts: MlTask[], n: number): MlTask[] {
  return [...ts].sort((a, b) => (b.create_time ?? 0) - (a.create_time ?? 0)).slice(0, n);
}

describe('generateTasks', () => {
  it('is deterministic for the same arguments and differs for another seed', () => {
    expect(generateTasks(3_000, 42, NOW)).toStrictEqual(generateTasks(3_000, 42, NOW));
    expect(generateModels(generateTasks(3_000, 42, NOW), 42, NOW)).toStrictEqual(
      generateModels(generateTasks(3_000, 42, NOW), 42, NOW),
    );
    const other = generateTasks(3_000, 43, NOW);
    expect(other.map((d) => d._id)).not.toEqual(generateTasks(3_000, 42, NOW).map((d) => d._id));
  });

  it('generates exactly the requested count, including none', () => {
    expect(tasks).toHaveLength(COUNT);
    expect(generateTasks(0, 1, NOW)).toEqual([]);
    expect(generateTasks(1, 1, NOW)).toHaveLength(1);
  });

  it('rejects a count it cannot honour', () => {
    expect(() => generateTasks(-1, 1, NOW)).toThrow(/count must be an integer/);
    expect(() => generateTasks(1.5, 1, NOW)).toThrow(/count must be an integer/);
    expect(() => generateTasks(10, 1, Number.NaN)).toThrow(/now must be epoch milliseconds/);
  });

  it('gives unique 20-character base64url ids, never stored in _source', () => {
    expect(new Set(tasks.map((d) => d._id)).size).toBe(COUNT);
    for (const d of tasks) {
      expect(d._id).toMatch(ID);
      expect(d._source).not.toHaveProperty('task_id');
    }
  });

  it('stores exactly what JSON carries (no undefined keys)', () => {
    expect(JSON.parse(JSON.stringify(tasks))).toStrictEqual(tasks);
    expect(JSON.parse(JSON.stringify(models))).toStrictEqual(models);
  });

  it('mixes task types like a real cluster', () => {
    const s = (type: string) => ofType(type).length / COUNT;
    expect(s('DEPLOY_MODEL')).toBeGreaterThan(0.3);
    expect(s('REGISTER_MODEL')).toBeGreaterThan(0.28);
    for (const type of ['BATCH_PREDICTION', 'AGENT_EXECUTION', 'TRAINING', 'BATCH_INGEST']) {
      expect(s(type)).toBeGreaterThan(0.03);
      expect(s(type)).toBeLessThan(s('DEPLOY_MODEL'));
    }
    expect(s('UPLOAD_MODEL') + s('LOAD_MODEL')).toBeGreaterThan(0.002);
    expect(s('UPLOAD_MODEL') + s('LOAD_MODEL')).toBeLessThan(0.02);
  });

  it('mixes states like production, rare ones only where plausible', () => {
    expect(share((t) => t.state === 'COMPLETED')).toBeGreaterThan(0.72);
    expect(share((t) => t.state === 'COMPLETED')).toBeLessThan(0.86);
    expect(share((t) => t.state === 'FAILED')).toBeGreaterThan(0.1);
    expect(share((t) => t.state === 'FAILED')).toBeLessThan(0.2);
    // Active tasks are the few still within their run time, plus a handful of stuck ones.
    expect(share(isActive)).toBeGreaterThan(0);
    expect(share(isActive)).toBeLessThan(0.005);
    for (const state of ['CANCELLED', 'CANCELLING', 'EXPIRED', 'UNREACHABLE']) {
      const withState = sources.filter((t) => t.state === state);
      expect(withState.length, state).toBeGreaterThan(0);
      expect(new Set(withState.map((t) => t.task_type)), state).toEqual(new Set(['BATCH_PREDICTION']));
    }
    const partial = new Set(
      sources.filter((t) => t.state === 'COMPLETED_WITH_ERROR').map((t) => t.task_type),
    );
    expect(partial).toContain('DEPLOY_MODEL');
    expect([...partial].every((type) => type === 'DEPLOY_MODEL' || type === 'LOAD_MODEL')).toBe(true);
    // Batch ingestion and agent runs have no RUNNING state: CREATED until they end.
    expect(ofType('BATCH_INGEST').some((t) => t.state === 'RUNNING')).toBe(false);
    expect(ofType('AGENT_EXECUTION').some((t) => t.state === 'RUNNING')).toBe(false);
    expect(ofType('AGENT_EXECUTION').some((t) => t.state === 'CREATED')).toBe(true);
  });

  it('sets model_id by the reference rules', () => {
    for (const t of sources) {
      switch (t.task_type) {
        case 'DEPLOY_MODEL':
        case 'BATCH_PREDICTION':
        case 'LOAD_MODEL':
          expect(t.model_id).toMatch(ID);
          break;
        case 'REGISTER_MODEL':
        case 'TRAINING':
        case 'UPLOAD_MODEL':
          if (t.state === 'COMPLETED') expect(t.model_id).toMatch(ID);
          else expect(t).not.toHaveProperty('model_id');
          break;
        default:
          expect(t).not.toHaveProperty('model_id');
      }
    }
  });

  it('sets function_name and input_type by type', () => {
    const functions = (type: string) => new Set(ofType(type).map((t) => t.function_name));
    for (const t of ofType('BATCH_INGEST')) expect(t).not.toHaveProperty('function_name');
    expect(functions('AGENT_EXECUTION')).toEqual(new Set(['AGENT']));
    expect(functions('BATCH_PREDICTION')).toEqual(new Set(['REMOTE']));
    expect(functions('TRAINING')).toEqual(
      new Set(['KMEANS', 'LINEAR_REGRESSION', 'BATCH_RCF', 'FIT_RCF', 'LOGISTIC_REGRESSION']),
    );
    const modelFunctions = new Set(['TEXT_EMBEDDING', 'SPARSE_ENCODING', 'REMOTE', 'TEXT_SIMILARITY']);
    expect(functions('REGISTER_MODEL')).toEqual(modelFunctions);
    expect(functions('DEPLOY_MODEL')).toEqual(modelFunctions);

    for (const t of sources) {
      if (t.task_type === 'TRAINING') expect(['SEARCH_QUERY', 'DATA_FRAME']).toContain(t.input_type);
      else if (t.task_type === 'BATCH_PREDICTION') expect(t.input_type).toBe('REMOTE');
      else expect(t).not.toHaveProperty('input_type');
    }
  });

  it('lists worker nodes as a real cluster does', () => {
    const nodeIds = new Set<string>();
    for (const t of sources) {
      const w = t.worker_node;
      if (t.task_type === 'BATCH_INGEST') {
        expect(t).not.toHaveProperty('worker_node');
        continue;
      }
      if (typeof w === 'string') {
        // Only documents written by 2.4 and older have a string.
        expect(LEGACY_TYPES.has(t.task_type ?? '')).toBe(true);
        continue;
      }
      expect(Array.isArray(w)).toBe(true);
      for (const id of w ?? []) nodeIds.add(id);
      if (t.task_type === 'DEPLOY_MODEL' || t.task_type === 'LOAD_MODEL')
        expect(w?.length).toBeGreaterThanOrEqual(3);
      else expect(w).toHaveLength(1);
    }
    expect(nodeIds.size).toBeGreaterThanOrEqual(5);
    for (const id of nodeIds) expect(id).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
    const strings = sources.filter((t) => typeof t.worker_node === 'string');
    expect(strings.length).toBeGreaterThan(0);
    // 2.4 LOAD_MODEL stored every eligible node, comma-joined.
    expect(strings.some((t) => t.task_type === 'LOAD_MODEL' && String(t.worker_node).includes(','))).toBe(
      true,
    );
    // A fourth ML node joins mid-window, so DEPLOY_MODEL node lists change.
    expect(new Set(ofType('DEPLOY_MODEL').map((t) => (t.worker_node as string[]).length))).toEqual(
      new Set([3, 4]),
    );
  });

  it('sets is_async, remote_job and response only where they belong', () => {
    for (const t of sources) {
      expect(t.is_async).toBe(t.task_type !== 'BATCH_PREDICTION');
      if (t.task_type === 'BATCH_PREDICTION') expect(t.remote_job).toBeTypeOf('object');
      else expect(t).not.toHaveProperty('remote_job');
      // An agent run writes its response when it ends.
      if (t.task_type === 'AGENT_EXECUTION' && t.state !== 'CREATED') expect(t.response).toBeTypeOf('object');
      else expect(t).not.toHaveProperty('response');
    }
    const styles = new Set(ofType('BATCH_PREDICTION').map((t) => Object.keys(t.remote_job ?? {})[0]));
    expect(styles).toEqual(new Set(['TransformJobArn', 'jobArn', 'id']));
  });

  it('keeps errors where ML Commons puts them', () => {
    for (const t of sources) {
      const error = t.error;
      if (t.task_type === 'AGENT_EXECUTION') {
        expect(t).not.toHaveProperty('error');
        if (t.state === 'FAILED') expect(t.response?.error_message).toBeTypeOf('string');
        continue;
      }
      if (t.state === 'COMPLETED') expect(t).not.toHaveProperty('error');
      if (t.state === 'FAILED' && t.task_type !== 'BATCH_PREDICTION') expect(error).toBeTypeOf('string');
      if ((t.task_type === 'DEPLOY_MODEL' || t.task_type === 'LOAD_MODEL') && error !== undefined) {
        // A JSON-encoded string of {nodeId: message}: every node on FAILED, some on COMPLETED_WITH_ERROR.
        const perNode = JSON.parse(error) as Record<string, string>;
        const nodes = Array.isArray(t.worker_node) ? t.worker_node : String(t.worker_node).split(',');
        expect(Object.keys(perNode).every((id) => nodes.includes(id))).toBe(true);
        if (t.state === 'FAILED') expect(Object.keys(perNode).sort()).toEqual([...nodes].sort());
        else expect(Object.keys(perNode).length).toBeLessThan(nodes.length);
      }
    }
  });

  it('includes hostile and very long texts so the console proves it renders text', () => {
    const texts = JSON.stringify([tasks, models]);
    expect(texts).toContain("<script>alert('x')</script>");
    expect(texts).toContain('<img src=x onerror=alert(1)>');
    expect(texts).toContain('\\"><b>bold</b>');
    const long = sources.find((t) => (t.error ?? '').length > 2000 && (t.error ?? '').includes('\n'));
    expect(long).toBeDefined();
  });

  it('reuses error strings rather than copying them', () => {
    const failed = sources.filter((t) => typeof t.error === 'string').map((t) => t.error);
    expect(new Set(failed).size).toBeLessThan(failed.length / 10);
  });

  it('places times in the window, CREATED ones never updated and finished ones after they started', () => {
    for (const t of sources) {
      const created = t.create_time ?? Number.NaN;
      const updated = t.last_update_time ?? Number.NaN;
      expect(Number.isInteger(created) && Number.isInteger(updated)).toBe(true);
      expect(updated).toBeGreaterThanOrEqual(created);
      expect(updated).toBeLessThanOrEqual(NOW);
      if (LEGACY_TYPES.has(t.task_type ?? '')) expect(created).toBeLessThan(NOW - 365 * DAY);
      else expect(created).toBeGreaterThanOrEqual(NOW - 30 * DAY);
      if (t.state === 'CREATED') expect(updated).toBe(created);
    }
    // Deploys take seconds, batch predictions up to hours.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const durations = (type: string) =>
      ofType(type)
        .filter((t) => t.state === 'COMPLETED')
        .map((t) => (t.last_update_time ?? 0) - (t.create_time ?? 0));
    expect(median(durations('DEPLOY_MODEL'))).toBeLessThan(60_000);
    expect(median(durations('BATCH_PREDICTION'))).toBeGreaterThan(30 * 60_000);
  });

  it('keeps tasks active only within their run time, except a few stuck ones', () => {
    const overdue = stuck(sources);
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(overdue.length).toBeLessThanOrEqual(COUNT * 0.0005);
    // Stuck tasks are hours or days old, and operators meet the usual kinds.
    for (const t of overdue) expect(age(t)).toBeGreaterThan(6 * HOUR);
    const kinds = new Set(overdue.map((t) => `${t.task_type} ${t.state}`));
    for (const kind of ['DEPLOY_MODEL RUNNING', 'REGISTER_MODEL CREATED', 'BATCH_PREDICTION CANCELLING'])
      expect(kinds).toContain(kind);
    // Nothing written since it got stuck: CREATED ones never moved, the others stopped soon after starting.
    for (const t of overdue) expect(NOW - (t.last_update_time ?? 0)).toBeGreaterThan(HOUR);
  });

  it('has tasks of the last minutes still active, by their type’s duration', () => {
    const busy = generateTasks(200_000, 42, NOW).map((d) => d._source);
    const recent = busy.filter((t) => age(t) < 10 * MINUTE);
    expect(recent.length).toBeGreaterThan(10);
    expect(recent.filter(isActive).length / recent.length).toBeGreaterThan(0.15);
    // Hours later only long jobs (batch prediction, ingestion, training) and stuck tasks remain active.
    const hoursOld = busy.filter((t) => isActive(t) && age(t) > HOUR);
    const longJobs = new Set(['BATCH_PREDICTION', 'BATCH_INGEST', 'TRAINING']);
    for (const t of hoursOld) if (stuck([t]).length === 0) expect(longJobs).toContain(t.task_type);
    expect(hoursOld.length).toBeGreaterThan(0);
    expect(stuck(busy).length).toBeLessThanOrEqual(200_000 * 0.0005);
  });

  it('shows mostly finished tasks on the newest page of a npm-start-sized set', () => {
    for (const seed of [1, 2, 3, 42]) {
      const now = NOW + seed * 5 * HOUR;
      const set = generateTasks(5_000, seed, now).map((d) => d._source);
      const page = newest(set, 25);
      expect(page.filter((t) => !isActive(t)).length, `seed ${seed}`).toBeGreaterThanOrEqual(20);
      expect(page.some((t) => t.state === 'COMPLETED')).toBe(true);
      // One stuck task of each kind a triage must find (eight), whatever the seed: a few in a thousand.
      const overdue = stuck(set, now).length;
      expect(overdue, `seed ${seed}`).toBe(8);
    }
    // 1,000 tasks hold fewer than 1,000 of the last month (a few are legacy): one stuck task then.
    for (const [count, expected] of [
      [1_000, 1],
      [2_500, 8],
    ] as const) {
      const overdue = stuck(generateTasks(count, 7, NOW).map((d) => d._source)).length;
      expect(overdue, String(count)).toBe(expected);
    }
  });

  it('spreads creation over the whole month with a daily rhythm', () => {
    const modern = sources.filter((t) => !LEGACY_TYPES.has(t.task_type ?? '') && t.state === 'COMPLETED');
    const days = new Set(modern.map((t) => Math.floor(((t.create_time ?? 0) - NOW) / DAY)));
    expect(days.size).toBeGreaterThanOrEqual(30);
    const byHour = new Array<number>(24).fill(0);
    for (const t of modern) {
      const hour = new Date(t.create_time ?? 0).getUTCHours();
      byHour[hour] = (byHour[hour] ?? 0) + 1;
    }
    expect(Math.max(...byHour)).toBeGreaterThan(2 * Math.min(...byHour));
  });
});

describe('generateModels', () => {
  const referenced = new Set(sources.map((t) => t.model_id).filter((id): id is string => id !== undefined));
  const byId = new Map(models.map((m) => [m._id, m._source]));

  it('has one model per referenced id, except a few deleted ones', () => {
    expect(models.every((m) => referenced.has(m._id))).toBe(true);
    expect(byId.size).toBe(models.length);
    const missing = 1 - models.length / referenced.size;
    expect(missing).toBeGreaterThan(0.02);
    expect(missing).toBeLessThan(0.09);
  });

  it('hides a few models', () => {
    const hidden = models.filter((m) => m._source.is_hidden === true).length;
    expect(hidden).toBeGreaterThan(0);
    expect(hidden / models.length).toBeLessThan(0.05);
    expect(models.every((m) => m._source.is_hidden === undefined || m._source.is_hidden === true)).toBe(true);
  });

  it('guarantees a missing and a hidden model even in a small data set', () => {
    const few = generateTasks(200, 5, NOW);
    const fewModels = generateModels(few, 5, NOW);
    const ids = new Set(few.map((d) => d._source.model_id).filter(Boolean));
    expect(fewModels.length).toBeLessThan(ids.size);
    expect(fewModels.some((m) => m._source.is_hidden)).toBe(true);
  });

  it('describes each kind of model with its own fields', () => {
    for (const { _source: m } of models) {
      expect(m.name).toBeTypeOf('string');
      expect(m.created_time).toBeLessThanOrEqual(m.last_updated_time ?? 0);
      if (m.algorithm === 'REMOTE') {
        expect(m.connector_id).toMatch(ID);
        expect(m).not.toHaveProperty('model_format');
        expect(m).not.toHaveProperty('model_content_size_in_bytes');
      } else if (m.model_state === 'TRAINED') {
        expect(['KMEANS', 'LINEAR_REGRESSION', 'BATCH_RCF', 'FIT_RCF', 'LOGISTIC_REGRESSION']).toContain(
          m.algorithm,
        );
      } else {
        expect(['ONNX', 'TORCH_SCRIPT']).toContain(m.model_format);
        expect(m.model_content_size_in_bytes).toBeGreaterThan(0);
        expect(m).not.toHaveProperty('connector_id');
      }
      if (m.algorithm === 'TEXT_EMBEDDING') {
        expect(m.model_config).toMatchObject({
          model_type: expect.any(String),
          embedding_dimension: expect.any(Number),
        });
      }
    }
  });

  it('keeps model state consistent with the latest deploy task', () => {
    const latest = new Map<string, MlTask>();
    for (const t of sources) {
      if (t.task_type !== 'DEPLOY_MODEL' || t.model_id === undefined) continue;
      const before = latest.get(t.model_id);
      if (!before || (before.create_time ?? 0) < (t.create_time ?? 0)) latest.set(t.model_id, t);
    }
    const expected: Record<string, string[]> = {
      COMPLETED: ['DEPLOYED', 'UNDEPLOYED'],
      COMPLETED_WITH_ERROR: ['PARTIALLY_DEPLOYED'],
      FAILED: ['DEPLOY_FAILED'],
      RUNNING: ['DEPLOYING'],
      CREATED: ['DEPLOYING'],
    };
    let checked = 0;
    for (const [id, task] of latest) {
      const model = byId.get(id);
      if (!model) continue;
      expect(expected[task.state ?? '']).toContain(model.model_state);
      if (model.model_state === 'DEPLOYED') {
        expect(model.planning_worker_nodes).toEqual(task.worker_node);
        expect(model.last_deployed_time).toBe(task.last_update_time);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    const states = new Set(models.map((m) => m._source.model_state));
    for (const state of ['REGISTERED', 'DEPLOYED', 'UNDEPLOYED', 'TRAINED', 'LOADED', 'UPLOADED']) {
      expect(states).toContain(state);
    }
  });

  it('registers a model when its register task started', () => {
    for (const t of ofType('REGISTER_MODEL')) {
      const model = t.model_id === undefined ? undefined : byId.get(t.model_id);
      if (model) expect(model.created_time).toBe(t.create_time);
    }
  });
});
