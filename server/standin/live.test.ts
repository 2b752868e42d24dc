// Tests of simulated activity: arrivals and state transitions, driven by fake timers and a fake clock.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TASK_INDEX } from '../../src/api/ml-types';
import type { MlTask } from '../../src/api/ml-types';
import { IndexStore } from './index-store';
import { TASK_MAPPING } from './mapping';
import { startLiveActivity } from './live';
import { search } from './search';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

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
});
