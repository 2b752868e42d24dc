// The timeline's part of the view's search: which bars a time range gets (interval, bounds from the range's own date
// math) and their aggregation. Only this goes with the first screen; reading the answer is timeline-results.ts.
import type { TaskViewState, TimeField } from './task-view-state';

type Clause = Record<string, unknown>;

/** The view search's aggregation the timeline reads (its bars, or the span to draw them over). */
export const TIMELINE_AGG = 'timeline';

/** Bars a range is split into at most: ~40–80 with the intervals below, enough to see a change, few enough to read. */
export const MAX_BARS = 80;

/** The states counted per bar: every state ML Commons has (9) and room for ones it may add. */
const STATE_TERMS_SIZE = 20;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimelineInterval {
  /** How the interval reads: "5 minutes", "1 day". */
  label: string;
  /** Its length (the shortest, for a calendar one): what the bar count and the chart's bar width use. */
  ms: number;
  /** The date_histogram parameter: fixed intervals up to days, calendar weeks, months and years. */
  param: { fixed_interval: string } | { calendar_interval: string };
}

const fixed = (value: string, ms: number, label: string): TimelineInterval => ({
  label,
  ms,
  param: { fixed_interval: value },
});
const calendar = (value: string, ms: number, label: string): TimelineInterval => ({
  label,
  ms,
  param: { calendar_interval: value },
});

/** Nice intervals, each at most ~3× the one before, so that some of them gives 40–80 bars for any span. */
export const INTERVALS: readonly TimelineInterval[] = [
  fixed('1s', SECOND, '1 second'),
  fixed('2s', 2 * SECOND, '2 seconds'),
  fixed('5s', 5 * SECOND, '5 seconds'),
  fixed('10s', 10 * SECOND, '10 seconds'),
  fixed('30s', 30 * SECOND, '30 seconds'),
  fixed('1m', MINUTE, '1 minute'),
  fixed('2m', 2 * MINUTE, '2 minutes'),
  fixed('5m', 5 * MINUTE, '5 minutes'),
  fixed('10m', 10 * MINUTE, '10 minutes'),
  fixed('30m', 30 * MINUTE, '30 minutes'),
  fixed('1h', HOUR, '1 hour'),
  fixed('3h', 3 * HOUR, '3 hours'),
  fixed('6h', 6 * HOUR, '6 hours'),
  fixed('12h', 12 * HOUR, '12 hours'),
  fixed('1d', DAY, '1 day'),
  fixed('2d', 2 * DAY, '2 days'),
  calendar('1w', 7 * DAY, '1 week'),
  calendar('1M', 28 * DAY, '1 month'),
  calendar('1q', 90 * DAY, '1 quarter'),
  calendar('1y', 365 * DAY, '1 year'),
];

/** The shortest nice interval that splits `spanMs` into at most MAX_BARS bars (a year beyond 80 years). */
export function chooseInterval(spanMs: number): TimelineInterval {
  const span = Number.isFinite(spanMs) ? Math.max(spanMs, 0) : 0;
  return INTERVALS.find((i) => Math.ceil(span / i.ms) <= MAX_BARS) ?? INTERVALS[INTERVALS.length - 1]!;
}

// ---------- date math ----------

/** Shortest and longest length of a unit of date math (months and years vary). */
const UNIT_MS: Record<string, [number, number]> = {
  s: [SECOND, SECOND],
  m: [MINUTE, MINUTE],
  h: [HOUR, HOUR],
  H: [HOUR, HOUR],
  d: [DAY, DAY],
  w: [7 * DAY, 7 * DAY],
  M: [28 * DAY, 31 * DAY],
  y: [365 * DAY, 366 * DAY],
};

interface ParsedBound {
  /** `now`, or the instant written (ISO or epoch milliseconds). */
  anchor: 'now' | number;
  ops: Array<{ kind: 'add'; n: number; unit: string } | { kind: 'round'; unit: string }>;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A range bound as OpenSearch reads it (`now-24h/h`, an ISO instant, `<instant>||+1d`), or undefined. */
function parseBound(text: string): ParsedBound | undefined {
  const m = /^(now|[^|]+?)(?:\|\|)?((?:[+-]\d*[yMwdhHms]|\/[yMwdhHms])*)$/.exec(text);
  if (!m) return undefined;
  let anchor: ParsedBound['anchor'];
  if (m[1] === 'now') anchor = 'now';
  else if (/^\d+$/.test(m[1]!)) anchor = Number(m[1]);
  else if (ISO.test(m[1]!)) anchor = Date.parse(m[1]!);
  else return undefined;
  if (typeof anchor === 'number' && !Number.isFinite(anchor)) return undefined;
  const ops: ParsedBound['ops'] = [];
  for (const op of m[2]!.matchAll(/([+-])(\d*)([yMwdhHms])|\/([yMwdhHms])/g)) {
    if (op[4]) ops.push({ kind: 'round', unit: op[4] });
    else ops.push({ kind: 'add', n: (op[1] === '-' ? -1 : 1) * Number(op[2] || '1'), unit: op[3]! });
  }
  return { anchor, ops };
}

function addUnits(t: number, n: number, unit: string): number {
  const d = new Date(t);
  if (unit === 'M') return d.setUTCMonth(d.getUTCMonth() + n);
  if (unit === 'y') return d.setUTCFullYear(d.getUTCFullYear() + n);
  return t + n * UNIT_MS[unit]![0];
}

function roundDown(t: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      // Weeks start on Monday, as OpenSearch rounds them.
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY;
    }
    default: {
      const size = UNIT_MS[unit]![0];
      return Math.floor(t / size) * size;
    }
  }
}

/** Resolves a bound at `now` in UTC, rounding down (a `gte`) or up to the unit's last millisecond (an `lte`). */
export function resolveBound(text: string, now: number, roundUp = false): number | undefined {
  const bound = parseBound(text);
  if (!bound) return undefined;
  let t = bound.anchor === 'now' ? now : bound.anchor;
  for (const op of bound.ops) {
    if (op.kind === 'add') t = addUnits(t, op.n, op.unit);
    else t = roundUp ? addUnits(roundDown(t, op.unit), 1, op.unit) - 1 : roundDown(t, op.unit);
  }
  return t;
}

/**
 * How far after its anchor a bound can fall, whatever `now` is: each added unit at its shortest and longest, each
 * rounding down by up to a whole unit (extended_bounds rounds both ends down).
 */
function offsetRange(bound: ParsedBound): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const op of bound.ops) {
    const [short, long] = UNIT_MS[op.unit]!;
    if (op.kind === 'round') lo -= long - 1;
    else if (op.n >= 0) [lo, hi] = [lo + op.n * short, hi + op.n * long];
    else [lo, hi] = [lo + op.n * long, hi + op.n * short];
  }
  return [lo, hi];
}

/** Any fixed instant works: the span of two bounds anchored alike barely depends on it, and never on the clock. */
const REFERENCE_NOW = Date.UTC(2001, 0, 1, 12, 30);

/**
 * The span of a view's range when it can be told from the range's text alone, identically by the gateway and the
 * browser (no clock): both ends anchored at `now` (an open end is `now`), or both absolute. With it, whether the
 * range's start can never come after its end: only then may it bound the histogram, which OpenSearch refuses with a
 * 400 (failing the whole view) when extended_bounds.min > max.
 */
export function staticSpan(from: string, to: string): { spanMs: number; ordered: boolean } | undefined {
  if (from === '') return undefined;
  const start = parseBound(from);
  const end = parseBound(to === '' ? 'now' : to);
  if (!start || !end || (start.anchor === 'now') !== (end.anchor === 'now')) return undefined;
  const reference = start.anchor === 'now' ? REFERENCE_NOW : 0;
  const spanMs = resolveBound(to === '' ? 'now' : to, reference, true)! - resolveBound(from, reference)!;
  const ordered =
    start.anchor === 'now' || end.anchor === 'now'
      ? offsetRange(end)[0] >= offsetRange(start)[1]
      : resolveBound(to, 0)! >= resolveBound(from, 0)!;
  return { spanMs, ordered };
}

// ---------- the aggregation ----------

/** What the view's search asks for the timeline. */
export type TimelinePlan =
  | {
      kind: 'histogram';
      field: TimeField;
      interval: TimelineInterval;
      /** The range's own date math, when it is sure to be ordered (see staticSpan). */
      bounds?: { min: string | number; max: string | number };
    }
  /** The range cannot be placed in time without a clock (no start, or one absolute end and one relative): its
   * first and last task's times, then the bars in a second search over them. */
  | { kind: 'span'; field: TimeField };

export function timelinePlan(view: Pick<TaskViewState, 'timeField' | 'from' | 'to'>): TimelinePlan {
  const span = staticSpan(view.from, view.to);
  if (!span || span.spanMs <= 0) return { kind: 'span', field: view.timeField };
  return {
    kind: 'histogram',
    field: view.timeField,
    interval: chooseInterval(span.spanMs),
    ...(span.ordered ? { bounds: { min: view.from, max: view.to === '' ? 'now' : view.to } } : {}),
  };
}

/**
 * The timeline's aggregation under the facet filters (the view's post_filter, which aggregations run before): per
 * state a date histogram. The state terms go outside: the same counts as a histogram with a terms inside it on a
 * cluster, and one pass per state instead of one per bar on the stand-in (7× faster at 100,000 tasks).
 */
export function timelineAggs(plan: TimelinePlan, facetFilter: Clause): Clause {
  const aggs: Clause =
    plan.kind === 'span'
      ? { first: { min: { field: plan.field } }, last: { max: { field: plan.field } } }
      : {
          states: {
            terms: { field: 'state', size: STATE_TERMS_SIZE },
            aggs: {
              over_time: {
                date_histogram: {
                  field: plan.field,
                  ...plan.interval.param,
                  min_doc_count: 0,
                  ...(plan.bounds ? { extended_bounds: plan.bounds } : {}),
                },
              },
            },
          },
        };
  return { filter: facetFilter, aggs };
}
