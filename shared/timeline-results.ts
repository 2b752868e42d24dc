// The timeline's answers, read in the browser once its panel is open: the bars per state out of a search's
// aggregations, the second search that draws a range without a start, brushing, and the durations per task type.
import { isObject } from './json';
import type { TaskSearchBody } from './ml-types';
import type { TimeField } from './task-view-state';
import { TIMELINE_AGG, chooseInterval, timelineAggs, type TimelinePlan } from './timeline';

type Clause = Record<string, unknown>;

/** The view's search narrowed to its matches, without its page: what the timeline's own searches run under. */
function viewFilter(viewBody: TaskSearchBody, extra: Clause[] = []): Clause {
  const filter = [viewBody.query, viewBody.post_filter, ...extra].filter(
    (c): c is Clause => c !== undefined && !('match_all' in c),
  );
  return filter.length === 0 ? { match_all: {} } : { bool: { filter } };
}

/** The bars of a view whose span the view's search answered (`span` plan): a second search, size 0. */
export function histogramSearchBody(
  viewBody: TaskSearchBody,
  field: TimeField,
  first: number,
  last: number,
): TaskSearchBody {
  const plan: TimelinePlan = {
    kind: 'histogram',
    field,
    interval: chooseInterval(last - first),
    bounds: { min: first, max: last },
  };
  return {
    query: viewFilter(viewBody),
    size: 0,
    aggs: { [TIMELINE_AGG]: timelineAggs(plan, { match_all: {} }) },
  };
}

// ---------- reading the answer ----------

export interface TimelineBucket {
  /** The bar's start, epoch milliseconds. */
  start: number;
  counts: Record<string, number>;
}

export type TimelineData =
  | { kind: 'bars'; buckets: TimelineBucket[]; states: string[] }
  | { kind: 'span'; first: number | null; last: number | null };

function bucketList(value: unknown): Clause[] {
  return isObject(value) && Array.isArray(value.buckets) ? value.buckets.filter(isObject) : [];
}

function metric(value: unknown): number | null {
  return isObject(value) && typeof value.value === 'number' ? value.value : null;
}

/**
 * The timeline in a search's aggregations: the bars (sorted by time, every state of the answer in each, most
 * frequent state first), or the span to ask them over; undefined when the answer has no timeline.
 */
export function readTimeline(aggregations: Record<string, unknown> | undefined): TimelineData | undefined {
  const timeline = aggregations?.[TIMELINE_AGG];
  if (!isObject(timeline)) return undefined;
  if (!isObject(timeline.states)) {
    return { kind: 'span', first: metric(timeline.first), last: metric(timeline.last) };
  }
  const totals = new Map<string, number>();
  const byStart = new Map<number, Record<string, number>>();
  for (const stateBucket of bucketList(timeline.states)) {
    const state = String(stateBucket.key);
    totals.set(state, 0);
    for (const bar of bucketList(stateBucket.over_time)) {
      if (typeof bar.key !== 'number') continue;
      const count = typeof bar.doc_count === 'number' ? bar.doc_count : 0;
      totals.set(state, totals.get(state)! + count);
      let counts = byStart.get(bar.key);
      if (!counts) byStart.set(bar.key, (counts = {}));
      counts[state] = count;
    }
  }
  const states = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const buckets = [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, found]) => ({
      start,
      counts: Object.fromEntries(states.map((s) => [s, found[s] ?? 0])),
    }));
  return { kind: 'bars', buckets, states };
}

/** Tasks per state over all the bars. */
export function stateTotals(buckets: readonly TimelineBucket[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const b of buckets) for (const [s, n] of Object.entries(b.counts)) totals[s] = (totals[s] ?? 0) + n;
  return totals;
}

/**
 * The time range a brush from `x0` to `x1` selects, snapped to whole bars: from the start of the bar under `x0` to
 * the last millisecond of the bar under `x1` (the range's `to` is inclusive), as ISO instants for the URL.
 */
export function brushRange(
  x0: number,
  x1: number,
  buckets: readonly TimelineBucket[],
  intervalMs: number,
): { from: string; to: string } {
  const [lo, hi] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const starts = buckets.map((b) => b.start);
  const barOf = (x: number) => {
    let i = -1;
    for (let j = 0; j < starts.length && starts[j]! <= x; j++) i = j;
    return i;
  };
  const first = barOf(lo);
  const last = barOf(hi);
  const from = first < 0 ? Math.floor(lo / intervalMs) * intervalMs : starts[first]!;
  const end =
    last < 0
      ? Math.floor(hi / intervalMs) * intervalMs + intervalMs
      : (starts[last + 1] ?? starts[last]! + intervalMs);
  return { from: new Date(from).toISOString(), to: new Date(Math.max(end - 1, from)).toISOString() };
}

// ---------- durations per task type ----------

/** The finished states whose last update is the task's end: its duration is last_update_time − create_time. */
export const DURATION_STATES = {
  completed: ['COMPLETED'],
  failed: ['FAILED', 'COMPLETED_WITH_ERROR'],
} as const;
export type DurationOutcome = keyof typeof DURATION_STATES;

/** Finished tasks the durations are read from at most: one search, a few fields each. */
export const DURATION_SAMPLE = 2000;

/**
 * The newest finished tasks of the view (by when they finished), with only the fields a duration needs: the gateway
 * refuses scripts, so the cluster cannot compute durations itself. CANCELLED, EXPIRED and UNREACHABLE are left out:
 * their last update is when something else happened to them, not when their work ended.
 */
export function durationsSearchBody(viewBody: TaskSearchBody, size = DURATION_SAMPLE): TaskSearchBody {
  return {
    query: viewFilter(viewBody, [
      { terms: { state: [...DURATION_STATES.completed, ...DURATION_STATES.failed] } },
    ]),
    size,
    sort: [{ last_update_time: { order: 'desc' } }, { create_time: { order: 'desc' } }],
    track_total_hits: true,
    _source: ['task_type', 'state', 'create_time', 'last_update_time'],
  };
}

/** What a duration is read from: the fields durationsSearchBody asks for. */
interface DurationFields {
  state?: unknown;
  task_type?: unknown;
  create_time?: unknown;
  last_update_time?: unknown;
}

export interface DurationStats {
  taskType: string;
  outcome: DurationOutcome;
  count: number;
  medianMs: number;
  p95Ms: number;
}

function epochOf(value: unknown): number | undefined {
  const t = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** The nearest-rank percentile of sorted values: one of the durations seen, never an interpolation. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Median and p95 per task type and outcome, most tasks first; tasks without both times are skipped. */
export function durationStats(hits: ReadonlyArray<{ _source?: DurationFields }>): DurationStats[] {
  const groups = new Map<string, { taskType: string; outcome: DurationOutcome; ms: number[] }>();
  for (const hit of hits) {
    const source: DurationFields = hit._source ?? {};
    const state = String(source.state ?? '');
    const outcome: DurationOutcome | undefined = (DURATION_STATES.completed as readonly string[]).includes(
      state,
    )
      ? 'completed'
      : (DURATION_STATES.failed as readonly string[]).includes(state)
        ? 'failed'
        : undefined;
    const created = epochOf(source.create_time);
    const updated = epochOf(source.last_update_time);
    if (!outcome || created === undefined || updated === undefined) continue;
    const taskType = typeof source.task_type === 'string' && source.task_type ? source.task_type : '—';
    const key = `${outcome}\n${taskType}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { taskType, outcome, ms: [] }));
    group.ms.push(Math.max(0, updated - created));
  }
  return [...groups.values()]
    .map(({ taskType, outcome, ms }) => {
      ms.sort((a, b) => a - b);
      return {
        taskType,
        outcome,
        count: ms.length,
        medianMs: percentileOf(ms, 50),
        p95Ms: percentileOf(ms, 95),
      };
    })
    .sort((a, b) => b.count - a.count || (a.taskType < b.taskType ? -1 : a.taskType > b.taskType ? 1 : 0));
}
