// The query DSL: compiles a query clause into a matcher over document slots that returns a score, or -1.

import { isObject } from '../../shared/json';
import type { FieldType } from './mapping';
import { flatObjectRoot } from './mapping';
import type { IndexStore, KeywordColumn, Source } from './index-store';
import { compareStrings, readPath, slotsOf } from './index-store';
import {
  OpenSearchError,
  illegalArgument,
  notSupportedByStandin,
  parsingException,
  shardFailure,
} from './errors';
import { resolveDate, timeZoneOffset } from './date-math';
import { QueryStringParseError, queryStringToDsl, simpleQueryStringToDsl } from './query-string';
import { asciiLowerCase, normalize } from './analysis';

/** Returns the document's score when it matches, -1 when it does not. */
export type Matcher = ((slot: number) => number) & Bulk;

/** A predicate over slots, for the clauses that only decide whether a document matches. */
type Predicate = ((slot: number) => boolean) & Bulk;

/**
 * The bulk form of a clause that scores 0 (filter context): clears `mask[slot]` for every slot below `n` that does
 * not match. Filters over whole columns then run as tight loops over typed arrays rather than a call per document.
 */
interface Bulk {
  andInto?: (mask: Uint8Array, n: number) => void;
  /** Matches every live document (match_all, an empty bool): filtering by it can be skipped. */
  matchesAll?: boolean;
}

export interface CompileContext {
  store: IndexStore;
  now: number;
  /** Finds where a key sits in the request body, for the `line`/`col` of parse errors. */
  locate: (key: string) => { line: number; col: number } | undefined;
  /**
   * Set while compiling what query_string and simple_query_string translate to. OpenSearch builds their prefix,
   * wildcard, regexp and range queries through the field's search analyzer's normalize() (QueryStringQueryParser,
   * SimpleQueryStringQueryParser), which lower-cases on a text field, and their `x*` over several fields is a prefix
   * query per field, not an analysed phrase prefix. The DSL queries of the same names take their text as it is.
   */
  fromQueryString?: boolean;
}

const NO_MATCH: Matcher = () => -1;

/** Query types OpenSearch knows. Those without a compiler below answer "not supported by the stand-in". */
const KNOWN_QUERIES = new Set([
  'match_all',
  'match_none',
  'bool',
  'term',
  'terms',
  'ids',
  'exists',
  'prefix',
  'wildcard',
  'regexp',
  'range',
  'match',
  'match_phrase',
  'match_phrase_prefix',
  'match_bool_prefix',
  'multi_match',
  'query_string',
  'simple_query_string',
  'constant_score',
  'dis_max',
  'boosting',
  'fuzzy',
  'nested',
  'has_child',
  'has_parent',
  'parent_id',
  'geo_shape',
  'geo_bounding_box',
  'geo_distance',
  'geo_polygon',
  'xy_shape',
  'script',
  'script_score',
  'function_score',
  'more_like_this',
  'span_term',
  'span_first',
  'span_near',
  'span_or',
  'span_not',
  'span_containing',
  'span_within',
  'span_multi',
  'field_masking_span',
  'intervals',
  'knn',
  'neural',
  'neural_sparse',
  'hybrid',
  'terms_set',
  'distance_feature',
  'rank_feature',
  'wrapper',
  'percolate',
  'combined_fields',
  'template',
  'type',
]);

/** Compiles one query clause `{type: body}`; `scoring` false means filter context (score 0). */
export function compileQuery(clause: unknown, ctx: CompileContext, scoring = true): Matcher {
  if (!isObject(clause)) throw parsingException('[_na] query malformed, must start with start_object');
  const keys = Object.keys(clause);
  if (keys.length === 0) throw parsingException('query malformed, empty clause found', ctx.locate('query'));
  if (keys.length > 1) {
    throw parsingException(
      `[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`,
      ctx.locate(keys[1]!),
    );
  }
  const type = keys[0]!;
  const body = clause[type];
  const compiler = COMPILERS[type];
  if (!compiler) {
    if (KNOWN_QUERIES.has(type)) throw notSupportedByStandin(`the [${type}] query`);
    const loc = ctx.locate(type);
    const err = new OpenSearchError(
      400,
      'parsing_exception',
      `unknown query [${type}]`,
      loc ? { line: loc.line, col: loc.col } : {},
      new OpenSearchError(
        400,
        'named_object_not_found_exception',
        `[${loc?.line ?? 1}:${loc?.col ?? 1}] unknown field [${type}]`,
      ),
      [{ type: 'parsing_exception', reason: `unknown query [${type}]`, ...(loc ?? {}) }],
    );
    throw err;
  }
  return compiler(body, ctx, scoring);
}

type Compiler = (body: unknown, ctx: CompileContext, scoring: boolean) => Matcher;

/**
 * Term-level queries may name a field pattern (query_string's `worker\\*:x` reaches them that way): the query then
 * runs on every matching field, and a document matches when any of them does.
 */
function overFieldPattern(compiler: Compiler, termsOnly = false): Compiler {
  return (body, ctx, scoring) => {
    if (!isObject(body)) return compiler(body, ctx, scoring);
    const field = Object.keys(body).find((k) => k !== 'boost' && k !== '_name');
    if (!field?.includes('*')) return compiler(body, ctx, scoring);
    // A multi-term query over a pattern leaves out the numbers and dates in it, as the lenient `*` does.
    const fields = expandFieldPattern(ctx.store, field).filter((f) => !termsOnly || hasTerms(ctx, f));
    const matchers = fields.map((f) => {
      const { [field]: params, ...rest } = body;
      return compiler({ ...rest, [f]: params }, ctx, scoring);
    });
    return disMax(matchers, 0);
  };
}

function boostOf(body: unknown): number {
  return isObject(body) && typeof body.boost === 'number' ? body.boost : 1;
}

function constant(matches: Predicate, score: number): Matcher {
  const m: Matcher = (slot) => (matches(slot) ? score : -1);
  if (score === 0 && matches.andInto) m.andInto = matches.andInto;
  return m;
}

/** A leaf query's `{field: value}` or `{field: {value…}}` form, with the query name for errors. */
function fieldAndParams(
  name: string,
  body: unknown,
  valueKey: string,
): { field: string; params: Record<string, unknown> } {
  if (!isObject(body)) throw parsingException(`[${name}] query malformed, no start_object after query name`);
  const fields = Object.keys(body).filter((k) => k !== 'boost' && k !== '_name');
  if (fields.length !== 1) {
    throw parsingException(
      fields.length === 0
        ? `[${name}] query doesn't support multiple fields, found none`
        : `[${name}] query doesn't support multiple fields, found [${fields[0]}] and [${fields[1]}]`,
    );
  }
  const field = fields[0]!;
  const raw = body[field];
  const params: Record<string, unknown> = isObject(raw) ? { ...raw } : { [valueKey]: raw };
  if (typeof body.boost === 'number' && params.boost === undefined) params.boost = body.boost;
  return { field, params };
}

/** The options each leaf query takes inside its field object; OpenSearch refuses any other. */
const LEAF_PARAMS: Record<string, readonly string[]> = {
  term: ['value', 'boost', 'case_insensitive', '_name'],
  prefix: ['value', 'prefix', 'boost', 'rewrite', 'case_insensitive', '_name'],
  wildcard: ['value', 'wildcard', 'boost', 'rewrite', 'case_insensitive', '_name'],
  regexp: [
    'value',
    'flags',
    'flags_value',
    'max_determinized_states',
    'boost',
    'rewrite',
    'case_insensitive',
    '_name',
  ],
  match: [
    'query',
    'analyzer',
    'boost',
    'fuzziness',
    'prefix_length',
    'max_expansions',
    'operator',
    'minimum_should_match',
    'fuzzy_rewrite',
    'fuzzy_transpositions',
    'lenient',
    'zero_terms_query',
    'cutoff_frequency',
    'auto_generate_synonyms_phrase_query',
    '_name',
  ],
  match_phrase: ['query', 'analyzer', 'slop', 'boost', 'zero_terms_query', '_name'],
  match_phrase_prefix: ['query', 'analyzer', 'slop', 'max_expansions', 'boost', 'zero_terms_query', '_name'],
};

function rejectUnknownParams(name: string, params: Record<string, unknown>, ctx: CompileContext): void {
  const allowed = LEAF_PARAMS[name]!;
  for (const k of Object.keys(params)) {
    if (!allowed.includes(k))
      throw parsingException(`[${name}] query does not support [${k}]`, ctx.locate(k));
  }
}

// ---------- per-field value access ----------

/**
 * Reads every value a document holds for a field, as strings, for the generic (non-column) paths. A dot path into a
 * flat_object reads the leaves at exactly that path, as OpenSearch indexes them (`path=value` terms): arrays do not
 * count in the path, an object below the path is no value of it, and null leaves are not indexed.
 */
function valuesReader(store: IndexStore, field: string): (slot: number) => string[] {
  const root = flatObjectRoot(store.mapping, field);
  if (root !== undefined) {
    const path = field.slice(root.length + 1);
    return (slot) => {
      const source = store.sources[slot];
      const out: string[] = [];
      if (source) flatLeavesAt(source[root], path, out);
      return out;
    };
  }
  return (slot) => {
    const source = store.sources[slot];
    return source ? flattenLeaves(readPath(source, field)) : [];
  };
}

/** Collects the leaves of a flat object at `path` below it; keys may hold dots themselves. */
function flatLeavesAt(value: unknown, path: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) flatLeavesAt(v, path, out);
    return;
  }
  if (typeof value !== 'object') {
    if (path === '') out.push(String(value));
    return;
  }
  if (path === '') return;
  for (const [key, child] of Object.entries(value as Source)) {
    if (key === path) flatLeavesAt(child, '', out);
    else if (path.startsWith(key) && path.charAt(key.length) === '.')
      flatLeavesAt(child, path.slice(key.length + 1), out);
  }
}

function flattenLeaves(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(flattenLeaves);
  if (typeof value === 'object') return Object.values(value as Source).flatMap(flattenLeaves);
  return [String(value)];
}

/** The mapped type a query sees for a field path: `remote_job.status` is part of the `remote_job` flat object. */
function typeOf(store: IndexStore, field: string): FieldType | '_id' | undefined {
  if (field === '_id') return '_id';
  const direct = store.fieldType(field);
  if (direct) return direct;
  return flatObjectRoot(store.mapping, field) ? 'flat_object' : undefined;
}

function keywordMatcher(column: KeywordColumn, test: (code: number) => boolean): Predicate {
  const { codes, multi, dict } = column;
  // Decide once per distinct value; documents then only look their codes up.
  const accepted = new Uint8Array(dict.length);
  for (let c = 0; c < dict.length; c++) accepted[c] = test(c) ? 1 : 0;
  // The bulk form reads the verdict shifted by one, so that a missing value (code -1) reads 0, and clears without
  // a branch: `mask &= verdict` costs the same whether documents match or not.
  const shifted = new Uint8Array(dict.length + 1);
  shifted.set(accepted, 1);
  const andByFirstValue = (mask: Uint8Array, n: number): void => {
    for (let s = 0; s < n; s++) mask[s]! &= shifted[codes[s]! + 1]!;
  };
  if (multi.size === 0) {
    // Reading accepted[-1] would be an out-of-bounds access, which V8 makes slow: test the sign first.
    const p: Predicate = (slot) => {
      const c = codes[slot]!;
      return c >= 0 && accepted[c] === 1;
    };
    p.andInto = andByFirstValue;
    return p;
  }
  const anyAccepted = (many: Int32Array): boolean => {
    for (let i = 0; i < many.length; i++) if (accepted[many[i]!] === 1) return true;
    return false;
  };
  const p: Predicate = (slot) => {
    const many = multi.get(slot);
    if (many) return anyAccepted(many);
    const c = codes[slot]!;
    return c >= 0 && accepted[c] === 1;
  };
  // Multi-valued columns (worker_node) run in bulk too: judge every slot by its first value, then put back the
  // multi-valued slots that were in and match on another value, read straight from the value pool.
  p.andInto = (mask, n) => {
    const { start, length, pool, slots, size } = multi;
    const kept = (multiKept = scratch(multiKept, size));
    for (let i = 0; i < size; i++) {
      const slot = slots[i]!;
      let keep = 0;
      if (slot < n && mask[slot] === 1) {
        for (let j = start[slot]!, end = j + length[slot]!; j < end; j++) keep |= accepted[pool[j]!]!;
      }
      kept[i] = keep;
    }
    andByFirstValue(mask, n);
    for (let i = 0; i < size; i++) mask[slots[i]!]! |= kept[i]!;
  };
  return p;
}

/**
 * The slots of `slots` (ascending) that a filter-context matcher keeps. Large sets go through the bulk form
 * when the clause has one, which is what facet filters and post_filter over a million matches need.
 */
export function selectSlots(matcher: Matcher, slots: Int32Array, store: IndexStore): Int32Array {
  // A facet filter with nothing selected in the other facets keeps everything.
  if (matcher.matchesAll) return slots;
  const n = store.slotCount;
  if (matcher.andInto && slots.length * 8 >= n) {
    // The mask is scratch space reused from call to call: megabyte arrays per facet would keep the GC busy.
    const mask = (selectMask = scratch(selectMask, n));
    const everyLive = slots.length === store.size;
    if (everyLive) {
      // Every live document: the live mask is the starting point, copied in one go.
      mask.set(store.live.subarray(0, n));
    } else {
      mask.fill(0, 0, n);
      for (let i = 0; i < slots.length; i++) mask[slots[i]!] = 1;
    }
    matcher.andInto(mask, n);
    return everyLive ? slotsOf(mask, n) : keptSlots(slots, mask);
  }
  const out = new Int32Array(slots.length);
  let m = 0;
  for (let i = 0; i < slots.length; i++) if (matcher(slots[i]!) >= 0) out[m++] = slots[i]!;
  return out.subarray(0, m);
}

/**
 * Filters already applied to a set of documents in one search, by their JSON: a console view repeats the same
 * filter as its post_filter and under several facets. Keyed by the search's context, so nothing outlives it (a
 * filter's date math moves on with the next search's `now`).
 */
const filtered = new WeakMap<CompileContext, Map<Int32Array, Map<string, Int32Array>>>();

/** selectSlots for a filter clause, once per clause and set of documents. */
export function selectSlotsFor(
  clause: unknown,
  slots: Int32Array,
  ctx: CompileContext,
  compiled?: Matcher,
): Int32Array {
  let bySlots = filtered.get(ctx);
  if (!bySlots) filtered.set(ctx, (bySlots = new Map()));
  let byClause = bySlots.get(slots);
  if (!byClause) bySlots.set(slots, (byClause = new Map()));
  const key = JSON.stringify(clause);
  let matched = byClause.get(key);
  if (!matched) {
    matched = selectSlots(compiled ?? compileQuery(clause, ctx, false), slots, ctx.store);
    byClause.set(key, matched);
  }
  return matched;
}

/** `buffer` when it holds `n` bytes, else a larger one: scratch space that lives from request to request. */
export function scratch(buffer: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return buffer.length >= n ? buffer : new Uint8Array(Math.max(n, buffer.length * 2));
}

/** The slots of `slots` set in a 0/1 mask, in their order (branch-free, as slotsOf). */
function keptSlots(slots: Int32Array, mask: Uint8Array): Int32Array {
  const count = countKept(slots, mask);
  if (count === slots.length) return slots;
  const out = new Int32Array(count + 1);
  writeKept(out, slots, mask);
  return out.subarray(0, count);
}

// keptSlots' loops, each in a function that ends with it (see writeSlots in index-store.ts).
function countKept(slots: Int32Array, mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < slots.length; i++) count += mask[slots[i]!]!;
  return count;
}

function writeKept(out: Int32Array, slots: Int32Array, mask: Uint8Array): void {
  let m = 0;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    out[m] = slot;
    m += mask[slot]!;
  }
}

let selectMask = new Uint8Array(0);
/** Which multi-valued slots a keyword filter keeps on a value other than their first. */
let multiKept = new Uint8Array(0);

/** Matches slots where some value of the field passes `test`, on whichever representation the field has. */
function valueMatcher(
  ctx: CompileContext,
  field: string,
  testString: (value: string) => boolean,
): (slot: number) => boolean {
  const { store } = ctx;
  const type = typeOf(store, field);
  if (type === undefined) return () => false;
  if (type === '_id') return (slot) => store.sources[slot] !== null && testString(store.ids[slot]!);
  if (type === 'keyword') {
    const column = store.keyword.get(field)!;
    return keywordMatcher(column, (c) => testString(column.dict[c]!));
  }
  const values = valuesReader(store, field);
  if (type === 'text') {
    // Term-level queries on a text field test its indexed terms. Most documents share their texts (seeded and real
    // errors repeat), so each distinct text is judged once.
    const anyTerm = perText((text) => store.tokens(text).some(testString));
    return (slot) => values(slot).some(anyTerm);
  }
  return (slot) => values(slot).some(testString);
}

/** A test of a text value, remembered per distinct value for the life of one compiled query. */
function perText(test: (text: string) => boolean): (text: string) => boolean {
  const seen = new Map<string, boolean>();
  return (text) => {
    let verdict = seen.get(text);
    if (verdict === undefined) {
      verdict = test(text);
      if (seen.size > 100_000) seen.clear();
      seen.set(text, verdict);
    }
    return verdict;
  };
}

// ---------- term-level queries ----------

function parseBoolean(value: unknown): number {
  if (value === true || value === 'true') return 1;
  if (value === false || value === 'false') return 0;
  throw shardFailure(
    illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`),
  );
}

function parseNumber(value: unknown, lenient: boolean): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (Number.isFinite(n)) return n;
  if (lenient) return undefined;
  throw shardFailure(
    new OpenSearchError(400, 'number_format_exception', `For input string: "${String(value)}"`),
  );
}

/** Whether a document has a value of a numeric column equal to one of `targets`. */
function numericEquals(ctx: CompileContext, field: string, targets: number[]): (slot: number) => boolean {
  const column = ctx.store.numeric.get(field)!;
  const { values, multi } = column;
  const set = new Set(targets);
  return (slot) => {
    const many = multi.get(slot);
    if (many) return many.some((v) => set.has(v));
    return set.has(values[slot]!);
  };
}

/** Exact-value matching of term, terms and the keyword side of match; `lenient` skips unparsable values. */
function exactMatcher(
  ctx: CompileContext,
  field: string,
  rawValues: unknown[],
  opts: { caseInsensitive?: boolean; lenient?: boolean } = {},
): (slot: number) => boolean {
  const { store } = ctx;
  const type = typeOf(store, field);
  if (type === undefined) return () => false;
  switch (type) {
    case 'keyword': {
      const column = store.keyword.get(field)!;
      if (opts.caseInsensitive) {
        const wanted = new Set(rawValues.map((v) => asciiLowerCase(String(v))));
        return valueMatcher(ctx, field, (v) => wanted.has(asciiLowerCase(v)));
      }
      const codes = rawValues.map((v) => column.lookup(String(v))).filter((c) => c !== -1);
      if (codes.length === 0) return () => false;
      if (codes.length === 1) {
        const only = codes[0]!;
        return keywordMatcher(column, (c) => c === only);
      }
      const wanted = new Set(codes);
      return keywordMatcher(column, (c) => wanted.has(c));
    }
    case 'date': {
      // A date term is the range of instants the value can mean, as OpenSearch builds it: `now/d` is the whole
      // day, and a time without milliseconds the whole second.
      const bounds: Array<[number, number]> = [];
      for (const v of rawValues) {
        try {
          const text = typeof v === 'number' ? v : String(v);
          bounds.push([resolveDate(text, ctx.now), resolveDate(text, ctx.now, true)]);
        } catch (e) {
          if (!opts.lenient) throw shardFailure(e as OpenSearchError);
        }
      }
      const { values, multi } = store.numeric.get(field)!;
      const inAny = (t: number): boolean => bounds.some(([lo, hi]) => t >= lo && t <= hi);
      return (slot) => {
        const many = multi.size ? multi.get(slot) : undefined;
        return many ? many.some(inAny) : inAny(values[slot]!);
      };
    }
    case 'boolean': {
      const targets: number[] = [];
      for (const v of rawValues) {
        try {
          targets.push(parseBoolean(v));
        } catch (e) {
          if (!opts.lenient) throw e;
        }
      }
      return numericEquals(ctx, field, targets);
    }
    case 'float':
    case 'long':
    case 'integer': {
      const targets = rawValues
        .map((v) => parseNumber(v, opts.lenient ?? false))
        .filter((n): n is number => n !== undefined);
      return numericEquals(ctx, field, targets);
    }
    case 'nested':
      return () => false;
    default: {
      // text (term is not analyzed: it must equal a token), flat_object leaves and _id compare as strings.
      const fold = opts.caseInsensitive ? asciiLowerCase : (v: string): string => v;
      const wanted = new Set(rawValues.map((v) => fold(String(v))));
      return valueMatcher(ctx, field, (v) => wanted.has(fold(v)));
    }
  }
}

/** BM25's idf, computed from how many live documents a predicate matches. */
function idfScorer(ctx: CompileContext, matches: (slot: number) => boolean, boost: number): Matcher {
  let score: number | undefined;
  const { store } = ctx;
  return (slot) => {
    if (!matches(slot)) return -1;
    if (score === undefined) {
      let n = 0;
      for (let s = 0; s < store.slotCount; s++) if (store.sources[s] && matches(s)) n++;
      const N = store.size;
      // Lucene's BM25 with term frequency 1 and norms omitted: idf * 1 / (1 + k1).
      score = (boost * Math.log(1 + (N - n + 0.5) / (n + 0.5))) / 2.2;
    }
    return score;
  };
}

const term: Compiler = (body, ctx, scoring) => {
  const { field, params } = fieldAndParams('term', body, 'value');
  rejectUnknownParams('term', params, ctx);
  if (params.value === undefined || params.value === null) throw illegalArgument('value cannot be null');
  const matches = exactMatcher(ctx, field, [params.value], {
    caseInsensitive: params.case_insensitive === true,
  });
  const boost = boostOf(params);
  return scoring ? idfScorer(ctx, matches, boost) : constant(matches, 0);
};

const terms: Compiler = (body, ctx, scoring) => {
  if (!isObject(body)) throw parsingException('[terms] query malformed, no start_object after query name');
  const fields = Object.keys(body).filter((k) => k !== 'boost' && k !== '_name');
  if (fields.length !== 1) throw parsingException('[terms] query does not support multiple fields');
  const values = body[fields[0]!];
  if (!Array.isArray(values)) {
    if (isObject(values)) throw notSupportedByStandin('terms lookup');
    throw parsingException(`[terms] query does not support [${fields[0]}]`);
  }
  return constant(exactMatcher(ctx, fields[0]!, values), scoring ? boostOf(body) : 0);
};

const ids: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || !Array.isArray(body.values))
    throw parsingException('[ids] query malformed, [values] must be an array');
  const { store } = ctx;
  const slots = new Set<number>();
  for (const id of body.values) {
    const found = store.get(String(id));
    if (found) slots.add(found.slot);
  }
  return constant((slot) => slots.has(slot), scoring ? boostOf(body) : 0);
};

const exists: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || typeof body.field !== 'string')
    throw parsingException('[exists] must be provided with a [field]');
  const field = body.field;
  const { store } = ctx;
  const fields = expandFieldPattern(store, field);
  const testers = fields.map((f): ((slot: number) => boolean) => {
    const k = store.keyword.get(f);
    if (k) return keywordMatcher(k, () => true);
    const n = store.numeric.get(f);
    if (n) return (slot) => n.valuesOf(slot).length > 0;
    const values = valuesReader(store, f);
    return (slot) => values(slot).length > 0;
  });
  return constant((slot) => testers.some((t) => t(slot)), scoring ? boostOf(body) : 0);
};

/** A Lucene wildcard pattern as an anchored RegExp: `?` is one code point, `\\` escapes the next character. */
function wildcardToRegExp(pattern: string): RegExp {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) re += escapeRegExp(chars[++i]!);
    else if (ch === '*') re += '[\\s\\S]*';
    else if (ch === '?') re += '[\\s\\S]';
    else re += escapeRegExp(ch);
  }
  return new RegExp(`^${re}$`, 'u');
}

/**
 * What a query_string wildcard becomes on a text field (StringFieldType.normalizeWildcardPattern): the text between
 * wildcards and escapes goes through the analyzer's normalize(), the wildcards and escaped characters stay as they are.
 */
function normalizeWildcard(pattern: string): string {
  return pattern.replace(/(\\[\s\S])|([?*]+)|([^\\?*]+|\\)/gu, (all, escaped, wild) =>
    escaped || wild ? all : normalize(all),
  );
}

/** Whether a field holds terms that prefix, wildcard and regexp queries can run on (not numbers, dates, booleans). */
function hasTerms(ctx: CompileContext, field: string): boolean {
  const type = typeOf(ctx.store, field);
  return type !== 'date' && type !== 'boolean' && type !== 'float' && type !== 'long' && type !== 'integer';
}

/** The shard's refusal of a prefix, wildcard or regexp query on a field without terms (MappedFieldType). */
function refuseOnField(ctx: CompileContext, kind: string, field: string): never {
  const reason = `Can only use ${kind} queries on keyword and text fields - not on [${field}] which is of type [${typeOf(ctx.store, field)}]`;
  throw shardFailure(
    new OpenSearchError(400, 'query_shard_exception', reason, { index: ctx.store.name }),
    ctx.store.name,
  );
}

/** Whether query_string's normalize() applies to a field: text fields lower-case, keyword-like ones keep the text. */
function normalizes(ctx: CompileContext, field: string): boolean {
  return ctx.fromQueryString === true && typeOf(ctx.store, field) === 'text';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const prefix: Compiler = (body, ctx, scoring) => {
  const { field, params } = fieldAndParams('prefix', body, 'value');
  rejectUnknownParams('prefix', params, ctx);
  if (!hasTerms(ctx, field)) refuseOnField(ctx, 'prefix', field);
  let value = String(params.value ?? params.prefix ?? '');
  if (normalizes(ctx, field)) value = normalize(value);
  // case_insensitive folds ASCII letters only (OpenSearch's AutomatonQueries), on text terms and keywords alike.
  const ci = params.case_insensitive === true;
  const wanted = ci ? asciiLowerCase(value) : value;
  const matches = valueMatcher(ctx, field, (v) => (ci ? asciiLowerCase(v) : v).startsWith(wanted));
  return constant(matches, scoring ? boostOf(params) : 0);
};

const wildcard: Compiler = (body, ctx, scoring) => {
  const { field, params } = fieldAndParams('wildcard', body, 'value');
  rejectUnknownParams('wildcard', params, ctx);
  if (!hasTerms(ctx, field)) refuseOnField(ctx, 'wildcard', field);
  // On a text field the pattern meets the indexed terms, which are lower-case: the DSL query takes the pattern as
  // written (StringFieldType.wildcardQuery does not normalize), so `*OutOfMemory*` finds nothing there and
  // `*outofmemory*` or case_insensitive does. query_string normalizes it first.
  let value = String(params.value ?? params.wildcard ?? '');
  if (normalizes(ctx, field)) value = normalizeWildcard(value);
  const ci = params.case_insensitive === true;
  const re = wildcardToRegExp(ci ? asciiLowerCase(value) : value);
  return constant(
    valueMatcher(ctx, field, ci ? (v) => re.test(asciiLowerCase(v)) : (v) => re.test(v)),
    scoring ? boostOf(params) : 0,
  );
};

const regexp: Compiler = (body, ctx, scoring) => {
  const { field, params } = fieldAndParams('regexp', body, 'value');
  rejectUnknownParams('regexp', params, ctx);
  if (!hasTerms(ctx, field)) refuseOnField(ctx, 'regexp', field);
  let re: RegExp;
  let value = String(params.value ?? '');
  // query_string passes the whole expression through normalize() (QueryParserBase.getRegexpQuery).
  if (normalizes(ctx, field)) value = normalize(value);
  try {
    // Lucene regular expressions are anchored and share the common syntax with JavaScript's.
    re = new RegExp(`^(?:${value})$`, params.case_insensitive === true ? 'i' : '');
  } catch (e) {
    throw shardFailure(illegalArgument(`Invalid regular expression: ${(e as Error).message}`));
  }
  return constant(
    valueMatcher(ctx, field, (v) => re.test(v)),
    scoring ? boostOf(params) : 0,
  );
};

const range: Compiler = (body, ctx, scoring) => {
  const { field, params } = fieldAndParams('range', body, 'gte');
  const allowed = new Set([
    'gte',
    'gt',
    'lte',
    'lt',
    'from',
    'to',
    'include_lower',
    'include_upper',
    'format',
    'time_zone',
    'boost',
    'relation',
    '_name',
  ]);
  for (const k of Object.keys(params)) {
    if (!allowed.has(k)) throw parsingException(`[range] query does not support [${k}]`, ctx.locate(k));
  }
  const { store } = ctx;
  const type = typeOf(store, field);
  const score = scoring ? boostOf(params) : 0;
  if (type === undefined) return NO_MATCH;
  let lower = params.gte ?? params.gt ?? params.from;
  let upper = params.lte ?? params.lt ?? params.to;
  const includeLower =
    params.gt !== undefined ? false : params.gte !== undefined ? true : params.include_lower !== false;
  const includeUpper =
    params.lt !== undefined ? false : params.lte !== undefined ? true : params.include_upper !== false;
  if (lower === null) lower = undefined;
  if (upper === null) upper = undefined;
  if (type === 'date' || type === 'float' || type === 'long' || type === 'integer' || type === 'boolean') {
    const lenientDates = typeof params.format === 'string';
    const zone = type === 'date' ? timeZoneOffset(params.time_zone) : 0;
    const toNumber = (v: unknown, roundUp: boolean): number => {
      if (type === 'date') {
        try {
          return resolveDate(typeof v === 'number' ? v : String(v), ctx.now, roundUp, lenientDates, zone);
        } catch (e) {
          throw e instanceof OpenSearchError ? shardFailure(e) : e;
        }
      }
      if (type === 'boolean') return parseBoolean(v);
      return parseNumber(v, false)!;
    };
    // Date rounding: gt and lte round up, gte and lt round down.
    const lo = lower === undefined ? -Infinity : toNumber(lower, !includeLower);
    const hi = upper === undefined ? Infinity : toNumber(upper, includeUpper);
    const column = store.numeric.get(field)!;
    const { values, multi } = column;
    const inRange = (v: number): boolean =>
      (includeLower ? v >= lo : v > lo) && (includeUpper ? v <= hi : v < hi);
    if (multi.size === 0) {
      const m: Matcher = (slot) => (inRange(values[slot]!) ? score : -1);
      if (score === 0) {
        // Exclusive bounds become inclusive ones on the next representable number, leaving one comparison
        // pair per document (NaN, a missing value, fails both).
        const min = includeLower ? lo : nextUp(lo);
        const max = includeUpper ? hi : -nextUp(-hi);
        m.andInto = (mask, n) => {
          for (let s = 0; s < n; s++) {
            const v = values[s]!;
            if (!(v >= min && v <= max)) mask[s] = 0;
          }
        };
      }
      return m;
    }
    return (slot) => {
      const many = multi.get(slot);
      if (many) return many.some(inRange) ? score : -1;
      return inRange(values[slot]!) ? score : -1;
    };
  }
  if (type === 'nested') return NO_MATCH;
  // Keywords, text tokens and flat-object leaves compare as strings; query_string normalizes its bounds on text.
  const bound = (v: unknown): string => (normalizes(ctx, field) ? normalize(String(v)) : String(v));
  const lo = lower === undefined ? undefined : bound(lower);
  const hi = upper === undefined ? undefined : bound(upper);
  const inRange = (v: string): boolean =>
    (lo === undefined || (includeLower ? v >= lo : v > lo)) &&
    (hi === undefined || (includeUpper ? v <= hi : v < hi));
  return constant(valueMatcher(ctx, field, inRange), score);
};

/** The smallest double greater than `x`. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

// ---------- full-text queries ----------

/** Lists concrete fields for a name or a `*` pattern, as multi_match and query_string expand them. */
function expandFieldPattern(store: IndexStore, pattern: string): string[] {
  const name = pattern.replace(/\^[\d.]+$/, '');
  if (!name.includes('*')) return [name];
  const re = wildcardToRegExp(name);
  const all = [...Object.keys(store.mapping.fields), ...Object.keys(store.mapping.subFields)];
  return all.filter((f) => re.test(f) && store.fieldType(f) !== 'nested');
}

interface MatchOptions {
  operator: 'or' | 'and';
  minimumShouldMatch?: unknown;
  lenient: boolean;
  boost: number;
  /** 'phrase' and 'phrase_prefix' match consecutive tokens; 'bool_prefix' treats the last token as a prefix. */
  mode: 'terms' | 'phrase' | 'phrase_prefix';
  /** How many terms a phrase prefix's last word may stand for. */
  maxExpansions?: number;
}

/**
 * How many of `clauses` optional clauses a `minimum_should_match` spec requires, as OpenSearch reckons it
 * (integers, negatives, percentages, and conditional `3<90%` forms). The result may be 0, or more than
 * `clauses`: callers decide what that means.
 */
function minimumShouldMatch(spec: unknown, clauses: number, ctx: CompileContext): number {
  const s = String(spec).trim();
  const integer = (text: string): number => {
    if (!/^[+-]?\d+$/.test(text)) {
      // Integer.parseInt fails while the shard builds the query. Java's NumberFormatException is no
      // OpenSearch exception, so the query_shard_exception around it is the root cause.
      const cause = new OpenSearchError(400, 'number_format_exception', `For input string: "${text}"`);
      const reason = `failed to create query: For input string: "${text}"`;
      const details = { index: ctx.store.name };
      const roots = [{ type: 'query_shard_exception', reason, ...details }];
      throw shardFailure(
        new OpenSearchError(400, 'query_shard_exception', reason, details, cause, roots),
        ctx.store.name,
      );
    }
    return Number(text);
  };
  if (s.includes('<')) {
    // Conditional specs: "upper<spec" applies `spec` only above `upper` clauses; below, all are required.
    let result = clauses;
    for (const part of s.replace(/\s*<\s*/g, '<').split(' ')) {
      const [upper = '', rest = ''] = part.split('<');
      if (clauses <= integer(upper)) return result;
      result = minimumShouldMatch(rest, clauses, ctx);
    }
    return result;
  }
  let result: number;
  if (s.includes('%')) {
    // Java computes the share in single precision and truncates toward zero.
    const calc = Math.fround(Math.fround(clauses * integer(s.slice(0, -1))) * Math.fround(1 / 100));
    result = calc < 0 ? clauses + Math.trunc(calc) : Math.trunc(calc);
  } else {
    const calc = integer(s);
    result = calc < 0 ? clauses + calc : calc;
  }
  return Math.max(0, result);
}

/** `match`-family semantics on one field; returns undefined when a lenient query cannot apply to the field. */
function matchField(
  ctx: CompileContext,
  field: string,
  query: unknown,
  opts: MatchOptions,
  scoring: boolean,
): Matcher | undefined {
  const { store } = ctx;
  const type = typeOf(store, field);
  if (type === undefined) return NO_MATCH;
  if (type !== 'text') {
    // Keyword-like fields use the keyword analyzer: the whole query is one token.
    let matches: (slot: number) => boolean;
    if (opts.mode === 'phrase_prefix' && (type === 'keyword' || type === 'flat_object' || type === '_id')) {
      const p = String(query);
      matches = valueMatcher(ctx, field, (v) => v.startsWith(p));
    } else {
      try {
        matches = exactMatcher(ctx, field, [query], { lenient: false });
      } catch (e) {
        if (opts.lenient) return undefined;
        throw e;
      }
    }
    if (!scoring) return constant(matches, 0);
    return type === 'keyword' ? idfScorer(ctx, matches, opts.boost) : constant(matches, opts.boost);
  }
  // The query text goes through the field's analyzer too: `java.lang.OutOfMemoryError` is one term, and
  // `OutOfMemoryError` alone (the term `outofmemoryerror`) is in no document that only holds the former.
  const words = store.tokens(String(query));
  if (words.length === 0) return NO_MATCH;
  const values = valuesReader(store, field);
  if (opts.mode !== 'terms') {
    // A phrase's terms sit at consecutive positions of one value (multi-valued fields leave a gap between values).
    let last: (term: string) => boolean = (t) => t === words[words.length - 1];
    if (opts.mode === 'phrase_prefix') {
      const stem = words[words.length - 1]!;
      // One term is a plain prefix query; a longer phrase expands its last term to the first max_expansions terms
      // of the field that start with it, in term order (MultiPhrasePrefixQuery), and never beyond them.
      last =
        words.length === 1
          ? (t) => t.startsWith(stem)
          : expandedPrefix(ctx, field, stem, opts.maxExpansions ?? DEFAULT_MAX_EXPANSIONS);
    }
    const head = words.slice(0, -1);
    const hasPhrase = perText((text) => containsPhrase(store.tokens(text), head, last));
    return constant((slot) => values(slot).some(hasPhrase), scoring ? opts.boost : 0);
  }
  // One word makes a single term query, which minimum_should_match leaves alone; several make a bool whose
  // requirement may exceed its clauses, and then nothing matches.
  const asked =
    opts.minimumShouldMatch === undefined || opts.minimumShouldMatch === null || words.length === 1
      ? 1
      : minimumShouldMatch(opts.minimumShouldMatch, words.length, ctx);
  const required = opts.operator === 'and' ? words.length : Math.max(1, asked);
  if (required > words.length) return NO_MATCH;
  const frequencies = termFrequencies(store, words);
  const df = scoring ? textDocFreqs(ctx, values, frequencies, words.length) : undefined;
  const N = Math.max(1, store.size);
  const tf = new Float64Array(words.length);
  return (slot) => {
    // Each query term is one clause over the whole field: a term counts once however many values hold it.
    tf.fill(0);
    let length = 0;
    for (const text of values(slot)) {
      const counts = frequencies(text);
      for (let i = 0; i < words.length; i++) tf[i]! += counts[i]!;
      length += counts[words.length]!;
    }
    let hit = 0;
    let score = 0;
    for (let i = 0; i < words.length; i++) {
      const f = tf[i]!;
      if (f === 0) continue;
      hit++;
      if (df) {
        const n = df()[i]!;
        const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
        score += (opts.boost * idf * f) / (f + 1.2 * (0.25 + (0.75 * length) / 12));
      }
    }
    return hit >= required ? score : -1;
  };
}

const DEFAULT_MAX_EXPANSIONS = 50;

/** Whether `head` then a term passing `last` occur at consecutive positions. */
function containsPhrase(tokens: string[], head: string[], last: (term: string) => boolean): boolean {
  outer: for (let i = 0; i + head.length < tokens.length; i++) {
    for (let j = 0; j < head.length; j++) if (tokens[i + j] !== head[j]) continue outer;
    if (last(tokens[i + head.length]!)) return true;
  }
  return false;
}

/**
 * The terms a phrase prefix's last word stands for: the first `max` terms of the field that start with it, in the
 * term dictionary's order. The stand-in's dictionary is the terms of its live documents (one segment, merged).
 * Worked out on first use, so a query that never reaches a document pays nothing.
 */
function expandedPrefix(
  ctx: CompileContext,
  field: string,
  stem: string,
  max: number,
): (term: string) => boolean {
  let expansions: Set<string> | undefined;
  return (term) => {
    if (!term.startsWith(stem)) return false;
    if (!expansions) {
      const { store } = ctx;
      const values = valuesReader(store, field);
      const found = new Set<string>();
      const seen = new Set<string>();
      for (let s = 0; s < store.slotCount; s++) {
        for (const text of values(s)) {
          if (seen.has(text)) continue;
          seen.add(text);
          for (const t of store.tokens(text)) if (t.startsWith(stem)) found.add(t);
        }
      }
      expansions = new Set([...found].sort(compareStrings).slice(0, max));
    }
    return expansions.has(term);
  };
}

/**
 * For each distinct text, how often each query word occurs in it, and (at index `words.length`) how many terms it
 * has: what match scoring and document frequencies need, worked out once per text.
 */
function termFrequencies(store: IndexStore, words: string[]): (text: string) => Uint32Array {
  const seen = new Map<string, Uint32Array>();
  const index = new Map(words.map((w, i) => [w, i] as const));
  return (text) => {
    let counts = seen.get(text);
    if (!counts) {
      counts = new Uint32Array(words.length + 1);
      const tokens = store.tokens(text);
      counts[words.length] = tokens.length;
      for (const t of tokens) {
        const i = index.get(t);
        if (i !== undefined) counts[i]!++;
      }
      // A word given twice counts in both places.
      words.forEach((w, i) => (counts![i] = counts![index.get(w)!]!));
      if (seen.size > 100_000) seen.clear();
      seen.set(text, counts);
    }
    return counts;
  };
}

/** Document frequency of each query word in a text field, computed once per search when first needed. */
function textDocFreqs(
  ctx: CompileContext,
  values: (slot: number) => string[],
  frequencies: (text: string) => Uint32Array,
  words: number,
): () => number[] {
  let df: number[] | undefined;
  return () => {
    if (!df) {
      const { store } = ctx;
      df = new Array<number>(words).fill(0);
      const has = new Uint8Array(words);
      for (let s = 0; s < store.slotCount; s++) {
        if (!store.sources[s]) continue;
        has.fill(0);
        for (const text of values(s)) {
          const counts = frequencies(text);
          for (let i = 0; i < words; i++) if (counts[i]! > 0) has[i] = 1;
        }
        for (let i = 0; i < words; i++) df[i]! += has[i]!;
      }
    }
    return df;
  };
}

function matchCompiler(name: string, mode: MatchOptions['mode']): Compiler {
  return (body, ctx, scoring) => {
    const { field, params } = fieldAndParams(name, body, 'query');
    rejectUnknownParams(name, params, ctx);
    if (params.query === undefined) throw parsingException(`[${name}] requires query value`);
    if (params.slop !== undefined && Number(params.slop) !== 0)
      throw notSupportedByStandin(`slop in [${name}]`);
    if (params.fuzziness !== undefined && params.fuzziness !== 0 && params.fuzziness !== '0') {
      throw notSupportedByStandin(`fuzziness in [${name}]`);
    }
    const operator = String(params.operator ?? 'or').toLowerCase();
    if (operator !== 'or' && operator !== 'and')
      throw illegalArgument(`No enum constant org.opensearch.index.query.Operator.${operator.toUpperCase()}`);
    const opts: MatchOptions = {
      operator,
      minimumShouldMatch: params.minimum_should_match,
      lenient: params.lenient === true,
      boost: boostOf(params),
      mode,
      maxExpansions: params.max_expansions === undefined ? undefined : Number(params.max_expansions),
    };
    return matchField(ctx, field, params.query, opts, scoring) ?? NO_MATCH;
  };
}

const multiMatch: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || body.query === undefined)
    throw parsingException('[multi_match] requires query value');
  const type = String(body.type ?? 'best_fields');
  const modes: Record<string, MatchOptions['mode']> = {
    best_fields: 'terms',
    most_fields: 'terms',
    cross_fields: 'terms',
    phrase: 'phrase',
    phrase_prefix: 'phrase_prefix',
    bool_prefix: 'phrase_prefix',
  };
  const mode = modes[type];
  if (!mode) throw parsingException(`[multi_match] query does not support type ${type}`);
  const patterns = Array.isArray(body.fields) ? body.fields.map(String) : ['*'];
  const fields = patterns.flatMap((p) => expandFieldPattern(ctx.store, p));
  // Querying every field at once implies leniency, as OpenSearch does for `*`.
  const lenient = body.lenient === true || patterns.some((p) => p.includes('*'));
  if (ctx.fromQueryString && mode === 'phrase_prefix') {
    // query_string's `x*` over several fields: a prefix query on each field that has terms.
    const matchers = fields.flatMap((f) => {
      if (!hasTerms(ctx, f)) {
        if (lenient) return [];
        refuseOnField(ctx, 'prefix', f);
      }
      return [compileQuery({ prefix: { [f]: { value: String(body.query) } } }, ctx, scoring)];
    });
    return disMax(matchers, Number(body.tie_breaker ?? 0));
  }
  const opts: MatchOptions = {
    operator: String(body.operator ?? 'or').toLowerCase() === 'and' ? 'and' : 'or',
    minimumShouldMatch: body.minimum_should_match,
    lenient,
    boost: boostOf(body),
    mode,
    maxExpansions: body.max_expansions === undefined ? undefined : Number(body.max_expansions),
  };
  const matchers = fields
    .map((f) => matchField(ctx, f, body.query, opts, scoring))
    .filter((m): m is Matcher => !!m);
  return disMax(matchers, type === 'most_fields' ? 1 : Number(body.tie_breaker ?? 0));
};

function disMax(matchers: Matcher[], tieBreaker: number): Matcher {
  if (matchers.length === 0) return NO_MATCH;
  if (matchers.length === 1) return matchers[0]!;
  return (slot) => {
    let best = -1;
    let sum = 0;
    for (const m of matchers) {
      const s = m(slot);
      if (s < 0) continue;
      sum += s;
      if (s > best) best = s;
    }
    return best < 0 ? -1 : best + tieBreaker * (sum - best);
  };
}

function fromQueryString(name: string, translate: () => unknown): Compiler {
  return (_body, ctx, scoring) => {
    let dsl: unknown;
    try {
      dsl = translate();
    } catch (e) {
      if (!(e instanceof QueryStringParseError)) throw e;
      // The shard reports a query_shard_exception; Lucene's ParseException below it is not a root cause.
      const { type, reason, caused_by } = e.toErrorCause();
      const details = { index: ctx.store.name, caused_by };
      const failure = new OpenSearchError(400, type, reason, details, undefined, [
        { type, reason, index: ctx.store.name },
      ]);
      throw shardFailure(failure, ctx.store.name);
    }
    try {
      return compileQuery(dsl, { ...ctx, fromQueryString: true }, scoring);
    } catch (e) {
      if (e instanceof OpenSearchError && e.type === 'parsing_exception')
        throw illegalArgument(`[${name}] ${e.reason}`);
      throw e;
    }
  };
}

const queryString: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || typeof body.query !== 'string')
    throw parsingException('[query_string] requires query value');
  return fromQueryString('query_string', () => queryStringToDsl(body as never))(body, ctx, scoring);
};

const simpleQueryString: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || typeof body.query !== 'string')
    throw parsingException('[simple_query_string] requires query value');
  return fromQueryString('simple_query_string', () => simpleQueryStringToDsl(body as never))(
    body,
    ctx,
    scoring,
  );
};

// ---------- compound queries ----------

function clauses(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Scratch masks of the bool's bulk form, two per nesting level (a clause may hold a bool of its own). */
const boolMasks: Array<[Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>]> = [];
let boolDepth = 0;
const EMPTY_MASK = new Uint8Array(0);
/** Below one slot in this many left after the bulk filters, the rest of a bool is tested slot by slot. */
const SPARSE = 32;

/** A filter-context clause applied to a mask: in bulk when it can be, else tested on the slots still set. */
function applyInto(clause: Matcher, mask: Uint8Array, n: number): void {
  if (clause.andInto) clause.andInto(mask, n);
  else for (let s = 0; s < n; s++) if (mask[s] === 1 && clause(s) < 0) mask[s] = 0;
}

/**
 * The bulk form of a bool in filter context. The required clauses that run in bulk go first, as tight loops over
 * columns. What they leave is usually few documents (a state, a type, a time range): the other clauses (the should
 * clauses, the exclusions, filters without a bulk form) then test those slots only, through the bool's own
 * per-slot matcher. Otherwise each runs over the mask in turn: should clauses each on what no earlier one matched,
 * exclusions each on what is still in.
 */
function boolAndInto(
  required: Matcher[],
  should: Matcher[],
  minShould: number,
  mustNot: Matcher[],
  perSlot: Matcher,
): (mask: Uint8Array, n: number) => void {
  const bulk = required.filter((f) => f.andInto && !f.matchesAll);
  const slotBySlot = required.filter((f) => !f.andInto);
  const optional = minShould === 0 ? [] : should;
  if (slotBySlot.length === 0 && optional.length === 0 && mustNot.length === 0) {
    return (mask, n) => {
      for (const f of bulk) f.andInto!(mask, n);
    };
  }
  return (mask, n) => {
    for (const f of bulk) f.andInto!(mask, n);
    const left = slotsOf(mask, n);
    if (left.length * SPARSE < n) {
      for (let i = 0; i < left.length; i++) if (perSlot(left[i]!) < 0) mask[left[i]!] = 0;
      return;
    }
    for (const f of slotBySlot) applyInto(f, mask, n);
    const level = boolDepth++;
    try {
      const [a, b] = (boolMasks[level] ??= [EMPTY_MASK, EMPTY_MASK]);
      const matched = (boolMasks[level]![0] = scratch(a, n));
      const trial = (boolMasks[level]![1] = scratch(b, n));
      if (optional.length > 0 && minShould === 1) {
        // Each should clause on what is in and not matched yet; what matched one stays in.
        matched.fill(0, 0, n);
        for (const f of optional) {
          for (let s = 0; s < n; s++) trial[s] = mask[s]! & (matched[s]! ^ 1);
          applyInto(f, trial, n);
          for (let s = 0; s < n; s++) matched[s]! |= trial[s]!;
        }
        mask.set(matched.subarray(0, n));
      } else if (optional.length > 0) {
        for (let s = 0; s < n; s++) {
          if (mask[s] !== 1) continue;
          let hits = 0;
          for (let i = 0; i < optional.length && hits < minShould; i++) if (optional[i]!(s) >= 0) hits++;
          if (hits < minShould) mask[s] = 0;
        }
      }
      for (const f of mustNot) {
        if (!f.andInto) {
          for (let s = 0; s < n; s++) if (mask[s] === 1 && f(s) >= 0) mask[s] = 0;
          continue;
        }
        trial.set(mask.subarray(0, n));
        f.andInto(trial, n);
        for (let s = 0; s < n; s++) mask[s]! &= trial[s]! ^ 1;
      }
    } finally {
      boolDepth--;
    }
  };
}

const bool: Compiler = (body, ctx, scoring) => {
  if (!isObject(body)) throw parsingException('[bool] query malformed, no start_object after query name');
  for (const k of Object.keys(body)) {
    if (
      ![
        'must',
        'filter',
        'should',
        'must_not',
        'minimum_should_match',
        'boost',
        'adjust_pure_negative',
        '_name',
      ].includes(k)
    ) {
      throw parsingException(`[bool] query does not support [${k}]`, ctx.locate(k));
    }
  }
  const must = clauses(body.must).map((c) => compileQuery(c, ctx, scoring));
  const filter = clauses(body.filter).map((c) => compileQuery(c, ctx, false));
  const should = clauses(body.should).map((c) => compileQuery(c, ctx, scoring));
  const mustNot = clauses(body.must_not).map((c) => compileQuery(c, ctx, false));
  const boost = boostOf(body);
  const onlyNegative = must.length === 0 && filter.length === 0 && should.length === 0;
  const noClauses = onlyNegative && mustNot.length === 0;
  // A minimum_should_match is enforced even beyond the should clauses there are (then nothing matches), except
  // on a must_not-only bool, which OpenSearch rebuilds without it. Without must or filter, Lucene needs at least
  // one should clause to match in any case.
  const msm = body.minimum_should_match;
  let minShould =
    msm === undefined || msm === null || onlyNegative ? 0 : minimumShouldMatch(msm, should.length, ctx);
  if (must.length === 0 && filter.length === 0 && should.length > 0) minShould = Math.max(1, minShould);
  if (minShould > should.length) return NO_MATCH;
  // No clauses at all is a match_all (score 1). Only must_not clauses get a match-all *filter* added, so those
  // documents score 0 even in query context.
  const m: Matcher = (slot) => {
    for (let i = 0; i < filter.length; i++) if (filter[i]!(slot) < 0) return -1;
    for (let i = 0; i < mustNot.length; i++) if (mustNot[i]!(slot) >= 0) return -1;
    let score = 0;
    for (let i = 0; i < must.length; i++) {
      const s = must[i]!(slot);
      if (s < 0) return -1;
      score += s;
    }
    let matched = 0;
    for (let i = 0; i < should.length; i++) {
      const s = should[i]!(slot);
      if (s >= 0) {
        matched++;
        score += s;
      }
    }
    if (matched < minShould) return -1;
    if (noClauses) return scoring ? boost : 0;
    return scoring ? score * boost : 0;
  };
  // A bool that scores 0 (filters and exclusions, or any bool in filter context) runs on a mask.
  const scoresZero = must.length === 0 && should.length === 0 && !(noClauses && scoring);
  if (scoresZero || !scoring) m.andInto = boolAndInto([...must, ...filter], should, minShould, mustNot, m);
  if (
    filter.every((f) => f.matchesAll) &&
    must.every((f) => f.matchesAll) &&
    mustNot.length === 0 &&
    minShould === 0
  ) {
    m.matchesAll = true;
  }
  return m;
};

const constantScore: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || body.filter === undefined)
    throw parsingException("[constant_score] requires a 'filter' element");
  const inner = compileQuery(body.filter, ctx, false);
  const score = scoring ? boostOf(body) : 0;
  return (slot) => (inner(slot) >= 0 ? score : -1);
};

const disMaxQuery: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || !Array.isArray(body.queries))
    throw parsingException("[dis_max] requires 'queries' field with at least one clause");
  return disMax(
    body.queries.map((q) => compileQuery(q, ctx, scoring)),
    Number(body.tie_breaker ?? 0),
  );
};

const boosting: Compiler = (body, ctx, scoring) => {
  if (!isObject(body) || body.positive === undefined || body.negative === undefined) {
    throw parsingException("[boosting] query requires 'positive' and 'negative' queries");
  }
  const positive = compileQuery(body.positive, ctx, scoring);
  const negative = compileQuery(body.negative, ctx, false);
  const factor = Number(body.negative_boost ?? 1);
  return (slot) => {
    const s = positive(slot);
    if (s < 0) return -1;
    return negative(slot) >= 0 ? s * factor : s;
  };
};

const COMPILERS: Record<string, Compiler> = {
  match_all: (body, _ctx, scoring) => {
    const m: Matcher = () => (scoring ? boostOf(body) : 0);
    m.matchesAll = true;
    if (!scoring) m.andInto = () => {};
    return m;
  },
  match_none: () => NO_MATCH,
  bool,
  term: overFieldPattern(term),
  terms,
  ids,
  exists,
  prefix: overFieldPattern(prefix, true),
  wildcard: overFieldPattern(wildcard, true),
  regexp: overFieldPattern(regexp, true),
  range: overFieldPattern(range),
  match: matchCompiler('match', 'terms'),
  match_phrase: matchCompiler('match_phrase', 'phrase'),
  match_phrase_prefix: matchCompiler('match_phrase_prefix', 'phrase_prefix'),
  multi_match: multiMatch,
  query_string: queryString,
  simple_query_string: simpleQueryString,
  constant_score: constantScore,
  dis_max: disMaxQuery,
  boosting,
};
