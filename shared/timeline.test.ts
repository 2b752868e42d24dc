// The timeline's pure parts: interval choice, the plan a range gets, its aggregation, reading the answer (also the
// stand-in's real one, checked against counts made here from the documents), brushing and durations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../server/standin/server';
import { generateTasks } from '../server/standin/seed';
import { emptyTaskQuery, parseTaskQuery } from './task-query';
import { buildTaskSearchBody } from './task-search-body';
import { DEFAULT_VIEW, type TaskViewState } from './task-view-state';
import {
  INTERVALS,
  MAX_BARS,
  TIMELINE_AGG,
  chooseInterval,
  resolveBound,
  staticSpan,
  timelineAggs,
  timelinePlan,
} from './timeline';
import {
  brushRange,
  durationStats,
  durationsSearchBody,
  histogramSearchBody,
  percentileOf,
  readTimeline,
  stateTotals,
  type TimelineBucket,
} from './timeline-results';

/** The timeline panel open: only then does the view's search carry the bars. */
const OPEN = { timeline: true };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('chooseInterval', () => {
  it.each([
    [15 * MIN, '30s', 30],
    [HOUR, '1m', 60],
    [24 * HOUR, '30m', 48],
    [7 * DAY, '3h', 56],
    [30 * DAY, '12h', 60],
    [90 * DAY, '2d', 45],
    [365 * DAY, '1w', 53],
  ])('splits %d ms by %s into %d bars', (span, interval, bars) => {
    const chosen = chooseInterval(span);
    expect(Object.values(chosen.param)[0]).toBe(interval);
    expect(Math.ceil(span / chosen.ms)).toBe(bars);
  });

  it('gives 40–80 bars for the spans operators pick, never more than 80', () => {
    for (let span = 2 * MIN; span < 5 * 365 * DAY; span *= 1.13) {
      const bars = Math.ceil(span / chooseInterval(span).ms);
      expect(bars, `${span} ms`).toBeLessThanOrEqual(MAX_BARS);
      expect(bars, `${span} ms`).toBeGreaterThanOrEqual(20);
    }
  });

  it('falls back to the shortest interval for nothing and to years beyond', () => {
    expect(chooseInterval(0)).toBe(INTERVALS[0]);
    expect(chooseInterval(Number.NaN)).toBe(INTERVALS[0]);
    expect(chooseInterval(500 * 365 * DAY).param).toEqual({ calendar_interval: '1y' });
  });
});

describe('resolveBound', () => {
  const now = Date.UTC(2025, 0, 15, 10, 42, 7); // a Wednesday
  it.each([
    ['now', now, false],
    ['now-24h', now - DAY, false],
    ['now/d', Date.UTC(2025, 0, 15), false],
    ['now/d', Date.UTC(2025, 0, 16) - 1, true],
    ['now-1M/M', Date.UTC(2024, 11, 1), false],
    ['now/w', Date.UTC(2025, 0, 13), false],
    ['2024-06-01T00:00:00.000Z', Date.UTC(2024, 5, 1), false],
    ['2024-06-01T00:00:00Z||+1d', Date.UTC(2024, 5, 2), false],
    ['1700000000000', 1_700_000_000_000, false],
  ])('reads %s', (text, expected, roundUp) => {
    expect(resolveBound(text, now, roundUp)).toBe(expected);
  });

  it('reads nothing it does not understand', () => {
    expect(resolveBound('yesterday', now)).toBeUndefined();
    expect(resolveBound('now-1x', now)).toBeUndefined();
  });
});

describe('staticSpan', () => {
  it('knows the span of a relative range and of an absolute one without a clock', () => {
    expect(staticSpan('now-24h', '')).toEqual({ spanMs: DAY, ordered: true });
    expect(staticSpan('now-7d', 'now')).toEqual({ spanMs: 7 * DAY, ordered: true });
    expect(staticSpan('2024-06-01T00:00:00.000Z', '2024-06-01T06:00:00.000Z')).toEqual({
      spanMs: 6 * HOUR,
      ordered: true,
    });
  });

  it('cannot tell a range without a start or with one absolute and one relative end', () => {
    expect(staticSpan('', '')).toBeUndefined();
    expect(staticSpan('', 'now-1d')).toBeUndefined();
    expect(staticSpan('2024-06-01T00:00:00.000Z', '')).toBeUndefined();
    expect(staticSpan('now-1d', '2024-06-01T00:00:00.000Z')).toBeUndefined();
  });

  it('calls a range ordered only when its start can never come after its end', () => {
    expect(staticSpan('now/d', 'now')?.ordered).toBe(true);
    expect(staticSpan('now-7d/d', 'now/d')?.ordered).toBe(true);
    // At 00:30, "now/d" is 00:00 and "now-1h" is 23:30 the day before.
    expect(staticSpan('now/d', 'now-1h')?.ordered).toBe(false);
    // In February, a month is shorter than 30 days.
    expect(staticSpan('now-30d', 'now-1M')?.ordered).toBe(false);
    expect(staticSpan('2024-06-02T00:00:00.000Z', '2024-06-01T00:00:00.000Z')?.ordered).toBe(false);
  });
});

describe('timelinePlan and timelineAggs', () => {
  const view = (patch: Partial<TaskViewState>) => ({ ...DEFAULT_VIEW, ...patch });

  it('asks for 48 half-hour bars per state over the last 24 hours, bounded by the range’s own date math', () => {
    const plan = timelinePlan(view({ from: 'now-24h' }));
    expect(timelineAggs(plan, { match_all: {} })).toEqual({
      filter: { match_all: {} },
      aggs: {
        states: {
          terms: { field: 'state', size: 20 },
          aggs: {
            over_time: {
              date_histogram: {
                field: 'create_time',
                fixed_interval: '30m',
                min_doc_count: 0,
                extended_bounds: { min: 'now-24h', max: 'now' },
              },
            },
          },
        },
      },
    });
  });

  it('leaves the bounds out where they could come out of order, and uses the view’s time field', () => {
    const plan = timelinePlan(view({ from: 'now/d', to: 'now-1h', timeField: 'last_update_time' }));
    expect(plan).toMatchObject({ kind: 'histogram', field: 'last_update_time' });
    expect(plan).not.toHaveProperty('bounds');
  });

  it('asks for the first and last task’s time when the range cannot be placed without a clock', () => {
    for (const range of [{}, { from: '2024-06-01T00:00:00.000Z' }, { to: 'now-1d' }]) {
      const plan = timelinePlan(view(range));
      expect(plan).toEqual({ kind: 'span', field: 'create_time' });
      expect(timelineAggs(plan, { match_all: {} }).aggs).toEqual({
        first: { min: { field: 'create_time' } },
        last: { max: { field: 'create_time' } },
      });
    }
  });

  it('is part of the view’s one search, under the facet filters, and the same body every time', () => {
    const query = parseTaskQuery('state:FAILED function:KMEANS heap');
    if (!query.ok) throw new Error(query.message);
    const body = buildTaskSearchBody(view({ from: 'now-7d' }), query.query, undefined, undefined, OPEN);
    const timeline = body.aggs?.[TIMELINE_AGG] as { filter: unknown };
    expect(timeline.filter).toEqual(body.post_filter);
    expect(
      JSON.stringify(buildTaskSearchBody(view({ from: 'now-7d' }), query.query, undefined, undefined, OPEN)),
    ).toBe(JSON.stringify(body));
    expect(buildTaskSearchBody(view({}), query.query, { aggregationsInSearch: false }).aggs).toBeUndefined();
  });

  it('is left out while the panel is closed: nobody reads the bars then', () => {
    const body = buildTaskSearchBody(view({ from: 'now-7d' }), emptyTaskQuery());
    expect(body.aggs).toBeDefined();
    expect(body.aggs?.[TIMELINE_AGG]).toBeUndefined();
  });
});

describe('readTimeline', () => {
  const stateBucket = (key: string, bars: Array<[number, number]>) => ({
    key,
    doc_count: bars.reduce((n, [, c]) => n + c, 0),
    over_time: {
      buckets: bars.map(([k, c]) => ({ key_as_string: new Date(k).toISOString(), key: k, doc_count: c })),
    },
  });

  it('turns per-state histograms into bars with every state, most frequent state first', () => {
    const data = readTimeline({
      [TIMELINE_AGG]: {
        doc_count: 9,
        states: {
          buckets: [
            stateBucket('FAILED', [[2000, 1]]),
            stateBucket('COMPLETED', [
              [1000, 3],
              [2000, 0],
              [3000, 4],
            ]),
          ],
        },
      },
    });
    expect(data).toEqual({
      kind: 'bars',
      states: ['COMPLETED', 'FAILED'],
      buckets: [
        { start: 1000, counts: { COMPLETED: 3, FAILED: 0 } },
        { start: 2000, counts: { COMPLETED: 0, FAILED: 1 } },
        { start: 3000, counts: { COMPLETED: 4, FAILED: 0 } },
      ],
    });
  });

  it('reads the span, an empty one, and nothing', () => {
    expect(readTimeline({ timeline: { doc_count: 2, first: { value: 5 }, last: { value: 9 } } })).toEqual({
      kind: 'span',
      first: 5,
      last: 9,
    });
    expect(
      readTimeline({ timeline: { doc_count: 0, first: { value: null }, last: { value: null } } }),
    ).toEqual({
      kind: 'span',
      first: null,
      last: null,
    });
    expect(readTimeline(undefined)).toBeUndefined();
    expect(readTimeline({ facet_state: {} })).toBeUndefined();
    expect(readTimeline({ timeline: { states: { buckets: 'nope' } } })).toEqual({
      kind: 'bars',
      states: [],
      buckets: [],
    });
  });
});

describe('against the stand-in', () => {
  const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
  const TASKS = generateTasks(1_500, 4, NOW);
  let standin: Standin;
  let baseUrl: string;
  beforeAll(async () => {
    standin = createStandin({ tasks: TASKS, now: () => NOW });
    baseUrl = await standin.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await standin.close();
  });
  async function post(body: unknown): Promise<any> {
    const response = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    expect(response.status, JSON.stringify(json)).toBe(200);
    return json;
  }

  /** Tasks per bar and state counted here, from the documents. */
  function expectedBars(field: 'create_time', from: number, intervalMs: number, state?: string) {
    const counts = new Map<number, Record<string, number>>();
    for (const { _source: t } of TASKS) {
      const time = Number(t[field]);
      if (time < from || time > NOW || (state && t.state !== state)) continue;
      const start = Math.floor(time / intervalMs) * intervalMs;
      const bar = counts.get(start) ?? {};
      bar[String(t.state)] = (bar[String(t.state)] ?? 0) + 1;
      counts.set(start, bar);
    }
    return counts;
  }

  it('counts each bar’s tasks per state as the documents say, with empty bars to the range’s ends', async () => {
    const view = { ...DEFAULT_VIEW, from: 'now-7d' };
    const json = await post(buildTaskSearchBody(view, emptyTaskQuery(), undefined, undefined, OPEN));
    const data = readTimeline(json.aggregations);
    if (data?.kind !== 'bars') throw new Error('no bars');
    const expected = expectedBars('create_time', NOW - 7 * DAY, 3 * HOUR);
    expect(data.buckets.length).toBeGreaterThanOrEqual(56);
    expect(data.buckets[0]!.start).toBeLessThanOrEqual(NOW - 7 * DAY);
    for (const bar of data.buckets) {
      const want = expected.get(bar.start) ?? {};
      for (const state of data.states)
        expect(bar.counts[state], `${bar.start} ${state}`).toBe(want[state] ?? 0);
    }
    const total = Object.values(stateTotals(data.buckets)).reduce((a, b) => a + b, 0);
    expect(total).toBe(json.hits.total.value);
  });

  it('counts under the facet filters, as the rows are', async () => {
    const query = parseTaskQuery('state:FAILED');
    if (!query.ok) throw new Error(query.message);
    const json = await post(
      buildTaskSearchBody({ ...DEFAULT_VIEW, from: 'now-7d' }, query.query, undefined, undefined, OPEN),
    );
    const data = readTimeline(json.aggregations);
    if (data?.kind !== 'bars') throw new Error('no bars');
    expect(data.states).toEqual(['FAILED']);
    expect(stateTotals(data.buckets).FAILED).toBe(json.hits.total.value);
  });

  it('draws a view without a range in two searches: its span, then bars over it', async () => {
    const viewBody = buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery(), undefined, undefined, OPEN);
    const json = await post(viewBody);
    const span = readTimeline(json.aggregations);
    if (span?.kind !== 'span' || span.first === null || span.last === null) throw new Error('no span');
    const times = TASKS.map((t) => Number(t._source.create_time));
    expect(span).toEqual({ kind: 'span', first: Math.min(...times), last: Math.max(...times) });
    const bars = readTimeline(
      (await post(histogramSearchBody(viewBody, 'create_time', span.first, span.last))).aggregations,
    );
    if (bars?.kind !== 'bars') throw new Error('no bars');
    expect(bars.buckets.length).toBeLessThanOrEqual(MAX_BARS);
    expect(bars.buckets.length).toBeGreaterThanOrEqual(20);
    expect(Object.values(stateTotals(bars.buckets)).reduce((a, b) => a + b, 0)).toBe(TASKS.length);
  });

  it('reads durations from the newest finished tasks, with their times only', async () => {
    const viewBody = buildTaskSearchBody(
      { ...DEFAULT_VIEW, from: 'now-30d' },
      emptyTaskQuery(),
      undefined,
      undefined,
      OPEN,
    );
    const json = await post(durationsSearchBody(viewBody, 200));
    expect(json.hits.hits).toHaveLength(200);
    expect(Object.keys(json.hits.hits[0]._source).sort()).toEqual([
      'create_time',
      'last_update_time',
      'state',
      'task_type',
    ]);
    const stats = durationStats(json.hits.hits);
    expect(stats.reduce((n, s) => n + s.count, 0)).toBe(200);
    for (const s of stats) expect(s.p95Ms).toBeGreaterThanOrEqual(s.medianMs);
  });
});

describe('brushRange', () => {
  const buckets: TimelineBucket[] = [0, 1, 2, 3].map((i) => ({ start: i * HOUR, counts: {} }));
  it('snaps a brush to whole bars, the end inclusive', () => {
    expect(brushRange(0.5 * HOUR, 2.2 * HOUR, buckets, HOUR)).toEqual({
      from: new Date(0).toISOString(),
      to: new Date(3 * HOUR - 1).toISOString(),
    });
    expect(brushRange(2.2 * HOUR, 0.5 * HOUR, buckets, HOUR)).toEqual(
      brushRange(0.5 * HOUR, 2.2 * HOUR, buckets, HOUR),
    );
    expect(brushRange(3.5 * HOUR, 3.6 * HOUR, buckets, HOUR).to).toBe(new Date(4 * HOUR - 1).toISOString());
  });
});

describe('durations', () => {
  const hit = (task_type: string, state: string, create: number, update: number | string) => ({
    _source: { task_type, state, create_time: create, last_update_time: update },
  });

  it('takes the median and p95 per task type and outcome, by nearest rank', () => {
    const hits = [
      ...Array.from({ length: 20 }, (_, i) => hit('DEPLOY_MODEL', 'COMPLETED', 0, (i + 1) * 1000)),
      hit('DEPLOY_MODEL', 'FAILED', 0, 500),
      hit('DEPLOY_MODEL', 'COMPLETED_WITH_ERROR', 0, 1500),
      hit('TRAINING', 'COMPLETED', 1000, '1970-01-01T00:00:04.000Z'),
      hit('TRAINING', 'CANCELLED', 0, 99_000),
      { _source: { task_type: 'TRAINING', state: 'COMPLETED' } },
    ];
    expect(durationStats(hits)).toEqual([
      { taskType: 'DEPLOY_MODEL', outcome: 'completed', count: 20, medianMs: 10_000, p95Ms: 19_000 },
      { taskType: 'DEPLOY_MODEL', outcome: 'failed', count: 2, medianMs: 500, p95Ms: 1500 },
      { taskType: 'TRAINING', outcome: 'completed', count: 1, medianMs: 3000, p95Ms: 3000 },
    ]);
  });

  it('asks for the finished tasks of the view only, newest finished first, without the page', () => {
    const query = parseTaskQuery('function:KMEANS');
    if (!query.ok) throw new Error(query.message);
    const viewBody = buildTaskSearchBody({ ...DEFAULT_VIEW, from: 'now-1d', page: 3 }, query.query);
    const body = durationsSearchBody(viewBody);
    expect(body).toMatchObject({
      size: 2000,
      sort: [{ last_update_time: { order: 'desc' } }, { create_time: { order: 'desc' } }],
    });
    expect(body).not.toHaveProperty('from');
    expect(body).not.toHaveProperty('aggs');
    expect((body.query as any).bool.filter).toEqual([
      viewBody.query,
      viewBody.post_filter,
      { terms: { state: ['COMPLETED', 'FAILED', 'COMPLETED_WITH_ERROR'] } },
    ]);
    expect(
      durationsSearchBody(buildTaskSearchBody({ ...DEFAULT_VIEW, from: 'now-1d', page: 0 }, query.query)),
    ).toEqual(body);
  });

  it('has no percentile of nothing', () => {
    expect(percentileOf([], 50)).toBeNaN();
    expect(percentileOf([7], 95)).toBe(7);
  });
});
