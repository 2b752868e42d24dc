// Translates OpenSearch `query_string` and `simple_query_string` text into plain query DSL for the stand-in's evaluator.
//
// query_string is a port of Lucene's classic QueryParser (QueryParser.jj and the JavaCC code generated from it) plus
// OpenSearch's QueryStringQueryParser overrides. The parser keeps JavaCC's error bookkeeping (jj_la1, lookahead
// rescans, its quirky de-duplication) because clients show the `Cannot parse` text to users and a real cluster's
// wording is part of the API the stand-in imitates. simple_query_string is a port of Lucene's SimpleQueryParser.
//
// Choices worth knowing (each mirrors what OpenSearch does unless it says otherwise):
// - Precedence is Lucene's, not boolean algebra: clauses form one flat list and AND/OR only adjust the clause next to
//   them. `a AND b OR c` gives must [a, b] + should [c]; `a OR b AND c` gives should [a] + must [b, c].
// - Adjacent plain terms without a field or operator are analysed together, as OpenSearch does since 6.0: `out of
//   memory` becomes one match on "out of memory", so `state:(FAILED RUNNING)` looks for the single keyword
//   "FAILED RUNNING" (write `FAILED OR RUNNING`).
// - A boolean group made only of negative clauses gets `filter: match_all` (OpenSearch's fixNegativeQueryIfNeeded
//   uses FILTER, so such documents score 0), at every nesting level.
// - A field prefix binds only the next term or group: `state:FAILED RUNNING` searches RUNNING in the default fields.
// - Boosts (`^2`), fuzziness (`~2`) and phrase slop (`"a b"~3`) are parsed and dropped: the term becomes an exact
//   match or phrase. Top-level `boost` and `analyze_wildcard` are ignored as well.
// - A field pattern needs its `*` escaped (`worker\*:x`), as on a real cluster; unescaped `worker*:x` is a parse error
//   there and here. Patterns reach the DSL unchanged: multi_match for text, prefix (as phrase_prefix) and phrases;
//   the field key of exists, wildcard, regexp and range otherwise.
// - A trailing-`*` term is a `prefix` on each concrete field; over a pattern such as the default `*` it becomes
//   multi_match type phrase_prefix, because the DSL has no multi-field prefix query; the evaluator runs that one as a
//   prefix query per field (see CompileContext.fromQueryString in dsl.ts).
// - Wildcard, prefix, regexp and range text reaches the DSL as written; the evaluator lower-cases it on text fields,
//   as OpenSearch passes it through the field's normalize(): `error:*OutOfMemory*` finds java.lang.OutOfMemoryError,
//   where the DSL wildcard `*OutOfMemory*` does not.
// - `lenient` defaults to true when searching every field (`*`), false otherwise, as OpenSearch decides it.

export type Dsl = Record<string, unknown>;

export interface QueryStringOptions {
  query: string;
  /** Default '*'. */
  default_field?: string;
  /** Overrides default_field; `name^2` weights are accepted and ignored. */
  fields?: string[];
  /** Default OR. */
  default_operator?: 'OR' | 'AND' | 'or' | 'and';
  analyze_wildcard?: boolean;
  lenient?: boolean;
  boost?: number;
}

export interface OpenSearchErrorCause {
  type: string;
  reason: string;
  caused_by?: OpenSearchErrorCause;
}

/**
 * A query_string OpenSearch would refuse. `message` is the `parse_exception` reason a cluster reports
 * ("Cannot parse '<query>': <detail>"); `toErrorCause()` gives the whole `caused_by` chain.
 */
export class QueryStringParseError extends Error {
  override readonly name = 'QueryStringParseError';
  /** The query text as sent. */
  readonly query: string;
  /** Lucene's own message, e.g. `Encountered "<EOF>" at line 1, column 6.` followed by what it expected. */
  readonly detail: string;
  /** Reason of the outer `query_shard_exception`. */
  readonly reason: string;
  /** Innermost cause: `parse_exception`, `token_mgr_error` (lexical errors) or `too_many_clauses`. */
  readonly causeType: string;
  readonly causeReason: string;

  constructor(query: string, detail: string, causeType = 'parse_exception', causeReason = detail) {
    super(`Cannot parse '${query}': ${detail}`);
    this.query = query;
    this.detail = detail;
    this.reason = `Failed to parse query [${query}]`;
    this.causeType = causeType;
    this.causeReason = causeReason;
  }

  toErrorCause(): OpenSearchErrorCause {
    return {
      type: 'query_shard_exception',
      reason: this.reason,
      caused_by: {
        type: 'parse_exception',
        reason: this.message,
        caused_by: { type: this.causeType, reason: this.causeReason },
      },
    };
  }
}

// ---------- where clauses search ----------

interface SearchContext {
  /** Lucene's default `field`: null when `fields` was given, OpenSearch then searches that list instead. */
  readonly field: string | null;
  /** Fields a clause searches when `field` is null. */
  readonly targets: readonly string[];
  readonly and: boolean;
  readonly lenient: boolean;
}

function withoutWeight(field: string): string {
  const caret = field.indexOf('^');
  return caret === -1 ? field : field.slice(0, caret);
}

function resolveContext(opts: QueryStringOptions): SearchContext {
  const and = String(opts.default_operator ?? 'OR').toUpperCase() === 'AND';
  const fields = Array.isArray(opts.fields) ? opts.fields.map((f) => withoutWeight(String(f))) : [];
  if (fields.length > 0)
    return { field: null, targets: fields, and, lenient: opts.lenient ?? fields.includes('*') };
  const field = opts.default_field ?? '*';
  return { field, targets: [field], and, lenient: opts.lenient ?? field === '*' };
}

// ---------- DSL leaves ----------

function isPattern(field: string): boolean {
  return field.includes('*');
}

function soleConcreteField(targets: readonly string[]): string | null {
  const only = targets.length === 1 ? targets[0]! : null;
  return only !== null && !isPattern(only) ? only : null;
}

/** OpenSearch builds a disjunction when one clause spans several fields; a should-only bool matches the same docs. */
function anyOf(queries: Dsl[]): Dsl {
  return queries.length === 1 ? queries[0]! : { bool: { should: queries } };
}

function operatorOf(ctx: SearchContext): Dsl {
  return ctx.and ? { operator: 'and' } : {};
}

function textLeaf(ctx: SearchContext, targets: readonly string[], text: string): Dsl {
  const only = soleConcreteField(targets);
  if (only === '_id') return { ids: { values: [text] } };
  if (only !== null)
    return {
      match: { [only]: { query: text, ...operatorOf(ctx), ...(ctx.lenient ? { lenient: true } : {}) } },
    };
  return { multi_match: { query: text, fields: [...targets], ...operatorOf(ctx), lenient: ctx.lenient } };
}

function phraseLeaf(ctx: SearchContext, targets: readonly string[], text: string): Dsl {
  const only = soleConcreteField(targets);
  if (only === '_id') return { ids: { values: [text] } };
  if (only !== null) return { match_phrase: { [only]: { query: text } } };
  return { multi_match: { query: text, fields: [...targets], type: 'phrase', lenient: ctx.lenient } };
}

function prefixLeaf(ctx: SearchContext, targets: readonly string[], text: string): Dsl {
  const queries: Dsl[] = targets
    .filter((f) => !isPattern(f))
    .map((f) => ({ prefix: { [f]: { value: text } } }));
  const patterns = targets.filter(isPattern);
  if (patterns.length > 0) {
    queries.push({
      multi_match: { query: text, fields: patterns, type: 'phrase_prefix', lenient: ctx.lenient },
    });
  }
  return anyOf(queries);
}

function existsLeaf(field: string): Dsl {
  return { exists: { field } };
}

function rangeLeaf(
  targets: readonly string[],
  lo: string | null,
  hi: string | null,
  incLo: boolean,
  incHi: boolean,
): Dsl {
  // An unbounded range matches every value, which is what exists asks without the evaluator special-casing it.
  if (lo === null && hi === null) return anyOf(targets.map(existsLeaf));
  const bounds: Dsl = {};
  if (lo !== null) bounds[incLo ? 'gte' : 'gt'] = lo;
  if (hi !== null) bounds[incHi ? 'lte' : 'lt'] = hi;
  return anyOf(targets.map((f) => ({ range: { [f]: { ...bounds } } })));
}

// ---------- boolean trees ----------

type Occur = 'must' | 'should' | 'must_not' | 'filter';

interface BoolClause {
  occur: Occur;
  query: QueryNode;
}

/** Parsers build Lucene-like trees first because both grammars edit clauses after adding them. */
type QueryNode =
  { readonly kind: 'leaf'; readonly dsl: Dsl } | { readonly kind: 'bool'; readonly clauses: BoolClause[] };

function leaf(dsl: Dsl): QueryNode {
  return { kind: 'leaf', dsl };
}

function boolNode(clauses: BoolClause[]): QueryNode {
  return { kind: 'bool', clauses };
}

function toDsl(node: QueryNode): Dsl {
  if (node.kind === 'leaf') return node.dsl;
  const bool: Record<string, Dsl[]> = {};
  for (const c of node.clauses) (bool[c.occur] ??= []).push(toDsl(c.query));
  return { bool };
}

/** Java's String.trim(): strips code units up to U+0020 only, so a lone U+3000 is still parsed (and fails). */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

// ---------- classic parser: tokens ----------

const T = {
  EOF: 0,
  SKIP: 7,
  AND: 8,
  OR: 9,
  NOT: 10,
  PLUS: 11,
  MINUS: 12,
  BAREOPER: 13,
  LPAREN: 14,
  RPAREN: 15,
  COLON: 16,
  STAR: 17,
  CARAT: 18,
  QUOTED: 19,
  TERM: 20,
  FUZZY_SLOP: 21,
  PREFIXTERM: 22,
  WILDTERM: 23,
  REGEXPTERM: 24,
  RANGEIN_START: 25,
  RANGEEX_START: 26,
  NUMBER: 27,
  RANGE_TO: 28,
  RANGEIN_END: 29,
  RANGEEX_END: 30,
  RANGE_QUOTED: 31,
  RANGE_GOOP: 32,
} as const;

// prettier-ignore
const TOKEN_IMAGE = [
  '<EOF>', '<_NUM_CHAR>', '<_ESCAPED_CHAR>', '<_TERM_START_CHAR>', '<_TERM_CHAR>', '<_WHITESPACE>', '<_QUOTED_CHAR>',
  '<token of kind 7>', '<AND>', '<OR>', '<NOT>', '"+"', '"-"', '<BAREOPER>', '"("', '")"', '":"', '"*"', '"^"',
  '<QUOTED>', '<TERM>', '<FUZZY_SLOP>', '<PREFIXTERM>', '<WILDTERM>', '<REGEXPTERM>', '"["', '"{"', '<NUMBER>',
  '"TO"', '"]"', '"}"', '<RANGE_QUOTED>', '<RANGE_GOOP>',
];

// Lexical states, numbered as JavaCC numbered them: the number shows up in lexical error messages.
const LEX_BOOST = 0;
const LEX_RANGE = 1;
const LEX_DEFAULT = 2;

const NEXT_LEX_STATE: Partial<Record<number, number>> = {
  [T.CARAT]: LEX_BOOST,
  [T.RANGEIN_START]: LEX_RANGE,
  [T.RANGEEX_START]: LEX_RANGE,
  [T.NUMBER]: LEX_DEFAULT,
  [T.RANGEIN_END]: LEX_DEFAULT,
  [T.RANGEEX_END]: LEX_DEFAULT,
};

interface Token {
  kind: number;
  image: string;
  /** Offset in the query; Lucene's FastCharStream reports it as the "column" (and the line as always 1). */
  begin: number;
  next: Token | null;
}

class LuceneParseException extends Error {}
class LuceneLexicalError extends Error {}
class LuceneTooManyClauses extends Error {}

/** JavaCC's addEscapes, used for every token image or prefix quoted in an error. */
function addEscapes(text: string): string {
  const named: Record<string, string> = {
    '\b': '\\b',
    '\t': '\\t',
    '\n': '\\n',
    '\f': '\\f',
    '\r': '\\r',
    '"': '\\"',
    "'": "\\'",
    '\\': '\\\\',
  };
  let out = '';
  for (const ch of text.split('')) {
    const code = ch.charCodeAt(0);
    out += named[ch] ?? (code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : ch);
  }
  return out;
}

const WHITESPACE = ' \t\n\r\u3000';
const NOT_TERM_START = ' \t\n\r\u3000+-!():^[]"{}~*?\\/';

function isWhitespace(ch: string): boolean {
  return ch !== '' && WHITESPACE.includes(ch);
}

/** End of one _TERM_START_CHAR (an escape counts as one) at i, or -1. */
function termStartEnd(s: string, i: number): number {
  const ch = s.charAt(i);
  if (ch === '') return -1;
  if (ch === '\\') return i + 1 < s.length ? i + 2 : -1;
  return NOT_TERM_START.includes(ch) ? -1 : i + 1;
}

function termCharEnd(s: string, i: number): number {
  const ch = s.charAt(i);
  return ch === '-' || ch === '+' ? i + 1 : termStartEnd(s, i);
}

function termCharsEnd(s: string, i: number): number {
  let j = i;
  for (let next = termCharEnd(s, j); next !== -1; next = termCharEnd(s, j)) j = next;
  return j;
}

function quotedLength(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const ch = s.charAt(j);
    if (ch === '\\') {
      if (j + 1 >= s.length) return -1;
      j++;
    } else if (ch === '"') return j + 1 - i;
  }
  return -1;
}

/**
 * Longest match of `open (~[close] | "\\" close)* close` with at least `minContent` characters inside: a closing
 * character preceded by a backslash may either end the token or continue it, and JavaCC keeps the longest reading.
 */
function delimitedLength(s: string, i: number, close: string, minContent: number): number {
  let best = -1;
  for (let j = i + 1; j < s.length; j++) {
    if (s.charAt(j) !== close) continue;
    if (j - i - 1 >= minContent) best = j + 1 - i;
    if (!(j - 1 > i && s.charAt(j - 1) === '\\')) break;
  }
  return best;
}

function wildTermLength(s: string, i: number): number {
  const first = s.charAt(i);
  let j = first === '*' || first === '?' ? i + 1 : termStartEnd(s, i);
  if (j === -1) return -1;
  for (;;) {
    const ch = s.charAt(j);
    if (ch === '*' || ch === '?') j++;
    else {
      const next = termCharEnd(s, j);
      if (next === -1) return j - i;
      j = next;
    }
  }
}

/** [kind, length] pairs of every DEFAULT-state token that matches at i. */
function defaultCandidates(s: string, i: number): Array<[number, number]> {
  const ch = s.charAt(i);
  const found: Array<[number, number]> = [];
  const single: Record<string, number> = {
    '+': T.PLUS,
    '-': T.MINUS,
    '(': T.LPAREN,
    ')': T.RPAREN,
    ':': T.COLON,
    '*': T.STAR,
    '^': T.CARAT,
    '[': T.RANGEIN_START,
    '{': T.RANGEEX_START,
    '!': T.NOT,
  };
  if (isWhitespace(ch)) found.push([T.SKIP, 1]);
  if (s.startsWith('AND', i)) found.push([T.AND, 3]);
  else if (s.startsWith('&&', i)) found.push([T.AND, 2]);
  if (s.startsWith('OR', i) || s.startsWith('||', i)) found.push([T.OR, 2]);
  if (s.startsWith('NOT', i)) found.push([T.NOT, 3]);
  const kind = single[ch];
  if (kind !== undefined) found.push([kind, 1]);
  if ((ch === '+' || ch === '-' || ch === '!') && isWhitespace(s.charAt(i + 1))) found.push([T.BAREOPER, 2]);
  if (ch === '"') found.push([T.QUOTED, quotedLength(s, i)]);
  const start = termStartEnd(s, i);
  if (start !== -1) {
    const end = termCharsEnd(s, start);
    found.push([T.TERM, end - i]);
    if (s.charAt(end) === '*') found.push([T.PREFIXTERM, end + 1 - i]);
  }
  if (ch === '~') found.push([T.FUZZY_SLOP, termCharsEnd(s, i + 1) - i]);
  found.push([T.WILDTERM, wildTermLength(s, i)]);
  if (ch === '/') found.push([T.REGEXPTERM, delimitedLength(s, i, '/', 0)]);
  return found;
}

function rangeCandidates(s: string, i: number): Array<[number, number]> {
  const ch = s.charAt(i);
  const found: Array<[number, number]> = [];
  if (isWhitespace(ch)) found.push([T.SKIP, 1]);
  if (s.startsWith('TO', i)) found.push([T.RANGE_TO, 2]);
  if (ch === ']') found.push([T.RANGEIN_END, 1]);
  if (ch === '}') found.push([T.RANGEEX_END, 1]);
  if (ch === '"') found.push([T.RANGE_QUOTED, delimitedLength(s, i, '"', 1)]);
  let j = i;
  while (j < s.length && !' ]}'.includes(s.charAt(j))) j++;
  found.push([T.RANGE_GOOP, j - i]);
  return found;
}

function boostCandidates(s: string, i: number): Array<[number, number]> {
  const match = /^[0-9]+(?:\.[0-9]+)?/.exec(s.slice(i));
  return match ? [[T.NUMBER, match[0].length]] : [];
}

/** JavaCC's token manager: longest match wins, ties go to the token declared first (the lower kind). */
class ClassicLexer {
  private pos = 0;
  private state = LEX_DEFAULT;

  constructor(private readonly input: string) {}

  next(): Token {
    for (;;) {
      const start = this.pos;
      if (start >= this.input.length) return { kind: T.EOF, image: '', begin: this.input.length, next: null };
      const candidates =
        this.state === LEX_DEFAULT
          ? defaultCandidates(this.input, start)
          : this.state === LEX_RANGE
            ? rangeCandidates(this.input, start)
            : boostCandidates(this.input, start);
      let best: [number, number] | null = null;
      for (const c of candidates)
        if (c[1] > 0 && (best === null || c[1] > best[1] || (c[1] === best[1] && c[0] < best[0]))) best = c;
      if (best === null) throw this.lexicalError(start);
      const [kind, length] = best;
      this.pos = start + length;
      if (kind === T.SKIP) continue;
      this.state = NEXT_LEX_STATE[kind] ?? this.state;
      return { kind, image: this.input.slice(start, this.pos), begin: start, next: null };
    }
  }

  /** Reproduces where JavaCC's NFA gave up, which decides the column, the prefix and whether it reports <EOF>. */
  private lexicalError(start: number): LuceneLexicalError {
    const s = this.input;
    const ch = s.charAt(start);
    // An opening quote or slash keeps the NFA reading to the end; a lone trailing backslash is already at the end.
    const readToEnd = this.state === LEX_DEFAULT && (ch === '"' || ch === '/' || ch === '\\');
    const consumed = readToEnd && ch !== '\\' ? s.length - start : 1;
    const last = start + consumed - 1;
    const lastChar = s.charAt(last);
    const eofSeen = readToEnd || last + 1 >= s.length;
    let line = 1;
    let column = last + 1;
    let after = '';
    if (eofSeen) {
      if (consumed > 1) after = s.slice(start, last + 1);
      if (lastChar === '\n' || lastChar === '\r') {
        line++;
        column = 0;
      } else column++;
    }
    const encountered = eofSeen ? '<EOF>' : `'${addEscapes(lastChar)}' (${lastChar.charCodeAt(0)}),`;
    const prefix = after ? ` after prefix "${addEscapes(after)}"` : '';
    const state = this.state === 0 ? '' : ` (in lexical state ${this.state})`;
    return new LuceneLexicalError(
      `Lexical error at line ${line}, column ${column}.  Encountered: ${encountered}${prefix}${state}`,
    );
  }
}

// ---------- classic parser: grammar ----------

const CONJ_NONE = 0;
const CONJ_AND = 1;
const CONJ_OR = 2;
const MOD_NONE = 0;
const MOD_NOT = 10;
const MOD_REQ = 11;

// The generated parser's jj_la1_0 / jj_la1_1 tables: the tokens each recorded choice point could have accepted.
const LA1_0 = [
  0x300, 0x300, 0x1c00, 0x1c00, 0xfda7c00, 0xfda7f00, 0xfda7f00, 0x120000, 0x40000, 0xfda6000, 0x9d22000,
  0x200000, 0x40000, 0x240000, 0x240000, 0x6000000, 0x90000000, 0x90000000, 0x60000000, 0x40000, 0x200000,
  0x40000, 0x240000, 0x240000, 0xfda2000,
];
const LA1_1 = LA1_0.map((_, i) => (i === 16 || i === 17 ? 0x1 : 0));

function choiceAccepts(choice: number, kind: number): boolean {
  return kind < 32 ? (LA1_0[choice]! & (1 << kind)) !== 0 : (LA1_1[choice]! & (1 << (kind - 32))) !== 0;
}

const DISALLOWED_AFTER_MULTI_TERM: readonly number[] = [T.COLON, T.STAR, T.FUZZY_SLOP, T.CARAT, T.AND, T.OR];

interface LookaheadCall {
  gen: number;
  first: Token | null;
  arg: number;
  next: LookaheadCall | null;
}

const LOOKAHEAD_SUCCESS = new Error('lookahead success');

/** What the grammar calls back into; kept apart so the port of the generated code stays recognisable. */
interface ClassicSemantics {
  unescape(text: string): string;
  addClause(clauses: BoolClause[], conj: number, mods: number, q: QueryNode | null): void;
  addMultiTermClauses(clauses: BoolClause[], q: QueryNode | null): void;
  booleanQuery(clauses: BoolClause[]): QueryNode | null;
  fieldQuery(field: string | null, text: string): QueryNode | null;
  bareToken(field: string | null, term: Token, fuzzy: boolean): QueryNode | null;
  quoted(field: string | null, term: Token): QueryNode | null;
  range(
    field: string | null,
    lo: Token,
    hi: Token,
    startInclusive: boolean,
    endInclusive: boolean,
  ): QueryNode | null;
}

/** Port of Lucene's generated QueryParser, including the state its error messages are computed from. */
class ClassicParser {
  private token: Token = { kind: T.EOF, image: '', begin: 0, next: null };
  private nextKind = -1;
  private gen = 0;
  private readonly la1 = LA1_0.map(() => -1);
  private readonly calls: LookaheadCall[] = [0, 1, 2].map(() => ({
    gen: 0,
    first: null,
    arg: 0,
    next: null,
  }));
  private scanpos: Token = this.token;
  private lastpos: Token = this.token;
  private la = 0;
  private lookingAhead = false;
  private rescanning = false;
  private failedKind = -1;
  private expected: number[][] = [];
  private readonly lastTokens: number[] = [];
  private endpos = 0;

  constructor(
    private readonly lexer: ClassicLexer,
    private readonly sem: ClassicSemantics,
  ) {}

  topLevelQuery(field: string | null): QueryNode | null {
    const q = this.query(field);
    this.consume(T.EOF);
    return q;
  }

  private conjunction(): number {
    const kind = this.peek();
    if (kind === T.AND || kind === T.OR) {
      this.consume(kind);
      return kind === T.AND ? CONJ_AND : CONJ_OR;
    }
    this.la1[1] = this.gen;
    return CONJ_NONE;
  }

  private modifiers(): number {
    const kind = this.peek();
    if (kind === T.PLUS) {
      this.consume(T.PLUS);
      return MOD_REQ;
    }
    if (kind === T.MINUS || kind === T.NOT) {
      this.consume(kind);
      return MOD_NOT;
    }
    this.la1[3] = this.gen;
    return MOD_NONE;
  }

  private query(field: string | null): QueryNode | null {
    const clauses: BoolClause[] = [];
    let first: QueryNode | null = null;
    if (this.lookahead(0, 2, () => this.scanMultiTerm())) {
      first = this.multiTerm(field, clauses);
    } else if (choiceAccepts(4, this.peek())) {
      const mods = this.modifiers();
      const q = this.clause(field);
      this.sem.addClause(clauses, CONJ_NONE, mods, q);
      if (mods === MOD_NONE) first = q;
    } else {
      this.la1[4] = this.gen;
      this.fail();
    }
    for (;;) {
      if (!choiceAccepts(5, this.peek())) {
        this.la1[5] = this.gen;
        break;
      }
      if (this.lookahead(1, 2, () => this.scanMultiTerm())) {
        this.multiTerm(field, clauses);
      } else if (choiceAccepts(6, this.peek())) {
        const conj = this.conjunction();
        const mods = this.modifiers();
        const q = this.clause(field);
        this.sem.addClause(clauses, conj, mods, q);
      } else {
        this.la1[6] = this.gen;
        this.fail();
      }
    }
    return clauses.length === 1 && first !== null ? first : this.sem.booleanQuery(clauses);
  }

  private clause(field: string | null): QueryNode | null {
    let target = field;
    if (this.lookahead(2, 2, () => this.scanFieldPrefix())) {
      if (this.peek() === T.TERM) {
        const name = this.consume(T.TERM);
        this.consume(T.COLON);
        target = this.sem.unescape(name.image);
      } else {
        this.consume(T.STAR);
        this.consume(T.COLON);
        target = '*';
      }
    }
    const kind = this.peek();
    if (kind === T.LPAREN) {
      this.consume(T.LPAREN);
      const q = this.query(target);
      this.consume(T.RPAREN);
      this.optionalBoost(8);
      return q;
    }
    if (choiceAccepts(9, kind)) return this.term(target);
    this.la1[9] = this.gen;
    return this.fail();
  }

  /** `^N`, parsed for its syntax only: the stand-in does not score by boosts. */
  private optionalBoost(choice: number): void {
    if (this.peek() === T.CARAT) {
      this.consume(T.CARAT);
      this.consume(T.NUMBER);
    } else this.la1[choice] = this.gen;
  }

  /** The optional `^N` and `~N` after a term or phrase, in either order; true when a `~` was present. */
  private boostAndSlop(afterBoost: number, afterSlop: number, neither: number): boolean {
    const kind = this.peek();
    if (kind === T.CARAT) {
      this.consume(T.CARAT);
      this.consume(T.NUMBER);
      if (this.peek() === T.FUZZY_SLOP) {
        this.consume(T.FUZZY_SLOP);
        return true;
      }
      this.la1[afterBoost] = this.gen;
      return false;
    }
    if (kind === T.FUZZY_SLOP) {
      this.consume(T.FUZZY_SLOP);
      this.optionalBoost(afterSlop);
      return true;
    }
    this.la1[neither] = this.gen;
    return false;
  }

  private term(field: string | null): QueryNode | null {
    const kind = this.peek();
    if (kind === T.RANGEIN_START || kind === T.RANGEEX_START) return this.rangeTerm(field, kind);
    if (kind === T.QUOTED) {
      const term = this.consume(T.QUOTED);
      this.boostAndSlop(20, 21, 23);
      return this.sem.quoted(field, term);
    }
    if (choiceAccepts(24, kind)) {
      const term = this.consume(kind);
      const fuzzy = this.boostAndSlop(11, 12, 14);
      return this.sem.bareToken(field, term, fuzzy);
    }
    this.la1[24] = this.gen;
    return this.fail();
  }

  private rangeTerm(field: string | null, open: number): QueryNode | null {
    this.consume(open);
    const lo = this.rangeBound(16);
    this.consume(T.RANGE_TO);
    const hi = this.rangeBound(17);
    const close = this.peek();
    if (close !== T.RANGEIN_END && close !== T.RANGEEX_END) {
      this.la1[18] = this.gen;
      this.fail();
    }
    this.consume(close);
    this.optionalBoost(19);
    return this.sem.range(field, lo, hi, open === T.RANGEIN_START, close === T.RANGEIN_END);
  }

  private rangeBound(choice: number): Token {
    const kind = this.peek();
    if (kind === T.RANGE_GOOP || kind === T.RANGE_QUOTED || kind === T.RANGE_TO) return this.consume(kind);
    this.la1[choice] = this.gen;
    return this.fail();
  }

  private multiTermContinues(): boolean {
    return this.getToken(1).kind === T.TERM && !DISALLOWED_AFTER_MULTI_TERM.includes(this.getToken(2).kind);
  }

  private multiTerm(field: string | null, clauses: BoolClause[]): QueryNode | null {
    let text = this.consume(T.TERM).image;
    if (!this.multiTermContinues()) this.fail();
    do text += ` ${this.consume(T.TERM).image}`;
    while (this.multiTermContinues());
    const q = this.sem.fieldQuery(field, this.sem.unescape(text));
    this.sem.addMultiTermClauses(clauses, q);
    return q;
  }

  // ----- JavaCC runtime -----

  private following(t: Token): Token {
    return t.next ?? (t.next = this.lexer.next());
  }

  private peek(): number {
    if (this.nextKind === -1) this.nextKind = this.following(this.token).kind;
    return this.nextKind;
  }

  private consume(kind: number): Token {
    const old = this.token;
    this.token = this.following(old);
    this.nextKind = -1;
    if (this.token.kind === kind) {
      this.gen++;
      return this.token;
    }
    this.token = old;
    this.failedKind = kind;
    throw this.parseException();
  }

  /** jj_consume_token(-1): no token has kind -1, so this always reports what was expected here. */
  private fail(): never {
    this.consume(-1);
    throw new Error('unreachable');
  }

  private getToken(index: number): Token {
    let t = this.lookingAhead ? this.scanpos : this.token;
    for (let i = 0; i < index; i++) t = this.following(t);
    return t;
  }

  private lookahead(index: number, depth: number, scan: () => boolean): boolean {
    this.la = depth;
    this.lastpos = this.scanpos = this.token;
    try {
      return !scan();
    } catch (e) {
      if (e === LOOKAHEAD_SUCCESS) return true;
      throw e;
    } finally {
      this.saveLookahead(index, depth);
    }
  }

  private saveLookahead(index: number, depth: number): void {
    let p = this.calls[index]!;
    while (p.gen > this.gen) {
      if (p.next === null) {
        p = p.next = { gen: 0, first: null, arg: 0, next: null };
        break;
      }
      p = p.next;
    }
    p.gen = this.gen + depth - this.la;
    p.first = this.token;
    p.arg = depth;
  }

  /** jj_scan_token: true means the token did not match. */
  private scanToken(kind: number): boolean {
    if (this.scanpos === this.lastpos) {
      this.la--;
      this.lastpos = this.scanpos = this.following(this.scanpos);
    } else {
      this.scanpos = this.following(this.scanpos);
    }
    if (this.rescanning) {
      let i = 0;
      let t: Token | null = this.token;
      while (t !== null && t !== this.scanpos) {
        i++;
        t = t.next;
      }
      if (t !== null) this.addErrorToken(kind, i);
    }
    if (this.scanpos.kind !== kind) return true;
    if (this.la === 0 && this.scanpos === this.lastpos) throw LOOKAHEAD_SUCCESS;
    return false;
  }

  /** LOOKAHEAD(2) MultiTerm: a TERM followed by another TERM that may be glued to it. */
  private scanMultiTerm(): boolean {
    if (this.scanToken(T.TERM)) return true;
    this.lookingAhead = true;
    const continues = this.multiTermContinues();
    this.lookingAhead = false;
    if (!continues) return true;
    if (this.scanToken(T.TERM)) return true;
    for (;;) {
      const saved = this.scanpos;
      if (this.scanToken(T.TERM)) {
        this.scanpos = saved;
        break;
      }
    }
    return false;
  }

  /** LOOKAHEAD(2) for `field:` or `*:`. */
  private scanFieldPrefix(): boolean {
    const saved = this.scanpos;
    if (this.scanToken(T.TERM) || this.scanToken(T.COLON)) {
      this.scanpos = saved;
      if (this.scanToken(T.STAR) || this.scanToken(T.COLON)) return true;
    }
    return false;
  }

  private rescan(): void {
    this.rescanning = true;
    const scanners = [() => this.scanMultiTerm(), () => this.scanMultiTerm(), () => this.scanFieldPrefix()];
    for (let i = 0; i < scanners.length; i++) {
      try {
        for (let p: LookaheadCall | null = this.calls[i]!; p !== null; p = p.next) {
          if (p.gen > this.gen && p.first !== null) {
            this.la = p.arg;
            this.lastpos = this.scanpos = p.first;
            scanners[i]!();
          }
        }
      } catch (e) {
        if (e !== LOOKAHEAD_SUCCESS) throw e;
      }
    }
    this.rescanning = false;
  }

  /** jj_add_error_token, bug included: a sequence is appended only when an equal one already exists. */
  private addErrorToken(kind: number, pos: number): void {
    if (pos >= 100) return;
    if (pos === this.endpos + 1) {
      this.lastTokens[this.endpos++] = kind;
    } else if (this.endpos !== 0) {
      const entry = this.lastTokens.slice(0, this.endpos);
      if (this.expected.some((old) => old.length === entry.length && old.every((k, i) => k === entry[i]))) {
        this.expected.push(entry);
      }
      if (pos !== 0) this.lastTokens[(this.endpos = pos) - 1] = kind;
    }
  }

  private parseException(): LuceneParseException {
    this.expected = [];
    const accepted = new Array<boolean>(TOKEN_IMAGE.length).fill(false);
    if (this.failedKind >= 0) {
      accepted[this.failedKind] = true;
      this.failedKind = -1;
    }
    this.la1.forEach((gen, choice) => {
      if (gen !== this.gen) return;
      for (let kind = 0; kind < accepted.length; kind++)
        if (choiceAccepts(choice, kind)) accepted[kind] = true;
    });
    accepted.forEach((yes, kind) => yes && this.expected.push([kind]));
    this.endpos = 0;
    this.rescan();
    this.addErrorToken(0, 0);
    return new LuceneParseException(formatParseError(this.token, this.expected));
  }
}

/** ParseException.initialise from the generated code. */
function formatParseError(current: Token, sequences: number[][]): string {
  let expected = '';
  let maxSize = 0;
  for (const seq of sequences) {
    maxSize = Math.max(maxSize, seq.length);
    for (const kind of seq) expected += `${TOKEN_IMAGE[kind]} `;
    if (seq[seq.length - 1] !== 0) expected += '...';
    expected += '\n    ';
  }
  let out = 'Encountered "';
  let tok = current.next;
  for (let i = 0; i < maxSize && tok !== null; i++) {
    if (i !== 0) out += ' ';
    if (tok.kind === T.EOF) {
      out += TOKEN_IMAGE[0];
      break;
    }
    out += ` ${TOKEN_IMAGE[tok.kind]} "${addEscapes(tok.image)} "`;
    tok = tok.next;
  }
  if (current.next !== null) out += `" at line 1, column ${current.next.begin}`;
  out += '.\n';
  if (sequences.length > 0)
    out += `${sequences.length === 1 ? 'Was expecting:' : 'Was expecting one of:'}\n    ${expected}`;
  return out;
}

// ---------- classic parser: semantics (QueryParserBase + OpenSearch's QueryStringQueryParser) ----------

const MAX_CLAUSE_COUNT = 1024;

function hexValue(ch: string): number {
  const v = /^[0-9a-fA-F]$/.test(ch) ? parseInt(ch, 16) : NaN;
  if (Number.isNaN(v)) throw new LuceneParseException(`Non-hex character in Unicode escape sequence: ${ch}`);
  return v;
}

/** QueryParserBase.discardEscapeChar: drops backslashes and decodes `\uXXXX`. */
function discardEscapeChar(input: string): string {
  let out = '';
  let escaped = false;
  let multiplier = 0;
  let codePoint = 0;
  for (const ch of input.split('')) {
    if (multiplier > 0) {
      codePoint += hexValue(ch) * multiplier;
      multiplier >>>= 4;
      if (multiplier === 0) {
        out += String.fromCharCode(codePoint);
        codePoint = 0;
      }
    } else if (escaped) {
      if (ch === 'u') multiplier = 16 * 16 * 16;
      else out += ch;
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else out += ch;
  }
  if (multiplier > 0) throw new LuceneParseException('Truncated unicode escape sequence.');
  if (escaped) throw new LuceneParseException('Term can not end with escape character.');
  return out;
}

class QueryStringSemantics implements ClassicSemantics {
  constructor(private readonly ctx: SearchContext) {}

  private targets(field: string | null): readonly string[] {
    return field === null ? this.ctx.targets : [field];
  }

  unescape(text: string): string {
    return discardEscapeChar(text);
  }

  /** QueryParserBase.addClause: conjunctions rewrite the previous clause, which is where Lucene's precedence comes from. */
  addClause(clauses: BoolClause[], conj: number, mods: number, q: QueryNode | null): void {
    const previous = clauses[clauses.length - 1];
    if (previous && conj === CONJ_AND && previous.occur !== 'must_not') previous.occur = 'must';
    if (previous && this.ctx.and && conj === CONJ_OR && previous.occur !== 'must_not')
      previous.occur = 'should';
    if (q === null) return;
    const prohibited = mods === MOD_NOT;
    const required = this.ctx.and
      ? !prohibited && conj !== CONJ_OR
      : mods === MOD_REQ || (conj === CONJ_AND && !prohibited);
    clauses.push({ occur: prohibited ? 'must_not' : required ? 'must' : 'should', query: q });
  }

  addMultiTermClauses(clauses: BoolClause[], q: QueryNode | null): void {
    if (q !== null) clauses.push({ occur: this.ctx.and ? 'must' : 'should', query: q });
  }

  booleanQuery(clauses: BoolClause[]): QueryNode | null {
    if (clauses.length === 0) return null;
    if (clauses.length > MAX_CLAUSE_COUNT)
      throw new LuceneTooManyClauses(`maxClauseCount is set to ${MAX_CLAUSE_COUNT}`);
    const all = [...clauses];
    // OpenSearch's fixNegativeQueryIfNeeded: a purely negative group would otherwise match nothing.
    if (all.every((c) => c.occur === 'must_not'))
      all.push({ occur: 'filter', query: leaf({ match_all: {} }) });
    return boolNode(all);
  }

  fieldQuery(field: string | null, text: string): QueryNode {
    if (field === '_exists_') return leaf(existsLeaf(text));
    // `field:>x` and friends: only with an explicit or default field, as OpenSearch checks field != null.
    if (field !== null && text.length > 1) {
      const orEqual = text.length > 2 && text.charAt(1) === '=';
      const bound = text.slice(orEqual ? 2 : 1);
      if (text.startsWith('>')) return this.rangeQuery(field, bound, null, orEqual, true);
      if (text.startsWith('<')) return this.rangeQuery(field, null, bound, true, orEqual);
    }
    return leaf(textLeaf(this.ctx, this.targets(field), text));
  }

  bareToken(field: string | null, term: Token, fuzzy: boolean): QueryNode {
    const raw = term.kind === T.BAREOPER ? term.image.charAt(0) : term.image;
    // Lucene unescapes before looking at the term type, so a bad escape fails wildcards and regexps too.
    const text = discardEscapeChar(raw);
    switch (term.kind) {
      case T.STAR:
      case T.WILDTERM:
        return this.wildcardQuery(field, raw);
      case T.PREFIXTERM:
        return leaf(prefixLeaf(this.ctx, this.targets(field), discardEscapeChar(raw.slice(0, -1))));
      case T.REGEXPTERM:
        return leaf(
          anyOf(this.targets(field).map((f) => ({ regexp: { [f]: { value: raw.slice(1, -1) } } }))),
        );
      default:
        // A fuzzy term skips the range and _exists_ handling, as Lucene routes it to getFuzzyQuery.
        return fuzzy ? leaf(textLeaf(this.ctx, this.targets(field), text)) : this.fieldQuery(field, text);
    }
  }

  /** Wildcard patterns keep their backslashes: the wildcard query still needs them to tell `\*` from `*`. */
  private wildcardQuery(field: string | null, pattern: string): QueryNode {
    if (pattern === '*' && field !== null) return leaf(field === '*' ? { match_all: {} } : existsLeaf(field));
    const targets = this.targets(field);
    if (pattern === '*') return leaf(anyOf(targets.map(existsLeaf)));
    return leaf(anyOf(targets.map((f) => ({ wildcard: { [f]: { value: pattern } } }))));
  }

  quoted(field: string | null, term: Token): QueryNode {
    const text = discardEscapeChar(term.image.slice(1, -1));
    if (field === '_exists_') return leaf(existsLeaf(text));
    return leaf(phraseLeaf(this.ctx, this.targets(field), text));
  }

  range(
    field: string | null,
    lo: Token,
    hi: Token,
    startInclusive: boolean,
    endInclusive: boolean,
  ): QueryNode {
    const bound = (t: Token): string | null => {
      if (t.kind === T.RANGE_QUOTED) return discardEscapeChar(t.image.slice(1, -1));
      return t.image === '*' ? null : discardEscapeChar(t.image);
    };
    const from = bound(lo);
    return this.rangeQuery(field, from, bound(hi), startInclusive, endInclusive);
  }

  private rangeQuery(
    field: string | null,
    lo: string | null,
    hi: string | null,
    incLo: boolean,
    incHi: boolean,
  ): QueryNode {
    const open = (v: string | null): string | null => (v === '*' ? null : v);
    return leaf(rangeLeaf(this.targets(field), open(lo), open(hi), incLo, incHi));
  }
}

/** Translates a query_string query; throws QueryStringParseError where OpenSearch answers 400. */
export function queryStringToDsl(opts: QueryStringOptions): Dsl {
  const query = opts.query;
  if (javaTrim(query) === '') return { match_none: {} };
  const ctx = resolveContext(opts);
  let node: QueryNode | null;
  try {
    node = new ClassicParser(new ClassicLexer(query), new QueryStringSemantics(ctx)).topLevelQuery(ctx.field);
  } catch (e) {
    if (e instanceof LuceneParseException) throw new QueryStringParseError(query, e.message);
    if (e instanceof LuceneLexicalError) throw new QueryStringParseError(query, e.message, 'token_mgr_error');
    if (e instanceof LuceneTooManyClauses) {
      throw new QueryStringParseError(query, 'too many boolean clauses', 'too_many_clauses', e.message);
    }
    throw e;
  }
  // Lucene answers an empty BooleanQuery (no hits) here; an empty DSL bool would match everything instead.
  return node === null ? { match_none: {} } : toDsl(node);
}

// ---------- simple_query_string (Lucene's SimpleQueryParser) ----------

const FLAG = {
  AND: 1 << 0,
  NOT: 1 << 1,
  OR: 1 << 2,
  PREFIX: 1 << 3,
  PHRASE: 1 << 4,
  PRECEDENCE: 1 << 5,
  ESCAPE: 1 << 6,
  WHITESPACE: 1 << 7,
  FUZZY: 1 << 8,
  NEAR: 1 << 9,
} as const;

const FLAG_NAMES: Record<string, number> = { ...FLAG, SLOP: FLAG.NEAR, ALL: -1, NONE: 0 };

/**
 * OpenSearch's SimpleQueryStringFlag.resolveFlags: `|`-separated names, case-insensitive; NONE or ALL wins as soon as
 * it is seen. A real cluster rejects unknown names with 400; here they are ignored so this function never throws.
 * A number is the bit mask itself, and zero or less means ALL, as OpenSearch reads `"flags": 0`.
 */
function resolveFlags(flags: string | number | undefined): number {
  if (typeof flags === 'number') return flags <= 0 ? -1 : flags;
  if (!flags) return -1;
  let magic = 0;
  for (const name of flags.split('|')) {
    if (name === '') continue;
    const value = FLAG_NAMES[name.toUpperCase()];
    if (value === undefined) continue;
    if (value === 0 || value === -1) return value;
    magic |= value;
  }
  return magic;
}

interface SimpleState {
  index: number;
  readonly end: number;
  currentOperation: Occur | null;
  previousOperation: Occur | null;
  not: number;
  top: QueryNode | null;
}

class SimpleParser {
  private readonly defaultOperation: Occur;

  constructor(
    private readonly data: string,
    private readonly flags: number,
    private readonly ctx: SearchContext,
  ) {
    this.defaultOperation = ctx.and ? 'must' : 'should';
  }

  private on(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  parse(): QueryNode | null {
    const state: SimpleState = {
      index: 0,
      end: this.data.length,
      currentOperation: null,
      previousOperation: null,
      not: 0,
      top: null,
    };
    this.parseSubQuery(state);
    return state.top;
  }

  private isWhitespace(ch: string): boolean {
    return (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') && this.on(FLAG.WHITESPACE);
  }

  private parseSubQuery(state: SimpleState): void {
    while (state.index < state.end) {
      const ch = this.data.charAt(state.index);
      if (ch === '(' && this.on(FLAG.PRECEDENCE)) this.consumeSubQuery(state);
      else if (ch === ')' && this.on(FLAG.PRECEDENCE)) state.index++;
      else if (ch === '"' && this.on(FLAG.PHRASE)) this.consumePhrase(state);
      else if ((ch === '+' && this.on(FLAG.AND)) || (ch === '|' && this.on(FLAG.OR))) {
        // An operator only counts between two operands, and the first one given wins.
        if (state.currentOperation === null && state.top !== null)
          state.currentOperation = ch === '+' ? 'must' : 'should';
        state.index++;
      } else if (ch === '-' && this.on(FLAG.NOT)) {
        state.not++;
        state.index++;
        continue; // keep the count: only what follows directly is negated
      } else if (this.isWhitespace(ch)) state.index++;
      else this.consumeToken(state);
      state.not = 0;
    }
  }

  private consumeSubQuery(state: SimpleState): void {
    const start = ++state.index;
    let depth = 1;
    let escaped = false;
    while (state.index < state.end) {
      const ch = this.data.charAt(state.index);
      if (!escaped) {
        if (ch === '\\' && this.on(FLAG.ESCAPE)) {
          escaped = true;
          state.index++;
          continue;
        }
        if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
      }
      escaped = false;
      state.index++;
    }
    if (state.index === state.end) {
      state.index = start; // unclosed: the parenthesis is just ignored
    } else if (state.index === start) {
      state.currentOperation = null; // `()`: the pending operator had nothing to apply to
      state.index++;
    } else {
      const sub: SimpleState = {
        index: start,
        end: state.index,
        currentOperation: null,
        previousOperation: null,
        not: 0,
        top: null,
      };
      this.parseSubQuery(sub);
      this.buildQueryTree(state, sub.top);
      state.index++;
    }
  }

  private consumePhrase(state: SimpleState): void {
    const start = ++state.index;
    let text = '';
    let escaped = false;
    let hasSlop = false;
    while (state.index < state.end) {
      const ch = this.data.charAt(state.index);
      if (!escaped) {
        if (ch === '\\' && this.on(FLAG.ESCAPE)) {
          escaped = true;
          state.index++;
          continue;
        }
        if (ch === '"') {
          if (
            state.end > state.index + 1 &&
            this.data.charAt(state.index + 1) === '~' &&
            this.on(FLAG.NEAR)
          ) {
            state.index++;
            hasSlop = state.end > state.index + 1;
          }
          break;
        }
      }
      escaped = false;
      text += ch;
      state.index++;
    }
    if (state.index === state.end) {
      state.index = start; // unclosed: the quote is just ignored
    } else if (state.index === start) {
      state.currentOperation = null;
      state.index++;
    } else {
      if (hasSlop) this.skipFuzziness(state); // slop is not applied: the phrase stays exact
      this.buildQueryTree(state, leaf(phraseLeaf(this.ctx, this.ctx.targets, text)));
      state.index++;
    }
  }

  private consumeToken(state: SimpleState): void {
    let text = '';
    let escaped = false;
    let prefix = false;
    let fuzzy = false;
    while (state.index < state.end) {
      const ch = this.data.charAt(state.index);
      if (!escaped) {
        if (ch === '\\' && this.on(FLAG.ESCAPE)) {
          escaped = true;
          prefix = false;
          state.index++;
          continue;
        }
        if (this.tokenFinished(state)) break;
        if (text.length > 0 && ch === '~' && this.on(FLAG.FUZZY)) {
          fuzzy = true;
          break;
        }
        prefix = text.length > 0 && ch === '*' && this.on(FLAG.PREFIX);
      }
      escaped = false;
      text += ch;
      state.index++;
    }
    if (text.length === 0) return;
    if (fuzzy) {
      this.skipFuzziness(state); // fuzziness is not applied: the term stays exact
      this.buildQueryTree(state, leaf(textLeaf(this.ctx, this.ctx.targets, text)));
    } else if (prefix) {
      this.buildQueryTree(state, leaf(prefixLeaf(this.ctx, this.ctx.targets, text.slice(0, -1))));
    } else {
      this.buildQueryTree(state, leaf(textLeaf(this.ctx, this.ctx.targets, text)));
    }
  }

  /** parseFuzziness without the number: moves past `~N` exactly as Lucene does. */
  private skipFuzziness(state: SimpleState): void {
    if (this.data.charAt(state.index) !== '~') return;
    while (state.index < state.end) {
      state.index++;
      if (state.index < state.end && this.tokenFinished(state)) break;
    }
  }

  private tokenFinished(state: SimpleState): boolean {
    const ch = this.data.charAt(state.index);
    return (
      (ch === '"' && this.on(FLAG.PHRASE)) ||
      (ch === '|' && this.on(FLAG.OR)) ||
      (ch === '+' && this.on(FLAG.AND)) ||
      ((ch === '(' || ch === ')') && this.on(FLAG.PRECEDENCE)) ||
      this.isWhitespace(ch)
    );
  }

  /** Operators apply strictly left to right: a change of operator wraps everything so far in a new group. */
  private buildQueryTree(state: SimpleState, branch: QueryNode | null): void {
    if (branch === null) return;
    let node = branch;
    if (state.not % 2 === 1) {
      node = boolNode([
        { occur: 'must_not', query: node },
        { occur: 'should', query: leaf({ match_all: {} }) },
      ]);
    }
    if (state.top === null) {
      state.top = node;
    } else {
      const operation = (state.currentOperation ??= this.defaultOperation);
      if (state.previousOperation !== operation)
        state.top = boolNode([{ occur: operation, query: state.top }]);
      if (state.top.kind === 'bool') state.top.clauses.push({ occur: operation, query: node });
      state.previousOperation = operation;
    }
    state.currentOperation = null;
  }
}

/**
 * Translates a simple_query_string query. Never throws: like OpenSearch, it reads unbalanced quotes and parentheses
 * as plain characters. Fuzziness and phrase slop are dropped; all `flags` are honoured.
 */
export function simpleQueryStringToDsl(opts: QueryStringOptions & { flags?: string | number }): Dsl {
  const query = opts.query;
  if (javaTrim(query) === '*') return { match_all: {} };
  const ctx = resolveContext(opts);
  const top = new SimpleParser(query, resolveFlags(opts.flags), ctx).parse();
  return top === null ? { match_none: {} } : toDsl(top);
}
