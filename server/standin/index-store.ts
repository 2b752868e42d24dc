// One in-memory index: documents with versions and sequence numbers, plus per-field columns so that filters,
// sorts and aggregations over a million documents run on typed arrays instead of objects.

import type { FieldType, IndexMapping } from './mapping';
import { isColumnar } from './mapping';
import { parseAbsoluteDate } from './date-math';
import { analyze } from './analysis';

/**
 * The values of multi-valued documents (such as `worker_node`), packed in typed arrays: `start[slot]` is where a
 * slot's values begin in `pool` (-1 for a slot with at most one value) and `length[slot]` how many it has. Facets
 * and filters over a million documents loop over these without a map lookup or an allocation per document.
 */
export class MultiValues {
  start: Int32Array;
  length: Int32Array;
  pool = new Int32Array(1024);
  private used = 0;
  /** The multi-valued slots, in the order they were set. */
  slots = new Int32Array(256);
  size = 0;

  constructor(capacity: number) {
    this.start = new Int32Array(capacity).fill(-1);
    this.length = new Int32Array(capacity);
  }

  /** Records a slot's values (distinct, two or more). Slots are set once: documents are never updated in place. */
  set(slot: number, values: Int32Array): void {
    if (this.used + values.length > this.pool.length) {
      const next = new Int32Array(Math.max(this.pool.length * 2, this.used + values.length));
      next.set(this.pool);
      this.pool = next;
    }
    this.pool.set(values, this.used);
    this.start[slot] = this.used;
    this.length[slot] = values.length;
    this.used += values.length;
    if (this.size === this.slots.length) {
      const next = new Int32Array(this.slots.length * 2);
      next.set(this.slots);
      this.slots = next;
    }
    this.slots[this.size++] = slot;
  }

  get(slot: number): Int32Array | undefined {
    const st = this.start[slot]!;
    return st < 0 ? undefined : this.pool.subarray(st, st + this.length[slot]!);
  }

  grow(capacity: number): void {
    const start = new Int32Array(capacity).fill(-1);
    start.set(this.start);
    this.start = start;
    const length = new Int32Array(capacity);
    length.set(this.length);
    this.length = length;
  }
}

/** Dictionary-encoded keyword values. `codes[slot]` is -1 when missing and the first value otherwise. */
export class KeywordColumn {
  readonly dict: string[] = [];
  private readonly codeOf = new Map<string, number>();
  codes: Int32Array;
  /** Slots holding more than one value (multi-valued fields such as `worker_node`), all their values. */
  readonly multi: MultiValues;
  private ranks: Int32Array | undefined;
  private sortedDict: string[] | undefined;

  constructor(capacity: number) {
    this.codes = new Int32Array(capacity).fill(-1);
    this.multi = new MultiValues(capacity);
  }

  code(value: string): number {
    let c = this.codeOf.get(value);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(value);
      this.codeOf.set(value, c);
      this.ranks = undefined;
      this.sortedDict = undefined;
    }
    return c;
  }

  /** The code of a value, or -1 when no document has ever held it. */
  lookup(value: string): number {
    return this.codeOf.get(value) ?? -1;
  }

  set(slot: number, values: string[]): void {
    // A document holding the same value twice counts once in every facet and filter: keep each value once.
    const distinct = values.length > 1 ? [...new Set(values)] : values;
    if (distinct.length === 0) {
      this.codes[slot] = -1;
      return;
    }
    this.codes[slot] = this.code(distinct[0]!);
    if (distinct.length > 1)
      this.multi.set(
        slot,
        Int32Array.from(distinct, (v) => this.code(v)),
      );
  }

  /** All codes of a slot (empty when missing). */
  valuesOf(slot: number): ArrayLike<number> {
    const many = this.multi.get(slot);
    if (many) return many;
    const c = this.codes[slot]!;
    return c === -1 ? EMPTY : [c];
  }

  /** Rank of each code in the sorted order of the values (what sorting compares). */
  rankTable(): Int32Array {
    if (!this.ranks) {
      const order = this.dict.map((_, i) => i).sort((a, b) => compareStrings(this.dict[a]!, this.dict[b]!));
      this.ranks = new Int32Array(this.dict.length);
      order.forEach((code, rank) => (this.ranks![code] = rank));
      this.sortedDict = order.map((c) => this.dict[c]!);
    }
    return this.ranks;
  }

  /** Where a value that may not be in the dictionary falls among the ranks: exact rank or `i - 0.5`. */
  rankOfValue(value: string): number {
    this.rankTable();
    const sorted = this.sortedDict!;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(sorted[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return sorted[lo] === value ? lo : lo - 0.5;
  }

  grow(capacity: number): void {
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.codes);
    this.codes = next;
    this.multi.grow(capacity);
  }
}

const EMPTY: number[] = [];

/** Lucene compares keyword terms as UTF-8 bytes; for the BMP that is code-unit order. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric values (numbers, dates as epoch millis, booleans as 0/1); NaN when missing. */
export class NumericColumn {
  values: Float64Array;
  readonly multi = new Map<number, Float64Array>();

  constructor(capacity: number) {
    this.values = new Float64Array(capacity).fill(NaN);
  }

  set(slot: number, values: number[]): void {
    this.multi.delete(slot);
    this.values[slot] = values.length ? values[0]! : NaN;
    if (values.length > 1) this.multi.set(slot, Float64Array.from(values));
  }

  valuesOf(slot: number): ArrayLike<number> {
    const many = this.multi.get(slot);
    if (many) return many;
    const v = this.values[slot]!;
    return Number.isNaN(v) ? EMPTY : [v];
  }

  grow(capacity: number): void {
    const next = new Float64Array(capacity).fill(NaN);
    next.set(this.values);
    this.values = next;
  }
}

export interface StoredDoc<T> {
  _id: string;
  _source: T;
}

export type Source = Record<string, unknown>;

function countOnes(mask: Uint8Array, n: number): number {
  let count = 0;
  for (let s = 0; s < n; s++) count += mask[s]!;
  return count;
}

/**
 * The slots set in a 0/1 mask, ascending. It writes every slot and moves on only past kept ones: no branch to
 * mispredict, which a filter keeping half of a million documents would otherwise do at every other slot.
 */
export function slotsOf(mask: Uint8Array, n: number): Int32Array {
  const count = countOnes(mask, n);
  const out = new Int32Array(count + 1);
  writeSlots(out, mask, n);
  return out.subarray(0, count);
}

/**
 * slotsOf's loop, in a function of its own that ends with the loop. V8 compiles a hot loop while it runs (on-stack
 * replacement), before the code after it has ever run; that code (here `subarray`) then had no type feedback and
 * threw the compiled loop away at the end of every call (41 times in 40 searches at a million tasks), so the loop ran
 * in the interpreter.
 */
function writeSlots(out: Int32Array, mask: Uint8Array, n: number): void {
  let m = 0;
  for (let s = 0; s < n; s++) {
    out[m] = s;
    m += mask[s]!;
  }
}

export class IndexStore {
  ids: string[] = [];
  /** `null` marks a deleted slot: slots are never reused, so document order stays insertion order. */
  sources: Array<Source | null> = [];
  versions: Int32Array;
  seqNos: Float64Array;
  /** 1 for a live slot, 0 for a deleted or replaced one: the starting mask of a bulk filter. */
  live: Uint8Array;
  readonly keyword = new Map<string, KeywordColumn>();
  readonly numeric = new Map<string, NumericColumn>();
  private readonly slotOf = new Map<string, number>();
  private readonly tokenCache = new Map<string, string[]>();
  private nextSeqNo = 0;
  private liveCount = 0;
  /** Facts computed from the documents (see `derived`), dropped on every write. */
  private readonly derivedCache = new Map<string, unknown>();
  /** Whether the index exists at all: a real cluster creates the task index lazily, on the first write. */
  exists = false;
  readonly primaryTerm = 1;

  constructor(
    readonly name: string,
    readonly mapping: IndexMapping,
    capacity = 1024,
  ) {
    this.versions = new Int32Array(capacity);
    this.seqNos = new Float64Array(capacity);
    this.live = new Uint8Array(capacity);
    for (const [field, type] of Object.entries(mapping.fields)) this.addColumn(field, type, capacity);
    for (const [field, sub] of Object.entries(mapping.subFields)) this.addColumn(field, sub.type, capacity);
  }

  private addColumn(field: string, type: FieldType, capacity: number): void {
    if (!isColumnar(type)) return;
    if (type === 'keyword') this.keyword.set(field, new KeywordColumn(capacity));
    else this.numeric.set(field, new NumericColumn(capacity));
  }

  get size(): number {
    return this.liveCount;
  }

  /**
   * Every live slot, ascending: what a match-all search matches. Kept until the next write, since the console's
   * default view asks for it on every load and refresh. Callers must not change it.
   */
  liveSlots(): Int32Array {
    return this.derived('live slots', () => slotsOf(this.live, this.slotCount));
  }

  /**
   * A fact about the documents computed once and kept until the next write: `compute` must read only this index.
   * `name` tells the facts apart; callers must not change what it returns.
   */
  derived<T>(name: string, compute: () => T): T {
    if (this.derivedCache.has(name)) return this.derivedCache.get(name) as T;
    const value = compute();
    this.derivedCache.set(name, value);
    return value;
  }

  /** Number of slots, deleted ones included: loops run over `0 .. slotCount`. */
  get slotCount(): number {
    return this.ids.length;
  }

  fieldType(field: string): FieldType | undefined {
    return this.mapping.fields[field] ?? this.mapping.subFields[field]?.type;
  }

  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  get(id: string): { slot: number; source: Source } | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const source = this.sources[slot];
    return source ? { slot, source } : undefined;
  }

  /** Indexes or replaces a document, as the index API does; returns its slot. */
  put(id: string, source: Source): number {
    this.exists = true;
    this.derivedCache.clear();
    const previous = this.slotOf.get(id);
    let version = 1;
    if (previous !== undefined) {
      // Replacing moves the document to the end, like a Lucene update (delete + add).
      version = this.versions[previous]! + 1;
      if (this.sources[previous]) this.liveCount--;
      this.sources[previous] = null;
      this.live[previous] = 0;
    }
    const slot = this.ids.length;
    if (slot >= this.versions.length) this.grow(Math.max(1024, this.versions.length * 2));
    this.ids.push(id);
    this.sources.push(source);
    this.slotOf.set(id, slot);
    this.versions[slot] = version;
    this.seqNos[slot] = this.nextSeqNo++;
    this.live[slot] = 1;
    this.liveCount++;
    this.indexColumns(slot, source);
    return slot;
  }

  /** Deletes a document; returns the delete's version and sequence number, or undefined when absent. */
  delete(id: string): { version: number; seqNo: number } | undefined {
    const found = this.get(id);
    if (!found) return undefined;
    this.derivedCache.clear();
    this.sources[found.slot] = null;
    this.live[found.slot] = 0;
    this.liveCount--;
    const version = this.versions[found.slot]! + 1;
    this.versions[found.slot] = version;
    const seqNo = this.nextSeqNo++;
    this.seqNos[found.slot] = seqNo;
    return { version, seqNo };
  }

  /** Reserves room for `n` more documents at once (bulk loads). */
  reserve(n: number): void {
    const needed = this.ids.length + n;
    if (needed > this.versions.length) this.grow(needed);
  }

  private grow(capacity: number): void {
    const versions = new Int32Array(capacity);
    versions.set(this.versions);
    this.versions = versions;
    const seqNos = new Float64Array(capacity);
    seqNos.set(this.seqNos);
    this.seqNos = seqNos;
    const live = new Uint8Array(capacity);
    live.set(this.live);
    this.live = live;
    for (const c of this.keyword.values()) c.grow(capacity);
    for (const c of this.numeric.values()) c.grow(capacity);
  }

  private indexColumns(slot: number, source: Source): void {
    for (const [field, column] of this.keyword) {
      column.set(slot, keywordValues(readPath(source, field)));
    }
    for (const [field, column] of this.numeric) {
      column.set(slot, numericValues(readPath(source, field), this.fieldType(field)!));
    }
  }

  /** Terms of a text field's value (the standard analyzer), cached per distinct string (seeded errors share them). */
  tokens(text: string): string[] {
    let t = this.tokenCache.get(text);
    if (!t) {
      t = analyze(text);
      if (this.tokenCache.size > 200_000) this.tokenCache.clear();
      this.tokenCache.set(text, t);
    }
    return t;
  }
}

/** Reads a field by dotted path, following objects; `name.keyword` reads `name`. */
export function readPath(source: Source, path: string): unknown {
  if (path in source) return source[path];
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  const head = source[path.slice(0, dot)];
  if (path.endsWith('.keyword') && typeof head !== 'object') return source[path.slice(0, -'.keyword'.length)];
  if (head && typeof head === 'object' && !Array.isArray(head))
    return readPath(head as Source, path.slice(dot + 1));
  return undefined;
}

function keywordValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(keywordValues);
  if (typeof value === 'object') return [];
  return [String(value)];
}

function numericValues(value: unknown, type: FieldType): number[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => numericValues(v, type));
  if (type === 'boolean')
    return value === true || value === 'true' ? [1] : value === false || value === 'false' ? [0] : [];
  if (type === 'date') {
    const t = parseAbsoluteDate(value, true);
    return t === undefined ? [] : [t];
  }
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? [n] : [];
}
