// Tests of simulated activity: arrivals and state transitions, driven by fake timers and a fake clock.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MODEL_INDEX, TASK_INDEX } from '../../shared/ml-types';
import type { MlModel, MlTask } from '../../shared/ml-types';
import { IndexStore } from './index-store';
import type { Source } from './index-store';
import { MODEL_MAPPING, TASK_MAPPING } from './mapping';
import { startLiveActivity } from './live';
import { search } from './search';
import { generateModels, generateTasks } from './seed';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Moves the fake clock and the fake timers together, one tick at a time. */
function ticker(start: number): { now: () => number; advance: (ms: number) => void } {
  let clock = start;
  return {
    now: () => clock,
    advance: (ms) => {
      for (let t = 0; t < ms; t += 1000) {
        clock += 1000;
        vi.advanceTimersByTime(1000);
      }
    },
  };
}

const taskOf = (store: IndexStore, id: string): MlTask => store.get(id)!.source as MlTask;

describe('live activity', () => {
  it('brings new tasks in as CREATED and moves them through RUNNING to COMPLETED or FAILED', () => {
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING);
    let clock = Date.UTC(2024, 0, 1);
    const stop = startLiveActivity(store, { seed: 5, tickMs: 1000, arrivalRate: 1, now: () => clock });
    const advance = (ms: number): void => {
      for (let t = 0; t < ms; t += 1000) {
        clock += 1000;
        vi.advanceTimersByTime(1000);
      }
    };
    advance(1000);
    expect(store.size).toBe(1);
    const first = store.ids[0]!;
    expect((store.get(first)!.source as MlTask).state).toBe('CREATED');
    advance(6000);
    expect((store.get(first)!.source as MlTask).state).toBe('RUNNING');
    advance(25_000);
    const finished = store.get(first)!.source as MlTask;
    expect(['COMPLETED', 'FAILED']).toContain(finished.state);
    expect(finished.last_update_time).toBeGreaterThan(finished.create_time!);

    const states = (
      search(store, { size: 0, aggs: { s: { terms: { field: 'state' } } } }, { now: clock }) as any
    ).aggregations.s.buckets;
    const counts = Object.fromEntries(states.map((b: any) => [b.key, b.doc_count]));
    expect(store.size).toBe(32);
    expect((counts.COMPLETED ?? 0) + (counts.FAILED ?? 0)).toBeGreaterThan(0);
    expect(counts.CREATED ?? 0).toBeGreaterThan(0);
    stop();
    advance(5000);
    expect(store.size).toBe(32);
  });

  it('keeps agent runs and batch ingestion CREATED until they end, as ML Commons writes them', () => {
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING);
    const clock = ticker(Date.UTC(2024, 0, 1));
    const stop = startLiveActivity(store, { seed: 2, arrivalRate: 1, now: clock.now });
    const seen = new Set<string>();
    for (let i = 0; i < 150; i++) {
      clock.advance(1000);
      for (const id of store.ids) {
        const t = taskOf(store, id);
        seen.add(`${t.task_type} ${t.state}`);
      }
    }
    stop();
    expect(seen).toContain('AGENT_EXECUTION CREATED');
    expect(seen).toContain('AGENT_EXECUTION COMPLETED');
    expect(seen).toContain('BATCH_INGEST CREATED');
    expect(seen).toContain('BATCH_INGEST COMPLETED');
    expect(seen).not.toContain('AGENT_EXECUTION RUNNING');
    expect(seen).not.toContain('BATCH_INGEST RUNNING');
    // An agent run has no response until it ends.
    for (const id of store.ids) {
      const t = taskOf(store, id);
      if (t.task_type === 'AGENT_EXECUTION' && t.state === 'CREATED')
        expect(t).not.toHaveProperty('response');
    }
  });

  it('leaves a task alone once it was deleted', () => {
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING);
    let clock = 1_700_000_000_000;
    const stop = startLiveActivity(store, { seed: 9, tickMs: 1000, arrivalRate: 1, now: () => clock });
    clock += 1000;
    vi.advanceTimersByTime(1000);
    const id = store.ids[0]!;
    store.delete(id);
    clock += 30_000;
    vi.advanceTimersByTime(30_000);
    expect(store.get(id)).toBeUndefined();
    stop();
  });

  it('names only existing models, and registers and deploys them as it goes', () => {
    const start = Date.UTC(2025, 5, 15, 12);
    const seedTasks = generateTasks(3_000, 3, start);
    const seedModels = generateModels(seedTasks, 3, start);
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING);
    const models = new IndexStore(MODEL_INDEX, MODEL_MAPPING);
    // Frozen like the seed's shared objects: an update that mutates a document throws.
    for (const d of seedTasks) store.put(d._id, deepFreeze(d._source) as Source);
    for (const d of seedModels) models.put(d._id, deepFreeze(d._source) as Source);
    const seeded = new Set(store.ids);
    const seededModels = new Set(models.ids);
    const clock = ticker(start);
    const stop = startLiveActivity(store, { seed: 11, arrivalRate: 1, now: clock.now, models });
    clock.advance(400_000);
    stop();
    clock.advance(30_000);

    const live = store.ids.filter((id) => !seeded.has(id) && store.get(id)).map((id) => taskOf(store, id));
    const model = (id: string | undefined): MlModel | undefined =>
      id === undefined ? undefined : (models.get(id)?.source as MlModel | undefined);
    const ofType = (type: string) => live.filter((t) => t.task_type === type);
    expect(ofType('DEPLOY_MODEL').length).toBeGreaterThan(20);
    expect(ofType('BATCH_PREDICTION').length).toBeGreaterThan(5);

    // Every deploy and batch prediction names a model the drill-down finds; batch jobs run on remote ones.
    for (const t of [...ofType('DEPLOY_MODEL'), ...ofType('BATCH_PREDICTION')]) {
      const m = model(t.model_id);
      expect(m, t.model_id).toBeDefined();
      expect(m!.is_hidden).toBeUndefined();
      expect(t.function_name).toBe(m!.algorithm);
      if (t.task_type === 'BATCH_PREDICTION') expect(m!.algorithm).toBe('REMOTE');
    }

    // A completed register gets a new model id and a model document created when the task was.
    const registered = ofType('REGISTER_MODEL').filter((t) => t.state === 'COMPLETED');
    expect(registered.length).toBeGreaterThan(20);
    for (const t of registered) {
      expect(t.model_id).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(seededModels.has(t.model_id!)).toBe(false);
      const m = model(t.model_id)!;
      expect(m.created_time).toBe(t.create_time);
      expect(m.algorithm).toBe(t.function_name);
      expect(['REGISTERED', 'DEPLOYING', 'DEPLOYED', 'DEPLOY_FAILED']).toContain(m.model_state);
    }
    expect(registered.some((t) => model(t.model_id)!.model_state === 'REGISTERED')).toBe(true);
    for (const t of ofType('REGISTER_MODEL').filter((x) => x.state !== 'COMPLETED'))
      expect(t).not.toHaveProperty('model_id');
    // Live-registered models get deployed too.
    expect(ofType('DEPLOY_MODEL').some((t) => !seededModels.has(t.model_id!))).toBe(true);

    // A model's state follows its latest live deploy.
    const latest = new Map<string, MlTask>();
    for (const t of ofType('DEPLOY_MODEL')) {
      const before = latest.get(t.model_id!);
      if (!before || before.create_time! < t.create_time!) latest.set(t.model_id!, t);
    }
    const expected: Record<string, string> = {
      COMPLETED: 'DEPLOYED',
      FAILED: 'DEPLOY_FAILED',
      RUNNING: 'DEPLOYING',
      CREATED: 'DEPLOYING',
    };
    for (const [id, t] of latest) {
      const m = model(id)!;
      expect(m.model_state, id).toBe(expected[t.state!]);
      if (t.state === 'COMPLETED') {
        expect(m.last_deployed_time).toBe(t.last_update_time);
        expect(m.planning_worker_nodes).toEqual(t.worker_node);
        expect(m.current_worker_node_count).toBe((t.worker_node as string[]).length);
      }
    }
    expect([...latest.values()].some((t) => t.state === 'COMPLETED')).toBe(true);
  });

  it('without a model index, deploys models that tasks already name', () => {
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING);
    const clock = ticker(Date.UTC(2024, 0, 1));
    const stop = startLiveActivity(store, { seed: 5, arrivalRate: 1, now: clock.now });
    clock.advance(200_000);
    stop();
    const all = store.ids.map((id) => taskOf(store, id));
    const registered = new Set(
      all.filter((t) => t.task_type === 'REGISTER_MODEL' && t.state === 'COMPLETED').map((t) => t.model_id),
    );
    const users = all.filter((t) => t.task_type === 'DEPLOY_MODEL' || t.task_type === 'BATCH_PREDICTION');
    expect(users.length).toBeGreaterThan(10);
    // The index started empty: every model in use was registered live, earlier.
    for (const t of users) expect(registered.has(t.model_id)).toBe(true);
  });
});
