// Tests for the query bar's language: parsing, every error message and range, printing, round trips, edits.
import { describe, expect, it } from 'vitest';
import {
  emptyTaskQuery,
  FILTER_FIELDS,
  filterFieldByName,
  formatTaskQuery,
  isEmptyQuery,
  parseTaskQuery,
  QUERY_HELP,
  setFieldSelection,
  toggleValue,
  type FilterField,
  type TaskQuery,
} from './task-query';

function parse(input: string): TaskQuery {
  const result = parseTaskQuery(input);
  if (!result.ok) throw new Error(`expected "${input}" to parse, got: ${result.message}`);
  return result.query;
}

function parseError(input: string) {
  const result = parseTaskQuery(input);
  if (result.ok) throw new Error(`expected "${input}" to fail, got ${JSON.stringify(result.query)}`);
  return { ...result, text: input.slice(result.offset, result.offset + result.length) };
}

/** A query from a partial description, for comparisons. */
function q(parts: {
  include?: Partial<Record<FilterField, string[]>>;
  exclude?: Partial<Record<FilterField, string[]>>;
  text?: string[];
  excludeText?: string[];
  is?: Partial<TaskQuery['is']>;
  failure?: Partial<TaskQuery['failure']>;
}): TaskQuery {
  const base = emptyTaskQuery();
  return {
    include: { ...base.include, ...parts.include },
    exclude: { ...base.exclude, ...parts.exclude },
    text: parts.text ?? [],
    excludeText: parts.excludeText ?? [],
    is: { ...base.is, ...parts.is },
    failure: { ...base.failure, ...parts.failure },
  };
}

describe('FILTER_FIELDS', () => {
  it('maps each filter to its task document field', () => {
    expect(
      Object.fromEntries(Object.entries(FILTER_FIELDS).map(([k, v]) => [k, [v.docField, v.enumerated]])),
    ).toEqual({
      state: ['state', true],
      function: ['function_name', true],
      type: ['task_type', true],
      node: ['worker_node', false],
      model: ['model_id', false],
    });
  });

  it('accepts every field name and its document field name as aliases, in any case', () => {
    for (const [field, info] of Object.entries(FILTER_FIELDS)) {
      expect(info.aliases).toContain(field);
      expect(info.aliases).toContain(info.docField);
      for (const alias of info.aliases) {
        expect(filterFieldByName(alias)).toBe(field);
        expect(filterFieldByName(alias.toUpperCase())).toBe(field);
      }
    }
    expect(filterFieldByName('foo')).toBeUndefined();
  });
});

describe('parseTaskQuery', () => {
  it('reads an empty or blank input as the empty query', () => {
    expect(parse('')).toEqual(emptyTaskQuery());
    expect(parse('   \t\n ')).toEqual(emptyTaskQuery());
    expect(isEmptyQuery(parse(' '))).toBe(true);
  });

  it('reads filters, exclusions, ids and free text together', () => {
    expect(parse('state:FAILED function:KMEANS -type:DEPLOY_MODEL model:abc node:n1 timeout')).toEqual(
      q({
        include: { state: ['FAILED'], function: ['KMEANS'], model: ['abc'], node: ['n1'] },
        exclude: { type: ['DEPLOY_MODEL'] },
        text: ['timeout'],
      }),
    );
  });

  it('upper-cases enumerated values and keeps ids exactly as typed', () => {
    expect(parse('state:failed function:text_embedding type:Deploy_Model model:AbC-d_1 node:xY9')).toEqual(
      q({
        include: {
          state: ['FAILED'],
          function: ['TEXT_EMBEDDING'],
          type: ['DEPLOY_MODEL'],
          model: ['AbC-d_1'],
          node: ['xY9'],
        },
      }),
    );
  });

  it('accepts document field names and any case for the field', () => {
    expect(parse('function_name:KMEANS task_type:TRAINING worker_node:n1 model_id:m1 STATE:running')).toEqual(
      q({
        include: {
          function: ['KMEANS'],
          type: ['TRAINING'],
          node: ['n1'],
          model: ['m1'],
          state: ['RUNNING'],
        },
      }),
    );
  });

  it('reads a comma as "either", in includes and excludes', () => {
    expect(parse('state:FAILED,cancelled -type:A,B')).toEqual(
      q({ include: { state: ['FAILED', 'CANCELLED'] }, exclude: { type: ['A', 'B'] } }),
    );
  });

  it('collects repeated fields and collapses duplicate values', () => {
    expect(parse('state:FAILED state:failed,RUNNING state:RUNNING -model:x -model:x,y')).toEqual(
      q({ include: { state: ['FAILED', 'RUNNING'] }, exclude: { model: ['x', 'y'] } }),
    );
    expect(parse('timeout timeout "timeout"').text).toEqual(['timeout']);
    expect(parse('-a -"a"').excludeText).toEqual(['a']);
  });

  it('reads quoted values, including spaces, commas, colons and escapes', () => {
    expect(parse('model:"a b" node:"x,y",z model:"c:d"')).toEqual(
      q({ include: { model: ['a b', 'c:d'], node: ['x,y', 'z'] } }),
    );
    expect(parse(String.raw`model:"say \"hi\"" "back\\slash" "C:\temp"`)).toEqual(
      q({ include: { model: ['say "hi"'] }, text: ['back\\slash', 'C:\\temp'] }),
    );
  });

  it('reads quoted phrases and excluded words and phrases as free text', () => {
    expect(parse('"Read timed out" -"circuit breaker" -heap timeout')).toEqual(
      q({ text: ['Read timed out', 'timeout'], excludeText: ['circuit breaker', 'heap'] }),
    );
  });

  it('trims the inside of quotes', () => {
    expect(parse('"  spaced out  " model:" m1 "')).toEqual(
      q({ include: { model: ['m1'] }, text: ['spaced out'] }),
    );
  });

  it('keeps a colon inside quotes, after a non-identifier, or before // as free text', () => {
    expect(parse('"state:FAILED"').text).toEqual(['state:FAILED']);
    expect(parse('10.0.3.17:443').text).toEqual(['10.0.3.17:443']);
    expect(parse('java.lang.OutOfMemoryError:').text).toEqual(['java.lang.OutOfMemoryError:']);
    expect(parse('[cluster:admin/opensearch/mlinternal/deploy]').text).toEqual([
      '[cluster:admin/opensearch/mlinternal/deploy]',
    ]);
    expect(parse('https://artifacts.opensearch.org/models').text).toEqual([
      'https://artifacts.opensearch.org/models',
    ]);
    expect(parse('-http://x').excludeText).toEqual(['http://x']);
    expect(parse('{"message":"The').text).toEqual(['{"message":"The']);
  });

  it('keeps the rest of a value after its first colon', () => {
    expect(parse('model:a:b').include.model).toEqual(['a:b']);
  });

  it('keeps quotes inside an unquoted word or value literally', () => {
    expect(parse('ab"cd model:x"y').text).toEqual(['ab"cd']);
    expect(parse('ab"cd model:x"y').include.model).toEqual(['x"y']);
  });

  it('ignores a bare AND (and &&) but reads lower-case "and" and an excluded AND as words', () => {
    expect(parse('state:FAILED AND function:KMEANS && x')).toEqual(
      q({ include: { state: ['FAILED'], function: ['KMEANS'] }, text: ['x'] }),
    );
    expect(parse('salt and pepper').text).toEqual(['salt', 'and', 'pepper']);
    expect(parse('-AND').excludeText).toEqual(['AND']);
  });

  it('accepts parentheses inside a word, as stack traces have them', () => {
    expect(parse('loadModel(DLModel.java:247)').text).toEqual(['loadModel(DLModel.java:247)']);
    expect(parse('"(quoted)" "a OR b"').text).toEqual(['(quoted)', 'a OR b']);
    expect(parse('f()').text).toEqual(['f()']);
  });

  it('reads a double dash as the exclusion of a word that starts with a dash', () => {
    expect(parse('--verbose').excludeText).toEqual(['-verbose']);
  });

  describe('errors', () => {
    it('names an unknown field, the fields there are, and how to search for the text instead', () => {
      const e = parseError('state:FAILED foo:x');
      expect(e.message).toBe(
        'Unknown field "foo": use state, function, type, node or model. To search for text with a colon, put it in quotes: "foo:x"',
      );
      expect(e.message.startsWith('Unknown field "foo": use state, function, type, node or model')).toBe(
        true,
      );
      expect(e.text).toBe('foo');
      expect(e.offset).toBe(13);
    });

    it('points at the field of an excluded unknown field', () => {
      const e = parseError('-Status_X:1');
      expect(e.message).toMatch(/^Unknown field "Status_X": /);
      expect(e.text).toBe('Status_X');
    });

    it('requires a value after the colon', () => {
      for (const [input, message, text] of [
        ['state:', '"state:" needs a value, e.g. state:FAILED', 'state:'],
        [
          'x -function_name: y',
          '"function_name:" needs a value, e.g. function:TEXT_EMBEDDING',
          '-function_name:',
        ],
        ['type: DEPLOY_MODEL', '"type:" needs a value, e.g. type:DEPLOY_MODEL', 'type:'],
        ['node:', '"node:" needs a value, e.g. node:<node id>', 'node:'],
        ['MODEL:', '"MODEL:" needs a value, e.g. model:<model id>', 'MODEL:'],
      ] as const) {
        const e = parseError(input);
        expect(e.message).toBe(message);
        expect(e.text).toBe(text);
      }
    });

    it('refuses empty values around commas and empty quotes', () => {
      let e = parseError('state:FAILED,');
      expect(e.message).toBe('Missing a value after "," in state:');
      expect([e.offset, e.text]).toEqual([12, ',']);
      e = parseError('state:FAILED, x');
      expect(e.message).toBe('Missing a value after "," in state:');
      e = parseError('state:,FAILED');
      expect(e.message).toBe('Missing a value before "," in state:');
      expect([e.offset, e.text]).toEqual([6, ',']);
      e = parseError('state:A,,B');
      expect(e.message).toBe('Missing a value before "," in state:');
      expect(e.offset).toBe(8);
      e = parseError('model:""');
      expect(e.message).toBe('Empty quotes: "model:" needs a value');
      expect(e.text).toBe('""');
      e = parseError('a "  " b');
      expect(e.message).toBe('Empty quotes: put the text to search for between them');
      expect(e.text).toBe('"  "');
    });

    it('reports an unterminated quote from the quote to the end', () => {
      let e = parseError('state:FAILED "read timed');
      expect(e.message).toBe('Unterminated quote: add the closing "');
      expect(e.text).toBe('"read timed');
      e = parseError('model:"abc');
      expect(e.message).toBe('Unterminated quote: add the closing "');
      expect(e.text).toBe('"abc');
      e = parseError(String.raw`"escaped \"`);
      expect(e.message).toBe('Unterminated quote: add the closing "');
      e = parseError('"');
      expect([e.offset, e.length]).toEqual([0, 1]);
    });

    it('requires a space after a closing quote', () => {
      let e = parseError('"abc"def');
      expect(e.message).toBe(
        'Unexpected text after the closing quote of a phrase: separate terms with a space',
      );
      expect([e.offset, e.text]).toEqual([5, 'd']);
      e = parseError('model:"a"b');
      expect(e.message).toBe(
        'Unexpected text after the closing quote: separate terms with a space, or values with a comma',
      );
      expect(e.text).toBe('b');
    });

    it('refuses a stray dash', () => {
      for (const input of ['-', 'state:FAILED -', 'a - b']) {
        const e = parseError(input);
        expect(e.message).toBe(
          'A "-" must be followed directly by what to exclude, e.g. -state:FAILED or -timeout',
        );
        expect(e.text).toBe('-');
      }
    });

    it('explains that OR is a comma', () => {
      for (const op of ['OR', '||']) {
        const e = parseError(`state:FAILED ${op} state:CANCELLED`);
        expect(e.message).toBe(
          `"${op}" is not supported: to match either of two values, separate them with a comma, e.g. state:FAILED,CANCELLED`,
        );
        expect(e.text).toBe(op);
      }
    });

    it('explains that NOT is a dash', () => {
      const message =
        'To exclude, put "-" directly before a filter or word instead of NOT, e.g. -state:FAILED or -timeout';
      let e = parseError('NOT state:FAILED');
      expect(e.message).toBe(message);
      expect(e.text).toBe('NOT');
      e = parseError('x !state:FAILED');
      expect(e.message).toBe(message);
      expect([e.offset, e.text]).toEqual([2, '!']);
    });

    it('explains that there is no grouping', () => {
      const message =
        'Parentheses are not supported: filters always combine with AND; use a comma for either (state:FAILED,CANCELLED) and "-" to exclude (-type:DEPLOY_MODEL). Quote text that contains parentheses.';
      for (const [input, offset] of [
        ['(state:FAILED OR state:CANCELLED)', 0],
        ['x (timeout', 2],
        ['-(a', 1],
        ['state:(FAILED', 6],
        ['state:FAILED)', 12],
        ['a b)', 3],
      ] as const) {
        const e = parseError(input);
        expect(e.message, input).toBe(message);
        expect([e.offset, e.text], input).toEqual([offset, input[offset]]);
      }
    });

    it('refuses a value that is both included and excluded', () => {
      let e = parseError('state:FAILED -state:failed');
      expect(e.message).toBe('state:FAILED is both included and excluded: keep one of the two');
      expect(e.text).toBe('failed');
      e = parseError('-model:"a b" model:x,"a b"');
      expect(e.message).toBe('model:"a b" is both included and excluded: keep one of the two');
      expect(e.text).toBe('"a b"');
      e = parseError('timeout -timeout');
      expect(e.message).toBe('"timeout" is both required and excluded: keep one of the two');
      expect(e.text).toBe('-timeout');
    });

    it('gives every error a non-empty range inside the input', () => {
      for (const input of [
        'foo:x',
        'state:',
        '"abc',
        '-',
        'OR',
        'NOT',
        '(a',
        'a)',
        'a -a',
        'model:""',
        '"x"y',
      ]) {
        const e = parseError(input);
        expect(e.length).toBeGreaterThan(0);
        expect(e.offset + e.length).toBeLessThanOrEqual(input.length);
      }
    });
  });
});

describe('formatTaskQuery', () => {
  it('prints the empty query as nothing', () => {
    expect(formatTaskQuery(emptyTaskQuery())).toBe('');
  });

  it('prints fields in a fixed order, includes before excludes, then free text', () => {
    expect(
      formatTaskQuery(
        parse('-x model:m1 timeout -state:RUNNING node:n1 state:failed,CANCELLED function:KMEANS'),
      ),
    ).toBe('state:FAILED,CANCELLED -state:RUNNING function:KMEANS node:n1 model:m1 timeout -x');
  });

  it('quotes values and phrases that need it, and escapes quotes and backslashes', () => {
    expect(
      formatTaskQuery(
        q({
          include: { model: ['a b', 'c,d', 'e"f', '(g)', '//h', 'i:j'] },
          text: ['two words', 'x:y', 'OR', '-dash', '!bang', 'back\\slash', '(paren'],
          excludeText: ['AND', 'plain'],
        }),
      ),
    ).toBe(
      String.raw`model:"a b","c,d","e\"f","(g)","//h",i:j "two words" "x:y" "OR" "-dash" "!bang" "back\\slash" "(paren" -"AND" -plain`,
    );
  });

  it('round-trips: parse(format(q)) equals q', () => {
    const queries: TaskQuery[] = [
      emptyTaskQuery(),
      q({ include: { state: ['FAILED', 'CANCELLED'] }, exclude: { type: ['DEPLOY_MODEL'] } }),
      q({
        include: { model: ['a b', 'c,d', 'e"f', 'back\\slash', '(g)', '//h', 'i:j', '-k'], node: ['n"'] },
        exclude: { node: ['x y'], function: ['WEIRD VALUE'] },
        text: [
          'two words',
          'x:y',
          'http://host',
          'OR',
          'NOT',
          '&&',
          '||',
          'AND',
          '-dash',
          '!bang',
          'a)',
          '(b',
          'f(x)',
          'é🚫',
          '"',
        ],
        excludeText: ['-', 'plain', 'state:FAILED', 'C:\\temp', 'say "hi"'],
      }),
    ];
    for (const query of queries) {
      const text = formatTaskQuery(query);
      expect(parse(text), text).toEqual(query);
    }
  });

  it('round-trips random queries built from awkward characters', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = [
      'a',
      'Z',
      '9',
      '_',
      '-',
      ':',
      ',',
      '"',
      '\\',
      '(',
      ')',
      ' ',
      '!',
      '/',
      '.',
      'é',
      '|',
      '&',
    ];
    const word = () => {
      let out = '';
      for (let n = 1 + rand(6); n > 0; n--) out += alphabet[rand(alphabet.length)];
      return out.trim();
    };
    const fields: FilterField[] = ['state', 'function', 'type', 'node', 'model'];
    for (let i = 0; i < 500; i++) {
      let query = emptyTaskQuery();
      for (let n = rand(5); n > 0; n--) {
        const field = fields[rand(fields.length)]!;
        query = toggleValue(query, field, word(), rand(2) === 0 ? 'include' : 'exclude');
      }
      for (let n = rand(3); n > 0; n--) {
        const w = word();
        if (w !== '' && !query.text.includes(w) && !query.excludeText.includes(w)) {
          (rand(2) === 0 ? query.text : query.excludeText).push(w);
        }
      }
      if (rand(4) === 0) (rand(2) === 0 ? query.is.include : query.is.exclude).push('stale');
      for (let n = rand(3); n > 0; n--) {
        const fingerprint = (0x10000000 + rand(0xefffffff)).toString(16);
        const other =
          query.failure.include.includes(fingerprint) || query.failure.exclude.includes(fingerprint);
        if (!other) (rand(2) === 0 ? query.failure.include : query.failure.exclude).push(fingerprint);
      }
      const text = formatTaskQuery(query);
      expect(parse(text), text).toEqual(query);
    }
  });

  it('round-trips typed text to its canonical form, which is stable', () => {
    for (const input of [
      'state:failed  function:kmeans,text_embedding -type:deploy_model model:"m 1" node:n1 "read timed out" -heap AND x',
      'https://a.b/c 10.0.0.1:9300 loadModel(DLModel.java:247) "quoted \\" quote"',
    ]) {
      const once = formatTaskQuery(parse(input));
      expect(formatTaskQuery(parse(once))).toBe(once);
      expect(parse(once)).toEqual(parse(input));
    }
  });
});

describe('editing', () => {
  it('setFieldSelection replaces one field, normalising, de-duplicating, and letting include win', () => {
    const start = parse('state:FAILED -function:KMEANS model:m1 timeout');
    const next = setFieldSelection(
      start,
      'state',
      ['running', 'RUNNING', 'created'],
      ['failed', 'RUNNING', ''],
    );
    expect(next).toEqual(
      q({
        include: { state: ['RUNNING', 'CREATED'], model: ['m1'] },
        exclude: { state: ['FAILED'], function: ['KMEANS'] },
        text: ['timeout'],
      }),
    );
    // The input is left alone.
    expect(start.include.state).toEqual(['FAILED']);
    expect(formatTaskQuery(next)).toBe(
      'state:RUNNING,CREATED -state:FAILED -function:KMEANS model:m1 timeout',
    );
  });

  it('setFieldSelection keeps ids as given and can clear a field', () => {
    const next = setFieldSelection(parse('node:a'), 'node', ['Node-B', 'Node-B'], ['node-b']);
    expect(next.include.node).toEqual(['Node-B']);
    expect(next.exclude.node).toEqual(['node-b']);
    expect(isEmptyQuery(setFieldSelection(parse('node:a -node:b'), 'node', [], []))).toBe(true);
  });

  it('toggleValue moves one value between include, exclude and off', () => {
    let query = parse('state:FAILED,RUNNING');
    query = toggleValue(query, 'state', 'failed', 'exclude');
    expect([query.include.state, query.exclude.state]).toEqual([['RUNNING'], ['FAILED']]);
    query = toggleValue(query, 'state', 'FAILED', 'include');
    expect([query.include.state, query.exclude.state]).toEqual([['RUNNING', 'FAILED'], []]);
    query = toggleValue(query, 'state', 'FAILED', 'include');
    expect(query.include.state).toEqual(['RUNNING', 'FAILED']);
    query = toggleValue(query, 'state', 'running', 'off');
    expect([query.include.state, query.exclude.state]).toEqual([['FAILED'], []]);
    query = toggleValue(query, 'model', 'M1', 'exclude');
    expect(formatTaskQuery(query)).toBe('state:FAILED -model:M1');
    query = toggleValue(toggleValue(query, 'state', 'FAILED', 'off'), 'model', 'M1', 'off');
    expect(isEmptyQuery(query)).toBe(true);
  });

  it('isEmptyQuery notices any filter or text', () => {
    expect(isEmptyQuery(emptyTaskQuery())).toBe(true);
    for (const input of [
      'state:FAILED',
      '-node:x',
      'word',
      '-word',
      'is:stale',
      '-is:stale',
      'failure:0123abcd',
    ])
      expect(isEmptyQuery(parse(input))).toBe(false);
  });
});

describe('is: and failure:', () => {
  const FP = '3fa2c91b0d4e5a17';

  it('parses is:stale and its negation, in any case', () => {
    expect(parse('is:stale')).toEqual(q({ is: { include: ['stale'] } }));
    expect(parse('IS:Stale')).toEqual(q({ is: { include: ['stale'] } }));
    expect(parse('is:"stale"')).toEqual(q({ is: { include: ['stale'] } }));
    expect(parse('state:RUNNING -is:stale')).toEqual(
      q({ include: { state: ['RUNNING'] }, is: { exclude: ['stale'] } }),
    );
    expect(parse('is:stale is:stale').is.include).toEqual(['stale']);
  });

  it('parses failure fingerprints as lower-case hex, several of them meaning either', () => {
    expect(parse(`failure:${FP.toUpperCase()}`)).toEqual(q({ failure: { include: [FP] } }));
    expect(parse(`failure:${FP},0123abcd -failure:fedcba9876543210`)).toEqual(
      q({ failure: { include: [FP, '0123abcd'], exclude: ['fedcba9876543210'] } }),
    );
  });

  it('leaves the words themselves and quoted forms as text', () => {
    expect(parse('is stale failure')).toEqual(q({ text: ['is', 'stale', 'failure'] }));
    expect(parse('"is:stale"')).toEqual(q({ text: ['is:stale'] }));
  });

  it('refuses what it does not know, pointing at the value', () => {
    for (const [input, message, text] of [
      ['is:failed', 'Unknown "is:failed": the query bar knows is:stale', 'failed'],
      ['state:FAILED -is:Stuck', 'Unknown "is:Stuck": the query bar knows is:stale', 'Stuck'],
      ['is:stale,old', 'Unknown "is:old": the query bar knows is:stale', 'old'],
      ['is:', '"is:" needs a value, e.g. is:stale', 'is:'],
      ['-failure:', '"failure:" needs a value, e.g. failure:<fingerprint>', '-failure:'],
      [
        'failure:oom',
        `"failure:" takes a failure group's fingerprint, 8 to 16 hex digits (0-9, a-f) as the failure groups show it, e.g. failure:3fa2c91b0d4e5a17`,
        'oom',
      ],
      ['failure:1234567', undefined, '1234567'],
      ['failure:0123456789abcdef0', undefined, '0123456789abcdef0'],
      [`failure:${FP},xyz12345`, undefined, 'xyz12345'],
      ['is:stale -is:stale', 'is:stale is both included and excluded: keep one of the two', 'stale'],
      [
        `failure:${FP} -failure:${FP}`,
        `failure:${FP} is both included and excluded: keep one of the two`,
        FP,
      ],
    ] as Array<[string, string | undefined, string]>) {
      const e = parseError(input);
      if (message) expect(e.message, input).toBe(message);
      else expect(e.message, input).toMatch(/^"failure:" takes a failure group's fingerprint/);
      expect(e.text, input).toBe(text);
    }
  });

  it('prints them after the fields and before the free text, and reads them back', () => {
    const query = parse(`timeout -failure:${FP} state:FAILED -is:stale failure:0123abcd`);
    const text = formatTaskQuery(query);
    expect(text).toBe(`state:FAILED -is:stale failure:0123abcd -failure:${FP} timeout`);
    expect(parse(text)).toEqual(query);
  });

  it('lists both in the help', () => {
    const examples = QUERY_HELP.map((h) => h.example);
    expect(examples).toContain('is:stale');
    expect(examples.some((e) => /^failure:[0-9a-f]{8,16}$/.test(e))).toBe(true);
    // Every example the help gives parses.
    for (const { example } of QUERY_HELP) {
      if (!example.startsWith('<')) expect(parseTaskQuery(example).ok, example).toBe(true);
    }
  });
});
