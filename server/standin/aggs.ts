// Aggregations over the matched documents, with OpenSearch's exact response shapes (keys carry no type prefix).

import type { IndexStore, NumericColumn } from './index-store';
import { flatObjectRoot } from './mapping';
import type { CompileContext } from './dsl';
import { compileQuery, selectSlots, selectSlotsFor } from './dsl';
import {
  OpenSearchError,
  illegalArgument,
  notSupportedByStandin,
  parsingException,
  shardFailure,
  textFieldNotAggregatable,
} from './errors';
import { formatDate, resolveDate, roundDate, timeZoneOffset } from './date-math';

type Json = Record<string, unknown>;
type Slots = Int32Array;

interface AggSpec {
  name: string;
  type: string;
  params: Json;
  subs: AggSpec[];
  meta?: unknown;
}

const BUCKET_AGGS = new Set([
  'terms',
  'date_histogram',
  'histogram',
  'range',
  'date_range',
  'filter',
  'filters',
  'missing',
]);
const METRIC_AGGS = new Set(['min', 'max', 'avg', 'sum', 'value_count', 'cardinality', 'stats']);
/**
 * Each aggregation's parameters: those the stand-in computes, those OpenSearch takes only as a hint that cannot
 * change the answer here (one shard, exact counts), and those OpenSearch has that would change the answer and the
 * stand-in lacks. Anything else is a typo, which OpenSearch's parser rejects by name.
 */
const HISTOGRAM_PARAMS = [
  'field',
  'offset',
  'min_doc_count',
  'extended_bounds',
  'hard_bounds',
  'order',
  'keyed',
];
const AGG_PARAMS: Record<string, { used: string[]; hints?: string[]; lacking?: string[] }> = {
  terms: {
    used: ['field', 'size', 'min_doc_count', 'order', 'include', 'exclude', 'missing'],
    hints: ['shard_size', 'shard_min_doc_count', 'execution_hint', 'collect_mode'],
    lacking: ['script', 'format', 'value_type', 'show_term_doc_count_error'],
  },
  date_histogram: {
    used: [...HISTOGRAM_PARAMS, 'calendar_interval', 'fixed_interval', 'interval', 'time_zone', 'missing'],
    lacking: ['script', 'format'],
  },
  histogram: { used: [...HISTOGRAM_PARAMS, 'interval', 'missing'], lacking: ['script', 'format'] },
  range: { used: ['field', 'ranges', 'keyed', 'missing'], lacking: ['script', 'format'] },
  date_range: { used: ['field', 'ranges', 'keyed', 'missing', 'time_zone'], lacking: ['script', 'format'] },
  filters: { used: ['filters', 'other_bucket', 'other_bucket_key'] },
  missing: { used: ['field'], lacking: ['script', 'value_type'] },
  value_count: { used: ['field', 'missing'], lacking: ['script', 'value_type'] },
  cardinality: {
    used: ['field', 'missing'],
    hints: ['precision_threshold', 'execution_hint'],
    lacking: ['script'],
  },
  ...Object.fromEntries(
    ['min', 'max', 'avg', 'sum', 'stats'].map((type) => [
      type,
      { used: ['field', 'missing'], lacking: ['script', 'format', 'value_type'] },
    ]),
  ),
};

/** Rejects a parameter the aggregation does not have, as OpenSearch's parser does, or one the stand-in lacks. */
function checkParams(type: string, params: Json, ctx: CompileContext): void {
  const known = AGG_PARAMS[type];
  if (!known) return; // `filter` holds a query, parsed as one.
  for (const key of Object.keys(params)) {
    if (known.used.includes(key) || known.hints?.includes(key)) continue;
    if (known.lacking?.includes(key)) throw notSupportedByStandin(`[${key}] in the [${type}] aggregation`);
    const loc = ctx.locate(key);
    throw new OpenSearchError(
      400,
      'x_content_parse_exception',
      `[${loc?.line ?? 1}:${loc?.col ?? 1}] [${type}] unknown field [${key}]`,
    );
  }
}

/** Aggregations OpenSearch has that the stand-in does not compute: refused plainly. */
const KNOWN_AGGS = new Set([
  'composite',
  'significant_terms',
  'significant_text',
  'rare_terms',
  'multi_terms',
  'auto_date_histogram',
  'variable_width_histogram',
  'ip_range',
  'geo_distance',
  'geohash_grid',
  'geotile_grid',
  'nested',
  'reverse_nested',
  'global',
  'sampler',
  'diversified_sampler',
  'adjacency_matrix',
  'children',
  'parent',
  'percentiles',
  'percentile_ranks',
  'extended_stats',
  'matrix_stats',
  'median_absolute_deviation',
  'top_hits',
  'scripted_metric',
  'weighted_avg',
  'geo_bounds',
  'geo_centroid',
  'avg_bucket',
  'sum_bucket',
  'min_bucket',
  'max_bucket',
  'stats_bucket',
  'extended_stats_bucket',
  'percentiles_bucket',
  'bucket_script',
  'bucket_selector',
  'bucket_sort',
  'cumulative_sum',
  'derivative',
  'moving_avg',
  'moving_fn',
  'serial_diff',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `aggs` structurally, before anything runs, so a malformed request fails as a whole. */
export function parseAggs(aggs: unknown, ctx: CompileContext): AggSpec[] {
  if (!isObject(aggs)) throw parsingException('Aggregation definition must start with an object');
  return Object.entries(aggs).map(([name, def]) => {
    if (!/^[^[\]>]+$/.test(name)) {
      throw parsingException(
        `Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`,
      );
    }
    if (!isObject(def))
      throw parsingException(`Expected [START_OBJECT] under [${name}], but got a [VALUE] in [${name}]`);
    let type: string | undefined;
    let params: Json = {};
    let subs: AggSpec[] = [];
    let meta: unknown;
    for (const [key, value] of Object.entries(def)) {
      if (key === 'aggs' || key === 'aggregations') {
        subs = parseAggs(value, ctx);
      } else if (key === 'meta') {
        meta = value;
      } else {
        if (type !== undefined) {
          throw parsingException(
            `Found two aggregation type definitions in [${name}]: [${type}] and [${key}]`,
            ctx.locate(key),
          );
        }
        if (!BUCKET_AGGS.has(key) && !METRIC_AGGS.has(key)) {
          if (KNOWN_AGGS.has(key)) throw notSupportedByStandin(`the [${key}] aggregation`);
          const loc = ctx.locate(key);
          throw new OpenSearchError(
            400,
            'parsing_exception',
            `Unknown aggregation type [${key}]`,
            loc ? { ...loc } : {},
            new OpenSearchError(
              400,
              'named_object_not_found_exception',
              `[${loc?.line ?? 1}:${loc?.col ?? 1}] unknown field [${key}]`,
            ),
            [{ type: 'parsing_exception', reason: `Unknown aggregation type [${key}]`, ...(loc ?? {}) }],
          );
        }
        if (!isObject(value))
          throw parsingException(`Expected [START_OBJECT] under [${key}], but got a [VALUE] in [${name}]`);
        checkParams(key, value, ctx);
        type = key;
        params = value;
      }
    }
    if (type === undefined)
      throw parsingException(`Missing definition for aggregation [${name}]`, ctx.locate(name));
    if (METRIC_AGGS.has(type) && subs.length > 0) {
      throw new OpenSearchError(
        400,
        'aggregation_initialization_exception',
        `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`,
      );
    }
    return { name, type, params, subs, meta };
  });
}

export function runAggs(specs: AggSpec[], slots: Slots, ctx: CompileContext): Json {
  const out: Json = {};
  for (const spec of specs) {
    const result = runAgg(spec, slots, ctx);
    if (spec.meta !== undefined) result.meta = spec.meta;
    out[spec.name] = result;
  }
  return out;
}

function runAgg(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  switch (spec.type) {
    case 'terms':
      return terms(spec, slots, ctx);
    case 'date_histogram':
    case 'histogram':
      return histogram(spec, slots, ctx);
    case 'range':
    case 'date_range':
      return ranges(spec, slots, ctx);
    case 'filter':
      return filterAgg(spec, slots, ctx);
    case 'filters':
      return filtersAgg(spec, slots, ctx);
    case 'missing':
      return missingAgg(spec, slots, ctx);
    default:
      return metric(spec, slots, ctx);
  }
}

function withSubs(bucket: Json, spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  return spec.subs.length ? Object.assign(bucket, runAggs(spec.subs, slots, ctx)) : bucket;
}

function fieldOf(spec: AggSpec): string {
  const field = spec.params.field;
  if (typeof field !== 'string') {
    throw new OpenSearchError(
      400,
      'illegal_argument_exception',
      `Required one of fields [field, script], but none were specified. in [${spec.name}]`,
    );
  }
  return field;
}

/** Rejects fields that have no per-document values (text, flat objects), as OpenSearch does on the shard. */
function checkAggregatable(store: IndexStore, field: string): void {
  // Released OpenSearch versions have no per-document values for a path inside a flat_object; the newest read them
  // from a column of their own. Neither is here: say so rather than answer empty buckets.
  if (flatObjectRoot(store.mapping, field))
    throw notSupportedByStandin(`aggregations on [${field}], a path inside a flat_object field`);
  const type = store.fieldType(field);
  if (type === 'text' || type === 'flat_object')
    throw shardFailure(textFieldNotAggregatable(field), store.name);
}

function filterSlots(slots: Slots, keep: (slot: number) => boolean): Slots {
  const out = new Int32Array(slots.length);
  let n = 0;
  for (let i = 0; i < slots.length; i++) if (keep(slots[i]!)) out[n++] = slots[i]!;
  return out.subarray(0, n);
}

// ---------- terms ----------

interface TermBucket {
  key: string | number;
  keyAsString?: string;
  count: number;
  /** Identifies the value in its column, to collect the bucket's documents for sub-aggregations. */
  test: (slot: number) => boolean;
  /** A keyword bucket's value code, when exactly the documents holding it are the bucket's (no `missing` merged in). */
  code?: number;
}

function compileInclude(spec: AggSpec): (value: string) => boolean {
  const toTest = (p: unknown, name: string): ((v: string) => boolean) | undefined => {
    if (p === undefined) return undefined;
    if (Array.isArray(p)) {
      const set = new Set(p.map(String));
      return (v) => set.has(v);
    }
    if (typeof p === 'string') {
      const re = new RegExp(`^(?:${p})$`);
      return (v) => re.test(v);
    }
    throw parsingException(`Unsupported [${name}] in terms aggregation [${spec.name}]`);
  };
  const include = toTest(spec.params.include, 'include');
  const exclude = toTest(spec.params.exclude, 'exclude');
  return (v) => (!include || include(v)) && (!exclude || !exclude(v));
}

function terms(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const { store } = ctx;
  const field = fieldOf(spec);
  checkAggregatable(store, field);
  const size = Number(spec.params.size ?? 10);
  if (!Number.isInteger(size) || size < 1)
    throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${spec.name}]`);
  const minDocCount = Number(spec.params.min_doc_count ?? 1);
  const accept = compileInclude(spec);
  const type = store.fieldType(field);
  const candidates: TermBucket[] = [];
  const missingValue = spec.params.missing;
  let missingCount = 0;

  if (type === 'keyword') {
    const column = store.keyword.get(field)!;
    const { codes, multi, dict } = column;
    // Every document counts under its first value; a multi-valued one then adds its other (distinct) values.
    // counts[0] is the documents without a value (code -1), counts[c + 1] those with value c.
    const counts = new Int32Array(dict.length + 1);
    const { start, length, pool } = multi;
    if (slots.length === store.size) {
      // Every live document (a facet with no other filter): down the columns in order, without a branch.
      const { live } = store;
      for (let s = 0, n = store.slotCount; s < n; s++) counts[codes[s]! + 1]! += live[s]!;
      for (let i = 0; i < multi.size; i++) {
        const s = multi.slots[i]!;
        if (live[s] !== 1) continue;
        for (let j = start[s]! + 1, end = start[s]! + length[s]!; j < end; j++) counts[pool[j]! + 1]!++;
      }
    } else {
      const hasMulti = multi.size > 0;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        counts[codes[s]! + 1]!++;
        if (hasMulti) {
          const st = start[s]!;
          if (st >= 0) for (let j = st + 1, end = st + length[s]!; j < end; j++) counts[pool[j]! + 1]!++;
        }
      }
    }
    missingCount = counts[0]!;
    const liveCodes = minDocCount === 0 ? liveKeywordCodes(store, field) : undefined;
    for (let c = 0; c < dict.length; c++) {
      if ((counts[c + 1]! > 0 || liveCodes?.has(c)) && accept(dict[c]!)) {
        const code = c;
        candidates.push({
          key: dict[c]!,
          count: counts[c + 1]!,
          test: keywordHas(store, field, code),
          code,
        });
      }
    }
  } else if (type !== undefined && type !== 'nested') {
    const column = store.numeric.get(field)!;
    const counts = new Map<number, number>();
    for (let i = 0; i < slots.length; i++) {
      const vals = new Set(Array.from(column.valuesOf(slots[i]!)));
      if (vals.size === 0) missingCount++;
      for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    for (const [v, count] of counts) {
      const keyAsString = type === 'date' ? formatDate(v) : type === 'boolean' ? String(v === 1) : undefined;
      if (!accept(keyAsString ?? String(v))) continue;
      candidates.push({
        key: v,
        keyAsString,
        count,
        test: (slot) => Array.from(column.valuesOf(slot)).includes(v),
      });
    }
  } else {
    missingCount = slots.length;
  }
  if (missingValue !== undefined && missingCount > 0) {
    const key = String(missingValue);
    const existing = candidates.find((b) => String(b.key) === key);
    const hasNoValue = (slot: number): boolean => fieldValueCount(store, field, slot) === 0;
    if (existing) {
      const test = existing.test;
      existing.count += missingCount;
      existing.test = (slot) => test(slot) || hasNoValue(slot);
      delete existing.code;
    } else {
      candidates.push({
        key: typeof missingValue === 'number' ? missingValue : key,
        count: missingCount,
        test: hasNoValue,
      });
    }
  }

  const buckets = candidates.filter((b) => b.count >= minDocCount);
  sortTermBuckets(buckets, spec, slots, ctx);
  const shown = buckets.slice(0, size);
  const other = buckets.slice(size).reduce((sum, b) => sum + b.count, 0);
  const collected =
    spec.subs.length && type === 'keyword' ? keywordBucketSlots(store, field, slots, shown) : undefined;
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: other,
    buckets: shown.map((b, i) => {
      const bucket: Json = { key: b.key };
      if (b.keyAsString !== undefined) bucket.key_as_string = b.keyAsString;
      bucket.doc_count = b.count;
      if (!spec.subs.length) return bucket;
      return withSubs(bucket, spec, collected?.[i] ?? filterSlots(slots, b.test), ctx);
    }),
  };
}

/**
 * The documents of each keyword bucket that has a code, in the slots' order, collected in one pass over the slots
 * (a pass per bucket, with a lookup of the document's values in each, took a second at a million documents for the
 * nodes view's ten buckets). Buckets without a code are left undefined.
 */
function keywordBucketSlots(
  store: IndexStore,
  field: string,
  slots: Slots,
  buckets: TermBucket[],
): Array<Slots | undefined> {
  const { codes, dict, multi } = store.keyword.get(field)!;
  const { start, length, pool } = multi;
  const bucketOf = new Int32Array(dict.length).fill(-1);
  const out: Array<Int32Array | undefined> = buckets.map((b, i) => {
    if (b.code === undefined) return undefined;
    bucketOf[b.code] = i;
    return new Int32Array(b.count);
  });
  const filled = new Int32Array(buckets.length);
  const add = (code: number, slot: number): void => {
    const i = code < 0 ? -1 : bucketOf[code]!;
    if (i >= 0) out[i]![filled[i]!++] = slot;
  };
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    const st = start[s]!;
    if (st < 0) add(codes[s]!, s);
    // A multi-valued document's values are distinct, its first among them.
    else for (let j = st, end = st + length[s]!; j < end; j++) add(pool[j]!, s);
  }
  return out;
}

/** The codes some live document holds: one tight pass over the column, as facets at a million documents need. */
function liveKeywordCodes(store: IndexStore, field: string): Set<number> {
  const { codes, multi, dict } = store.keyword.get(field)!;
  const { live } = store;
  const seen = new Uint8Array(dict.length);
  for (let s = 0; s < store.slotCount; s++) {
    const c = codes[s]!;
    if (c >= 0 && live[s] === 1) seen[c] = 1;
  }
  for (let i = 0; i < multi.size; i++) {
    const slot = multi.slots[i]!;
    if (live[slot] === 1) for (const c of multi.get(slot)!) seen[c] = 1;
  }
  const out = new Set<number>();
  for (let c = 0; c < seen.length; c++) if (seen[c] === 1) out.add(c);
  return out;
}

function keywordHas(store: IndexStore, field: string, code: number): (slot: number) => boolean {
  const column = store.keyword.get(field)!;
  return (slot) => {
    const many = column.multi.get(slot);
    return many ? many.includes(code) : column.codes[slot] === code;
  };
}

function fieldValueCount(store: IndexStore, field: string, slot: number): number {
  const k = store.keyword.get(field);
  if (k) return k.valuesOf(slot).length;
  const n = store.numeric.get(field);
  return n ? n.valuesOf(slot).length : 0;
}

type OrderSpec = { key: string; desc: boolean };

function parseOrder(order: unknown, spec: AggSpec, defaults: OrderSpec[]): OrderSpec[] {
  if (order === undefined) return defaults;
  const list = Array.isArray(order) ? order : [order];
  return list.map((o) => {
    if (!isObject(o) || Object.keys(o).length !== 1)
      throw parsingException(`Invalid terms aggregation order path in [${spec.name}]`);
    const [key, dir] = Object.entries(o)[0]!;
    const d = String(dir).toLowerCase();
    if (d !== 'asc' && d !== 'desc') throw parsingException(`Unknown order direction [${String(dir)}]`);
    const name = key === '_term' ? '_key' : key;
    if (name !== '_count' && name !== '_key') {
      const sub = spec.subs.find((s) => s.name === name.split('.')[0]);
      if (!sub || !METRIC_AGGS.has(sub.type)) {
        throw shardFailure(
          new OpenSearchError(
            400,
            'aggregation_execution_exception',
            `Invalid aggregation order path [${key}]. The provided aggregation [${name}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.`,
          ),
          undefined,
        );
      }
    }
    return { key: name, desc: d === 'desc' };
  });
}

function sortTermBuckets(buckets: TermBucket[], spec: AggSpec, slots: Slots, ctx: CompileContext): void {
  const orders = parseOrder(spec.params.order, spec, [{ key: '_count', desc: true }]);
  // Metric orders need the metric per bucket: computed once per bucket.
  const metricCache = new Map<TermBucket, Map<string, number>>();
  const metricOf = (b: TermBucket, path: string): number => {
    let m = metricCache.get(b);
    if (!m) metricCache.set(b, (m = new Map()));
    if (!m.has(path)) {
      const [aggName, prop = 'value'] = path.split('.');
      const sub = spec.subs.find((s) => s.name === aggName)!;
      const result = runAgg(sub, filterSlots(slots, b.test), ctx);
      const v = result[prop];
      m.set(path, typeof v === 'number' ? v : -Infinity);
    }
    return m.get(path)!;
  };
  const compareKeys = (a: TermBucket, b: TermBucket): number =>
    typeof a.key === 'number' && typeof b.key === 'number'
      ? a.key - b.key
      : String(a.key) < String(b.key)
        ? -1
        : String(a.key) > String(b.key)
          ? 1
          : 0;
  buckets.sort((a, b) => {
    for (const o of orders) {
      let c: number;
      if (o.key === '_count') c = a.count - b.count;
      else if (o.key === '_key') c = compareKeys(a, b);
      else c = metricOf(a, o.key) - metricOf(b, o.key);
      if (c !== 0) return o.desc ? -c : c;
    }
    // OpenSearch appends `_key` ascending to any order that is not already by key.
    return compareKeys(a, b);
  });
}

// ---------- histograms ----------

const CALENDAR_UNITS: Record<string, string> = {
  second: 's',
  '1s': 's',
  minute: 'm',
  '1m': 'm',
  hour: 'h',
  '1h': 'h',
  day: 'd',
  '1d': 'd',
  week: 'w',
  '1w': 'w',
  month: 'M',
  '1M': 'M',
  quarter: 'q',
  '1q': 'q',
  year: 'y',
  '1y': 'y',
};

function parseFixedInterval(value: string, spec: AggSpec): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!m) {
    throw illegalArgument(
      `failed to parse setting [date_histogram.fixedInterval] with value [${value}] as a time value: unit is missing or unrecognized`,
    );
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  const n = Number(m[1]) * unit;
  if (n <= 0) throw illegalArgument(`Zero or negative time interval not supported in [${spec.name}]`);
  return n;
}

/** Rounding for a date histogram: start of a bucket and the next bucket's start. */
interface DateRounding {
  floor: (t: number) => number;
  next: (t: number) => number;
}

/**
 * The buckets a histogram's values fall in, each numbered as it is first met, and counted in an array where a key
 * counted in a Map of doubles. A date histogram's buckets are contiguous (each runs from its key to the next key, in
 * whole milliseconds), so a date inside one already met needs no date arithmetic, only a binary search of the buckets
 * met so far: rounding each task's date to its calendar week, and the Map, took 130 ms of the timeline's bars over a
 * million tasks. A numeric histogram's keys are products of a double (0.1 × 17 is not 1.6 + 0.1): each value is
 * rounded, and its key looked up.
 */
class HistogramBuckets {
  /** Key of each bucket, by number. */
  readonly keys: number[] = [];
  /** Documents in each bucket, by number. */
  readonly counts: number[] = [];
  /** The buckets met so far in key order: their starts, ends and numbers (contiguous buckets only). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly ids: number[] = [];
  /** The number of each key met (other buckets). */
  private readonly idOfKey = new Map<number, number>();

  constructor(
    private readonly rounding: DateRounding,
    private readonly contiguous: boolean,
  ) {}

  private add(key: number): number {
    const id = this.keys.length;
    this.keys.push(key);
    this.counts.push(0);
    return id;
  }

  /** The number of the bucket holding `v`. */
  of(v: number): number {
    if (!this.contiguous) {
      const key = this.rounding.floor(v);
      let id = this.idOfKey.get(key);
      if (id === undefined) this.idOfKey.set(key, (id = this.add(key)));
      return id;
    }
    const { starts } = this;
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1; // the last bucket starting at or before v
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= v) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && v < this.ends[at]!) return this.ids[at]!;
    const key = this.rounding.floor(v);
    const id = this.add(key);
    // Not in bucket `at`, so after its end: this bucket's place is right after it.
    starts.splice(at + 1, 0, key);
    this.ends.splice(at + 1, 0, this.rounding.next(key));
    this.ids.splice(at + 1, 0, id);
    return id;
  }
}

function dateRounding(spec: AggSpec): DateRounding {
  const { calendar_interval: cal, fixed_interval: fixed, interval } = spec.params;
  const offset = spec.params.offset === undefined ? 0 : parseSignedInterval(String(spec.params.offset));
  // Buckets start on the zone's wall clock, moved by the offset: in UTC that is `offset - zone` later.
  const shift = offset - timeZoneOffset(spec.params.time_zone);
  const wrap = (floor: (t: number) => number, next: (t: number) => number): DateRounding => ({
    floor: (t) => floor(t - shift) + shift,
    next: (t) => next(t - shift) + shift,
  });
  const calendar = cal ?? (typeof interval === 'string' && CALENDAR_UNITS[interval] ? interval : undefined);
  if (calendar !== undefined) {
    const unit = CALENDAR_UNITS[String(calendar)];
    if (!unit)
      throw illegalArgument(
        `The supplied interval [${String(calendar)}] could not be parsed as a calendar interval.`,
      );
    if (unit === 'q') {
      return wrap(
        (t) => {
          const d = new Date(t);
          return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
        },
        (t) => {
          const d = new Date(t);
          return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
        },
      );
    }
    return wrap(
      (t) => roundDate(t, unit, false),
      (t) => roundDate(t, unit, true) + 1,
    );
  }
  const fixedValue = fixed ?? interval;
  if (fixedValue === undefined)
    throw illegalArgument('Invalid interval specified, must be non-null and non-empty');
  const step = typeof fixedValue === 'number' ? fixedValue : parseFixedInterval(String(fixedValue), spec);
  return wrap(
    (t) => Math.floor(t / step) * step,
    (t) => t + step,
  );
}

function parseSignedInterval(value: string): number {
  const m = /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!m) throw illegalArgument(`failed to parse offset [${value}]`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[3] as 'ms'];
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
}

function histogram(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const { store } = ctx;
  const field = fieldOf(spec);
  checkAggregatable(store, field);
  const type = store.fieldType(field);
  const isDate = spec.type === 'date_histogram';
  if (isDate && type !== undefined && type !== 'date') {
    throw shardFailure(
      illegalArgument(`Field [${field}] of type [${type}] is not supported for aggregation [date_histogram]`),
      store.name,
    );
  }
  let rounding: DateRounding;
  if (isDate) rounding = dateRounding(spec);
  else {
    const interval = Number(spec.params.interval);
    if (!(interval > 0))
      throw illegalArgument(`[interval] must be >0 for histogram aggregation [${spec.name}]`);
    const offset = Number(spec.params.offset ?? 0);
    rounding = {
      floor: (v) => Math.floor((v - offset) / interval) * interval + offset,
      next: (v) => v + interval,
    };
  }
  const minDocCount = Number(spec.params.min_doc_count ?? 0);
  const column = type === undefined ? undefined : store.numeric.get(field);
  // Keys print in the requested zone, and dates in the request without a zone are read in it.
  const zone = isDate ? timeZoneOffset(spec.params.time_zone) : 0;
  const toValue = (v: unknown): number => (isDate ? resolveDate(v, ctx.now, false, false, zone) : Number(v));
  const missing = spec.params.missing;
  const missingValue = missing === undefined ? undefined : toValue(missing);
  // Each document's buckets, once: counted here, and read again below to collect the buckets' documents for
  // sub-aggregations (a test of every document per bucket took a second at a million tasks for the timeline's bars).
  // A single-valued document (every date of a task) has one bucket, kept in `bucketOf`; the others are in `bucketsOf`.
  const met = new HistogramBuckets(rounding, isDate);
  const bucketOf = new Int32Array(slots.length).fill(-1);
  const bucketsOf = new Map<number, number[]>();
  const missingBucket = missingValue === undefined || Number.isNaN(missingValue) ? -1 : met.of(missingValue);
  const multi = column !== undefined && column.multi.size > 0 ? column.multi : undefined;
  const values = column?.values;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const many = multi?.get(slot);
    if (many) {
      const ids = [...new Set(Array.from(many, (v) => met.of(v)))];
      bucketsOf.set(i, ids);
      for (const id of ids) met.counts[id]!++;
      continue;
    }
    const v = values === undefined ? NaN : values[slot]!;
    const id = v === v ? met.of(v) : missingBucket;
    if (id < 0) continue;
    bucketOf[i] = id;
    met.counts[id]!++;
  }
  // The missing value's bucket exists only when some document is missing a value.
  const counts = new Map<number, number>();
  met.keys.forEach((k, id) => {
    if (met.counts[id]! > 0) counts.set(k, met.counts[id]!);
  });
  let keys = [...counts.keys()].sort((a, b) => a - b);
  if (minDocCount === 0) {
    const bounds = spec.params.extended_bounds as Json | undefined;
    const toKey = (v: unknown): number => rounding.floor(toValue(v));
    let lo = keys[0];
    let hi = keys[keys.length - 1];
    if (bounds?.min !== undefined)
      lo = lo === undefined ? toKey(bounds.min) : Math.min(lo, toKey(bounds.min));
    if (bounds?.max !== undefined)
      hi = hi === undefined ? toKey(bounds.max) : Math.max(hi, toKey(bounds.max));
    if (lo !== undefined && hi !== undefined) {
      const filled: number[] = [];
      for (let k = lo; k <= hi; k = rounding.next(k)) {
        filled.push(k);
        if (filled.length > 65_535) {
          throw new OpenSearchError(
            400,
            'too_many_buckets_exception',
            'Trying to create too many buckets. Must be less than or equal to: [65535] but was [65536]. This limit can be set by changing the [search.max_buckets] cluster level setting.',
            { max_buckets: 65535 },
          );
        }
      }
      keys = filled;
    }
  }
  const hard = spec.params.hard_bounds as Json | undefined;
  if (hard) {
    const min = hard.min === undefined ? -Infinity : toValue(hard.min);
    const max = hard.max === undefined ? Infinity : toValue(hard.max);
    keys = keys.filter((k) => rounding.next(k) > min && k <= max);
  }
  keys = keys.filter((k) => (counts.get(k) ?? 0) >= minDocCount);
  const order = parseOrder(spec.params.order, spec, [{ key: '_key', desc: false }])[0]!;
  if (order.key === '_count')
    keys.sort((a, b) => ((counts.get(a) ?? 0) - (counts.get(b) ?? 0)) * (order.desc ? -1 : 1) || a - b);
  else if (order.desc) keys.reverse();
  const collected = spec.subs.length
    ? histogramBucketSlots(keys, counts, slots, met.keys, bucketOf, bucketsOf)
    : undefined;
  const buckets = keys.map((k, b) => {
    const bucket: Json = isDate ? { key_as_string: formatDate(k, zone), key: k } : { key: k };
    bucket.doc_count = counts.get(k) ?? 0;
    return collected ? withSubs(bucket, spec, collected[b]!, ctx) : bucket;
  });
  if (spec.params.keyed === true) {
    return {
      buckets: Object.fromEntries(
        buckets.map((b) => [isDate ? String(b.key_as_string) : javaDouble(b.key as number), b]),
      ),
    };
  }
  return { buckets };
}

/** The documents of each bucket, in the slots' order, from the buckets the counting pass found for each document. */
function histogramBucketSlots(
  keys: number[],
  counts: Map<number, number>,
  slots: Slots,
  keyOfBucket: number[],
  bucketOf: Int32Array,
  bucketsOf: Map<number, number[]>,
): Slots[] {
  const position = new Map(keys.map((k, b) => [k, b]));
  // Where each met bucket's documents go in the answer, or -1 when the bucket is not in it (hard_bounds, min_doc_count).
  const target = Int32Array.from(keyOfBucket, (k) => position.get(k) ?? -1);
  const out = keys.map((k) => new Int32Array(counts.get(k) ?? 0));
  const filled = new Int32Array(keys.length);
  const add = (id: number, slot: number): void => {
    const b = target[id]!;
    if (b >= 0) out[b]![filled[b]!++] = slot;
  };
  for (let i = 0; i < slots.length; i++) {
    const id = bucketOf[i]!;
    if (id >= 0) add(id, slots[i]!);
    else for (const each of bucketsOf.get(i) ?? []) add(each, slots[i]!);
  }
  return out;
}

// ---------- ranges ----------

function ranges(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const { store } = ctx;
  const field = fieldOf(spec);
  checkAggregatable(store, field);
  const list = spec.params.ranges;
  if (!Array.isArray(list) || list.length === 0)
    throw illegalArgument(`No [ranges] specified for the [${spec.name}] aggregation`);
  const type = store.fieldType(field);
  const isDate = type === 'date';
  const column = store.numeric.get(field);
  if (type === 'keyword')
    throw shardFailure(
      illegalArgument(`Field [${field}] of type [keyword] is not supported for aggregation [${spec.type}]`),
      store.name,
    );
  const toNum = (v: unknown): number | undefined =>
    v === undefined || v === null ? undefined : isDate ? resolveDate(v, ctx.now) : Number(v);
  const fmt = (v: number): string => (isDate ? formatDate(v) : javaDouble(v));
  const parsed = list.map((r: unknown) => {
    if (!isObject(r)) throw parsingException(`[ranges] in [${spec.name}] must be objects`);
    return { key: r.key, from: toNum(r.from), to: toNum(r.to) };
  });
  // OpenSearch sorts the ranges by `from`, then `to` (an open end sorting first and last), whatever the order
  // they were asked in.
  const order = (v: number | undefined, open: number): number => v ?? open;
  parsed.sort(
    (a, b) =>
      order(a.from, -Infinity) - order(b.from, -Infinity) || order(a.to, Infinity) - order(b.to, Infinity),
  );
  const buckets = parsed.map((r) => {
    const { from, to } = r;
    const inRange = (v: number): boolean => (from === undefined || v >= from) && (to === undefined || v < to);
    const keep = (slot: number): boolean => !!column && Array.from(column.valuesOf(slot)).some(inRange);
    const matched = filterSlots(slots, keep);
    const key =
      typeof r.key === 'string'
        ? r.key
        : `${from === undefined ? '*' : fmt(from)}-${to === undefined ? '*' : fmt(to)}`;
    const bucket: Json = { key };
    if (from !== undefined) {
      bucket.from = from;
      if (isDate) bucket.from_as_string = formatDate(from);
    }
    if (to !== undefined) {
      bucket.to = to;
      if (isDate) bucket.to_as_string = formatDate(to);
    }
    bucket.doc_count = matched.length;
    return withSubs(bucket, spec, matched, ctx);
  });
  if (spec.params.keyed === true)
    // A keyed bucket is named by its key and so does not repeat it.
    return { buckets: Object.fromEntries(buckets.map(({ key, ...b }) => [String(key), b])) };
  return { buckets };
}

/** A double as Java's `Double.toString` writes it, which is how numeric range keys read: `1.0`, `0.5`, `1.0E7`. */
function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(v) ? `${v}.0` : String(v);
  const [mantissa = '', exponent = ''] = v.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

// ---------- filter, filters, missing ----------

function filterAgg(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const matched = selectSlotsFor(spec.params, slots, ctx);
  return withSubs({ doc_count: matched.length }, spec, matched, ctx);
}

function filtersAgg(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const defs = spec.params.filters;
  if (!isObject(defs) && !Array.isArray(defs))
    throw parsingException(`[filters] in [${spec.name}] must be an object or an array`);
  const entries: Array<[string, unknown]> = Array.isArray(defs)
    ? defs.map((d, i) => [String(i), d])
    : Object.entries(defs);
  // Named filters run in key order (OpenSearch sorts them); the other bucket always comes last.
  if (!Array.isArray(defs)) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const matchers = entries.map(([, q]) => compileQuery(q, ctx, false));
  const withOther = spec.params.other_bucket === true || spec.params.other_bucket_key !== undefined;
  const inSome = withOther ? new Uint8Array(ctx.store.slotCount) : undefined;
  const results = entries.map(([key], i) => {
    const matched = selectSlots(matchers[i]!, slots, ctx.store);
    if (inSome) for (let j = 0; j < matched.length; j++) inSome[matched[j]!] = 1;
    return [key, withSubs({ doc_count: matched.length }, spec, matched, ctx)] as const;
  });
  if (inSome) {
    const other = filterSlots(slots, (s) => inSome[s] === 0);
    results.push([
      String(spec.params.other_bucket_key ?? '_other_'),
      withSubs({ doc_count: other.length }, spec, other, ctx),
    ]);
  }
  // Keyed (named filters) answer an object; anonymous ones, an array.
  if (Array.isArray(defs)) return { buckets: results.map(([, b]) => b) };
  return { buckets: Object.fromEntries(results) };
}

function missingAgg(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const field = fieldOf(spec);
  checkAggregatable(ctx.store, field);
  const matched = filterSlots(slots, (s) => fieldValueCount(ctx.store, field, s) === 0);
  return withSubs({ doc_count: matched.length }, spec, matched, ctx);
}

// ---------- metrics ----------

/**
 * Count, sum, min and max of a numeric column's values over `slots` (`missing` standing in for a document without
 * one), read straight from the column: no list per document, and plain locals, since a million tasks go through.
 */
function summarise(
  slots: Slots,
  column: NumericColumn | undefined,
  missing: number | undefined,
  distinct: Set<number> | undefined,
): { count: number; sum: number; min: number; max: number } {
  const values = column?.values;
  if (values !== undefined && (column === undefined || column.multi.size === 0) && distinct === undefined) {
    return summariseSingle(slots, values, missing);
  }
  const multi = column !== undefined && column.multi.size > 0 ? column.multi : undefined;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const many = multi === undefined ? undefined : multi.get(slot);
    const n = many === undefined ? 1 : many.length;
    for (let j = 0; j < n; j++) {
      let v = many !== undefined ? many[j]! : values !== undefined ? values[slot]! : NaN;
      if (v !== v) {
        // NaN: the document has no value.
        if (missing === undefined) continue;
        v = missing;
      }
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      distinct?.add(v);
    }
  }
  return { count, sum, min, max };
}

/**
 * summariseSingle's loop, which leaves its answer in these. V8 compiles a hot loop while it runs (on-stack
 * replacement), before the code after it has ever run, and the code after this loop (stores into an array, or an
 * object literal) had no type feedback then: the compiled loop was thrown away at the end of every call, so that every
 * loop ran in the interpreter, with each number it added boxed. Module variables are stored without feedback.
 */
let summedCount = 0;
let summedSum = 0;
let summedMin = Infinity;
let summedMax = -Infinity;
/** For the same reason, the loop's starting values are constants: a `-Infinity` in it deoptimised it too. */
const NO_MAX = -Infinity;

/**
 * summarise's common case, a column of one value per document and no distinct values to keep: 32 MB of garbage less
 * a search at a million tasks, and the GCs that came with it.
 */
function summariseSingle(
  slots: Slots,
  values: Float64Array,
  missing: number | undefined,
): { count: number; sum: number; min: number; max: number } {
  summariseInto(slots, values, missing === undefined ? NaN : missing);
  return { count: summedCount, sum: summedSum, min: summedMin, max: summedMax };
}

function summariseInto(slots: Slots, values: Float64Array, fill: number): void {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = NO_MAX;
  for (let i = 0; i < slots.length; i++) {
    let v = values[slots[i]!]!;
    if (v !== v) {
      v = fill;
      if (v !== v) continue;
    }
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  summedCount = count;
  summedSum = sum;
  summedMin = min;
  summedMax = max;
}

function metric(spec: AggSpec, slots: Slots, ctx: CompileContext): Json {
  const { store } = ctx;
  const field = fieldOf(spec);
  checkAggregatable(store, field);
  const type = store.fieldType(field);
  const missing = spec.params.missing;
  if (type === 'keyword') {
    if (spec.type !== 'value_count' && spec.type !== 'cardinality') {
      throw shardFailure(
        illegalArgument(`Field [${field}] of type [keyword] is not supported for aggregation [${spec.type}]`),
        store.name,
      );
    }
    const column = store.keyword.get(field)!;
    let count = 0;
    const distinct = new Set<number | string>();
    // A missing value that some document holds is the same term, not a new one.
    const missingTerm = missing === undefined ? undefined : column.lookup(String(missing));
    for (let i = 0; i < slots.length; i++) {
      const vals = column.valuesOf(slots[i]!);
      if (vals.length === 0 && missing !== undefined) {
        count++;
        distinct.add(missingTerm === -1 ? String(missing) : missingTerm!);
      }
      for (let j = 0; j < vals.length; j++) distinct.add(vals[j]!);
      count += vals.length;
    }
    return { value: spec.type === 'value_count' ? count : distinct.size };
  }
  const column = type === undefined ? undefined : store.numeric.get(field);
  const isDate = type === 'date';
  const missingValue =
    missing === undefined ? undefined : isDate ? resolveDate(missing, ctx.now) : Number(missing);
  const distinct = spec.type === 'cardinality' ? new Set<number>() : undefined;
  const { count, sum, min, max } = summarise(slots, column, missingValue, distinct);
  // Values of dates and booleans also come formatted, as the field's format prints them (a sum included).
  const format =
    type === 'date' ? formatDate : type === 'boolean' ? (v: number): string => String(v !== 0) : undefined;
  const withString = (value: number | null): Json =>
    value !== null && format ? { value, value_as_string: format(value) } : { value };
  switch (spec.type) {
    case 'min':
      return withString(count ? min : null);
    case 'max':
      return withString(count ? max : null);
    case 'avg':
      return withString(count ? sum / count : null);
    case 'sum':
      return withString(sum);
    case 'value_count':
      return { value: count };
    case 'cardinality':
      return { value: distinct!.size };
    default: {
      const stats: Json = {
        count,
        min: count ? min : null,
        max: count ? max : null,
        avg: count ? sum / count : null,
        sum,
      };
      if (format && count) {
        Object.assign(stats, {
          min_as_string: format(min),
          max_as_string: format(max),
          avg_as_string: format(sum / count),
          sum_as_string: format(sum),
        });
      }
      return stats;
    }
  }
}
