// Unit tests of the query DSL evaluator against the hand-written fixture.

import { describe, expect, it } from 'vitest';
import { TASK_INDEX } from '../../shared/ml-types';
import { IndexStore } from './index-store';
import type { Source } from './index-store';
import { TASK_MAPPING } from './mapping';
import { generateTasks } from './seed';
import { NOW, errorOf, idsOf, run } from './test-fixtures';

describe('term-level queries', () => {
  it('match_all scores 1.0 and match_none matches nothing', () => {
    const res = run({ query: { match_all: {} } });
    expect(res.hits.total).toEqual({ value: 12, relation: 'eq' });
    expect(res.hits.max_score).toBe(1);
    expect(res.hits.hits.every((h: any) => h._score === 1)).toBe(true);
    expect(idsOf({ match_none: {} })).toEqual([]);
  });

  it('term on keywords is exact and case-sensitive, with case_insensitive as an option', () => {
    expect(idsOf({ term: { state: 'FAILED' } })).toEqual(['t2', 't4', 't8', 't11']);
    expect(idsOf({ term: { state: 'failed' } })).toEqual([]);
    expect(idsOf({ term: { state: { value: 'failed', case_insensitive: true } } })).toEqual([
      't2',
      't4',
      't8',
      't11',
    ]);
  });

  it('term matches any value of multi-valued and legacy string worker_node', () => {
    expect(idsOf({ term: { worker_node: 'n3' } })).toEqual(['t3', 't5', 't9']);
    expect(idsOf({ term: { worker_node: 'legacy-node' } })).toEqual(['t10']);
  });

  it('terms, ids, exists', () => {
    expect(idsOf({ terms: { state: ['RUNNING', 'CREATED'] } })).toEqual(['t6', 't9']);
    expect(idsOf({ ids: { values: ['t3', 't7', 'nope'] } })).toEqual(['t3', 't7']);
    expect(idsOf({ exists: { field: 'error' } })).toEqual(['t2', 't4', 't11']);
    expect(idsOf({ bool: { must_not: { exists: { field: 'function_name' } } } })).toEqual(['t7']);
  });

  it('term on booleans and an unparsable boolean fails on the shard', () => {
    expect(idsOf({ term: { is_async: false } })).toEqual(['t11']);
    const err = errorOf({ query: { term: { is_async: 'maybe' } } });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.root_cause[0].type).toBe('illegal_argument_exception');
  });

  it('prefix, wildcard and regexp on keywords and on _id', () => {
    expect(idsOf({ prefix: { task_type: 'DEPLOY' } })).toEqual(['t2', 't3', 't12']);
    expect(idsOf({ wildcard: { function_name: { value: '*_ENCODING' } } })).toEqual(['t9']);
    expect(idsOf({ wildcard: { state: 'C?NCELLED' } })).toEqual(['t12']);
    expect(idsOf({ regexp: { state: 'RUN.*|CREATED' } })).toEqual(['t6', 't9']);
    expect(idsOf({ prefix: { _id: 't1' } })).toEqual(['t1', 't10', 't11', 't12']);
  });

  it('flat_object fields match leaves by path and by the root', () => {
    expect(idsOf({ term: { 'remote_job.status': 'in_progress' } })).toEqual(['t6']);
    expect(idsOf({ term: { response: 'Tool failed' } })).toEqual(['t8']);
    expect(idsOf({ exists: { field: 'response.error_message' } })).toEqual(['t8']);
  });

  it('an unmapped field matches nothing', () => {
    expect(idsOf({ term: { nonexistent: 'x' } })).toEqual([]);
    expect(idsOf({ range: { nonexistent: { gte: 1 } } })).toEqual([]);
  });
});

describe('range', () => {
  it('numbers as epoch millis with inclusive and exclusive bounds', () => {
    const now = Date.UTC(2024, 5, 1);
    expect(idsOf({ range: { create_time: { gte: now - 2 * 3_600_000 } } })).toEqual([
      't6',
      't7',
      't8',
      't9',
      't12',
    ]);
    expect(idsOf({ range: { create_time: { gt: now - 2 * 3_600_000 } } })).toEqual(['t7', 't8', 't9', 't12']);
  });

  it('ISO date-times and date math', () => {
    expect(idsOf({ range: { create_time: { gte: 'now-1h' } } })).toEqual(['t8', 't9', 't12']);
    expect(
      idsOf({ range: { create_time: { gte: '2024-05-31T19:00:00Z', lt: '2024-05-31T23:00:00.000Z' } } }),
    ).toEqual(['t5', 't6', 't7', 't11']);
    // now/d rounds down for gte: everything since midnight of 2024-06-01, which is "now" itself.
    expect(idsOf({ range: { create_time: { gte: 'now/d' } } })).toEqual([]);
    expect(idsOf({ range: { create_time: { gte: 'now-1d/d' } } })).toEqual([
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
      't11',
      't12',
    ]);
    // lte rounds up to the end of the day.
    expect(idsOf({ range: { create_time: { lte: '2023-01-01T00:00:00Z||/y' } } })).toEqual(['t10']);
  });

  it('a bad date fails like a cluster and a date without time needs a format', () => {
    const err = errorOf({ query: { range: { create_time: { gte: 'yesterday' } } } });
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.root_cause[0].type).toBe('parse_exception');
    expect(err.body.error.root_cause[0].reason).toContain('failed to parse date field [yesterday]');
    expect(errorOf({ query: { range: { create_time: { gte: '2024-05-31' } } } }).status).toBe(400);
    expect(
      idsOf({ range: { create_time: { gte: '2024-05-31', format: 'strict_date_optional_time' } } }),
    ).toHaveLength(9);
  });

  it('lte and gt fill a date’s missing parts upwards: a bare date takes in the whole day', () => {
    const format = 'strict_date_optional_time';
    // t1 was created at midnight starting 2024-05-30, t2 at 18:00 that day, t3 .. t12 on the 31st.
    expect(idsOf({ range: { create_time: { lte: '2024-05-30', format } } })).toEqual(['t1', 't2', 't10']);
    expect(idsOf({ range: { create_time: { lt: '2024-05-30', format } } })).toEqual(['t10']);
    expect(idsOf({ range: { create_time: { gt: '2024-05-30', format } } })).toHaveLength(9);
    // Without milliseconds, lte reaches the end of the second: t12 was created at 23:00:00.000.
    expect(idsOf({ range: { create_time: { gt: '2024-05-31T22:59:59Z' } } })).toEqual(['t8', 't9', 't12']);
  });

  it('time_zone sets where days begin and how zoneless dates read', () => {
    // Midnight of 2024-06-01 in +05:00 is 19:00 UTC on May 31: t5 (19:00) onwards.
    expect(idsOf({ range: { create_time: { gte: 'now/d', time_zone: '+05:00' } } })).toEqual([
      't5',
      't6',
      't7',
      't8',
      't9',
      't11',
      't12',
    ]);
    expect(
      idsOf({
        range: {
          create_time: { gte: '2024-06-01T00:00', format: 'strict_date_optional_time', time_zone: '+05:00' },
        },
      }),
    ).toHaveLength(7);
    const err = errorOf({ query: { range: { create_time: { gte: 'now/d', time_zone: 'Asia/Karachi' } } } });
    expect(err.body.error.reason).toMatch(/stand-in does not support the time zone \[Asia\/Karachi\]/);
  });

  it('a term on a date is the range the value means: now-1d/d is the whole day', () => {
    expect(idsOf({ term: { create_time: 'now-1d/d' } })).toEqual([
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
      't11',
      't12',
    ]);
    expect(idsOf({ term: { create_time: '2024-05-31T23:00:00Z' } })).toEqual(['t12']);
  });

  it('an unknown range parameter is a parsing error', () => {
    expect(errorOf({ query: { range: { create_time: { since: 1 } } } }).body.error.type).toBe(
      'parsing_exception',
    );
  });
});

describe('full text', () => {
  it('match on the error text field works on lower-cased word tokens', () => {
    expect(idsOf({ match: { error: 'MEMORY' } })).toEqual(['t2', 't4', 't11']);
    expect(idsOf({ match: { error: { query: 'memory training', operator: 'and' } } })).toEqual(['t4']);
    expect(
      idsOf({ match: { error: { query: 'memory training circuit', minimum_should_match: 2 } } }),
    ).toEqual(['t2', 't4']);
  });

  it('match with minimum_should_match beyond its words matches nothing; one word ignores it', () => {
    expect(idsOf({ match: { error: { query: 'memory training', minimum_should_match: 3 } } })).toEqual([]);
    expect(idsOf({ match: { error: { query: 'memory', minimum_should_match: 3 } } })).toEqual([
      't2',
      't4',
      't11',
    ]);
    expect(idsOf({ match: { error: { query: 'memory training', minimum_should_match: '-1' } } })).toEqual([
      't2',
      't4',
      't11',
    ]);
  });

  it('match on a keyword is exact', () => {
    expect(idsOf({ match: { state: 'RUNNING' } })).toEqual(['t6']);
    expect(idsOf({ match: { state: 'running' } })).toEqual([]);
  });

  it('match_phrase needs consecutive tokens', () => {
    expect(idsOf({ match_phrase: { error: 'circuit breaker is open' } })).toEqual(['t2']);
    expect(idsOf({ match_phrase: { error: 'breaker circuit' } })).toEqual([]);
    expect(idsOf({ match_phrase_prefix: { error: 'out of mem' } })).toEqual(['t4']);
  });

  it('term on a text field compares against a single token', () => {
    expect(idsOf({ term: { error: 'memory' } })).toEqual(['t2', 't4', 't11']);
    expect(idsOf({ term: { error: 'Memory' } })).toEqual([]);
  });

  it('multi_match over several fields and over all of them', () => {
    expect(idsOf({ multi_match: { query: 'm3', fields: ['model_id', 'error'] } })).toEqual(['t6']);
    expect(idsOf({ multi_match: { query: 'KMEANS', fields: ['*'] } })).toEqual(['t4', 't5']);
    expect(idsOf({ multi_match: { query: 't7', fields: ['_id', 'model_id'] } })).toEqual(['t7']);
  });

  it('match scores rarer words higher', () => {
    const res = run({ query: { match: { error: 'memory training' } } });
    expect(res.hits.hits[0]._id).toBe('t4');
    expect(res.hits.hits[0]._score).toBeGreaterThan(res.hits.hits[1]._score);
  });
});

describe('query_string and simple_query_string', () => {
  it('field:value terms, negation and default OR', () => {
    expect(idsOf({ query_string: { query: 'state:FAILED AND function_name:KMEANS' } })).toEqual(['t4']);
    expect(
      idsOf({ query_string: { query: 'state:FAILED -task_type:DEPLOY_MODEL', default_operator: 'AND' } }),
    ).toEqual(['t4', 't8', 't11']);
    expect(idsOf({ query_string: { query: 'state:(RUNNING OR CREATED)' } })).toEqual(['t6', 't9']);
  });

  it('free text searches every field, phrases and prefixes', () => {
    expect(idsOf({ query_string: { query: 'memory' } })).toEqual(['t2', 't4', 't11']);
    expect(idsOf({ query_string: { query: '"circuit breaker"' } })).toEqual(['t2']);
    expect(idsOf({ query_string: { query: 'model_id:m*' } })).toEqual([
      't1',
      't2',
      't3',
      't5',
      't6',
      't10',
      't12',
    ]);
  });

  it('a malformed query_string is a query_shard_exception', () => {
    const err = errorOf({ query: { query_string: { query: 'state:(FAILED' } } });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.root_cause[0].type).toBe('query_shard_exception');
    expect(err.body.error.root_cause[0].reason).toBe('Failed to parse query [state:(FAILED]');
  });

  it('simple_query_string never fails on syntax', () => {
    expect(
      idsOf({
        simple_query_string: {
          query: 'KMEANS +FAILED',
          fields: ['function_name', 'state'],
          default_operator: 'and',
        },
      }),
    ).toEqual(['t4']);
    expect(
      idsOf({
        simple_query_string: { query: 'memory -training', fields: ['error'], default_operator: 'and' },
      }),
    ).toEqual(['t2', 't11']);
    expect(() => run({ query: { simple_query_string: { query: '"unbalanced (' } } })).not.toThrow();
  });
});

describe('bool', () => {
  it('must, filter, should and must_not combine, to any depth', () => {
    const q = {
      bool: {
        filter: [{ term: { function_name: 'TEXT_EMBEDDING' } }],
        must_not: [{ term: { state: 'COMPLETED' } }],
        should: [{ bool: { must: [{ term: { worker_node: 'n2' } }] } }, { term: { is_async: false } }],
        minimum_should_match: 1,
      },
    };
    expect(idsOf(q)).toEqual(['t2', 't11', 't12']);
  });

  it('should alone requires one match; with must it only scores', () => {
    expect(
      idsOf({ bool: { should: [{ term: { state: 'RUNNING' } }, { term: { state: 'CREATED' } }] } }),
    ).toEqual(['t6', 't9']);
    expect(
      idsOf({ bool: { must: [{ term: { state: 'RUNNING' } }], should: [{ term: { state: 'CREATED' } }] } }),
    ).toEqual(['t6']);
    expect(
      idsOf({
        bool: {
          should: [{ term: { state: 'RUNNING' } }, { term: { task_type: 'BATCH_PREDICTION' } }],
          minimum_should_match: 2,
        },
      }),
    ).toEqual(['t6']);
  });

  it('a must_not inside a must_not excludes the exclusion, in bulk as one by one', () => {
    const failed = idsOf({ term: { state: 'FAILED' } });
    expect(failed.length).toBeGreaterThan(1);
    const doubleNegation = { bool: { must_not: [{ bool: { must_not: [{ term: { state: 'FAILED' } }] } }] } };
    expect(idsOf(doubleNegation)).toEqual(failed);
    expect(idsOf({ bool: { filter: [doubleNegation] } })).toEqual(failed);
    // Three levels: not (not (not FAILED)).
    expect(idsOf({ bool: { must_not: [doubleNegation] } })).toEqual(
      idsOf({ bool: { must_not: [{ term: { state: 'FAILED' } }] } }),
    );
    const res = run({ size: 0, query: doubleNegation, aggs: { f: { filter: doubleNegation } } });
    expect(res.hits.total.value).toBe(failed.length);
    expect(res.aggregations.f.doc_count).toBe(failed.length);
  });

  it('filter context scores 0 and must_not alone matches the rest', () => {
    const res = run({ query: { bool: { filter: { term: { state: 'RUNNING' } } } } });
    expect(res.hits.hits[0]._score).toBe(0);
    expect(res.hits.max_score).toBe(0);
    expect(idsOf({ bool: { must_not: [{ terms: { state: ['COMPLETED', 'FAILED'] } }] } })).toEqual([
      't6',
      't9',
      't12',
    ]);
  });

  it('a must_not-only bool scores 0 even in query context; an empty bool is a match_all', () => {
    // OpenSearch adds a match-all *filter* beside the must_not clauses, so nothing is scored.
    const negative = run({ query: { bool: { must_not: { term: { state: 'FAILED' } } } } });
    expect(negative.hits.total.value).toBe(8);
    expect(negative.hits.max_score).toBe(0);
    expect(negative.hits.hits.every((h: any) => h._score === 0)).toBe(true);
    const empty = run({ query: { bool: { boost: 2 } } });
    expect(empty.hits.total.value).toBe(12);
    expect(empty.hits.max_score).toBe(2);
  });

  it('minimum_should_match: 0 keeps should optional beside a filter; more than there are matches nothing', () => {
    const should = [{ term: { state: 'RUNNING' } }, { term: { state: 'CREATED' } }];
    expect(
      idsOf({ bool: { filter: { term: { task_type: 'BATCH_INGEST' } }, should, minimum_should_match: 0 } }),
    ).toEqual(['t7']);
    expect(
      idsOf({
        bool: { filter: { term: { task_type: 'BATCH_INGEST' } }, should, minimum_should_match: '0%' },
      }),
    ).toEqual(['t7']);
    const both = [{ term: { state: 'RUNNING' } }, { term: { task_type: 'BATCH_PREDICTION' } }];
    expect(idsOf({ bool: { should: both, minimum_should_match: 2 } })).toEqual(['t6']);
    expect(idsOf({ bool: { should: both, minimum_should_match: 3 } })).toEqual([]);
    // With no should clause at all, a positive requirement cannot be met either.
    expect(idsOf({ bool: { filter: { term: { state: 'RUNNING' } }, minimum_should_match: 1 } })).toEqual([]);
    // A must_not-only bool is rebuilt without it.
    expect(
      idsOf({ bool: { must_not: { exists: { field: 'function_name' } }, minimum_should_match: 1 } }),
    ).toEqual(['t7']);
  });

  it('minimum_should_match conditional specs, and a bad one fails on the shard', () => {
    const three = [
      { term: { state: 'FAILED' } },
      { term: { function_name: 'KMEANS' } },
      { exists: { field: 'input_type' } },
    ];
    // "2<-1": up to 2 clauses all are required, above that all but one.
    expect(idsOf({ bool: { should: three, minimum_should_match: '2<-1' } })).toEqual(['t4', 't5']);
    expect(idsOf({ bool: { should: three.slice(0, 2), minimum_should_match: '2<-1' } })).toEqual(['t4']);
    const err = errorOf({ query: { bool: { should: three, minimum_should_match: 'most' } } });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('search_phase_execution_exception');
    expect(err.body.error.root_cause[0]).toMatchObject({
      type: 'query_shard_exception',
      reason: 'failed to create query: For input string: "most"',
    });
  });

  it('constant_score, dis_max and boosting', () => {
    const res = run({ query: { constant_score: { filter: { term: { state: 'RUNNING' } }, boost: 2.5 } } });
    expect(res.hits.hits[0]._score).toBe(2.5);
    expect(
      idsOf({ dis_max: { queries: [{ term: { state: 'RUNNING' } }, { term: { state: 'CREATED' } }] } }),
    ).toEqual(['t6', 't9']);
    expect(
      idsOf({
        boosting: {
          positive: { term: { state: 'FAILED' } },
          negative: { exists: { field: 'model_id' } },
          negative_boost: 0.5,
        },
      }),
    ).toEqual(['t2', 't4', 't8', 't11']);
  });
});

describe('errors', () => {
  it('an unknown query type is a parsing_exception with its position', () => {
    const err = errorOf({ query: { foo: {} } });
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe('parsing_exception');
    expect(err.body.error.reason).toBe('unknown query [foo]');
    expect(err.body.error.line).toBe(1);
    expect(typeof err.body.error.col).toBe('number');
  });

  it('a query type OpenSearch has but the stand-in lacks says so plainly', () => {
    const err = errorOf({ query: { fuzzy: { state: 'FAILD' } } });
    expect(err.status).toBe(400);
    expect(err.body.error.reason).toMatch(/stand-in does not support the \[fuzzy\] query/);
  });

  it('an unknown option inside a leaf query is refused, not ignored', () => {
    expect(errorOf({ query: { term: { state: { value: 'FAILED', valeu: 1 } } } }).body.error).toMatchObject({
      type: 'parsing_exception',
      reason: '[term] query does not support [valeu]',
      line: 1,
    });
    expect(
      errorOf({ query: { match: { error: { query: 'memory', opertor: 'and' } } } }).body.error.reason,
    ).toBe('[match] query does not support [opertor]');
    expect(errorOf({ query: { prefix: { state: { value: 'F', boots: 2 } } } }).body.error.reason).toBe(
      '[prefix] query does not support [boots]',
    );
    // A phrase with slop would match more than the stand-in can: it says so rather than matching exactly.
    expect(
      errorOf({ query: { match_phrase: { error: { query: 'memory out', slop: 2 } } } }).body.error.reason,
    ).toMatch(/stand-in does not support slop in \[match_phrase\]/);
    expect(idsOf({ term: { state: { value: 'RUNNING', boost: 2, _name: 'r' } } })).toEqual(['t6']);
  });

  it('malformed clauses: empty, two types, bool with an unknown key', () => {
    expect(errorOf({ query: {} }).body.error.reason).toContain('empty clause');
    expect(errorOf({ query: { term: { state: 'A' }, match_all: {} } }).body.error.type).toBe(
      'parsing_exception',
    );
    expect(errorOf({ query: { bool: { mustnt: [] } } }).body.error.reason).toBe(
      '[bool] query does not support [mustnt]',
    );
  });
});

/** A task index holding these documents, ids e1, e2, … */
function storeOf(...sources: Source[]): IndexStore {
  const store = new IndexStore(TASK_INDEX, TASK_MAPPING, 4);
  sources.forEach((source, i) => store.put(`e${i + 1}`, { task_type: 'DEPLOY_MODEL', ...source }));
  return store;
}

describe('text search on `error`, analysed as OpenSearch’s standard analyzer does', () => {
  const errors = storeOf(
    { error: 'java.lang.OutOfMemoryError: Java heap space' },
    { error: JSON.stringify({ kQ3Ve9cfRZq2yE3ZOdmv2A: 'java.lang.OutOfMemoryError: Java heap space' }) },
    { error: 'Out of memory while training the model' },
    { error: 'Connection refused: artifacts.internal.example.com/10.0.3.17:443' },
    { error: "model content hash can't match original hash value" },
    { error: ['first value ends with heap', 'space starts the second value'] },
  );
  const ids = (query: unknown): string[] => idsOf(query, errors);

  it('match and match_phrase find a dotted class name only whole', () => {
    expect(ids({ match_phrase: { error: 'OutOfMemoryError' } })).toEqual([]);
    expect(ids({ match: { error: 'OutOfMemoryError' } })).toEqual([]);
    expect(ids({ match_phrase: { error: 'java.lang.OutOfMemoryError' } })).toEqual(['e1', 'e2']);
    expect(ids({ match: { error: 'JAVA.LANG.OUTOFMEMORYERROR' } })).toEqual(['e1', 'e2']);
    expect(ids({ match_phrase: { error: 'java.lang.OutOfMemoryError: Java heap' } })).toEqual(['e1', 'e2']);
    expect(ids({ match_phrase: { error: 'artifacts.internal.example.com' } })).toEqual(['e4']);
    expect(ids({ match: { error: 'example' } })).toEqual([]);
    expect(ids({ match_phrase: { error: "can't match" } })).toEqual(['e5']);
    expect(ids({ match: { error: 'can' } })).toEqual([]);
    expect(ids({ term: { error: 'kq3ve9cfrzq2ye3zodmv2a' } })).toEqual(['e2']);
  });

  it('a phrase needs consecutive positions within one value of a multi-valued field', () => {
    expect(ids({ match_phrase: { error: 'heap space' } })).toEqual(['e1', 'e2']);
    expect(ids({ match: { error: { query: 'heap space', operator: 'and' } } })).toEqual(['e1', 'e2', 'e6']);
    expect(ids({ match_phrase: { error: 'of memory while' } })).toEqual(['e3']);
    expect(ids({ match_phrase: { error: 'memory of' } })).toEqual([]);
  });

  it('match_phrase_prefix: one word is a prefix on the terms; a phrase expands its last word, max_expansions at most', () => {
    expect(ids({ match_phrase_prefix: { error: 'java.lang.Out' } })).toEqual(['e1', 'e2']);
    expect(ids({ match_phrase_prefix: { error: 'OutOf' } })).toEqual([]);
    expect(ids({ match_phrase_prefix: { error: 'out of mem' } })).toEqual(['e3']);
    // `java heap s` expands `s` to the field's first terms starting with it: space, starts, second.
    expect(ids({ match_phrase_prefix: { error: 'java heap s' } })).toEqual(['e1', 'e2']);
    // `second` sorts before `space`: with one expansion, `s` stands for `second` alone.
    expect(ids({ match_phrase_prefix: { error: { query: 'java heap s', max_expansions: 1 } } })).toEqual([]);
    expect(ids({ match_phrase_prefix: { error: { query: 'starts the s', max_expansions: 1 } } })).toEqual([
      'e6',
    ]);
  });

  it('wildcard, prefix and regexp meet the lower-case terms, with the pattern as written', () => {
    // OpenSearch's StringFieldType.wildcardQuery leaves a DSL pattern as it is: upper case finds no term.
    expect(ids({ wildcard: { error: '*OutOfMemory*' } })).toEqual([]);
    expect(ids({ wildcard: { error: '*outofmemory*' } })).toEqual(['e1', 'e2']);
    expect(ids({ wildcard: { error: { value: '*OutOfMemory*', case_insensitive: true } } })).toEqual([
      'e1',
      'e2',
    ]);
    expect(ids({ wildcard: { error: { value: '*outofmemoryerror*', case_insensitive: true } } })).toEqual([
      'e1',
      'e2',
    ]);
    // A pattern spans one term, never two.
    expect(ids({ wildcard: { error: '*heap space*' } })).toEqual([]);
    expect(ids({ prefix: { error: 'java.lang' } })).toEqual(['e1', 'e2']);
    expect(ids({ prefix: { error: 'Java.lang' } })).toEqual([]);
    expect(ids({ prefix: { error: { value: 'Java.Lang', case_insensitive: true } } })).toEqual(['e1', 'e2']);
    expect(ids({ regexp: { error: 'java\\.lang\\..*' } })).toEqual(['e1', 'e2']);
    expect(ids({ regexp: { error: '10\\.0\\.3\\.[0-9]+' } })).toEqual(['e4']);
  });

  it('case_insensitive folds ASCII letters only, as OpenSearch’s automata do', () => {
    const store = storeOf({ error: 'Ungültige Eingabe' });
    expect(idsOf({ wildcard: { error: { value: 'UNG*', case_insensitive: true } } }, store)).toEqual(['e1']);
    expect(idsOf({ wildcard: { error: { value: 'UNGÜ*', case_insensitive: true } } }, store)).toEqual([]);
    expect(idsOf({ term: { error: { value: 'UNGüLTIGE', case_insensitive: true } } }, store)).toEqual(['e1']);
  });

  it('query_string normalizes wildcards, prefixes and regexps on text fields, as OpenSearch does', () => {
    const qs = (query: string, extra: Record<string, unknown> = {}): string[] =>
      ids({ query_string: { query, ...extra } });
    expect(qs('error:*OutOfMemory*')).toEqual(['e1', 'e2']);
    expect(qs('error:Java.Lang.Out*')).toEqual(['e1', 'e2']);
    expect(qs('error:/JAVA.LANG.*/')).toEqual(['e1', 'e2']);
    expect(qs('error:OutOfMemoryError')).toEqual([]);
    expect(qs('error:"java.lang.OutOfMemoryError: Java heap space"')).toEqual(['e1', 'e2']);
    // Over every field (`*`): a prefix per field, the analysed phrase prefix would also find `java heap`.
    expect(qs('Java.lang.Out*')).toEqual(['e1', 'e2']);
    expect(qs('java-hea*')).toEqual([]);
    expect(ids({ simple_query_string: { query: 'Java.lang.Out*', fields: ['error'] } })).toEqual([
      'e1',
      'e2',
    ]);
    // On a keyword field normalize() changes nothing: state values stay case-sensitive.
    expect(qs('task_type:deploy*')).toEqual([]);
    expect(qs('task_type:DEPLOY*')).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
  });

  it('prefix, wildcard and regexp on a number or date field are refused, except across a lenient `*`', () => {
    const err = errorOf({ query: { prefix: { create_time: '17' } } }, errors);
    expect(err.status).toBe(400);
    expect(err.body.error.root_cause[0]).toMatchObject({
      type: 'query_shard_exception',
      reason:
        'Can only use prefix queries on keyword and text fields - not on [create_time] which is of type [date]',
    });
    expect(errorOf({ query: { wildcard: { is_async: 't*' } } }, errors).body.error.root_cause[0].reason).toBe(
      'Can only use wildcard queries on keyword and text fields - not on [is_async] which is of type [boolean]',
    );
    expect(idsOf({ query_string: { query: '17*' } }, errors)).toEqual([]);
  });
});

describe('text search over the seed’s errors', () => {
  const tasks = generateTasks(6000, 3, NOW);
  const store = new IndexStore(TASK_INDEX, TASK_MAPPING, tasks.length);
  for (const t of tasks) store.put(t._id, t._source as Source);
  const withOom = tasks
    .filter((t) => t._source.error?.includes('java.lang.OutOfMemoryError'))
    .map((t) => t._id);
  const count = (query: unknown): number =>
    run({ query, size: 0, track_total_hits: true }, store).hits.total.value as number;

  it('finds java.lang.OutOfMemoryError whole, and the fragment only through a case-insensitive wildcard', () => {
    expect(withOom.length).toBeGreaterThan(3);
    expect(count({ match_phrase: { error: 'OutOfMemoryError' } })).toBe(0);
    expect(count({ match_phrase: { error: 'java.lang.OutOfMemoryError' } })).toBe(withOom.length);
    expect(count({ wildcard: { error: { value: '*outofmemoryerror*', case_insensitive: true } } })).toBe(
      withOom.length,
    );
    expect(count({ wildcard: { error: '*OutOfMemoryError*' } })).toBe(0);
    expect(count({ query_string: { query: 'error:*OutOfMemory*' } })).toBe(withOom.length);
  });

  it('finds a per-node message inside the JSON string of a deploy failure', () => {
    const breaker = tasks.filter((t) => /native memory circuit breaker is open/i.test(t._source.error ?? ''));
    expect(breaker.some((t) => t._source.error!.startsWith('{"'))).toBe(true);
    expect(count({ match_phrase: { error: 'Native Memory Circuit Breaker is open' } })).toBe(breaker.length);
  });
});

describe('a bool in filter context runs on a mask, and matches what it matches slot by slot', () => {
  const tasks = generateTasks(4000, 5, NOW);
  const store = new IndexStore(TASK_INDEX, TASK_MAPPING, tasks.length);
  for (const t of tasks) store.put(t._id, t._source as Source);
  // Some documents replaced and deleted, so dead slots sit among live ones.
  for (const t of tasks.slice(0, 40)) store.put(t._id, { ...(t._source as Source), state: 'FAILED' });
  for (const t of tasks.slice(40, 80)) store.delete(t._id);
  const matchedIds = (query: unknown): string[] =>
    run({ query, size: 10_000, sort: ['_doc'], track_total_hits: true }, store).hits.hits.map(
      (h: { _id: string }) => h._id,
    );
  const unfinished = { terms: { state: ['CREATED', 'RUNNING'] } };
  const failed = { term: { state: 'FAILED' } };
  const old = { range: { create_time: { lt: NOW - 86_400_000 } } };
  const someIds = { ids: { values: tasks.slice(100, 400).map((t) => t._id) } };
  const withWorker = { exists: { field: 'worker_node' } };
  const anyWorker = { wildcard: { worker_node: '*' } };
  const textError = { match: { error: 'memory' } };
  const shapes: Record<string, unknown> = {
    'should of broad clauses, one needed': { bool: { should: [failed, old, someIds] } },
    'should with a filter, one needed': {
      bool: { filter: [old], should: [failed, textError], minimum_should_match: 1 },
    },
    'should, two needed': { bool: { should: [failed, old, someIds, withWorker], minimum_should_match: 2 } },
    'exclusions without a bulk form, over most documents': {
      bool: { filter: [withWorker], must_not: [someIds, textError, { bool: { must_not: [old] } }] },
    },
    'narrow filter, then everything else slot by slot': {
      bool: { filter: [unfinished], should: [old, someIds], must_not: [anyWorker] },
    },
    'nested should inside should inside must_not': {
      bool: {
        must_not: [{ bool: { should: [failed, { bool: { should: [someIds, unfinished] } }] } }],
      },
    },
  };
  for (const [name, shape] of Object.entries(shapes)) {
    it(name, () => {
      // constant_score tests its filter slot by slot; a bool's filter runs it on a mask.
      const one = matchedIds({ constant_score: { filter: shape } });
      const bulk = matchedIds({ bool: { filter: [shape] } });
      expect(bulk).toEqual(one);
      expect(one.length).toBeGreaterThan(0);
      expect(one.length).toBeLessThan(store.size);
    });
  }
});

describe('flat_object fields: every leaf an exact keyword at its own path', () => {
  const flat = storeOf(
    { response: { memory_id: 'mem1', error_message: 'Tool failed: no such index [products]' } },
    { response: { error_message: 'tool failed: no such index [products]' } },
    {
      remote_job: {
        status: 'completed',
        request_counts: { total: 10, completed: 10, failed: 0 },
        output: [{ id: 'file-1' }, { id: 'file-2' }],
        nothing: null,
      },
    },
    { remote_job: { TransformJobStatus: 'InProgress' } },
  );
  const ids = (query: unknown): string[] => idsOf(query, flat);

  it('match, match_phrase and term match the whole value only, case-sensitively', () => {
    const message = 'Tool failed: no such index [products]';
    expect(ids({ match_phrase: { 'response.error_message': message } })).toEqual(['e1']);
    expect(ids({ match: { 'response.error_message': message } })).toEqual(['e1']);
    expect(ids({ term: { 'response.error_message': message } })).toEqual(['e1']);
    expect(ids({ match_phrase: { 'response.error_message': 'Tool failed' } })).toEqual([]);
    expect(ids({ match: { 'response.error_message': 'failed' } })).toEqual([]);
    expect(
      ids({ term: { 'response.error_message': { value: message.toUpperCase(), case_insensitive: true } } }),
    ).toEqual(['e1', 'e2']);
    // The root searches every leaf's value; a number leaf is its JSON text.
    expect(ids({ term: { response: 'mem1' } })).toEqual(['e1']);
    expect(ids({ term: { 'remote_job.request_counts.total': 10 } })).toEqual(['e3']);
  });

  it('prefix and wildcard on the dot path, with case_insensitive', () => {
    expect(ids({ prefix: { 'response.error_message': 'Tool f' } })).toEqual(['e1']);
    expect(ids({ wildcard: { 'response.error_message': '*no such index*' } })).toEqual(['e1', 'e2']);
    expect(ids({ wildcard: { 'response.error_message': '*NO SUCH*' } })).toEqual([]);
    expect(
      ids({ wildcard: { 'response.error_message': { value: 'TOOL*', case_insensitive: true } } }),
    ).toEqual(['e1', 'e2']);
    expect(ids({ wildcard: { 'remote_job.TransformJobStatus': 'In*' } })).toEqual(['e4']);
  });

  it('a path names leaves exactly: arrays do not count, an object below it is no value, nulls are not indexed', () => {
    expect(ids({ term: { 'remote_job.output.id': 'file-2' } })).toEqual(['e3']);
    expect(ids({ term: { 'remote_job.request_counts': '10' } })).toEqual([]);
    expect(ids({ exists: { field: 'remote_job.request_counts.failed' } })).toEqual(['e3']);
    expect(ids({ exists: { field: 'remote_job.request_counts' } })).toEqual([]);
    expect(ids({ exists: { field: 'remote_job.nothing' } })).toEqual([]);
    expect(ids({ exists: { field: 'response.error_message' } })).toEqual(['e1', 'e2']);
    expect(ids({ exists: { field: 'remote_job' } })).toEqual(['e3', 'e4']);
  });

  it('terms aggregations and sorting on a path inside one are the stand-in’s to refuse, plainly', () => {
    const agg = errorOf({ aggs: { s: { terms: { field: 'remote_job.status' } } } }, flat);
    expect(agg.status).toBe(400);
    expect(agg.body.error.reason).toMatch(/stand-in does not support aggregations on \[remote_job\.status\]/);
    const sort = errorOf({ sort: [{ 'remote_job.status': 'asc' }] }, flat);
    expect(sort.body.error.reason).toMatch(/stand-in does not support sorting on \[remote_job\.status\]/);
  });
});
