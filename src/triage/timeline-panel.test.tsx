// The timeline panel on the tasks page against the in-process stand-in: bars counted per state as the documents say
// (through the legend and the accessible summary: the chart itself draws on a canvas), a state or a bar that filters
// the view and its URL, a range without a start drawn from a second search, the durations, a release that cannot
// aggregate saying so, and the open state remembered.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStandin, type Standin, type StandinOptions } from '../../server/standin/server';
import { generateTasks } from '../../server/standin/seed';
import { capabilitiesOf } from '../../shared/cluster-capabilities';
import { NEWEST_RELEASE } from '../../shared/ml-releases';
import { durationStats } from '../../shared/timeline-results';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { clusterQueryOptions } from '../lib/cluster-report';
import { formatDuration } from '../lib/format';
import { TasksPage } from '../tasks/tasks-page';
import { TIMELINE_OPEN_KEY } from '../../shared/cookies';

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const DAY = 86_400_000;
const TASKS = generateTasks(400, 9, NOW);

let standin: Standin | undefined;
/** The bodies of the task searches the page has sent, parsed. */
let sent: any[] = [];

function setCookie(value: string) {
  document.cookie = `${TIMELINE_OPEN_KEY}=${value}; Path=/`;
}

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  setCookie('true');
});

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
  document.cookie = `${TIMELINE_OPEN_KEY}=; Path=/; Max-Age=0`;
});

async function startStandin(options: StandinOptions = {}) {
  standin = createStandin({ tasks: TASKS, now: () => NOW, ...options });
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  sent = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).includes('/_plugins/_ml/tasks/_search')) sent.push(JSON.parse(String(init?.body)));
    return realFetch(new URL(String(input), baseUrl), init);
  });
}

function renderPage(version = NEWEST_RELEASE) {
  const queryClient = createQueryClient();
  const identity = { source: 'plugins', mlVersion: version } as const;
  queryClient.setQueryData(clusterQueryOptions.queryKey, {
    reachable: true,
    identity,
    capabilities: capabilitiesOf(identity),
    detectedAt: NOW,
  });
  return render(
    <AppProviders queryClient={queryClient}>
      <TasksPage />
    </AppProviders>,
  );
}

const created = (t: (typeof TASKS)[number]) => Number(t._source.create_time);
const inLastWeek = TASKS.filter((t) => created(t) >= NOW - 7 * DAY && created(t) <= NOW);
const countBy = (tasks: typeof TASKS, state: string) => tasks.filter((t) => t._source.state === state).length;

describe('TimelinePanel', () => {
  it('counts the range’s tasks per state in the view’s own search, and says the totals in words', async () => {
    await startStandin();
    window.history.replaceState(null, '', '/?from=now-7d');
    renderPage();
    const legend = await screen.findByTestId('timelineLegend', undefined, { timeout: 15_000 });
    for (const state of ['COMPLETED', 'FAILED']) {
      expect(within(legend).getByTestId(`timelineState-${state}`)).toHaveTextContent(
        `${state} ${countBy(inLastWeek, state)}`,
      );
    }
    expect(screen.getByTestId('timelineSummary')).toHaveTextContent(
      new RegExp(`^${inLastWeek.length} tasks created from .* one bar per 3 hours: COMPLETED`),
    );
    // The bars came with the rows: the view's one search, and the durations' own.
    expect(sent.filter((b) => b.aggs?.timeline)).toHaveLength(1);
    expect(sent.filter((b) => b.aggs?.timeline && b.size === 0)).toHaveLength(0);
  });

  it('filters by a state from the legend, and by a bar’s span from the table', async () => {
    await startStandin();
    window.history.replaceState(null, '', '/?from=now-7d');
    renderPage();
    fireEvent.click(await screen.findByTestId('timelineState-FAILED', undefined, { timeout: 15_000 }));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('q')).toBe('state:FAILED'));
    const failed = countBy(inLastWeek, 'FAILED');
    expect(await screen.findByText(`${failed} tasks`)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('timelineState-FAILED')).toHaveAttribute('aria-pressed', 'true'),
    );

    fireEvent.click(screen.getByTestId('timelineAsTable'));
    const table = await screen.findByTestId('timelineTable');
    const rows = within(table).getAllByTestId('timelineZoom');
    expect(rows.length).toBeGreaterThan(0);
    fireEvent.click(rows[0]!);
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('from')).toMatch(/Z$/));
    const params = new URLSearchParams(window.location.search);
    const from = Date.parse(params.get('from')!);
    const to = Date.parse(params.get('to')!);
    // One three-hour bar, its end inclusive; the state filter stays.
    expect(from % (3 * 3_600_000)).toBe(0);
    expect(to - from).toBe(3 * 3_600_000 - 1);
    expect(params.get('q')).toBe('state:FAILED');
    const inBar = TASKS.filter(
      (t) => t._source.state === 'FAILED' && created(t) >= from && created(t) <= to,
    ).length;
    expect(await screen.findByText(`${inBar} ${inBar === 1 ? 'task' : 'tasks'}`)).toBeInTheDocument();
  });

  it('draws a view without a range from its tasks’ span, then a second search for the bars', async () => {
    await startStandin();
    renderPage();
    const legend = await screen.findByTestId('timelineLegend', undefined, { timeout: 15_000 });
    expect(within(legend).getByTestId('timelineState-COMPLETED')).toHaveTextContent(
      `COMPLETED ${countBy(TASKS, 'COMPLETED')}`,
    );
    const view = sent.find((b) => b.aggs?.timeline && b.size !== 0);
    expect(view.aggs.timeline.aggs).toHaveProperty('first');
    const bars = sent.filter((b) => b.size === 0 && b.aggs?.timeline);
    expect(bars).toHaveLength(1);
    expect(bars[0].aggs.timeline.aggs.states.aggs.over_time.date_histogram.extended_bounds).toEqual({
      min: Math.min(...TASKS.map(created)),
      max: Math.max(...TASKS.map(created)),
    });
  });

  it('gives the median and p95 per task type from the newest finished tasks', async () => {
    await startStandin();
    window.history.replaceState(null, '', '/?from=now-7d');
    renderPage();
    const durations = await screen.findByTestId('durations', undefined, { timeout: 15_000 });
    const finished = inLastWeek.filter((t) =>
      ['COMPLETED', 'FAILED', 'COMPLETED_WITH_ERROR'].includes(String(t._source.state)),
    );
    await waitFor(() =>
      expect(within(durations).getByTestId('durationsSample')).toHaveTextContent(
        `From the ${finished.length} finished tasks of this view`,
      ),
    );
    const [top] = durationStats(finished).filter((s) => s.outcome === 'completed');
    const row = within(durations).getByTestId(`durations-${top!.taskType}`);
    expect(row).toHaveTextContent(formatDuration(top!.medianMs));
    expect(row).toHaveTextContent(formatDuration(top!.p95Ms));
    const search = sent.find((b) => Array.isArray(b._source));
    expect(search).toMatchObject({
      size: 2000,
      _source: ['task_type', 'state', 'create_time', 'last_update_time'],
    });
  });

  it('says in words that a release whose search cannot carry aggregations has no timeline', async () => {
    await startStandin({ version: '2.19.3' });
    window.history.replaceState(null, '', '/?from=now-7d');
    renderPage('2.19.3');
    expect(
      await screen.findByTestId('timelineUnavailable', undefined, { timeout: 15_000 }),
    ).toHaveTextContent('ML Commons 2.19.3 never answers a task search that carries aggregations');
    expect(sent.some((b) => b.aggs)).toBe(false);
    expect(await screen.findByTestId('durationsSample')).toHaveTextContent(/finished tasks/);
  });

  it('stays closed when closed, remembered, and sends nothing of its own then', async () => {
    await startStandin();
    setCookie('false');
    renderPage();
    const toggle = await screen.findByTestId('timelineToggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      await screen.findByText(`${TASKS.length} tasks`, undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    // Neither the durations' search nor the bars' second one (the page's other views may send their own).
    const panelSearches = () =>
      sent.filter((b) => Array.isArray(b._source) || (b.size === 0 && b.aggs?.timeline));
    expect(panelSearches()).toEqual([]);
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(document.cookie).toContain(`${TIMELINE_OPEN_KEY}=true`);
    expect(await screen.findByTestId('timelineLegend', undefined, { timeout: 15_000 })).toBeInTheDocument();
    expect(panelSearches()).toHaveLength(2);
  });
});
