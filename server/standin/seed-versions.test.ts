// Checks that generated data and live activity hold, for each ML Commons release, only what that release can hold.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MODEL_INDEX, TASK_INDEX } from '../../shared/ml-types';
import type { MlModel, MlTask } from '../../shared/ml-types';
import {
  NEWEST_RELEASE,
  functionNamesOf,
  isAtLeast,
  modelFieldWrittenBy,
  modelStatesOf,
  parseRelease,
  taskFieldExists,
  taskStatesOf,
  taskTypesOf,
  taskTypesWrittenBy,
} from '../../shared/ml-releases';
import { IndexStore } from './index-store';
import type { Source } from './index-store';
import { MODEL_MAPPING, TASK_MAPPING } from './mapping';
import { startLiveActivity } from './live';
import { generateModels, generateTasks, modelAsWrittenBy } from './seed';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const WINDOW = 30 * 86_400_000;
const VERSIONS = [
  '2.4.0',
  '2.5.0',
  '2.6.0',
  '2.7.0',
  '2.8.0',
  '2.11.0',
  '2.12.0',
  '2.17.0',
  '2.18.0',
  '2.19.0',
  '3.0.0',
  NEWEST_RELEASE,
];
const values = (xs: unknown[]): string[] => [...new Set(xs.map(String))].sort();

describe.each(VERSIONS)('seed data of %s', (version) => {
  const release = parseRelease(version)!;
  const tasks = generateTasks(3_000, 7, NOW, version).map((d) => d._source);
  const models = generateModels(generateTasks(3_000, 7, NOW, version), 7, NOW, version).map((d) => d._source);
  const recent = tasks.filter((t) => (t.create_time ?? 0) > NOW - WINDOW);

  it('holds only the states, types and functions the release has', () => {
    for (const s of values(tasks.map((t) => t.state))) expect(taskStatesOf(release)).toContain(s);
    for (const t of values(tasks.map((t) => t.task_type))) expect(taskTypesOf(release)).toContain(t);
    // What the cluster wrote itself in the last 30 days: only the types it writes.
    for (const t of values(recent.map((t) => t.task_type))) expect(taskTypesWrittenBy(release)).toContain(t);
    for (const f of values(tasks.filter((t) => t.function_name).map((t) => t.function_name)))
      expect(functionNamesOf(release)).toContain(f);
  });

  it('holds only the task fields the release has', () => {
    const fields = new Set(tasks.flatMap((t) => Object.keys(t)));
    for (const f of fields) expect(taskFieldExists(release, f), f).toBe(true);
    expect(fields.has('remote_job')).toBe(isAtLeast(release, '2.17.0'));
    expect(fields.has('response')).toBe(isAtLeast(release, '3.0.0'));
    expect(fields.has('tenant_id')).toBe(false);
  });

  it('stores worker_node as the release writes it', () => {
    const kinds = values(tasks.filter((t) => t.worker_node !== undefined).map((t) => typeof t.worker_node));
    if (version === '2.4.0') {
      expect(kinds).toEqual(['string']);
      expect(tasks.some((t) => String(t.worker_node).includes(','))).toBe(true);
    } else {
      for (const t of recent)
        if (t.worker_node !== undefined) expect(Array.isArray(t.worker_node)).toBe(true);
    }
  });

  it('names register and deploy tasks as the release does', () => {
    const types = values(recent.map((t) => t.task_type));
    if (isAtLeast(release, '2.7.0')) {
      expect(types).toEqual(expect.arrayContaining(['REGISTER_MODEL', 'DEPLOY_MODEL']));
      expect(types).not.toContain('LOAD_MODEL');
    } else {
      expect(types).toEqual(expect.arrayContaining(['UPLOAD_MODEL', 'LOAD_MODEL']));
      expect(types).not.toContain('DEPLOY_MODEL');
    }
  });

  it('gives models only the states and fields the release has', () => {
    expect(models.length).toBeGreaterThan(10);
    for (const s of values(models.map((m) => m.model_state))) expect(modelStatesOf(release)).toContain(s);
    for (const m of models) {
      for (const f of Object.keys(m))
        if (f !== 'is_hidden') expect(modelFieldWrittenBy(release, f), f).toBe(true);
    }
    // Before model access control (2.8) every model is readable; the stand-in marks unreadable ones `is_hidden`.
    expect(models.some((m) => m.is_hidden === true)).toBe(isAtLeast(release, '2.8.0'));
    const recentStates = values(
      models.filter((m) => (m.created_time ?? 0) > NOW - WINDOW).map((m) => m.model_state),
    );
    if (!isAtLeast(release, '2.7.0'))
      expect(recentStates).toEqual(expect.arrayContaining(['LOADED', 'UPLOADED']));
    else expect(recentStates).toEqual(expect.arrayContaining(['DEPLOYED', 'REGISTERED']));
  });
});

describe('seed data of the newest release', () => {
  it('is what it is without a version', () => {
    expect(generateTasks(2_000, 3, NOW, NEWEST_RELEASE)).toStrictEqual(generateTasks(2_000, 3, NOW));
    const tasks = generateTasks(2_000, 3, NOW);
    expect(generateModels(tasks, 3, NOW, NEWEST_RELEASE)).toStrictEqual(generateModels(tasks, 3, NOW));
  });

  it('refuses a version that is not one', () => {
    expect(() => generateTasks(1, 1, NOW, 'latest')).toThrow(/not an ML Commons release/);
  });
});

describe('modelAsWrittenBy', () => {
  it('writes a pre-2.7 deploy with the load vocabulary', () => {
    expect(
      modelAsWrittenBy(
        {
          model_state: 'DEPLOYED',
          last_deployed_time: 5,
          deploy_to_all_nodes: true,
          planning_worker_nodes: ['n'],
        },
        '2.6.0',
      ),
    ).toEqual({ model_state: 'LOADED', last_loaded_time: 5, planning_worker_nodes: ['n'] });
    // 2.4 had no LOAD_FAILED: a failed load left the model UPLOADED.
    expect(modelAsWrittenBy({ model_state: 'DEPLOY_FAILED' }, '2.4.0')).toEqual({ model_state: 'UPLOADED' });
    expect(modelAsWrittenBy({ model_state: 'DEPLOY_FAILED' }, '2.5.0')).toEqual({
      model_state: 'LOAD_FAILED',
    });
  });

  it('leaves a model the release can write as it is', () => {
    const m = { model_state: 'DEPLOYED', model_group_id: 'g', last_deployed_time: 1 };
    expect(modelAsWrittenBy(m, '2.8.0')).toBe(m);
    expect(modelAsWrittenBy(m, '2.7.0')).toEqual({ model_state: 'DEPLOYED', last_deployed_time: 1 });
  });
});

describe('live activity per release', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Runs live activity for two minutes on seeded data of `version`; returns both stores. */
  function run(version: string): { tasks: IndexStore; models: IndexStore; seen: MlTask[] } {
    const start = Date.UTC(2025, 5, 15, 12);
    const seeded = generateTasks(1_500, 3, start, version);
    const tasks = new IndexStore(TASK_INDEX, TASK_MAPPING);
    const models = new IndexStore(MODEL_INDEX, MODEL_MAPPING);
    for (const d of seeded) tasks.put(d._id, d._source as Source);
    for (const d of generateModels(seeded, 3, start, version)) models.put(d._id, d._source as Source);
    const before = new Set(tasks.ids);
    let clock = start;
    const stop = startLiveActivity(tasks, { seed: 4, arrivalRate: 1, now: () => clock, models, version });
    for (let i = 0; i < 120; i++) {
      clock += 1000;
      vi.advanceTimersByTime(1000);
    }
    stop();
    const seen = tasks.ids
      .filter((id) => !before.has(id) && tasks.get(id))
      .map((id) => tasks.get(id)!.source as MlTask);
    return { tasks, models, seen };
  }

  it('on 2.4 uploads and loads models, with a string worker_node and the load states', () => {
    const { models, seen } = run('2.4.0');
    expect(seen.length).toBeGreaterThan(20);
    expect(values(seen.map((t) => t.task_type))).toEqual(
      expect.arrayContaining(['UPLOAD_MODEL', 'LOAD_MODEL']),
    );
    for (const t of seen) {
      expect(taskTypesWrittenBy(parseRelease('2.4.0')!)).toContain(t.task_type);
      if (t.worker_node !== undefined) expect(typeof t.worker_node).toBe('string');
    }
    const states = values(
      models.ids.map((id) => (models.get(id)?.source as MlModel | undefined)?.model_state),
    );
    for (const s of states) if (s !== 'undefined') expect(modelStatesOf(parseRelease('2.4.0')!)).toContain(s);
    const fields = new Set(models.ids.flatMap((id) => Object.keys(models.get(id)?.source ?? {})));
    expect(fields.has('last_deployed_time')).toBe(false);
    expect(fields.has('deploy_to_all_nodes')).toBe(false);
  });

  it('on 2.17 runs batch jobs but never shows a state 2.17 lacks', () => {
    const { seen } = run('2.17.0');
    const release = parseRelease('2.17.0')!;
    for (const t of seen) {
      expect(taskTypesWrittenBy(release)).toContain(t.task_type);
      expect(taskStatesOf(release)).toContain(t.state);
      expect(t.response).toBeUndefined();
    }
  });
});
