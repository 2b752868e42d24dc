// Sorting: parses the `sort` clause into keys over columns, compares slots, and selects the top hits.

import type { IndexStore } from './index-store';
import { flatObjectRoot } from './mapping';
import {
  OpenSearchError,
  illegalArgument,
  notSupportedByStandin,
  parsingException,
  shardFailure,
  textFieldNotAggregatable,
} from './errors';
import { resolveDate } from './date-math';

// Java's Long.MAX_VALUE / MIN_VALUE, which OpenSearch reports for missing numbers (as doubles here).
const LONG_MAX = 2 ** 63 - 1;
const LONG_MIN = -(2 ** 63);

export interface SortKey {
  /** The field, `_score` or `_doc`. */
  name: string;
  desc: boolean;
  /** A number ordering documents ascending; missing values already placed first or last. */
  encode: (slot: number, score: number) => number;
  /** The value reported in each hit's `sort` array. */
  report: (slot: number, score: number) => string | number | null;
  /** Maps a `search_after` value into the same space as `encode`. */
  fromCursor: (value: unknown) => number;
  /**
   * For a single-valued numeric field, its column and the encoding of a missing value: `encode` without a call
   * per document, for the loops over every match.
   */
  dense?: { values: Float64Array; missing: number };
}

type SortSpec = { field: string; order?: string; missing?: unknown; unmappedType?: string; mode?: string };

function normaliseSpecs(sort: unknown): SortSpec[] {
  const list = Array.isArray(sort) ? sort : [sort];
  return list.map((item): SortSpec => {
    if (typeof item === 'string') return { field: item };
    if (typeof item !== 'object' || item === null)
      throw parsingException(`[sort] malformed sort element [${String(item)}]`);
    const entries = Object.entries(item as Record<string, unknown>);
    if (entries.length !== 1) throw parsingException('[sort] expected a single field name per sort element');
    const [field, spec] = entries[0]!;
    if (typeof spec === 'string') return { field, order: spec };
    if (typeof spec !== 'object' || spec === null)
      throw parsingException(`[sort] malformed sort order for [${field}]`);
    const s = spec as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (!['order', 'missing', 'unmapped_type', 'mode', 'format', 'numeric_type'].includes(k)) {
        throw parsingException(`[field_sort] unknown field [${k}]`);
      }
    }
    return {
      field,
      order: s.order as string | undefined,
      missing: s.missing,
      unmappedType: s.unmapped_type as string | undefined,
      mode: s.mode as string | undefined,
    };
  });
}

/** Builds the sort keys for a request; the default (no `sort`) is score descending. */
export function parseSort(sort: unknown, store: IndexStore, now: number): SortKey[] {
  if (sort === undefined) return [scoreKey(true)];
  return normaliseSpecs(sort).map((spec) => {
    const order = spec.order?.toLowerCase();
    if (order !== undefined && order !== 'asc' && order !== 'desc') {
      throw illegalArgument(
        `No enum constant org.opensearch.search.sort.SortOrder.${spec.order!.toUpperCase()}`,
      );
    }
    if (spec.field === '_score') return scoreKey(order !== 'asc');
    if (spec.field === '_doc') return docKey(order === 'desc');
    return fieldKey(spec, order === 'desc', store, now);
  });
}

function scoreKey(desc: boolean): SortKey {
  return {
    name: '_score',
    desc,
    encode: (_slot, score) => score,
    report: (_slot, score) => score,
    fromCursor: (v) => Number(v),
  };
}

function docKey(desc: boolean): SortKey {
  return { name: '_doc', desc, encode: (slot) => slot, report: (slot) => slot, fromCursor: (v) => Number(v) };
}

function fieldKey(spec: SortSpec, desc: boolean, store: IndexStore, now: number): SortKey {
  const { field } = spec;
  const type = store.fieldType(field);
  if (type === 'text' || type === 'flat_object')
    throw shardFailure(textFieldNotAggregatable(field), store.name);
  // A path inside a flat_object is a field to OpenSearch, not an unmapped name; the stand-in cannot sort on it.
  if (flatObjectRoot(store.mapping, field))
    throw notSupportedByStandin(`sorting on [${field}], a path inside a flat_object field`);
  if (type === undefined || type === 'nested') {
    if (!spec.unmappedType) {
      throw shardFailure(
        new OpenSearchError(
          400,
          'query_shard_exception',
          `No mapping found for [${field}] in order to sort on`,
          { index: store.name },
        ),
        store.name,
      );
    }
    // An unmapped field sorts every document as missing.
    const missing = desc ? -Infinity : Infinity;
    return { name: field, desc, encode: () => missing, report: () => null, fromCursor: () => missing };
  }
  // Missing values go last by default, whatever the direction; encoded so that the comparison places them.
  const missingFirst = spec.missing === '_first';
  const missingIsValue = spec.missing !== undefined && spec.missing !== '_last' && spec.missing !== '_first';
  const useMax = spec.mode ? spec.mode === 'max' : desc;
  if (type === 'keyword') {
    const column = store.keyword.get(field)!;
    const ranks = column.rankTable();
    const { codes, multi, dict } = column;
    const missingEnc = missingIsValue
      ? column.rankOfValue(String(spec.missing))
      : missingFirst !== desc
        ? -Infinity
        : Infinity;
    const pick = (slot: number): number => {
      const many = multi.size ? multi.get(slot) : undefined;
      if (many) {
        let best = ranks[many[0]!]!;
        for (let i = 1; i < many.length; i++) {
          const r = ranks[many[i]!]!;
          if (useMax ? r > best : r < best) best = r;
        }
        return best;
      }
      const c = codes[slot]!;
      return c === -1 ? NaN : ranks[c]!;
    };
    const rankToCode = new Int32Array(ranks.length);
    ranks.forEach((rank, code) => (rankToCode[rank] = code));
    return {
      name: field,
      desc,
      encode: (slot) => {
        const r = pick(slot);
        return Number.isNaN(r) ? missingEnc : r;
      },
      report: (slot) => {
        const r = pick(slot);
        if (Number.isNaN(r)) return missingIsValue ? String(spec.missing) : null;
        return dict[rankToCode[r]!]!;
      },
      fromCursor: (v) => (v === null ? missingEnc : column.rankOfValue(String(v))),
    };
  }
  const column = store.numeric.get(field)!;
  const { values, multi } = column;
  const parseValue = (v: unknown): number => {
    if (type === 'date') return resolveDate(typeof v === 'number' ? v : String(v), now);
    if (type === 'boolean')
      return v === true || v === 'true' ? 1 : v === false || v === 'false' ? 0 : Number(v);
    return Number(v);
  };
  const missingEnc = missingIsValue ? parseValue(spec.missing) : missingFirst !== desc ? LONG_MIN : LONG_MAX;
  const pick = (slot: number): number => {
    const many = multi.size ? multi.get(slot) : undefined;
    if (many) return useMax ? Math.max(...many) : Math.min(...many);
    return values[slot]!;
  };
  return {
    name: field,
    desc,
    ...(multi.size === 0 ? { dense: { values, missing: missingEnc } } : {}),
    encode: (slot) => {
      const v = pick(slot);
      return Number.isNaN(v) ? missingEnc : v;
    },
    report: (slot) => {
      const v = pick(slot);
      return Number.isNaN(v) ? missingEnc : v;
    },
    fromCursor: (v) => {
      try {
        return parseValue(v);
      } catch (e) {
        throw e instanceof OpenSearchError ? shardFailure(e, store.name) : e;
      }
    },
  };
}

/** Compares two documents by the sort keys; ties fall back to index order, as Lucene's doc ids do. */
export function makeComparator(keys: SortKey[], scoreOf: (slot: number) => number) {
  return (a: number, b: number): number => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const va = k.encode(a, scoreOf(a));
      const vb = k.encode(b, scoreOf(b));
      if (va !== vb) return (va < vb ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return a - b;
  };
}

/**
 * The `k` best slots in sorted order, with a bounded heap: O(n log k) rather than sorting every match.
 * `primary` is the first sort key: a candidate whose first key is worse than the heap's worst is skipped with one
 * number comparison, which is what almost every candidate is once the heap has filled.
 */
export function topK(
  slots: ArrayLike<number>,
  count: number,
  k: number,
  compare: (a: number, b: number) => number,
  primary?: {
    value: (slot: number) => number;
    desc: boolean;
    only: boolean;
    dense?: { values: Float64Array; missing: number } | undefined;
  },
  reverse = false,
): number[] {
  if (k <= 0) return [];
  // A max-heap on `compare`: its root is the worst of the best k seen so far.
  const heap: number[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(heap[i]!, heap[p]!) <= 0) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && compare(heap[l]!, heap[m]!) > 0) m = l;
      if (r < heap.length && compare(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  let worst = NaN; // the root's primary value, once the heap is full
  const sign = primary?.desc ? -1 : 1;
  const dense = primary?.dense;
  for (let j = 0; j < count; j++) {
    const s = slots[reverse ? count - 1 - j : j]!;
    if (heap.length < k) {
      heap.push(s);
      up(heap.length - 1);
      if (primary && heap.length === k) worst = primary.value(heap[0]!) * sign;
      continue;
    }
    if (primary) {
      let v: number;
      if (dense) {
        v = dense.values[s]!;
        if (v !== v) v = dense.missing; // NaN: no value
      } else v = primary.value(s);
      v *= sign;
      // With one key and slots walked upwards, a tie loses to the earlier slot already in the heap.
      if (v > worst || (v === worst && primary.only && !reverse)) continue;
    }
    if (compare(s, heap[0]!) < 0) {
      heap[0] = s;
      down(0);
      if (primary) worst = primary.value(heap[0]!) * sign;
    }
  }
  return heap.sort(compare);
}
