// The triage views' requests to the cluster, built by the console's own code (the view's search with and without its
// timeline, the stale count, the failure groups' pages, the nodes' aggregation, the durations, the GETs), and their
// cost on a stand-in over HTTP: what a cluster spends on each view, without the browser or the gateway.
import { capabilitiesOf } from '../../shared/cluster-capabilities';
import { NEWEST_RELEASE } from '../../shared/ml-releases';
import { FAILURE_PAGE_SIZE, failedStatesOf, failurePageBody } from '../../shared/failure-groups';
import {
  readFailureGroupsWith,
  type FailurePageReport,
  type FailureScope,
  type FailureSearch,
} from '../../shared/failure-scope';
import type { MlTask, SearchResponse, TaskSearchBody } from '../../shared/ml-types';
import {
  heldTaskIdsFromProfile,
  liveNodeIdsFromNodes,
  staleCapabilitiesOf,
  thresholdsFromClusterSettings,
  DEFAULT_THRESHOLDS,
} from '../../shared/stale-rules';
import { parseTaskQuery } from '../../shared/task-query';
import { buildTaskSearchBody } from '../../shared/task-search-body';
import { DEFAULT_VIEW, type TaskViewState } from '../../shared/task-view-state';
import { TIMELINE_AGG } from '../../shared/timeline';
import { durationsSearchBody, histogramSearchBody, readTimeline } from '../../shared/timeline-results';
import { NODES_FILTER_PATH, SETTINGS_FILTER_PATH } from '../../server/gateway/routes';
// The app's own bodies, not copies: these modules are plain functions (their React imports are never called here).
import { ALL_TIME, buildNodeAggregationSearch, stateGroupsOf } from '../../shared/node-count-search';
import { staleCountBody } from '../../src/triage/stale-queries';
import { percentile, round } from './stats';

const ML = '/_plugins/_ml';
const SEARCH = `${ML}/tasks/_search`;

/** The GETs exactly as the gateway forwards them (its fixed query on the two cluster calls). */
const NODES_PATH = `/_nodes?filter_path=${encodeURIComponent(NODES_FILTER_PATH)}`;
const SETTINGS_PATH = `/_cluster/settings?include_defaults=true&flat_settings=true&filter_path=${encodeURIComponent(SETTINGS_FILTER_PATH)}`;

export interface RequestTiming {
  /** Stable key, for the results and the targets. */
  name: string;
  /** What it is, for the table. */
  what: string;
  p50_ms: number;
  p95_ms: number;
  /** The answer's size (of the last run). */
  bytes: number;
}

export interface TriageRequestsResult {
  runs: number;
  requests: RequestTiming[];
  /** The failure groups' whole read: up to 5 pages one after the other, as the browser reads them. */
  failure_read: {
    pages: number;
    /** Hits asked for : new failures found, per page (ties at a page's end are read again by the next). */
    page_sizes: string;
    read: number;
    total: number;
    groups: number;
    p50_ms: number;
    p95_ms: number;
    /** Grouping the pages in this process (V8, as in Chromium): per page of 1,000 at most, and all of them. */
    group_page_max_ms: number;
    group_all_ms: number;
  };
}

const WARM_UP = 3;

async function call(
  url: string,
  path: string,
  body?: unknown,
): Promise<{ json: unknown; bytes: number; ms: number }> {
  const start = performance.now();
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text), ms };
}

function view(q: string, patch: Partial<TaskViewState> = {}): { view: TaskViewState; body: TaskSearchBody } {
  const parsed = parseTaskQuery(q);
  if (!parsed.ok) throw new Error(`bad bench query ${q}: ${parsed.message}`);
  const v = { ...DEFAULT_VIEW, q, ...patch };
  // With the timeline panel open: its bars (or span) come in the view's own search; withoutTimeline() takes them out.
  return { view: v, body: buildTaskSearchBody(v, parsed.query, undefined, undefined, { timeline: true }) };
}

function withoutTimeline(body: TaskSearchBody): TaskSearchBody {
  const aggs = { ...(body.aggs as Record<string, unknown>) };
  delete aggs[TIMELINE_AGG];
  return { ...body, aggs };
}

/**
 * Times each triage request `runs` times (after a few dropped runs that warm the JIT), one at a time, against the
 * stand-in at `url`; then the failure groups' whole read.
 */
export async function measureTriageRequests(url: string, runs: number): Promise<TriageRequestsResult> {
  // The stand-in emulates the newest release unless told otherwise: the console then asks what it asks of it.
  const caps = capabilitiesOf({ source: 'plugins', mlVersion: NEWEST_RELEASE });
  // The stale rules' facts, from the same stand-in, as the browser gathers them.
  const [nodes, profile, settings] = await Promise.all([
    call(url, NODES_PATH),
    call(url, `${ML}/profile/tasks`),
    call(url, SETTINGS_PATH),
  ]);
  const context = {
    thresholds: { ...DEFAULT_THRESHOLDS, ...thresholdsFromClusterSettings(settings.json) },
    liveNodeIds: liveNodeIdsFromNodes(nodes.json),
    heldTaskIds: heldTaskIdsFromProfile(profile.json),
  };

  // The first page (every task: the timeline asks only the span, then a second search draws the bars) and the last
  // 7 days (the bars in the view's own search).
  const all = view('');
  const week = view('', { from: 'now-7d' });
  const span = readTimeline(
    ((await call(url, SEARCH, all.body)).json as SearchResponse<unknown>).aggregations,
  );
  if (span?.kind !== 'span' || span.first === null || span.last === null) {
    throw new Error(`the first page's timeline answered no span: ${JSON.stringify(span)}`);
  }
  const failureScope: FailureScope = {
    filter: {
      query: all.body.query,
      ...(all.body.post_filter ? { post_filter: all.body.post_filter } : {}),
    },
    states: failedStatesOf(caps),
  };

  const requests: Array<{ name: string; what: string; path: string; body?: unknown }> = [
    { name: 'view_all', what: 'view search, every task, timeline span', path: SEARCH, body: all.body },
    {
      name: 'view_all_no_timeline',
      what: 'view search, every task, without the timeline',
      path: SEARCH,
      body: withoutTimeline(all.body),
    },
    {
      name: 'timeline_bars_all',
      what: 'timeline bars over every task (2nd search)',
      path: SEARCH,
      body: histogramSearchBody(all.body, all.view.timeField, span.first, span.last),
    },
    { name: 'view_week', what: 'view search, last 7 days, timeline bars', path: SEARCH, body: week.body },
    {
      name: 'view_week_no_timeline',
      what: 'view search, last 7 days, without the timeline',
      path: SEARCH,
      body: withoutTimeline(week.body),
    },
    {
      name: 'stale_count',
      what: 'stale count (size 0, the rules’ query)',
      path: SEARCH,
      body: staleCountBody(all.body, context, staleCapabilitiesOf(caps)),
    },
    {
      name: 'durations',
      what: 'durations (newest 2,000 finished, 4 fields)',
      path: SEARCH,
      body: durationsSearchBody(all.body),
    },
    {
      name: 'failure_page',
      what: `failure groups, first page (${FAILURE_PAGE_SIZE.toLocaleString('en')} hits, _source limited)`,
      path: SEARCH,
      body: failurePageBody(failureScope.filter, failureScope.states, FAILURE_PAGE_SIZE),
    },
    {
      name: 'nodes_aggregation',
      what: 'nodes view: terms on worker_node + sub-aggregations',
      path: SEARCH,
      body: buildNodeAggregationSearch(ALL_TIME, stateGroupsOf(caps.states)),
    },
    { name: 'get_profile', what: 'GET _plugins/_ml/profile/tasks', path: `${ML}/profile/tasks` },
    { name: 'get_nodes', what: 'GET _nodes (fixed filter_path)', path: NODES_PATH },
    { name: 'get_settings', what: 'GET _cluster/settings (fixed filter_path)', path: SETTINGS_PATH },
    { name: 'get_stats', what: 'GET _plugins/_ml/stats', path: `${ML}/stats` },
  ];

  const timings: RequestTiming[] = [];
  for (const r of requests) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < WARM_UP + runs; i++) {
      const answer = await call(url, r.path, r.body);
      bytes = answer.bytes;
      if (i >= WARM_UP) times.push(answer.ms);
    }
    timings.push({
      name: r.name,
      what: r.what,
      p50_ms: round(percentile(times, 50), 1),
      p95_ms: round(percentile(times, 95), 1),
      bytes,
    });
  }

  // The whole read, as the console does it: a page, then the next from where it ended, up to the cap.
  const readTimes: number[] = [];
  let last = { pages: 0, sizes: '', read: 0, total: 0, groups: 0, groupMax: 0, groupAll: 0 };
  const readRuns = Math.max(3, Math.round(runs / 4));
  const search: FailureSearch = async (body) =>
    (await call(url, SEARCH, body)).json as SearchResponse<MlTask>;
  for (let i = 0; i < 1 + readRuns; i++) {
    const pages: FailurePageReport[] = [];
    const start = performance.now();
    const result = await readFailureGroupsWith(search, failureScope, { onPage: (page) => pages.push(page) });
    const elapsed = performance.now() - start;
    if (i >= 1) readTimes.push(elapsed);
    const groupTimes = pages.map((p) => p.groupMs);
    last = {
      pages: pages.length,
      sizes: pages.map((p) => `${p.asked}:${p.added}`).join(' '),
      read: result.read,
      total: result.total,
      groups: result.groups.length,
      groupMax: Math.max(0, ...groupTimes),
      // Of the whole read: the pages' grouping (the groups' summary at the end is not timed apart).
      groupAll: groupTimes.reduce((sum, ms) => sum + ms, 0),
    };
  }
  return {
    runs,
    requests: timings,
    failure_read: {
      pages: last.pages,
      page_sizes: last.sizes,
      read: last.read,
      total: last.total,
      groups: last.groups,
      p50_ms: round(percentile(readTimes, 50), 1),
      p95_ms: round(percentile(readTimes, 95), 1),
      group_page_max_ms: round(last.groupMax, 1),
      group_all_ms: round(last.groupAll, 1),
    },
  };
}
