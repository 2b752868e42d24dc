// Executes a search body against one index and builds OpenSearch's search response.

import { isObject } from '../../shared/json';
import type { IndexStore, Source } from './index-store';
import { slotsOf } from './index-store';
import type { CompileContext, Matcher } from './dsl';
import { compileQuery, selectSlotsFor } from './dsl';
import { parseAggs, runAggs } from './aggs';
import { makeComparator, parseSort, topK } from './sort';
import {
  OpenSearchError,
  illegalArgument,
  notSupportedByStandin,
  parsingException,
  shardFailure,
} from './errors';
import { PlainHttpError } from './errors';

export const MAX_RESULT_WINDOW = 10_000;

const SUPPORTED_KEYS = new Set([
  'query',
  'from',
  'size',
  'sort',
  'aggs',
  'aggregations',
  '_source',
  'track_total_hits',
  'search_after',
  'post_filter',
  'track_scores',
  'timeout',
  'terminate_after',
  'min_score',
  'version',
  'seq_no_primary_term',
  'explain',
  'stats',
  'ext',
  'profile',
]);
/** Top-level keys OpenSearch accepts that the stand-in does not implement: refused plainly. */
const UNSUPPORTED_KEYS = new Set([
  'highlight',
  'suggest',
  'collapse',
  'rescore',
  'script_fields',
  'stored_fields',
  'docvalue_fields',
  'fields',
  'indices_boost',
  'slice',
  'pit',
  'runtime_mappings',
  'search_pipeline',
  'derived',
  'verbose_pipeline',
]);

function tokenName(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (value === null) return 'VALUE_NULL';
  switch (typeof value) {
    case 'object':
      return 'START_OBJECT';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'VALUE_STRING';
  }
}

function integerParam(body: Record<string, unknown>, key: string, fallback: number): number {
  const v = body[key];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw parsingException(`[${key}] failed to parse field [${key}]`);
  }
  return n;
}

/** Locates a key in the raw body for parse errors' `line` and `col` (the column after the key's colon). */
export function locator(raw: string): CompileContext['locate'] {
  return (key) => {
    const at = raw.indexOf(`"${key}"`);
    if (at === -1) return undefined;
    let pos = raw.indexOf(':', at + key.length + 2);
    if (pos === -1) pos = at;
    const before = raw.slice(0, pos + 1);
    const line = before.split('\n').length;
    const col = pos + 2 - (before.lastIndexOf('\n') + 1);
    return { line, col };
  };
}

/** Applies `_source` includes/excludes with `*` wildcards to a stored document. */
export function filterSource(source: Source, spec: unknown): Source {
  if (spec === undefined || spec === true || spec === false) return source;
  let includes: string[] = [];
  let excludes: string[] = [];
  if (typeof spec === 'string') includes = [spec];
  else if (Array.isArray(spec)) includes = spec.map(String);
  else if (isObject(spec)) {
    const inc = spec.includes ?? spec.include;
    const exc = spec.excludes ?? spec.exclude;
    includes = inc === undefined ? [] : Array.isArray(inc) ? inc.map(String) : [String(inc)];
    excludes = exc === undefined ? [] : Array.isArray(exc) ? exc.map(String) : [String(exc)];
  }
  const toRe = (p: string): RegExp =>
    new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  const inc = includes.map(toRe);
  const exc = excludes.map(toRe);
  // `included` is true once an ancestor matched an include pattern; excludes still apply below it.
  const walk = (obj: Source, prefix: string, included: boolean): Source | undefined => {
    const out: Source = {};
    let kept = false;
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (exc.some((re) => re.test(path))) continue;
      const here = included || inc.length === 0 || inc.some((re) => re.test(path));
      if (isObject(v)) {
        // A pattern may name a field inside this object, to keep or to drop.
        const inner = walk(v, path, here);
        if (inner) {
          out[k] = inner;
          kept = true;
        }
      } else if (here) {
        out[k] = v;
        kept = true;
      }
    }
    return kept || included ? out : undefined;
  };
  return walk(source, '', false) ?? {};
}

export interface SearchOptions {
  now?: number;
  /** The raw request body, for the positions in parse errors. */
  raw?: string;
}

/** Runs a search and returns the response body; throws OpenSearchError or PlainHttpError like a cluster. */
export function search(
  store: IndexStore,
  body: unknown,
  options: SearchOptions = {},
): Record<string, unknown> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  if (!isObject(body)) throw parsingException('Expected [START_OBJECT] but found [' + tokenName(body) + ']');
  const ctx: CompileContext = { store, now, locate: locator(options.raw ?? JSON.stringify(body)) };

  for (const [key, value] of Object.entries(body)) {
    if (SUPPORTED_KEYS.has(key)) continue;
    if (UNSUPPORTED_KEYS.has(key)) throw notSupportedByStandin(`the search option [${key}]`);
    throw parsingException(`Unknown key for a ${tokenName(value)} in [${key}].`, ctx.locate(key));
  }
  const from = integerParam(body, 'from', 0);
  const size = integerParam(body, 'size', 10);
  if (from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${from}]`);
  if (size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${size}]`);
  if (body.explain === true) throw notSupportedByStandin('[explain]');
  if (body.profile === true) throw notSupportedByStandin('[profile]');
  const trackTotal = parseTrackTotalHits(body.track_total_hits);
  const searchAfter = body.search_after;
  if (searchAfter !== undefined && !Array.isArray(searchAfter))
    throw parsingException('[search_after] must be an array');

  // Parse everything first, as the coordinating node does; then execute.
  const aggSpecs = body.aggs ?? body.aggregations;
  const aggs = aggSpecs === undefined ? [] : parseAggs(aggSpecs, ctx);
  const postFilter = body.post_filter === undefined ? undefined : compileQuery(body.post_filter, ctx, false);
  const minScore = body.min_score === undefined ? undefined : Number(body.min_score);
  const timeoutMs = body.timeout === undefined ? undefined : parseTimeout(body.timeout);
  const terminateAfter = body.terminate_after === undefined ? 0 : Number(body.terminate_after);

  if (from + size > MAX_RESULT_WINDOW) {
    throw shardFailure(
      illegalArgument(
        `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
      ),
      store.name,
    );
  }
  const keys = parseSort(body.sort, store, now);
  // A sort that is only `_score` descending is the default order: hits then carry no `sort` values.
  const sortedByField =
    body.sort !== undefined && !(keys.length === 1 && keys[0]!.name === '_score' && keys[0]!.desc);
  const trackScores = !sortedByField || keys.some((k) => k.name === '_score') || body.track_scores === true;
  const query = body.query === undefined ? { match_all: {} } : body.query;
  const matcher: Matcher = compileQuery(query, ctx, trackScores);
  if (searchAfter !== undefined) {
    // The shard checks these while it sets the search up; the first is a plain SearchException, hence a 500.
    if (from > 0) {
      const reason = '`from` parameter must be set to 0 when `search_after` is used.';
      throw shardFailure(new OpenSearchError(500, 'search_exception', reason), store.name);
    }
    // The default order (no sort, or `_score` descending alone) is no Lucene sort, and a cursor needs one.
    if (!sortedByField)
      throw shardFailure(illegalArgument('Sort must contain at least one field.'), store.name);
    if ((searchAfter as unknown[]).length !== keys.length) {
      throw shardFailure(
        illegalArgument(
          `search_after has ${(searchAfter as unknown[]).length} value(s) but sort has ${keys.length}.`,
        ),
        store.name,
      );
    }
  }

  // One pass over the index: collect matches (and their scores) in index order.
  const slotCount = store.slotCount;
  const scores = new Float32Array(trackScores ? slotCount : 0);
  const sources = store.sources;
  let matches: Int32Array;
  let n = 0;
  if (matcher.andInto && terminateAfter === 0) {
    // Filter-only queries score 0 and run column by column.
    if (minScore !== undefined && minScore > 0) matches = new Int32Array(0);
    else if (matcher.matchesAll) matches = store.liveSlots();
    else {
      const mask = store.live.slice(0, slotCount);
      matcher.andInto(mask, slotCount);
      matches = slotsOf(mask, slotCount);
    }
    n = matches.length;
  } else {
    const matched = new Int32Array(slotCount);
    for (let slot = 0; slot < slotCount; slot++) {
      if (sources[slot] === null) continue;
      const s = matcher(slot);
      if (s < 0 || (minScore !== undefined && s < minScore)) continue;
      matched[n++] = slot;
      if (trackScores) scores[slot] = s;
      if (terminateAfter > 0 && n >= terminateAfter) break;
    }
    matches = matched.subarray(0, n);
  }
  if (timeoutMs !== undefined && performance.now() - started > timeoutMs) {
    throw new PlainHttpError(408, `request timed out after ${timeoutMs}ms`);
  }

  // Hits come from the post-filtered set; aggregations see every match.
  const hitSlots = postFilter ? selectSlotsFor(body.post_filter, matches, ctx, postFilter) : matches;
  const scoreOf = trackScores ? (slot: number): number => scores[slot]! : (): number => 0;
  const compare = makeComparator(keys, scoreOf);
  let candidates: ArrayLike<number> = hitSlots;
  let candidateCount = hitSlots.length;
  if (searchAfter !== undefined) {
    const cursor = keys.map((k, i) => k.fromCursor((searchAfter as unknown[])[i]));
    const after = new Int32Array(hitSlots.length);
    let m = 0;
    for (let i = 0; i < hitSlots.length; i++) {
      const slot = hitSlots[i]!;
      if (isAfterCursor(slot, cursor, keys, scoreOf)) after[m++] = slot;
    }
    candidates = after;
    candidateCount = m;
  }
  const first = keys[0]!;
  const primary = {
    value: (slot: number) => first.encode(slot, scoreOf(slot)),
    desc: first.desc,
    only: keys.length === 1,
    dense: first.dense,
  };
  // Documents are mostly indexed in time order: walking them against the sort direction lets the heap skip
  // nearly every candidate on a time sort instead of replacing its root each time.
  const top = topK(
    candidates,
    candidateCount,
    from + size,
    compare,
    primary,
    first.desc && first.name !== '_score',
  ).slice(from);

  const hits = top.map((slot) => {
    const hit: Record<string, unknown> = {
      _index: store.name,
      _id: store.ids[slot],
      _version: store.versions[slot],
      _seq_no: store.seqNos[slot],
      _primary_term: store.primaryTerm,
      _score: trackScores ? scoreOf(slot) : null,
      _source: filterSource(sources[slot]!, body._source),
    };
    if (sortedByField) hit.sort = keys.map((k) => k.report(slot, scoreOf(slot)));
    return hit;
  });

  // `size: 0` collects no top documents, so there is no max score; otherwise it is the best score among the
  // hits (sorted by field, only with track_scores).
  let maxScore: number | null = null;
  if (trackScores && size > 0 && hitSlots.length > 0) {
    maxScore = -Infinity;
    for (let i = 0; i < hitSlots.length; i++) maxScore = Math.max(maxScore, scores[hitSlots[i]!]!);
  }

  const total = hitSlots.length;
  const hitsBody: Record<string, unknown> = {};
  if (trackTotal >= 0) {
    hitsBody.total =
      total > trackTotal ? { value: trackTotal, relation: 'gte' } : { value: total, relation: 'eq' };
  }
  hitsBody.max_score = maxScore;
  hitsBody.hits = hits;
  const response: Record<string, unknown> = {
    took: 0,
    timed_out: false,
    ...(terminateAfter > 0 ? { terminated_early: n >= terminateAfter } : {}),
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: hitsBody,
  };
  if (aggs.length) response.aggregations = runAggs(aggs, matches, ctx);
  response.took = Math.round(performance.now() - started);
  return response;
}

function isAfterCursor(
  slot: number,
  cursor: number[],
  keys: ReturnType<typeof parseSort>,
  scoreOf: (s: number) => number,
): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = k.encode(slot, scoreOf(slot));
    const c = cursor[i]!;
    if (v !== c) return k.desc ? v < c : v > c;
  }
  // Equal on every key: the cursor's own document and its ties come before, as in OpenSearch.
  return false;
}

/**
 * `track_total_hits` as a count to track up to: `true` is every hit, `false` and -1 are none (the total is then
 * left out), and a number is a threshold. Booleans may come as strings, as OpenSearch's parser allows.
 */
function parseTrackTotalHits(value: unknown): number {
  if (value === undefined) return MAX_RESULT_WINDOW;
  if (value === true || value === 'true') return Infinity;
  if (value === false || value === 'false') return -1;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
  }
  if (n < -1)
    throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
  return n;
}

function parseTimeout(value: unknown): number {
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)?$/.exec(String(value));
  if (!m)
    throw new OpenSearchError(
      400,
      'parse_exception',
      `failed to parse setting [timeout] with value [${String(value)}] as a time value: unit is missing or unrecognized`,
    );
  const unit = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (m[2] ?? 'ms') as 'ms'
  ];
  return Number(m[1]) * unit;
}

/** The empty 200 a cluster gives before the index exists. */
export function emptySearchResponse(): Record<string, unknown> {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: 0.0, hits: [] },
  };
}

export { OpenSearchError };
