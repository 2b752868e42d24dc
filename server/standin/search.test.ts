// Unit tests of the search body: paging, sorting, search_after, totals, _source filtering and post_filter.

import { describe, expect, it } from 'vitest';
import { NOW, errorOf, fixtureStore, run } from './test-fixtures';
import { filterSource } from './search';

const ids = (res: any): string[] => res.hits.hits.map((h: any) => h._id);

describe('paging', () => {
  it('from and size default to 0 and 10', () => {
    const res = run({});
    expect(res.hits.hits).toHaveLength(10);
    expect(res.hits.total).toEqual({ value: 12, relation: 'eq' });
  });

  it('from + size beyond 10,000 is refused as a shard failure', () => {
    const err = errorOf({ from: 9995, size: 10 });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.reason).toBe('all shards failed');
    expect(err.body.error.root_cause[0]).toMatchObject({ type: 'illegal_argument_exception' });
    expect(err.body.error.root_cause[0].reason).toMatch(
      /^Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[10005\]/,
    );
  });

  it('negative from or size are refused', () => {
    expect(errorOf({ size: -1 }).body.error.reason).toBe('[size] parameter cannot be negative, found [-1]');
    expect(errorOf({ from: -1 }).status).toBe(400);
  });

  it('every hit carries version, seq_no and primary term', () => {
    const hit = run({ size: 1 }).hits.hits[0];
    expect(hit).toMatchObject({
      _index: '.plugins-ml-task',
      _id: 't1',
      _version: 1,
      _seq_no: 0,
      _primary_term: 1,
      _score: 1,
    });
    expect(hit._source).not.toHaveProperty('task_id');
  });
});

describe('match-all searches after writes', () => {
  it('see every write: a new, a replaced and a deleted document', () => {
    const store = fixtureStore();
    const all = (): string[] =>
      ids(run({ size: 100, sort: ['_doc'], query: { bool: { filter: [] } } }, store));
    const before = all();
    expect(before).toHaveLength(12);
    store.put('new-1', { state: 'CREATED', task_type: 'TRAINING', create_time: NOW });
    expect(all()).toEqual([...before, 'new-1']);
    // Replacing moves the document to the end; deleting drops it.
    store.put(before[0]!, { state: 'RUNNING', task_type: 'TRAINING', create_time: NOW });
    expect(all()).toEqual([...before.slice(1), 'new-1', before[0]]);
    store.delete('new-1');
    expect(all()).toEqual([...before.slice(1), before[0]]);
    expect(run({ size: 0, query: { match_all: {} }, track_total_hits: true }, store).hits.total.value).toBe(
      12,
    );
  });
});

describe('sorting', () => {
  it('sorts on a date descending with sort values, null scores and null max_score', () => {
    const res = run({ sort: [{ create_time: { order: 'desc' } }], size: 3 });
    expect(ids(res)).toEqual(['t9', 't8', 't12']);
    expect(res.hits.hits[0].sort).toEqual([NOW - 10 * 60_000]);
    expect(res.hits.hits[0]._score).toBeNull();
    expect(res.hits.max_score).toBeNull();
  });

  it('string and object forms, several keys, keyword order', () => {
    const res = run({ sort: ['state', { create_time: 'asc' }], size: 12 });
    expect(res.hits.hits.map((h: any) => h.sort[0])).toEqual([
      'CANCELLED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'CREATED',
      'FAILED',
      'FAILED',
      'FAILED',
      'FAILED',
      'RUNNING',
    ]);
    // COMPLETED ties break by create_time ascending: t10 (oldest) first.
    expect(ids(res).slice(1, 6)).toEqual(['t10', 't1', 't3', 't5', 't7']);
  });

  it('missing values go last in both directions unless told otherwise', () => {
    const asc = run({ sort: [{ model_id: 'asc' }], size: 12 });
    expect(asc.hits.hits.slice(-5).map((h: any) => h.sort[0])).toEqual([null, null, null, null, null]);
    const desc = run({ sort: [{ model_id: 'desc' }], size: 12 });
    expect(desc.hits.hits[0].sort[0]).toBe('m4');
    expect(desc.hits.hits.slice(-1)[0].sort[0]).toBeNull();
    const first = run({ sort: [{ model_id: { order: 'asc', missing: '_first' } }], size: 1 });
    expect(first.hits.hits[0].sort[0]).toBeNull();
    const missingNumber = run({ sort: [{ progress: 'asc' }], size: 1 });
    expect(missingNumber.hits.hits[0].sort[0]).toBe(2 ** 63 - 1);
  });

  it('multi-valued keywords sort by their min ascending and max descending', () => {
    const desc = run({ query: { terms: { _id: ['t2', 't3', 't4'] } }, sort: [{ worker_node: 'desc' }] });
    expect(desc.hits.hits.map((h: any) => [h._id, h.sort[0]])).toEqual([
      ['t3', 'n3'],
      ['t2', 'n2'],
      ['t4', 'n2'],
    ]);
  });

  it('_score and _doc', () => {
    const res = run({ query: { match: { error: 'memory training' } }, sort: ['_score', { _doc: 'desc' }] });
    expect(ids(res)[0]).toBe('t4');
    expect(res.hits.hits[0].sort).toHaveLength(2);
    expect(res.hits.hits[0]._score).toBeGreaterThan(0);
    const byDoc = run({ sort: [{ _doc: 'desc' }], size: 2 });
    expect(ids(byDoc)).toEqual(['t12', 't11']);
  });

  it('sorting on the error text field or an unmapped field fails like a cluster', () => {
    const err = errorOf({ sort: [{ error: 'asc' }] });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.reason).toBe('all shards failed');
    expect(err.body.error.root_cause[0].reason).toMatch(/^Text fields are not optimised/);
    expect(errorOf({ sort: ['nope'] }).body.error.root_cause[0].reason).toBe(
      'No mapping found for [nope] in order to sort on',
    );
    expect(run({ sort: [{ nope: { unmapped_type: 'keyword' } }] }).hits.hits).toHaveLength(10);
  });
});

describe('search_after', () => {
  it('pages through every document exactly once', () => {
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (let page = 0; page < 10; page++) {
      const res = run({
        size: 5,
        sort: [{ create_time: 'desc' }, { _doc: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      if (res.hits.hits.length === 0) break;
      seen.push(...ids(res));
      after = res.hits.hits.at(-1).sort;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('works with keyword values not in the index and missing values', () => {
    expect(ids(run({ sort: [{ state: 'asc' }, { _doc: 'asc' }], search_after: ['D', 0], size: 12 }))).toEqual(
      ['t2', 't4', 't8', 't11', 't6'],
    );
    const res = run({ sort: [{ model_id: 'asc' }, { _doc: 'asc' }], search_after: [null, 7], size: 12 });
    expect(ids(res)).toEqual(['t9', 't11']);
  });

  it('checks its length and refuses from', () => {
    expect(errorOf({ sort: ['state'], search_after: ['A', 1] }).body.error.root_cause[0].reason).toBe(
      'search_after has 2 value(s) but sort has 1.',
    );
    // The shard refuses `from` with a plain SearchException: a 500, not a validation error.
    const withFrom = errorOf({ sort: ['state'], search_after: ['A'], from: 1 });
    expect(withFrom.status).toBe(500);
    expect(withFrom.body.error.type).toBe('search_phase_execution_exception');
    expect(withFrom.body.error.root_cause[0]).toEqual({
      type: 'search_exception',
      reason: '`from` parameter must be set to 0 when `search_after` is used.',
    });
  });

  it('needs a sort on a field: none, or _score alone, is refused', () => {
    for (const body of [{ search_after: [1] }, { sort: ['_score'], search_after: [1] }]) {
      const err = errorOf(body);
      expect(err.status).toBe(400);
      expect(err.body.error.root_cause[0].reason).toBe('Sort must contain at least one field.');
    }
    expect(ids(run({ sort: [{ _score: 'asc' }, '_doc'], search_after: [1, 3], size: 2 }))).toEqual([
      't5',
      't6',
    ]);
  });
});

describe('track_total_hits', () => {
  const store = fixtureStore();
  it('true, false and a threshold', () => {
    expect(run({ track_total_hits: true }, store).hits.total).toEqual({ value: 12, relation: 'eq' });
    expect(run({ track_total_hits: false }, store).hits).not.toHaveProperty('total');
    expect(run({ track_total_hits: 5 }, store).hits.total).toEqual({ value: 5, relation: 'gte' });
    expect(run({ track_total_hits: 12 }, store).hits.total).toEqual({ value: 12, relation: 'eq' });
  });

  it('-1 disables it like false; below -1 is refused; booleans may be strings', () => {
    expect(run({ track_total_hits: -1 }, store).hits).not.toHaveProperty('total');
    expect(run({ track_total_hits: 'false' }, store).hits).not.toHaveProperty('total');
    expect(run({ track_total_hits: 'true' }, store).hits.total).toEqual({ value: 12, relation: 'eq' });
    expect(errorOf({ track_total_hits: -2 }, store).body.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: '[track_total_hits] parameter must be positive or equals to -1, got -2',
    });
  });
});

describe('max_score', () => {
  it('is null with size 0, which collects no top documents', () => {
    const res = run({ size: 0 });
    expect(res.hits.max_score).toBeNull();
    expect(res.hits.total.value).toBe(12);
    expect(run({ size: 1 }).hits.max_score).toBe(1);
  });
});

describe('_source filtering and post_filter', () => {
  it('includes and excludes with wildcards; false is ignored', () => {
    const src = { state: 'FAILED', task_type: 'X', remote_job: { status: 'a', id: 'b' }, error: 'e' };
    expect(filterSource(src, ['state', 'task_*'])).toEqual({ state: 'FAILED', task_type: 'X' });
    expect(filterSource(src, { excludes: ['error', 'remote_job.id'] })).toEqual({
      state: 'FAILED',
      task_type: 'X',
      remote_job: { status: 'a' },
    });
    expect(filterSource(src, 'remote_job.status')).toEqual({ remote_job: { status: 'a' } });
    expect(filterSource(src, false)).toEqual(src);
    const hit = run({ _source: ['state'], size: 1 }).hits.hits[0];
    expect(hit._source).toEqual({ state: 'COMPLETED' });
  });

  it('post_filter on a multi-valued field keeps a task when any of its values matches', () => {
    const res = run({
      post_filter: { bool: { filter: { term: { worker_node: 'n2' } } } },
      size: 20,
      sort: ['_doc'],
    });
    expect(ids(res)).toEqual(['t2', 't3', 't4', 't6', 't12']);
    const none = run({ post_filter: { bool: { must_not: { exists: { field: 'worker_node' } } } }, size: 20 });
    expect(ids(none)).toEqual(['t7']);
  });

  it('post_filter narrows the hits but not the aggregations', () => {
    const res = run({
      post_filter: { term: { state: 'FAILED' } },
      aggs: { s: { terms: { field: 'state' } } },
      size: 20,
    });
    expect(res.hits.total.value).toBe(4);
    expect(res.aggregations.s.buckets[0]).toEqual({ key: 'COMPLETED', doc_count: 5 });
  });
});

describe('request body validation', () => {
  it('unknown top-level keys are parsing errors, options the stand-in lacks say so', () => {
    const err = errorOf({ foo: {} });
    expect(err.body.error).toMatchObject({
      type: 'parsing_exception',
      reason: 'Unknown key for a START_OBJECT in [foo].',
    });
    expect(errorOf({ foo: 1 }).body.error.reason).toBe('Unknown key for a VALUE_NUMBER in [foo].');
    expect(errorOf({ highlight: { fields: {} } }).body.error.reason).toMatch(/stand-in does not support/);
  });

  it('min_score and terminate_after', () => {
    expect(
      run({ query: { match: { error: 'memory training' } }, min_score: 0.5 }).hits.hits.map(
        (h: any) => h._id,
      ),
    ).toContain('t4');
    const res = run({ terminate_after: 3 });
    expect(res.terminated_early).toBe(true);
    expect(res.hits.total.value).toBe(3);
  });

  it('a delete is visible to the next search, with bumped version and seq_no', () => {
    const store = fixtureStore();
    const before = run({ query: { ids: { values: ['t3'] } } }, store);
    expect(before.hits.total.value).toBe(1);
    const { version, seqNo } = store.delete('t3')!;
    expect(version).toBe(2);
    expect(seqNo).toBe(12);
    expect(run({ query: { ids: { values: ['t3'] } } }, store).hits.total.value).toBe(0);
    expect(run({}, store).hits.total.value).toBe(11);
  });
});
