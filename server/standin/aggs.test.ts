// Unit tests of every aggregation and its response shape.

import { describe, expect, it } from 'vitest';
import { TASK_INDEX } from '../../shared/ml-types';
import { IndexStore } from './index-store';
import type { Source } from './index-store';
import { TASK_MAPPING } from './mapping';
import { generateTasks } from './seed';
import { NOW, errorOf, fixtureStore, run } from './test-fixtures';

const aggs = (a: Record<string, unknown>, query?: unknown): any =>
  run({ size: 0, aggs: a, ...(query ? { query } : {}) }).aggregations;

describe('terms', () => {
  it('counts per value, ordered by count then key, with the exact shape', () => {
    expect(aggs({ s: { terms: { field: 'state' } } }).s).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'COMPLETED', doc_count: 5 },
        { key: 'FAILED', doc_count: 4 },
        { key: 'CANCELLED', doc_count: 1 },
        { key: 'CREATED', doc_count: 1 },
        { key: 'RUNNING', doc_count: 1 },
      ],
    });
  });

  it('size, sum_other_doc_count and order by key', () => {
    const r = aggs({ s: { terms: { field: 'state', size: 2, order: { _key: 'desc' } } } }).s;
    expect(r.buckets).toEqual([
      { key: 'RUNNING', doc_count: 1 },
      { key: 'FAILED', doc_count: 4 },
    ]);
    expect(r.sum_other_doc_count).toBe(7);
  });

  it("a bucket's sub-aggregations see exactly its documents: multi-valued, replaced and deleted ones, missing", () => {
    const store = fixtureStore();
    const docs = store.sources.flatMap((source, slot) => (source ? [{ id: store.ids[slot]!, source }] : []));
    store.delete(docs[0]!.id);
    store.put(docs[3]!.id, { ...docs[3]!.source, worker_node: ['n2', 'n9', 'n1'], state: 'FAILED' });
    const live = store.sources.filter((source) => source !== null) as Array<Record<string, unknown>>;
    const body = {
      size: 0,
      aggs: {
        nodes: {
          terms: { field: 'worker_node', missing: '(none)', size: 100 },
          aggs: {
            groups: { filters: { filters: { failed: { term: { state: 'FAILED' } } } } },
            ids: { terms: { field: 'task_type', size: 100 } },
          },
        },
      },
    };
    const r = run(body, store).aggregations.nodes;
    for (const bucket of r.buckets) {
      const mine = live.filter((source) => {
        const values = [source.worker_node ?? []].flat() as string[];
        return values.length ? values.includes(bucket.key) : bucket.key === '(none)';
      });
      expect(bucket.doc_count).toBe(mine.length);
      expect(bucket.groups.buckets.failed.doc_count).toBe(mine.filter((d) => d.state === 'FAILED').length);
      const types = new Map<string, number>();
      for (const d of mine) types.set(String(d.task_type), (types.get(String(d.task_type)) ?? 0) + 1);
      expect(new Map(bucket.ids.buckets.map((b: any) => [b.key, b.doc_count]))).toEqual(types);
    }
    expect(r.buckets.map((b: any) => b.key)).toContain('n9');
  });

  it('multi-valued fields count each document once per value; missing buckets the rest', () => {
    const r = aggs({ n: { terms: { field: 'worker_node', missing: '(none)' } } }).n;
    expect(r.buckets).toEqual([
      { key: 'n1', doc_count: 6 },
      { key: 'n2', doc_count: 5 },
      { key: 'n3', doc_count: 3 },
      { key: '(none)', doc_count: 1 },
      { key: 'legacy-node', doc_count: 1 },
    ]);
  });

  it('counts every live document alike, whether the set is all of them or a filtered part', () => {
    // Deleted and replaced documents leave dead slots, some of them multi-valued.
    const store = fixtureStore();
    const docs = store.sources.flatMap((source, slot) => (source ? [{ id: store.ids[slot]!, source }] : []));
    store.delete(docs[1]!.id);
    store.put(docs[2]!.id, { ...docs[2]!.source, worker_node: ['n9', 'n1'], state: 'RUNNING' });
    store.delete(
      docs.find((d) => Array.isArray(d.source.worker_node) && d.source.worker_node.length > 1)!.id,
    );
    const live = store.sources.filter((source) => source !== null) as Array<Record<string, unknown>>;
    const expected = (field: string, keep = (_source: Record<string, unknown>) => true) => {
      const counts = new Map<string, number>();
      for (const source of live.filter(keep)) {
        const values = [source[field] ?? []].flat() as string[];
        for (const v of new Set(values.length ? values : ['(none)'])) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      return counts;
    };
    const notCancelled = (source: Record<string, unknown>) => source.state !== 'CANCELLED';
    const terms = (field: string) => ({ terms: { field, missing: '(none)', size: 100 } });
    const body = {
      size: 0,
      aggs: {
        all_nodes: terms('worker_node'),
        all_states: terms('state'),
        // A part of the documents, as an explicit set: the other way of counting.
        some: {
          filter: { bool: { must_not: [{ term: { state: 'CANCELLED' } }] } },
          aggs: { nodes: terms('worker_node'), states: terms('state') },
        },
      },
    };
    const r = run(body, store).aggregations;
    const asMap = (agg: any) => new Map(agg.buckets.map((b: any) => [b.key, b.doc_count]));
    expect(asMap(r.all_nodes)).toEqual(expected('worker_node'));
    expect(asMap(r.all_states)).toEqual(expected('state'));
    expect(r.some.doc_count).toBe(live.filter(notCancelled).length);
    expect(r.some.doc_count).toBeLessThan(live.length);
    expect(asMap(r.some.nodes)).toEqual(expected('worker_node', notCancelled));
    expect(asMap(r.some.states)).toEqual(expected('state', notCancelled));
  });

  it('min_doc_count 0 lists values with no match in the current query', () => {
    const r = aggs({ s: { terms: { field: 'state', min_doc_count: 0 } } }, { term: { state: 'RUNNING' } }).s;
    expect(r.buckets[0]).toEqual({ key: 'RUNNING', doc_count: 1 });
    expect(r.buckets).toHaveLength(5);
    expect(r.buckets.slice(1).every((b: any) => b.doc_count === 0)).toBe(true);
  });

  it('min_doc_count 0 lists only values some live document still holds', () => {
    const store = fixtureStore();
    store.delete('t6'); // the only RUNNING task
    const r = run(
      {
        size: 0,
        query: { term: { state: 'FAILED' } },
        aggs: { s: { terms: { field: 'state', min_doc_count: 0 } } },
      },
      store,
    ).aggregations.s;
    expect(r.buckets.map((b: any) => b.key)).toEqual(['FAILED', 'CANCELLED', 'COMPLETED', 'CREATED']);
  });

  it('multi-valued counts agree whether few or many documents match', () => {
    const few = aggs({ n: { terms: { field: 'worker_node' } } }, { ids: { values: ['t3'] } }).n;
    expect(few.buckets.map((b: any) => [b.key, b.doc_count])).toEqual([
      ['n1', 1],
      ['n2', 1],
      ['n3', 1],
    ]);
    // A document listing a node twice still counts once for it.
    const store = fixtureStore();
    store.put('dup', { state: 'RUNNING', worker_node: ['n9', 'n8', 'n9'] });
    for (let i = 0; i < 20; i++) store.put(`m${i}`, { state: 'CREATED', worker_node: ['n7', 'n8'] });
    const one = run(
      { size: 0, query: { ids: { values: ['dup'] } }, aggs: { n: { terms: { field: 'worker_node' } } } },
      store,
    ).aggregations.n;
    expect(one.buckets).toEqual([
      { key: 'n8', doc_count: 1 },
      { key: 'n9', doc_count: 1 },
    ]);
    const all = run({ size: 0, aggs: { n: { terms: { field: 'worker_node' } } } }, store).aggregations.n;
    expect(all.buckets.slice(0, 3)).toEqual([
      { key: 'n8', doc_count: 21 },
      { key: 'n7', doc_count: 20 },
      { key: 'n1', doc_count: 6 },
    ]);
  });

  it('include/exclude, booleans and order by a sub-aggregation', () => {
    expect(
      aggs({ s: { terms: { field: 'state', include: ['FAILED', 'RUNNING'] } } }).s.buckets.map(
        (b: any) => b.key,
      ),
    ).toEqual(['FAILED', 'RUNNING']);
    expect(
      aggs({ s: { terms: { field: 'state', exclude: 'C.*' } } }).s.buckets.map((b: any) => b.key),
    ).toEqual(['FAILED', 'RUNNING']);
    expect(aggs({ a: { terms: { field: 'is_async' } } }).a.buckets).toEqual([
      { key: 1, key_as_string: 'true', doc_count: 10 },
      { key: 0, key_as_string: 'false', doc_count: 1 },
    ]);
    const byLatest = aggs({
      s: {
        terms: { field: 'state', order: { latest: 'desc' } },
        aggs: { latest: { max: { field: 'create_time' } } },
      },
    }).s;
    expect(byLatest.buckets[0].key).toBe('CREATED');
    expect(byLatest.buckets[0].latest.value).toBe(NOW - 10 * 60_000);
  });

  it('ties in an order by a sub-aggregation break by key ascending, not by count', () => {
    const r = aggs(
      {
        s: {
          terms: { field: 'state', order: { any: 'desc' } },
          aggs: { any: { max: { field: 'is_async' } } },
        },
      },
      { terms: { state: ['FAILED', 'CANCELLED', 'CREATED'] } },
    ).s;
    // The max of is_async is 1 for both FAILED (4 tasks) and CREATED (1); CANCELLED's one task lacks it.
    expect(r.buckets.map((b: any) => b.key)).toEqual(['CREATED', 'FAILED', 'CANCELLED']);
  });

  it('on the error text field fails; on an unmapped field is empty', () => {
    const err = errorOf({ aggs: { e: { terms: { field: 'error' } } } });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.reason).toBe('all shards failed');
    expect(aggs({ x: { terms: { field: 'nope' } } }).x).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [],
    });
  });
});

describe('date_histogram', () => {
  it('fixed interval with empty buckets filled and key_as_string', () => {
    const r = aggs(
      { h: { date_histogram: { field: 'create_time', fixed_interval: '1h' } } },
      { range: { create_time: { gte: 'now-3h' } } },
    ).h;
    expect(r.buckets.map((b: any) => [b.key_as_string, b.doc_count])).toEqual([
      ['2024-05-31T21:00:00.000Z', 1],
      ['2024-05-31T22:00:00.000Z', 2],
      ['2024-05-31T23:00:00.000Z', 3],
    ]);
    expect(r.buckets[0].key).toBe(NOW - 3 * 3_600_000);
  });

  it('calendar interval, extended_bounds and min_doc_count', () => {
    const r = aggs(
      {
        d: {
          date_histogram: {
            field: 'create_time',
            calendar_interval: 'day',
            min_doc_count: 0,
            extended_bounds: { min: 'now-3d/d', max: 'now' },
          },
        },
      },
      { range: { create_time: { gte: 'now-3d' } } },
    ).d;
    expect(r.buckets.map((b: any) => [b.key_as_string, b.doc_count])).toEqual([
      ['2024-05-29T00:00:00.000Z', 0],
      ['2024-05-30T00:00:00.000Z', 2],
      ['2024-05-31T00:00:00.000Z', 9],
      ['2024-06-01T00:00:00.000Z', 0],
    ]);
    const onlyFull = aggs({
      d: { date_histogram: { field: 'create_time', calendar_interval: '1d', min_doc_count: 1 } },
    }).d;
    expect(onlyFull.buckets.every((b: any) => b.doc_count >= 1)).toBe(true);
    expect(onlyFull.buckets).toHaveLength(3);
  });

  it('month and week calendar intervals start where the calendar does', () => {
    const m = aggs(
      { d: { date_histogram: { field: 'create_time', calendar_interval: 'month' } } },
      { range: { create_time: { gte: 'now-10d' } } },
    ).d;
    expect(m.buckets.map((b: any) => b.key_as_string)).toEqual(['2024-05-01T00:00:00.000Z']);
    const w = aggs(
      { d: { date_histogram: { field: 'create_time', calendar_interval: 'week' } } },
      { range: { create_time: { gte: 'now-1d' } } },
    ).d;
    expect(w.buckets[0].key_as_string).toBe('2024-05-27T00:00:00.000Z'); // a Monday
  });

  it('holds a terms sub-aggregation on state per bucket', () => {
    const r = aggs(
      {
        h: {
          date_histogram: { field: 'create_time', fixed_interval: '12h' },
          aggs: { states: { terms: { field: 'state' } } },
        },
      },
      { range: { create_time: { gte: 'now-12h' } } },
    ).h;
    expect(r.buckets).toHaveLength(1);
    expect(r.buckets[0].doc_count).toBe(8);
    expect(r.buckets[0].states.buckets).toContainEqual({ key: 'FAILED', doc_count: 3 });
  });

  it("every bucket's sub-aggregations see exactly its documents, missing dates and empty buckets included", () => {
    const store = fixtureStore();
    const hour = 3_600_000;
    store.put('no-date', { state: 'CREATED', task_type: 'DEPLOY_MODEL' });
    // Two dates in one bucket count once; in two buckets, once in each.
    store.put('two-dates', { state: 'FAILED', create_time: [NOW - 10 * hour, NOW - 10 * hour + 60_000] });
    store.put('far-dates', { state: 'RUNNING', create_time: [NOW - 100 * hour, NOW - 7 * hour] });
    const live = store.sources.filter((source) => source !== null) as Array<Record<string, unknown>>;
    const missing = NOW - 5 * hour;
    // Dates as the fixtures hold them: epoch millis, as a number or a string, or ISO text.
    const millis = (v: unknown): number | undefined =>
      typeof v === 'number'
        ? v
        : typeof v === 'string'
          ? /^\d+$/.test(v)
            ? Number(v)
            : Date.parse(v)
          : undefined;
    const body = {
      size: 0,
      aggs: {
        h: {
          date_histogram: {
            field: 'create_time',
            fixed_interval: '3h',
            missing,
            extended_bounds: { min: NOW - 200 * hour, max: NOW },
          },
          aggs: { states: { terms: { field: 'state', size: 20 } } },
        },
      },
    };
    const r = run(body, store).aggregations.h;
    let total = 0;
    for (const bucket of r.buckets) {
      const mine = live.filter((d) => {
        const dates = Array.isArray(d.create_time) ? d.create_time : [d.create_time];
        return dates.some((v) => {
          const t = millis(v) ?? missing;
          return t >= bucket.key && t < bucket.key + 3 * hour;
        });
      });
      total += bucket.doc_count;
      expect(bucket.doc_count).toBe(mine.length);
      const states = new Map<string, number>();
      for (const d of mine) states.set(String(d.state), (states.get(String(d.state)) ?? 0) + 1);
      expect(new Map(bucket.states.buckets.map((b: any) => [b.key, b.doc_count]))).toEqual(states);
    }
    expect(total).toBe(live.length + 1); // far-dates is in two buckets
    expect(r.buckets.some((b: any) => b.doc_count === 0)).toBe(true);
  });

  it.each(['month', 'week', 'day', 'hour'])(
    'calendar %s buckets over a seed: each task counted in the bucket from its key to the next key',
    (interval) => {
      const store = new IndexStore(TASK_INDEX, TASK_MAPPING, 3000);
      for (const t of generateTasks(3000, 7, NOW)) store.put(t._id, t._source as Source);
      const body = {
        size: 0,
        aggs: {
          d: { date_histogram: { field: 'create_time', calendar_interval: interval, time_zone: '-03:30' } },
        },
      };
      const buckets = run(body, store).aggregations.d.buckets as Array<{ key: number; doc_count: number }>;
      const expected = new Array<number>(buckets.length).fill(0);
      for (const source of store.sources) {
        const t = source?.create_time as number | undefined;
        if (t === undefined) continue;
        let b = buckets.length - 1;
        while (b > 0 && buckets[b]!.key > t) b--;
        expected[b]!++;
      }
      expect(buckets.map((b) => b.doc_count)).toEqual(expected);
      expect(buckets.length).toBeGreaterThan(2);
    },
  );

  it('a numeric histogram with a fractional interval keys each value as OpenSearch rounds it, met in any order', () => {
    const store = new IndexStore(TASK_INDEX, TASK_MAPPING, 8);
    const values = [0, 0.5, 0.6, 1.6, 1.7, 0.55, 1.65, 0.6];
    values.forEach((progress, i) => store.put(`p${i}`, { state: 'RUNNING', progress }));
    store.put('no-progress', { state: 'RUNNING' });
    const body = {
      size: 0,
      aggs: { h: { histogram: { field: 'progress', interval: 0.1, min_doc_count: 1, missing: 'abc' } } },
    };
    const buckets = run(body, store).aggregations.h.buckets as Array<{ key: number; doc_count: number }>;
    const expected = new Map<number, number>();
    for (const v of values) {
      const key = Math.floor(v / 0.1) * 0.1;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(buckets.map((b) => [b.key, b.doc_count]))).toEqual(expected);
    expect(buckets.map((b) => b.key)).toEqual([...expected.keys()].sort((a, b) => a - b));
  });

  it('time_zone starts buckets at the zone’s midnight and prints keys in it', () => {
    const r = aggs(
      { d: { date_histogram: { field: 'create_time', calendar_interval: 'day', time_zone: '+05:00' } } },
      { range: { create_time: { gte: 'now-1d' } } },
    ).d;
    // 2024-06-01 starts at 19:00 UTC on May 31 in +05:00; t5 (19:00) opens that day.
    expect(r.buckets.map((b: any) => [b.key_as_string, b.key, b.doc_count])).toEqual([
      ['2024-05-31T00:00:00.000+05:00', Date.UTC(2024, 4, 30, 19), 2],
      ['2024-06-01T00:00:00.000+05:00', Date.UTC(2024, 4, 31, 19), 7],
    ]);
  });

  it('second is a calendar interval', () => {
    const r = aggs(
      { d: { date_histogram: { field: 'create_time', calendar_interval: 'second', min_doc_count: 1 } } },
      { ids: { values: ['t11'] } },
    ).d;
    expect(r.buckets).toEqual([
      { key_as_string: '2024-05-31T21:00:00.000Z', key: NOW - 3 * 3_600_000, doc_count: 1 },
    ]);
  });

  it('refuses a bad interval', () => {
    expect(
      errorOf({ aggs: { d: { date_histogram: { field: 'create_time', calendar_interval: '2d' } } } }).body
        .error.reason,
    ).toMatch(/could not be parsed as a calendar interval/);
    expect(errorOf({ aggs: { d: { date_histogram: { field: 'create_time' } } } }).status).toBe(400);
  });
});

describe('range, filter, filters', () => {
  it('range buckets with keys and date strings', () => {
    const r = aggs({
      r: {
        range: {
          field: 'create_time',
          ranges: [{ to: NOW - 24 * 3_600_000 }, { from: NOW - 24 * 3_600_000, key: 'last day' }],
        },
      },
    }).r;
    expect(r.buckets[0]).toMatchObject({
      key: `*-${new Date(NOW - 86_400_000).toISOString()}`,
      doc_count: 3,
    });
    expect(r.buckets[0]).not.toHaveProperty('from');
    expect(r.buckets[1]).toMatchObject({
      key: 'last day',
      from: NOW - 86_400_000,
      from_as_string: '2024-05-31T00:00:00.000Z',
      doc_count: 9,
    });
  });

  it('numeric range keys print like Java doubles', () => {
    const r = aggs({ r: { range: { field: 'progress', ranges: [{ to: 0.5 }, { from: 0.5 }] } } }).r;
    expect(r.buckets.map((b: any) => b.key)).toEqual(['*-0.5', '0.5-*']);
    const big = aggs({
      r: { range: { field: 'progress', ranges: [{ from: 1, to: 1e7 }, { from: 0.0001 }] } },
    }).r;
    expect(big.buckets.map((b: any) => b.key)).toEqual(['1.0E-4-*', '1.0-1.0E7']);
  });

  it('range buckets come sorted by from, then to, whatever the request order; keyed ones omit key', () => {
    const day = 24 * 3_600_000;
    const ranges = [{ from: NOW - day }, { to: NOW - day }, { from: NOW - 2 * day, to: NOW - day }];
    const r = aggs({ r: { range: { field: 'create_time', ranges } } }).r;
    expect(r.buckets.map((b: any) => [b.from ?? null, b.to ?? null, b.doc_count])).toEqual([
      [null, NOW - day, 3],
      [NOW - 2 * day, NOW - day, 2],
      [NOW - day, null, 9],
    ]);
    const keyed = aggs({
      r: { range: { field: 'create_time', keyed: true, ranges: [{ from: NOW - day, key: 'recent' }] } },
    }).r;
    expect(keyed.buckets).toEqual({
      recent: { from: NOW - day, from_as_string: '2024-05-31T00:00:00.000Z', doc_count: 9 },
    });
  });

  it('filter and filters (keyed, anonymous, other bucket)', () => {
    expect(
      aggs({ f: { filter: { term: { state: 'FAILED' } }, aggs: { t: { terms: { field: 'task_type' } } } } })
        .f,
    ).toMatchObject({
      doc_count: 4,
      t: { buckets: expect.arrayContaining([{ key: 'DEPLOY_MODEL', doc_count: 1 }]) },
    });
    const keyed = aggs({
      f: {
        filters: {
          filters: { running: { term: { state: 'RUNNING' } }, failed: { term: { state: 'FAILED' } } },
          other_bucket_key: 'rest',
        },
      },
    }).f;
    expect(keyed.buckets).toEqual({
      failed: { doc_count: 4 },
      rest: { doc_count: 7 },
      running: { doc_count: 1 },
    });
    // Named filters in key order, and the other bucket last, not sorted in among them.
    expect(Object.keys(keyed.buckets)).toEqual(['failed', 'running', 'rest']);
    const anon = aggs({
      f: { filters: { filters: [{ term: { state: 'RUNNING' } }, { term: { state: 'CREATED' } }] } },
    }).f;
    expect(anon.buckets).toEqual([{ doc_count: 1 }, { doc_count: 1 }]);
    // Filters on a multi-valued field, run in bulk: any of a task's nodes counts.
    const nodes = aggs({
      f: {
        filters: {
          filters: { n3: { term: { worker_node: 'n3' } }, n2: { terms: { worker_node: ['n2'] } } },
          other_bucket: true,
        },
      },
    }).f;
    expect(nodes.buckets).toEqual({ n2: { doc_count: 5 }, n3: { doc_count: 3 }, _other_: { doc_count: 5 } });
    expect(aggs({ f: { filter: { bool: { must_not: { term: { worker_node: 'n1' } } } } } }).f.doc_count).toBe(
      6,
    );
  });
});

describe('metrics', () => {
  it('min, max, avg, sum on dates with value_as_string, value_count and cardinality', () => {
    const r = aggs(
      {
        min: { min: { field: 'create_time' } },
        max: { max: { field: 'create_time' } },
        avg: { avg: { field: 'last_update_time' } },
        sum: { sum: { field: 'progress' } },
        count: { value_count: { field: 'worker_node' } },
        models: { cardinality: { field: 'model_id' } },
      },
      { range: { create_time: { gte: 'now-1h' } } },
    );
    expect(r.min).toEqual({ value: NOW - 3_600_000, value_as_string: '2024-05-31T23:00:00.000Z' });
    expect(r.max.value).toBe(NOW - 10 * 60_000);
    expect(r.avg.value).toBeCloseTo((NOW - 29 * 60_000 + NOW - 10 * 60_000 + NOW - 30 * 60_000) / 3);
    expect(r.sum).toEqual({ value: 0 });
    expect(r.count).toEqual({ value: 4 });
    expect(r.models).toEqual({ value: 1 });
  });

  it('empty sets give null min/max/avg and zero sums', () => {
    const r = aggs(
      {
        min: { min: { field: 'create_time' } },
        avg: { avg: { field: 'create_time' } },
        sum: { sum: { field: 'create_time' } },
      },
      { match_none: {} },
    );
    // A sum of dates is still printed as one, even the empty sum.
    expect(r).toEqual({
      min: { value: null },
      avg: { value: null },
      sum: { value: 0, value_as_string: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('sums, stats and booleans carry value_as_string like the field prints them', () => {
    const r = aggs(
      {
        sum: { sum: { field: 'create_time' } },
        async: { min: { field: 'is_async' } },
        stats: { stats: { field: 'is_async' } },
      },
      { ids: { values: ['t1', 't11'] } },
    );
    expect(r.sum).toEqual({ value: 2 * NOW - 51 * 3_600_000, value_as_string: expect.any(String) });
    expect(r.async).toEqual({ value: 0, value_as_string: 'false' });
    expect(r.stats).toMatchObject({
      count: 2,
      min: 0,
      max: 1,
      min_as_string: 'false',
      max_as_string: 'true',
    });
  });

  it('cardinality counts a missing value that some document holds as the same term', () => {
    const r = aggs({
      same: { cardinality: { field: 'model_id', missing: 'm1' } },
      fresh: { cardinality: { field: 'model_id', missing: 'none' } },
    });
    expect(r).toEqual({ same: { value: 4 }, fresh: { value: 5 } });
  });

  it('a keyword is not a number', () => {
    expect(errorOf({ aggs: { m: { avg: { field: 'state' } } } }).body.error.root_cause[0].reason).toBe(
      'Field [state] of type [keyword] is not supported for aggregation [avg]',
    );
  });
});

describe('aggregation parsing', () => {
  it('unknown and unsupported types, sub-aggregations under metrics, bad names', () => {
    expect(errorOf({ aggs: { x: { foo: {} } } }).body.error).toMatchObject({
      type: 'parsing_exception',
      reason: 'Unknown aggregation type [foo]',
    });
    expect(errorOf({ aggs: { x: { percentiles: { field: 'create_time' } } } }).body.error.reason).toMatch(
      /stand-in does not support the \[percentiles\] aggregation/,
    );
    expect(
      errorOf({
        aggs: { x: { max: { field: 'create_time' }, aggs: { y: { min: { field: 'create_time' } } } } },
      }).body.error.type,
    ).toBe('aggregation_initialization_exception');
    expect(errorOf({ aggs: { 'a[b]': { max: { field: 'create_time' } } } }).status).toBe(400);
  });

  it('rejects a parameter the aggregation does not have by name, and says which it lacks', () => {
    expect(errorOf({ aggs: { x: { terms: { field: 'state', sise: 3 } } } })).toMatchObject({
      status: 400,
      body: {
        error: {
          type: 'x_content_parse_exception',
          reason: expect.stringMatching(/^\[1:\d+\] \[terms\] unknown field \[sise\]$/),
        },
      },
    });
    expect(
      errorOf({ aggs: { x: { max: { field: 'create_time', interval: '1d' } } } }).body.error.reason,
    ).toMatch(/\[max\] unknown field \[interval\]/);
    expect(
      errorOf({ aggs: { x: { terms: { field: 'state', script: 'doc.state' } } } }).body.error.reason,
    ).toBe(
      'the stand-in does not support [script] in the [terms] aggregation; a real OpenSearch cluster does',
    );
    // Hints that cannot change a one-shard answer are taken as a cluster takes them.
    expect(
      aggs({ x: { terms: { field: 'state', size: 1, shard_size: 50, execution_hint: 'map' } } }).x.buckets,
    ).toHaveLength(1);
    // A filter aggregation holds a query, checked as one.
    expect(errorOf({ aggs: { x: { filter: { term: { state: 'FAILED' }, sise: 1 } } } }).status).toBe(400);
  });

  it('keeps meta', () => {
    expect(aggs({ s: { terms: { field: 'state', size: 1 }, meta: { ui: 'facet' } } }).s.meta).toEqual({
      ui: 'facet',
    });
  });
});
