// Tests for the search body builder: paging within the result window, sort, time range, free text, model
// filters in the query, facet filters in post_filter, each facet counting under the other facets, and readFacets.
import { describe, expect, it } from 'vitest';
import { emptyTaskQuery, parseTaskQuery, type TaskQuery } from './task-query';
import {
  buildCountSearches,
  countsAsAggregations,
  buildTaskSearchBody,
  DEFAULT_PAGE_SIZE,
  FACET_FIELDS,
  facetAggName,
  readFacets,
  needsTriage,
  textClause,
  triageNeeds,
  type TriageContext,
} from './task-search-body';
import { DEFAULT_THRESHOLDS, staleCapabilitiesOf, staleClause, type StaleContext } from './stale-rules';
import { MAX_RESULT_WINDOW } from './result-window';
import { DEFAULT_VIEW, PAGE_SIZES, SORT_FIELDS, type TaskViewState } from './task-view-state';

const view = (patch: Partial<TaskViewState> = {}): TaskViewState => ({ ...DEFAULT_VIEW, ...patch });

function query(text: string): TaskQuery {
  const result = parseTaskQuery(text);
  if (!result.ok) throw new Error(result.message);
  return result.query;
}

const bodyOf = (text: string, patch: Partial<TaskViewState> = {}) =>
  buildTaskSearchBody(view(patch), query(text));

type FacetAgg = {
  filter: { bool: { filter: unknown[]; must_not: unknown[] } };
  aggs: { values: { terms: { field: string; size: number } } };
};
const facetAgg = (body: ReturnType<typeof bodyOf>, field: string) =>
  body.aggs?.[`facet_${field}`] as FacetAgg;

describe('buildTaskSearchBody', () => {
  it('asks for the newest 25 tasks of all time with an exact total and every facet', () => {
    expect(buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery())).toEqual({
      query: { match_all: {} },
      from: 0,
      size: 25,
      sort: [{ create_time: { order: 'desc' } }],
      track_total_hits: true,
      aggs: {
        facet_state: {
          filter: { match_all: {} },
          aggs: { values: { terms: { field: 'state', size: 100 } } },
        },
        facet_function: {
          filter: { match_all: {} },
          aggs: { values: { terms: { field: 'function_name', size: 100 } } },
        },
        facet_type: {
          filter: { match_all: {} },
          aggs: { values: { terms: { field: 'task_type', size: 100 } } },
        },
        facet_node: {
          filter: { match_all: {} },
          aggs: { values: { terms: { field: 'worker_node', size: 100 } } },
        },
      },
    });
    // With the timeline's panel open, its part too (shared/timeline.test.ts): with no range, the span of the times.
    expect(
      buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery(), undefined, undefined, { timeline: true }).aggs
        ?.timeline,
    ).toEqual({
      filter: { match_all: {} },
      aggs: { first: { min: { field: 'create_time' } }, last: { max: { field: 'create_time' } } },
    });
    expect(DEFAULT_PAGE_SIZE).toBe(25);
  });

  describe('paging', () => {
    it('computes from out of the page and the size', () => {
      expect(bodyOf('', { page: 2, size: 50 })).toMatchObject({ from: 100, size: 50 });
      expect(bodyOf('', { page: 1, size: 10 })).toMatchObject({ from: 10, size: 10 });
    });

    it('reaches exactly the last page of the 10,000 window and never beyond', () => {
      for (const size of PAGE_SIZES) {
        const last = MAX_RESULT_WINDOW / size - 1;
        expect(bodyOf('', { page: last, size })).toMatchObject({ from: MAX_RESULT_WINDOW - size, size });
        for (const page of [last + 1, last + 2, 5_000, 1_000_000]) {
          const body = bodyOf('', { page, size });
          expect(body.from! + body.size!, `${page} × ${size}`).toBe(MAX_RESULT_WINDOW);
        }
      }
    });

    it('treats a negative or fractional page as the first', () => {
      expect(bodyOf('', { page: -3 }).from).toBe(0);
      expect(bodyOf('', { page: 1.5 }).from).toBe(0);
    });
  });

  describe('sort', () => {
    it('sorts on the chosen field, with newest first as a tiebreaker', () => {
      expect(bodyOf('', { sort: 'state', dir: 'asc' }).sort).toEqual([
        { state: { order: 'asc' } },
        { create_time: { order: 'desc' } },
      ]);
      expect(bodyOf('', { sort: 'create_time', dir: 'asc' }).sort).toEqual([
        { create_time: { order: 'asc' } },
      ]);
      for (const sort of SORT_FIELDS) {
        const body = bodyOf('', { sort, dir: 'desc' });
        expect(body.sort?.[0]).toEqual({ [sort]: { order: 'desc' } });
        expect(body.sort).toHaveLength(sort === 'create_time' ? 1 : 2);
      }
    });

    it('never sorts on error, whatever the view says', () => {
      const body = buildTaskSearchBody({ ...view(), sort: 'error' as never, dir: 'asc' }, emptyTaskQuery());
      expect(body.sort).toEqual([{ create_time: { order: 'asc' } }]);
      expect(JSON.stringify(body)).not.toContain('"error":{"order"');
    });
  });

  describe('query', () => {
    it('filters on the chosen time field, sending date math as written', () => {
      expect(bodyOf('', { from: 'now-24h', to: 'now' }).query).toEqual({
        bool: { filter: [{ range: { create_time: { gte: 'now-24h', lte: 'now' } } }] },
      });
      expect(bodyOf('', { timeField: 'last_update_time', from: '2024-06-01T00:00:00.000Z' }).query).toEqual({
        bool: { filter: [{ range: { last_update_time: { gte: '2024-06-01T00:00:00.000Z' } } }] },
      });
      expect(bodyOf('', { to: 'now-1d/d' }).query).toEqual({
        bool: { filter: [{ range: { create_time: { lte: 'now-1d/d' } } }] },
      });
    });

    it('matches each free-text term against the id, the model id and both error fields', () => {
      // A phrase with spaces cannot be inside one token of `error`; the agent's message is matched whole, so by a
      // wildcard around the text.
      expect(textClause('timed out')).toEqual({
        bool: {
          should: [
            { ids: { values: ['timed out'] } },
            { term: { model_id: 'timed out' } },
            { match_phrase: { error: 'timed out' } },
            { wildcard: { 'response.error_message': { value: '*timed out*', case_insensitive: true } } },
          ],
          minimum_should_match: 1,
        },
      });
      // One word may be a fragment of a token the standard analyzer keeps whole (java.lang.OutOfMemoryError).
      expect(textClause('OutOfMemoryError')).toEqual({
        bool: {
          should: [
            { ids: { values: ['OutOfMemoryError'] } },
            { term: { model_id: 'OutOfMemoryError' } },
            { match_phrase: { error: 'OutOfMemoryError' } },
            { wildcard: { error: { value: '*OutOfMemoryError*', case_insensitive: true } } },
            {
              wildcard: { 'response.error_message': { value: '*OutOfMemoryError*', case_insensitive: true } },
            },
          ],
          minimum_should_match: 1,
        },
      });
      // Wildcard characters the user typed are matched as themselves.
      expect(JSON.stringify(textClause('a*b?c\\'))).toContain('"*a\\\\*b\\\\?c\\\\\\\\*"');
      expect(bodyOf('"timed out" heap -breaker -"no such index"').query).toEqual({
        bool: {
          filter: [textClause('timed out'), textClause('heap')],
          must_not: [textClause('breaker'), textClause('no such index')],
        },
      });
    });

    it('puts model filters in the query (not a facet), next to the time range', () => {
      const body = bodyOf('model:m1,m2 -model:m3', { from: 'now-7d' });
      expect(body.query).toEqual({
        bool: {
          filter: [{ range: { create_time: { gte: 'now-7d' } } }, { terms: { model_id: ['m1', 'm2'] } }],
          must_not: [{ terms: { model_id: ['m3'] } }],
        },
      });
      expect(body.post_filter).toBeUndefined();
      for (const field of FACET_FIELDS) {
        expect(facetAgg(body, field).filter).toEqual({ match_all: {} });
      }
    });

    it('keeps facet filters out of the query', () => {
      expect(bodyOf('state:FAILED -node:n1').query).toEqual({ match_all: {} });
    });

    it('writes a facet filter the way post_filter does, so the same filter reads the same everywhere', () => {
      const body = bodyOf('state:FAILED -type:DEPLOY_MODEL');
      // Neither the function nor the node facet filters itself: both apply exactly the post_filter.
      expect(facetAgg(body, 'function').filter).toEqual(body.post_filter);
      expect(facetAgg(body, 'node').filter).toEqual(body.post_filter);
      expect(facetAgg(body, 'state').filter).toEqual({
        bool: { must_not: [{ terms: { task_type: ['DEPLOY_MODEL'] } }] },
      });
    });
  });

  describe('facets', () => {
    const body = bodyOf(
      'state:FAILED,CANCELLED -state:X function:KMEANS type:TRAINING -type:DEPLOY_MODEL -node:n1',
    );
    const stateInclude = { terms: { state: ['FAILED', 'CANCELLED'] } };
    const stateExclude = { terms: { state: ['X'] } };
    const functionInclude = { terms: { function_name: ['KMEANS'] } };
    const typeInclude = { terms: { task_type: ['TRAINING'] } };
    const typeExclude = { terms: { task_type: ['DEPLOY_MODEL'] } };
    const nodeExclude = { terms: { worker_node: ['n1'] } };

    it('filters the hits with every facet in post_filter', () => {
      expect(body.post_filter).toEqual({
        bool: {
          filter: [stateInclude, functionInclude, typeInclude],
          must_not: [stateExclude, typeExclude, nodeExclude],
        },
      });
    });

    it('counts each facet under every other facet, but not under its own', () => {
      expect(facetAgg(body, 'state').filter.bool).toEqual({
        filter: [functionInclude, typeInclude],
        must_not: [typeExclude, nodeExclude],
      });
      expect(facetAgg(body, 'function').filter.bool).toEqual({
        filter: [stateInclude, typeInclude],
        must_not: [stateExclude, typeExclude, nodeExclude],
      });
      expect(facetAgg(body, 'type').filter.bool).toEqual({
        filter: [stateInclude, functionInclude],
        must_not: [stateExclude, nodeExclude],
      });
      expect(facetAgg(body, 'node').filter.bool).toEqual({
        filter: [stateInclude, functionInclude, typeInclude],
        must_not: [stateExclude, typeExclude],
      });
    });

    it('names the aggregations facet_<field> and asks for 100 values of the document field', () => {
      expect(Object.keys(body.aggs ?? {}).filter((k) => k.startsWith('facet_'))).toEqual(
        FACET_FIELDS.map(facetAggName),
      );
      expect(FACET_FIELDS.map((f) => facetAgg(body, f).aggs.values.terms)).toEqual([
        { field: 'state', size: 100 },
        { field: 'function_name', size: 100 },
        { field: 'task_type', size: 100 },
        { field: 'worker_node', size: 100 },
      ]);
    });

    it('leaves out the empty half of post_filter', () => {
      expect(bodyOf('state:FAILED').post_filter).toEqual({
        bool: { filter: [{ terms: { state: ['FAILED'] } }] },
      });
      expect(bodyOf('-state:FAILED').post_filter).toEqual({
        bool: { must_not: [{ terms: { state: ['FAILED'] } }] },
      });
    });
  });

  it('is plain JSON (what the cache key and the request both use)', () => {
    const body = bodyOf('state:FAILED model:m "x y"', { from: 'now-1h', page: 3, sort: 'state' });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});

describe('readFacets', () => {
  const aggregations = {
    facet_state: {
      doc_count: 120,
      values: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 0,
        buckets: [
          { key: 'COMPLETED', doc_count: 80 },
          { key: 'FAILED', doc_count: 30 },
          { key: 'CREATED', doc_count: 5 },
          { key: 'RUNNING', doc_count: 5 },
        ],
      },
    },
    facet_function: { doc_count: 3, values: { buckets: [{ key: 'KMEANS', doc_count: 3 }] } },
    facet_type: { doc_count: 0, values: { buckets: [] } },
    facet_node: {
      doc_count: 9,
      values: {
        buckets: [
          { key: 'b', doc_count: 4 },
          { key: 'a', doc_count: 4 },
          { key: 'c', doc_count: 9 },
        ],
      },
    },
  };

  it('turns buckets into counts, most frequent first, ties by value', () => {
    expect(readFacets(aggregations)).toEqual({
      state: [
        { value: 'COMPLETED', count: 80 },
        { value: 'FAILED', count: 30 },
        { value: 'CREATED', count: 5 },
        { value: 'RUNNING', count: 5 },
      ],
      function: [{ value: 'KMEANS', count: 3 }],
      type: [],
      node: [
        { value: 'c', count: 9 },
        { value: 'a', count: 4 },
        { value: 'b', count: 4 },
      ],
    });
  });

  it('keeps selected values that the cluster did not count, at 0, and does not repeat counted ones', () => {
    const facets = readFacets(
      aggregations,
      query('state:FAILED,EXPIRED -state:UNREACHABLE type:TRAINING -node:z -node:a model:m'),
    );
    expect(facets.state).toEqual([
      { value: 'COMPLETED', count: 80 },
      { value: 'FAILED', count: 30 },
      { value: 'CREATED', count: 5 },
      { value: 'RUNNING', count: 5 },
      { value: 'EXPIRED', count: 0 },
      { value: 'UNREACHABLE', count: 0 },
    ]);
    expect(facets.type).toEqual([{ value: 'TRAINING', count: 0 }]);
    expect(facets.node).toEqual([
      { value: 'c', count: 9 },
      { value: 'a', count: 4 },
      { value: 'b', count: 4 },
      { value: 'z', count: 0 },
    ]);
    expect(facets).not.toHaveProperty('model');
  });

  it('survives missing or malformed aggregations', () => {
    const empty = { state: [], function: [], type: [], node: [] };
    expect(readFacets(undefined)).toEqual(empty);
    expect(readFacets({})).toEqual(empty);
    expect(
      readFacets({
        facet_state: null,
        facet_function: { values: { buckets: 'nope' } },
        facet_type: { values: { buckets: [null, { doc_count: 2 }, { key: 'TRAINING' }, 7] } },
        facet_node: 'x',
      }),
    ).toEqual({ ...empty, type: [{ value: 'TRAINING', count: 0 }] });
    expect(readFacets(undefined, query('state:FAILED')).state).toEqual([{ value: 'FAILED', count: 0 }]);
  });

  it('reads numeric and boolean keys as text', () => {
    const facets = readFacets({
      facet_node: {
        values: {
          buckets: [
            { key: 1, key_as_string: 'true', doc_count: 2 },
            { key: 7, doc_count: 1 },
          ],
        },
      },
    });
    expect(facets.node).toEqual([
      { value: 'true', count: 2 },
      { value: '7', count: 1 },
    ]);
  });
});

describe('counts on a cluster that cannot answer aggregations (2.19.2 – 2.19.6)', () => {
  it('leaves the aggregations out of the view’s search, and nothing else', () => {
    const usual = buildTaskSearchBody(view(), query('state:FAILED heap'));
    const without = buildTaskSearchBody(view(), query('state:FAILED heap'), { aggregationsInSearch: false });
    expect(without.aggs).toBeUndefined();
    const { aggs: _aggs, ...rest } = usual;
    expect(without).toEqual(rest);
  });

  it('counts each value under the query and every other facet’s filter, as the aggregations would', () => {
    const searches = buildCountSearches(view({ from: 'now-1d' }), query('state:FAILED -type:TRAINING heap'), {
      state: ['FAILED', 'RUNNING'],
      function: ['KMEANS'],
      type: ['DEPLOY_MODEL'],
      node: [],
    });
    // Every candidate, plus the values the query selects (TRAINING is excluded, so it is counted too).
    expect(searches.map((s) => `${s.field}:${s.value}`)).toEqual([
      'state:FAILED',
      'state:RUNNING',
      'function:KMEANS',
      'type:DEPLOY_MODEL',
      'type:TRAINING',
    ]);
    const main = buildTaskSearchBody(view({ from: 'now-1d' }), query('heap')).query;
    expect(searches[1]!.body).toEqual({
      size: 0,
      track_total_hits: true,
      query: {
        bool: {
          filter: [
            main,
            { bool: { must_not: [{ terms: { task_type: ['TRAINING'] } }] } },
            { terms: { state: ['RUNNING'] } },
          ],
        },
      },
    });
    expect(searches[2]!.body.query).toEqual({
      bool: {
        filter: [
          main,
          {
            bool: {
              filter: [{ terms: { state: ['FAILED'] } }],
              must_not: [{ terms: { task_type: ['TRAINING'] } }],
            },
          },
          { terms: { function_name: ['KMEANS'] } },
        ],
      },
    });
  });

  it('reads the counts back as the aggregations would have answered', () => {
    const aggregations = countsAsAggregations([
      { field: 'state', value: 'FAILED', count: 3 },
      { field: 'state', value: 'RUNNING', count: 0 },
      { field: 'node', value: 'n1', count: 7 },
    ]);
    expect(readFacets(aggregations).state).toEqual([{ value: 'FAILED', count: 3 }]);
    expect(readFacets(aggregations).node).toEqual([{ value: 'n1', count: 7 }]);
  });
});

describe('is:stale and failure: in the search', () => {
  const FP = '3fa2c91b';
  const OTHER = '0123456789abcdef';
  const stale: StaleContext = {
    now: Date.UTC(2025, 0, 10),
    thresholds: { ...DEFAULT_THRESHOLDS, taskTimeoutSeconds: 900 },
    liveNodeIds: ['n1'],
    heldTaskIds: ['t1'],
  };
  const triage: TriageContext = { stale, failureGroups: { [FP]: ['t1', 't2'], [OTHER]: ['t2', 't3'] } };
  const mainOf = (
    text: string,
    t: TriageContext | undefined = triage,
    caps = { aggregationsInSearch: true },
  ) =>
    buildTaskSearchBody(view(), query(text), caps, t).query as {
      bool: { filter?: unknown[]; must_not?: unknown[] };
    };

  it('says what each query needs loaded first', () => {
    expect(triageNeeds(query('state:FAILED timeout'))).toEqual({ stale: false, failureGroups: [] });
    expect(needsTriage(query('state:FAILED timeout'))).toBe(false);
    expect(triageNeeds(query(`is:stale failure:${FP},${OTHER} -failure:ABCDEF12 failure:${FP}`))).toEqual({
      stale: true,
      failureGroups: [FP, OTHER, 'abcdef12'],
    });
    expect(triageNeeds(query('-is:stale'))).toEqual({ stale: true, failureGroups: [] });
    expect(needsTriage(query(`-failure:${FP}`))).toBe(true);
  });

  it('puts the stale rules’ clause into the query, so totals and facets count it, and its negation out', () => {
    const clause = staleClause(stale, staleCapabilitiesOf({}));
    expect(mainOf('state:RUNNING is:stale')).toEqual({
      bool: { filter: [clause] },
    });
    expect(mainOf('-is:stale')).toEqual({ bool: { must_not: [clause] } });
    // The facet filter stays where it was.
    expect(
      buildTaskSearchBody(view(), query('state:RUNNING is:stale'), undefined, triage).post_filter,
    ).toEqual({
      bool: { filter: [{ terms: { state: ['RUNNING'] } }] },
    });
  });

  it('follows the cluster’s release: no timeout rule before 2.5, no poller rule before 2.19', () => {
    const on = (release: string) =>
      JSON.stringify(mainOf('is:stale', triage, { aggregationsInSearch: true, release } as never));
    expect(on('2.4.0')).not.toContain('now-1030s');
    expect(on('2.18.0')).toContain('now-1030s');
    expect(on('2.18.0')).not.toContain('BATCH_PREDICTION');
    expect(on('2.19.0')).toContain('BATCH_PREDICTION');
  });

  it('without a stale context, applies the rules that need no cluster answer, with the default thresholds', () => {
    const body = mainOf('is:stale', {});
    expect(body).toEqual({
      bool: { filter: [staleClause({ thresholds: DEFAULT_THRESHOLDS }, staleCapabilitiesOf({}))] },
    });
  });

  it('selects a failure group’s tasks by id, either of several groups, and leaves excluded groups out', () => {
    expect(mainOf(`failure:${FP}`)).toEqual({ bool: { filter: [{ ids: { values: ['t1', 't2'] } }] } });
    expect(mainOf(`failure:${FP},${OTHER}`)).toEqual({
      bool: { filter: [{ ids: { values: ['t1', 't2', 't3'] } }] },
    });
    expect(mainOf(`-failure:${OTHER} model:m1`)).toEqual({
      bool: { filter: [{ terms: { model_id: ['m1'] } }], must_not: [{ ids: { values: ['t2', 't3'] } }] },
    });
  });

  it('matches nothing for a fingerprint it does not know, and excludes nothing for one', () => {
    expect(mainOf('failure:ffffffff')).toEqual({ bool: { filter: [{ match_none: {} }] } });
    expect(mainOf(`failure:${FP}`, {})).toEqual({ bool: { filter: [{ match_none: {} }] } });
    expect(mainOf('-failure:ffffffff')).toEqual({ match_all: {} });
  });

  it('counts the slow way under the same clauses', () => {
    const searches = buildCountSearches(
      view(),
      query(`is:stale failure:${FP}`),
      { state: ['RUNNING'], function: [], type: [], node: [] },
      { aggregationsInSearch: false },
      triage,
    );
    const main = buildTaskSearchBody(view(), query(`is:stale failure:${FP}`), undefined, triage)
      .query as object;
    for (const s of searches)
      expect((s.body.query as { bool: { filter: unknown[] } }).bool.filter[0]).toEqual(main);
  });

  it('leaves every other body as it was, byte for byte', () => {
    for (const text of ['', 'state:FAILED -type:DEPLOY_MODEL timeout', 'model:m1 "heap space"']) {
      expect(JSON.stringify(buildTaskSearchBody(view(), query(text), undefined, triage))).toBe(
        JSON.stringify(buildTaskSearchBody(view(), query(text))),
      );
    }
  });
});
