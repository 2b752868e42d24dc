// Tests the query_string / simple_query_string translation, including Lucene's precedence and error wording.

import { describe, expect, it } from 'vitest';
import type { Dsl, QueryStringOptions } from './query-string';
import { QueryStringParseError, queryStringToDsl, simpleQueryStringToDsl } from './query-string';

function qs(query: string, opts: Partial<QueryStringOptions> = {}): Dsl {
  return queryStringToDsl({ query, ...opts });
}

function sqs(query: string, opts: Partial<QueryStringOptions> & { flags?: string | number } = {}): Dsl {
  return simpleQueryStringToDsl({ query, ...opts });
}

/** Field-less text in the default `*` setup. */
function any(query: string, extra: Dsl = {}): Dsl {
  return { multi_match: { query, fields: ['*'], lenient: true, ...extra } };
}

/** Text on one field in the default `*` setup, which makes OpenSearch lenient everywhere. */
function on(field: string, query: string, extra: Dsl = {}): Dsl {
  return { match: { [field]: { query, lenient: true, ...extra } } };
}

const MATCH_ALL = { match_all: {} };

function parseError(query: string, opts: Partial<QueryStringOptions> = {}): QueryStringParseError {
  try {
    queryStringToDsl({ query, ...opts });
  } catch (e) {
    if (e instanceof QueryStringParseError) return e;
    throw e;
  }
  throw new Error(`expected [${query}] to be rejected`);
}

/** Lucene's "Was expecting one of:" block; `<EOF>` is listed without the trailing "...". */
function expecting(...images: string[]): string {
  return `Was expecting one of:\n    ${images.map((i) => `${i === '<EOF>' ? '<EOF> ' : `${i} ...`}\n    `).join('')}`;
}

const CLAUSE_START = [
  '<BAREOPER>',
  '"("',
  '"*"',
  '<QUOTED>',
  '<TERM>',
  '<PREFIXTERM>',
  '<WILDTERM>',
  '<REGEXPTERM>',
  '"["',
  '"{"',
  '<NUMBER>',
];
const AFTER_CLAUSE = [
  '<AND>',
  '<OR>',
  '<NOT>',
  '"+"',
  '"-"',
  '<BAREOPER>',
  '"("',
  '"*"',
  '"^"',
  '<QUOTED>',
  '<TERM>',
  '<FUZZY_SLOP>',
  '<PREFIXTERM>',
  '<WILDTERM>',
  '<REGEXPTERM>',
  '"["',
  '"{"',
  '<NUMBER>',
];

describe('queryStringToDsl: terms and fields', () => {
  it('searches every field for a bare term, leniently', () => {
    expect(qs('KMEANS')).toEqual(any('KMEANS'));
  });

  it('matches field:value', () => {
    expect(qs('state:FAILED')).toEqual(on('state', 'FAILED'));
  });

  it('uses phrases for quoted text, with or without a field', () => {
    expect(qs('"out of memory"')).toEqual({
      multi_match: { query: 'out of memory', fields: ['*'], type: 'phrase', lenient: true },
    });
    expect(qs('error:"circuit breaker"')).toEqual({ match_phrase: { error: { query: 'circuit breaker' } } });
  });

  it('analyses adjacent field-less terms together, as OpenSearch does since 6.0', () => {
    expect(qs('out of memory')).toEqual(any('out of memory'));
    // A keyword field therefore sees one value: OpenSearch looks for "FAILED RUNNING" here.
    expect(qs('state:(FAILED RUNNING)')).toEqual(on('state', 'FAILED RUNNING'));
    expect(qs('a b c:d')).toEqual({ bool: { should: [any('a b'), on('c', 'd')] } });
  });

  it('binds a field only to the next term', () => {
    expect(qs('state:FAILED RUNNING')).toEqual({ bool: { should: [on('state', 'FAILED'), any('RUNNING')] } });
  });

  it('unescapes escaped characters', () => {
    expect(qs('error:out\\:of\\-memory')).toEqual(on('error', 'out:of-memory'));
    expect(qs('\\-DEPLOY')).toEqual(any('-DEPLOY'));
    expect(qs('model_id:\\(x\\)')).toEqual(on('model_id', '(x)'));
    expect(qs('a\\u0041b')).toEqual(any('aAb'));
  });

  it('accepts dotted field names and escaped field patterns', () => {
    expect(qs('remote_job.status:completed')).toEqual(on('remote_job.status', 'completed'));
    expect(qs('worker\\*:node-1')).toEqual({
      multi_match: { query: 'node-1', fields: ['worker*'], lenient: true },
    });
    expect(qs('*:node-1')).toEqual(any('node-1'));
  });

  it('rejects an unescaped field pattern, as a real cluster does', () => {
    expect(parseError('worker*:x').detail).toBe(
      `Encountered " ":" ": "" at line 1, column 7.\n${expecting('<EOF>', ...AFTER_CLAUSE)}`,
    );
  });

  it('searches the fields option instead of the default field', () => {
    expect(qs('FAILED', { fields: ['state', 'error^2'] })).toEqual({
      multi_match: { query: 'FAILED', fields: ['state', 'error'], lenient: false },
    });
    expect(qs('FAILED', { fields: ['state'], lenient: true })).toEqual({
      match: { state: { query: 'FAILED', lenient: true } },
    });
    expect(qs('FAILED', { fields: ['*'] })).toEqual(any('FAILED'));
    // The evaluator passes the request body through; a malformed `fields` must not crash the translation.
    expect(qs('FAILED', { fields: 'state' as unknown as string[] })).toEqual(any('FAILED'));
  });

  it('uses a single default_field like an explicit field, without implied leniency', () => {
    expect(qs('breaker', { default_field: 'error' })).toEqual({ match: { error: { query: 'breaker' } } });
    expect(qs('breaker', { default_field: 'remote_job.*' })).toEqual({
      multi_match: { query: 'breaker', fields: ['remote_job.*'], lenient: false },
    });
  });

  it('looks tasks up by id', () => {
    expect(qs('_id:xyz')).toEqual({ ids: { values: ['xyz'] } });
    expect(qs('_id:"xyz"')).toEqual({ ids: { values: ['xyz'] } });
  });

  it('answers match_none for an empty query, as OpenSearch does', () => {
    expect(qs('')).toEqual({ match_none: {} });
    expect(qs('  \t')).toEqual({ match_none: {} });
  });

  it('parses boosts, fuzziness and slop but drops them', () => {
    expect(qs('state:FAILED^2')).toEqual(on('state', 'FAILED'));
    expect(qs('kmeans~2')).toEqual(any('kmeans'));
    expect(qs('kmeans~')).toEqual(any('kmeans'));
    expect(qs('kmeans^2~1')).toEqual(any('kmeans'));
    expect(qs('"circuit breaker"~3^2', { default_field: 'error' })).toEqual({
      match_phrase: { error: { query: 'circuit breaker' } },
    });
    expect(qs('(FAILED OR RUNNING)^3', { default_field: 'state' })).toEqual({
      bool: {
        should: [{ match: { state: { query: 'FAILED' } } }, { match: { state: { query: 'RUNNING' } } }],
      },
    });
  });

  it('keeps a lone + or - followed by a space as a term, like Lucene', () => {
    expect(qs('a - b')).toEqual({ bool: { should: [any('a'), any('-'), any('b')] } });
  });
});

describe('queryStringToDsl: boolean logic', () => {
  it('makes plain clauses optional and - clauses prohibited with OR', () => {
    expect(qs('state:FAILED function_name:KMEANS -task_type:DEPLOY_MODEL')).toEqual({
      bool: {
        should: [on('state', 'FAILED'), on('function_name', 'KMEANS')],
        must_not: [on('task_type', 'DEPLOY_MODEL')],
      },
    });
  });

  it('makes plain clauses required with AND', () => {
    expect(
      qs('state:FAILED function_name:KMEANS -task_type:DEPLOY_MODEL', { default_operator: 'and' }),
    ).toEqual({
      bool: {
        must: [
          on('state', 'FAILED', { operator: 'and' }),
          on('function_name', 'KMEANS', { operator: 'and' }),
        ],
        must_not: [on('task_type', 'DEPLOY_MODEL', { operator: 'and' })],
      },
    });
    expect(qs('out of memory', { default_operator: 'AND' })).toEqual(
      any('out of memory', { operator: 'and' }),
    );
  });

  it('groups with parentheses and field:(…)', () => {
    expect(qs('state:(FAILED OR RUNNING) AND model_id:abc*')).toEqual({
      bool: {
        must: [
          { bool: { should: [on('state', 'FAILED'), on('state', 'RUNNING')] } },
          { prefix: { model_id: { value: 'abc' } } },
        ],
      },
    });
    expect(qs('(state:FAILED OR state:RUNNING) -is_async:true')).toEqual({
      bool: {
        should: [{ bool: { should: [on('state', 'FAILED'), on('state', 'RUNNING')] } }],
        must_not: [on('is_async', 'true')],
      },
    });
  });

  it('follows Lucene precedence: AND only binds its neighbours', () => {
    expect(qs('a OR b AND c')).toEqual({ bool: { should: [any('a')], must: [any('b'), any('c')] } });
    expect(qs('a AND b OR c')).toEqual({ bool: { must: [any('a'), any('b')], should: [any('c')] } });
  });

  it('lets OR undo the default AND on the previous clause, even an explicit +', () => {
    expect(qs('a OR b', { default_operator: 'AND' })).toEqual({
      bool: { should: [any('a', { operator: 'and' }), any('b', { operator: 'and' })] },
    });
    expect(qs('+a OR b', { default_operator: 'AND' })).toEqual({
      bool: { should: [any('a', { operator: 'and' }), any('b', { operator: 'and' })] },
    });
    expect(qs('-a OR b', { default_operator: 'AND' })).toEqual({
      bool: { must_not: [any('a', { operator: 'and' })], should: [any('b', { operator: 'and' })] },
    });
  });

  it('treats &&, || and ! like AND, OR and NOT', () => {
    expect(qs('a && b')).toEqual(qs('a AND b'));
    expect(qs('a || b')).toEqual(qs('a OR b'));
    expect(qs('!a')).toEqual(qs('NOT a'));
    expect(qs('a !b')).toEqual({ bool: { should: [any('a')], must_not: [any('b')] } });
  });

  it('makes + clauses required next to optional ones', () => {
    expect(qs('+state:FAILED error:breaker')).toEqual({
      bool: { must: [on('state', 'FAILED')], should: [on('error', 'breaker')] },
    });
  });

  it('adds match_all as a filter when a group only excludes', () => {
    expect(qs('NOT state:COMPLETED')).toEqual({
      bool: { must_not: [on('state', 'COMPLETED')], filter: [MATCH_ALL] },
    });
    expect(qs('-a -b')).toEqual({ bool: { must_not: [any('a'), any('b')], filter: [MATCH_ALL] } });
    expect(qs('state:FAILED AND (NOT task_type:DEPLOY_MODEL)')).toEqual({
      bool: {
        must: [
          on('state', 'FAILED'),
          { bool: { must_not: [on('task_type', 'DEPLOY_MODEL')], filter: [MATCH_ALL] } },
        ],
      },
    });
  });

  it('does not treat lower-case and/or/not as operators', () => {
    expect(qs('a and b')).toEqual(any('a and b'));
  });
});

describe('queryStringToDsl: wildcards, ranges and existence', () => {
  it('turns a single trailing * into prefix', () => {
    expect(qs('model_id:abc*')).toEqual({ prefix: { model_id: { value: 'abc' } } });
    expect(qs('model_id:a\\*b*')).toEqual({ prefix: { model_id: { value: 'a*b' } } });
  });

  it('uses phrase_prefix for a field-less prefix over *, and one prefix per listed field', () => {
    expect(qs('abc*')).toEqual({
      multi_match: { query: 'abc', fields: ['*'], type: 'phrase_prefix', lenient: true },
    });
    expect(qs('abc*', { fields: ['model_id', 'task_type'] })).toEqual({
      bool: {
        should: [{ prefix: { model_id: { value: 'abc' } } }, { prefix: { task_type: { value: 'abc' } } }],
      },
    });
  });

  it('turns other patterns into wildcard, keeping escapes for the wildcard syntax', () => {
    expect(qs('function_name:KM?ANS')).toEqual({ wildcard: { function_name: { value: 'KM?ANS' } } });
    expect(qs('function_name:*MEANS')).toEqual({ wildcard: { function_name: { value: '*MEANS' } } });
    expect(qs('model_id:a*b*')).toEqual({ wildcard: { model_id: { value: 'a*b*' } } });
    expect(qs('model_id:abc**')).toEqual({ wildcard: { model_id: { value: 'abc**' } } });
    expect(qs('model_id:a\\?b*c')).toEqual({ wildcard: { model_id: { value: 'a\\?b*c' } } });
    expect(qs('KM?ANS')).toEqual({ wildcard: { '*': { value: 'KM?ANS' } } });
  });

  it('turns * into match_all or exists', () => {
    expect(qs('*')).toEqual(MATCH_ALL);
    expect(qs('*:*')).toEqual(MATCH_ALL);
    expect(qs('model_id:*')).toEqual({ exists: { field: 'model_id' } });
    expect(qs('*', { default_field: 'model_id' })).toEqual({ exists: { field: 'model_id' } });
    expect(qs('_exists_:error')).toEqual({ exists: { field: 'error' } });
    expect(qs('NOT _exists_:model_id')).toEqual({
      bool: { must_not: [{ exists: { field: 'model_id' } }], filter: [MATCH_ALL] },
    });
  });

  it('translates bracket ranges, passing values through', () => {
    expect(qs('create_time:[now-1d TO now]')).toEqual({
      range: { create_time: { gte: 'now-1d', lte: 'now' } },
    });
    expect(qs('progress:{0.5 TO 1}')).toEqual({ range: { progress: { gt: '0.5', lt: '1' } } });
    expect(qs('progress:[0.5 TO 1}')).toEqual({ range: { progress: { gte: '0.5', lt: '1' } } });
    expect(qs('create_time:[2024-01-01T00:00:00Z TO *]')).toEqual({
      range: { create_time: { gte: '2024-01-01T00:00:00Z' } },
    });
    expect(qs('create_time:{* TO now-7d/d]')).toEqual({ range: { create_time: { lte: 'now-7d/d' } } });
    expect(qs('state:["A" TO "C c"]')).toEqual({ range: { state: { gte: 'A', lte: 'C c' } } });
    expect(qs('last_update_time:[* TO *]')).toEqual({ exists: { field: 'last_update_time' } });
  });

  it('translates >, >=, < and <= after a field', () => {
    expect(qs('progress:>0.5')).toEqual({ range: { progress: { gt: '0.5' } } });
    expect(qs('create_time:>=now-1d')).toEqual({ range: { create_time: { gte: 'now-1d' } } });
    expect(qs('progress:<1')).toEqual({ range: { progress: { lt: '1' } } });
    expect(qs('last_update_time:<=now')).toEqual({ range: { last_update_time: { lte: 'now' } } });
    // Without a field OpenSearch has nothing to compare, so `>5` stays text when `fields` is given.
    expect(qs('>5', { fields: ['error'] })).toEqual({ match: { error: { query: '>5' } } });
  });

  it('keeps regular expressions', () => {
    expect(qs('model_id:/ab.*/')).toEqual({ regexp: { model_id: { value: 'ab.*' } } });
  });
});

describe('queryStringToDsl: errors', () => {
  it('reports a dangling field like Lucene', () => {
    const e = parseError('state:');
    expect(e.detail).toBe(`Encountered "<EOF>" at line 1, column 6.\n${expecting(...CLAUSE_START)}`);
    expect(e.message).toBe(`Cannot parse 'state:': ${e.detail}`);
    expect(e.query).toBe('state:');
    expect(e.reason).toBe('Failed to parse query [state:]');
  });

  it('reports a dangling AND, duplicated tail included', () => {
    expect(parseError('a AND').detail).toBe(
      `Encountered "<EOF>" at line 1, column 5.\n${expecting('<NOT>', '"+"', '"-"', ...CLAUSE_START, '<TERM>', '"*"')}`,
    );
  });

  it('reproduces messages seen from real clusters', () => {
    expect(parseError('NOT').detail).toBe(
      `Encountered "<EOF>" at line 1, column 3.\n${expecting(...CLAUSE_START, '<TERM>', '"*"')}`,
    );
    const query =
      '"communitywestbank" OR "ntt\\-logisco.co.jp" OR "SF_USERNAME salesforce" OR "dview.org" OR';
    expect(parseError(query).detail).toBe(
      `Encountered "<EOF>" at line 1, column 89.\n${expecting('<NOT>', '"+"', '"-"', ...CLAUSE_START, '<TERM>', '"*"')}`,
    );
    expect(parseError('rectype:\'Package\' AND tokname:"wiley" AND ( :2014 ) ').detail).toMatch(
      /^Encountered " ":" ": "" at line 1, column 44\.\nWas expecting one of:\n {4}<NOT> \.\.\./,
    );
    expect(parseError('parent_locality_283_i:1 AND text:()').detail).toMatch(
      /^Encountered " "\)" "\) "" at line 1, column 34\.\n/,
    );
    expect(parseError('content: ((((dog').detail).toMatch(/^Encountered "<EOF>" at line 1, column 16\.\n/);
    expect(parseError('/').detail).toBe(
      'Lexical error at line 1, column 2.  Encountered: <EOF> (in lexical state 2)',
    );
    expect(parseError('CI/CD').detail).toBe(
      'Lexical error at line 1, column 6.  Encountered: <EOF> after prefix "/CD" (in lexical state 2)',
    );
  });

  it('reports unbalanced parentheses', () => {
    expect(parseError('(a').detail).toBe(
      `Encountered "<EOF>" at line 1, column 2.\n${expecting(...AFTER_CLAUSE.slice(0, 7), '")"', ...AFTER_CLAUSE.slice(7))}`,
    );
    expect(parseError('a)').detail).toBe(
      `Encountered " ")" ") "" at line 1, column 1.\n${expecting('<EOF>', ...AFTER_CLAUSE)}`,
    );
    expect(parseError('state:(FAILED OR').message).toMatch(
      /^Cannot parse 'state:\(FAILED OR': Encountered "<EOF>" at line 1, column 16\./,
    );
  });

  it('reports an unbalanced quote as a lexical error', () => {
    const e = parseError('"out of memory');
    expect(e.detail).toBe(
      'Lexical error at line 1, column 15.  Encountered: <EOF> after prefix "\\"out of memory" (in lexical state 2)',
    );
    expect(e.causeType).toBe('token_mgr_error');
    expect(parseError('error:"a" "b').detail).toBe(
      'Lexical error at line 1, column 13.  Encountered: <EOF> after prefix "\\"b" (in lexical state 2)',
    );
  });

  it('reports stray closing brackets and trailing escapes', () => {
    expect(parseError('state:FAILED]').detail).toBe(
      'Lexical error at line 1, column 14.  Encountered: <EOF> (in lexical state 2)',
    );
    expect(parseError('a } b').detail).toBe(
      "Lexical error at line 1, column 3.  Encountered: '}' (125), (in lexical state 2)",
    );
    expect(parseError('abc\\').detail).toBe(
      'Lexical error at line 1, column 5.  Encountered: <EOF> (in lexical state 2)',
    );
  });

  it('reports unterminated and malformed ranges', () => {
    expect(parseError('create_time:[now-1d TO').detail).toBe(
      `Encountered "<EOF>" at line 1, column 22.\n${expecting('"TO"', '<RANGE_QUOTED>', '<RANGE_GOOP>')}`,
    );
    expect(parseError('create_time:[now-1d now]').detail).toBe(
      'Encountered " <RANGE_GOOP> "now "" at line 1, column 20.\nWas expecting:\n    "TO" ...\n    ',
    );
  });

  it('reports bad boosts', () => {
    expect(parseError('a^').detail).toBe(
      'Encountered "<EOF>" at line 1, column 2.\nWas expecting:\n    <NUMBER> ...\n    ',
    );
    expect(parseError('a^x y').detail).toBe("Lexical error at line 1, column 3.  Encountered: 'x' (120),");
  });

  it('reports bad unicode escapes', () => {
    expect(parseError('a\\u12').message).toBe("Cannot parse 'a\\u12': Truncated unicode escape sequence.");
    expect(parseError('a\\uzz12').detail).toBe('Non-hex character in Unicode escape sequence: z');
  });

  it('refuses more than 1024 clauses in one group', () => {
    const query = Array.from({ length: 1025 }, (_, i) => `t${i}`).join(' OR ');
    const e = parseError(query);
    expect(e.detail).toBe('too many boolean clauses');
    expect(e.toErrorCause().caused_by?.caused_by).toEqual({
      type: 'too_many_clauses',
      reason: 'maxClauseCount is set to 1024',
    });
    expect(() => qs(Array.from({ length: 1024 }, (_, i) => `t${i}`).join(' OR '))).not.toThrow();
  });

  it('describes the cause chain a cluster reports', () => {
    expect(parseError('a AND').toErrorCause()).toEqual({
      type: 'query_shard_exception',
      reason: 'Failed to parse query [a AND]',
      caused_by: {
        type: 'parse_exception',
        reason: `Cannot parse 'a AND': ${parseError('a AND').detail}`,
        caused_by: { type: 'parse_exception', reason: parseError('a AND').detail },
      },
    });
    expect(parseError('"x').toErrorCause().caused_by?.caused_by?.type).toBe('token_mgr_error');
  });

  it('allows a leading wildcard', () => {
    expect(() => qs('*MEANS')).not.toThrow();
  });
});

describe('simpleQueryStringToDsl', () => {
  it('ORs terms by default and ANDs them with default_operator AND', () => {
    expect(sqs('FAILED RUNNING')).toEqual({ bool: { should: [any('FAILED'), any('RUNNING')] } });
    expect(sqs('FAILED RUNNING', { default_operator: 'AND' })).toEqual({
      bool: { must: [any('FAILED', { operator: 'and' }), any('RUNNING', { operator: 'and' })] },
    });
  });

  it('supports + | - operators, applied strictly left to right', () => {
    expect(sqs('a + b')).toEqual({ bool: { must: [any('a'), any('b')] } });
    expect(sqs('a | b + c')).toEqual({
      bool: { must: [{ bool: { should: [any('a'), any('b')] } }, any('c')] },
    });
    expect(sqs('a + (b | c)')).toEqual({
      bool: { must: [any('a'), { bool: { should: [any('b'), any('c')] } }] },
    });
  });

  it('negates with -, keeping everything else matchable', () => {
    expect(sqs('-a')).toEqual({ bool: { must_not: [any('a')], should: [MATCH_ALL] } });
    expect(sqs('--a')).toEqual(any('a'));
    expect(sqs('a -b')).toEqual({
      bool: { should: [any('a'), { bool: { must_not: [any('b')], should: [MATCH_ALL] } }] },
    });
    expect(sqs('- a')).toEqual(any('a'));
  });

  it('handles phrases, prefixes and inner dashes', () => {
    expect(sqs('"out of memory"')).toEqual({
      multi_match: { query: 'out of memory', fields: ['*'], type: 'phrase', lenient: true },
    });
    expect(sqs('abc*')).toEqual({
      multi_match: { query: 'abc', fields: ['*'], type: 'phrase_prefix', lenient: true },
    });
    expect(sqs('abc*', { fields: ['model_id'] })).toEqual({ prefix: { model_id: { value: 'abc' } } });
    expect(sqs('a*b')).toEqual(any('a*b'));
    expect(sqs('DEPLOY-MODEL')).toEqual(any('DEPLOY-MODEL'));
    expect(sqs('\\-a')).toEqual(any('-a'));
  });

  it('parses ~N and drops it', () => {
    expect(sqs('kmeans~2')).toEqual(any('kmeans'));
    expect(sqs('"circuit breaker"~3', { fields: ['error'] })).toEqual({
      match_phrase: { error: { query: 'circuit breaker' } },
    });
  });

  it('searches the given fields', () => {
    expect(sqs('breaker', { fields: ['error', 'response.error_message^3'] })).toEqual({
      multi_match: { query: 'breaker', fields: ['error', 'response.error_message'], lenient: false },
    });
    expect(sqs('breaker', { fields: ['error'] })).toEqual({ match: { error: { query: 'breaker' } } });
  });

  it('treats unbalanced syntax as plain text and never throws', () => {
    expect(sqs('(a | b')).toEqual({ bool: { should: [any('a'), any('b')] } });
    expect(sqs('"abc def')).toEqual({ bool: { should: [any('abc'), any('def')] } });
    expect(sqs('a)')).toEqual(any('a'));
    expect(sqs('a + ()')).toEqual(any('a'));
    for (const q of ['', ')))', '"', '\\', '+', '|', '-', '"~', '(', '~~', 'a\\'])
      expect(() => sqs(q)).not.toThrow();
    expect(sqs('')).toEqual({ match_none: {} });
    expect(sqs('|+-')).toEqual({ match_none: {} });
  });

  it('matches everything for a lone *', () => {
    expect(sqs(' * ')).toEqual(MATCH_ALL);
  });

  it('honours flags', () => {
    expect(sqs('a -b', { flags: 'NONE' })).toEqual(any('a -b'));
    expect(sqs('a -b', { flags: 'OR|AND|WHITESPACE' })).toEqual({ bool: { should: [any('a'), any('-b')] } });
    expect(sqs('abc*', { flags: 'WHITESPACE' })).toEqual(any('abc*'));
    expect(sqs('a -b', { flags: 'ALL' })).toEqual(sqs('a -b'));
    expect(sqs('a -b', { flags: 'not|whitespace|bogus' })).toEqual(sqs('a -b'));
    // A numeric mask as OpenSearch accepts it: NOT (2) | WHITESPACE (128); 0 means ALL.
    expect(sqs('a -b', { flags: 130 })).toEqual(sqs('a -b'));
    expect(sqs('a* -b', { flags: 0 })).toEqual(sqs('a* -b'));
    expect(sqs('abc*', { flags: 128 })).toEqual(any('abc*'));
  });
});
