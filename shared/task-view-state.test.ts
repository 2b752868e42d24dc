// Tests for the view state's URL form: defaults, tolerance of bad input, round trips, and page resets.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  isValidDateBound,
  PAGE_SIZES,
  REFRESH_INTERVALS,
  SORT_FIELDS,
  updateView,
  viewFromSearch,
  viewToSearch,
  type TaskViewState,
} from './task-view-state';

const view = (patch: Partial<TaskViewState>): TaskViewState => ({ ...DEFAULT_VIEW, ...patch });

describe('DEFAULT_VIEW', () => {
  it('is all time, newest first, 25 a page, no refresh, no drawer', () => {
    expect(DEFAULT_VIEW).toEqual({
      q: '',
      timeField: 'create_time',
      from: '',
      to: '',
      sort: 'create_time',
      dir: 'desc',
      page: 0,
      size: 25,
      refresh: 0,
      task: null,
    });
  });

  it('never offers to sort on the text field `error`', () => {
    expect(SORT_FIELDS).not.toContain('error');
  });
});

describe('viewToSearch', () => {
  it('is empty for the default view', () => {
    expect(viewToSearch(DEFAULT_VIEW)).toBe('');
  });

  it('writes every non-default value with short names in a fixed order', () => {
    const search = viewToSearch({
      task: 'abc',
      refresh: 60000,
      size: 50,
      page: 2,
      dir: 'asc',
      sort: 'state',
      to: 'now',
      from: 'now-24h',
      timeField: 'last_update_time',
      q: 'state:FAILED model:"a b"',
    });
    expect(search).toBe(
      '?q=state:FAILED+model:%22a+b%22&time=updated&from=now-24h&to=now&sort=state:asc&page=3&size=50&refresh=1m&task=abc',
    );
  });

  it('writes the page 1-based and refresh intervals as 5s … 1m', () => {
    expect(viewToSearch(view({ page: 1 }))).toBe('?page=2');
    expect(REFRESH_INTERVALS.filter((r) => r > 0).map((refresh) => viewToSearch(view({ refresh })))).toEqual([
      '?refresh=5s',
      '?refresh=10s',
      '?refresh=30s',
      '?refresh=1m',
    ]);
  });

  it('writes a non-default direction on the default sort field', () => {
    expect(viewToSearch(view({ dir: 'asc' }))).toBe('?sort=create_time:asc');
    expect(viewToSearch(view({ sort: 'last_update_time' }))).toBe('?sort=last_update_time:desc');
  });

  it('encodes what would break the query string and keeps the rest readable', () => {
    const search = viewToSearch(view({ q: 'a&b=c+d #e ?f %g', task: 'x/y' }));
    expect(search).toBe('?q=a%26b%3Dc%2Bd+%23e+%3Ff+%25g&task=x/y');
    expect(viewFromSearch(search)).toEqual(view({ q: 'a&b=c+d #e ?f %g', task: 'x/y' }));
  });
});

describe('viewFromSearch', () => {
  it('reads the empty string, a bare "?" and unknown parameters as the default view', () => {
    expect(viewFromSearch('')).toEqual(DEFAULT_VIEW);
    expect(viewFromSearch('?')).toEqual(DEFAULT_VIEW);
    expect(viewFromSearch('?foo=bar&utm_source=x')).toEqual(DEFAULT_VIEW);
  });

  it('reads with or without the leading "?"', () => {
    expect(viewFromSearch('page=4')).toEqual(view({ page: 3 }));
    expect(viewFromSearch('?page=4')).toEqual(view({ page: 3 }));
  });

  it('keeps q verbatim, even when it does not parse', () => {
    expect(viewFromSearch('?q=state%3A%20%22unterminated').q).toBe('state: "unterminated');
    expect(viewFromSearch('?q=%20%20padded%20').q).toBe('  padded ');
  });

  it('reads both spellings of the time field', () => {
    for (const time of ['updated', 'last_update_time']) {
      expect(viewFromSearch(`?time=${time}`).timeField).toBe('last_update_time');
    }
    for (const time of ['created', 'create_time', 'nonsense', '']) {
      expect(viewFromSearch(`?time=${time}`).timeField).toBe('create_time');
    }
  });

  it('keeps valid date math and ISO date-times as they are', () => {
    for (const value of [
      'now',
      'now-24h',
      'now-15m',
      'now/d',
      'now-1d/d',
      'now+1M-2w/w',
      'now-100y',
      '2024-06-01T00:00:00.000Z',
      '2024-06-01T00:00:00Z',
      '2024-06-01T00:00:00+02:00',
      '2024-06-01T00:00:00.123456789-0530',
      '2024-06-01T00:00:00.000Z||+1d/d',
      '1717200000000',
      '1717200000000||-1h',
    ]) {
      expect(isValidDateBound(value), value).toBe(true);
      expect(viewFromSearch(`?from=${encodeURIComponent(value)}&to=${encodeURIComponent(value)}`)).toEqual(
        view({ from: value, to: value }),
      );
    }
  });

  it('drops dates a cluster would refuse', () => {
    for (const value of [
      'yesterday',
      'now-',
      'now-1x',
      'now/',
      'now-1d/',
      'nowish',
      '2024-06-01',
      '2024-06-01T00:00',
      '2024-06-01T00:00:00',
      '2024-13-01T00:00:00Z',
      '2024-06-01T24:00:00Z',
      '2024-06-01T00:00:00Z-1d',
      '-5',
      ' ',
    ]) {
      expect(isValidDateBound(value), value).toBe(false);
      expect(viewFromSearch(`?from=${encodeURIComponent(value)}&to=${encodeURIComponent(value)}`)).toEqual(
        DEFAULT_VIEW,
      );
    }
  });

  it('reads sort as field:direction and falls back on anything unknown', () => {
    expect(viewFromSearch('?sort=state:asc')).toMatchObject({ sort: 'state', dir: 'asc' });
    expect(viewFromSearch('?sort=state:ASC')).toMatchObject({ sort: 'state', dir: 'asc' });
    expect(viewFromSearch('?sort=worker_node:desc')).toMatchObject({ sort: 'worker_node', dir: 'desc' });
    expect(viewFromSearch('?sort=model_id')).toMatchObject({ sort: 'model_id', dir: 'desc' });
    expect(viewFromSearch('?sort=state:sideways')).toMatchObject({ sort: 'state', dir: 'desc' });
    expect(viewFromSearch('?sort=error:asc')).toMatchObject({ sort: 'create_time', dir: 'desc' });
    expect(viewFromSearch('?sort=')).toMatchObject({ sort: 'create_time', dir: 'desc' });
  });

  it('reads the 1-based page and ignores anything that is not a positive integer', () => {
    expect(viewFromSearch('?page=1').page).toBe(0);
    expect(viewFromSearch('?page=401').page).toBe(400);
    for (const page of ['0', '-2', '2.5', 'abc', '1e3', '', '99999999999999999999']) {
      expect(viewFromSearch(`?page=${page}`).page, page).toBe(0);
    }
  });

  it('reads only the offered page sizes', () => {
    for (const size of PAGE_SIZES) expect(viewFromSearch(`?size=${size}`).size).toBe(size);
    for (const size of ['0', '20', '1000', 'ten', '']) expect(viewFromSearch(`?size=${size}`).size).toBe(25);
  });

  it('reads only the offered refresh intervals, in s, m or ms', () => {
    expect(viewFromSearch('?refresh=5s').refresh).toBe(5000);
    expect(viewFromSearch('?refresh=30s').refresh).toBe(30000);
    expect(viewFromSearch('?refresh=1m').refresh).toBe(60000);
    expect(viewFromSearch('?refresh=60s').refresh).toBe(60000);
    expect(viewFromSearch('?refresh=10000').refresh).toBe(10000);
    for (const refresh of ['off', '0', '7s', '1h', '-5s', 'fast', '']) {
      expect(viewFromSearch(`?refresh=${refresh}`).refresh, refresh).toBe(0);
    }
  });

  it('reads the open task, treating an empty one as none', () => {
    expect(viewFromSearch('?task=Ab-_9').task).toBe('Ab-_9');
    expect(viewFromSearch('?task=').task).toBeNull();
  });

  it('takes the first of repeated parameters', () => {
    expect(viewFromSearch('?size=50&size=100').size).toBe(50);
  });
});

describe('round trips', () => {
  it('viewFromSearch(viewToSearch(v)) equals v for every combination of enumerations', () => {
    for (const sort of SORT_FIELDS) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const size of PAGE_SIZES) {
          for (const refresh of REFRESH_INTERVALS) {
            const v = view({
              sort,
              dir,
              size,
              refresh,
              page: size % 7,
              timeField: dir === 'asc' ? 'last_update_time' : 'create_time',
            });
            expect(viewFromSearch(viewToSearch(v))).toEqual(v);
          }
        }
      }
    }
  });

  it('keeps any query text and task id exactly', () => {
    for (const q of ['state:FAILED', ' x ', '"a b" -c', 'ünïcödé 🚫 <script>', 'a+b', '100%', '"', '&=?#']) {
      const v = view({ q, task: q.trim() || 'id', from: 'now-7d', to: '2024-06-01T00:00:00.000Z' });
      expect(viewFromSearch(viewToSearch(v))).toEqual(v);
    }
  });

  it('viewToSearch(viewFromSearch(s)) is stable for a canonical string', () => {
    const s = '?q=node:a&time=updated&sort=state:asc&page=2&size=10&refresh=5s&task=t';
    expect(viewToSearch(viewFromSearch(s))).toBe(s);
  });
});

describe('updateView', () => {
  const paged = view({ page: 4, q: 'state:FAILED' });

  it('goes back to the first page when what the rows are changes', () => {
    const patches: Array<Partial<TaskViewState>> = [
      { q: 'state:RUNNING' },
      { timeField: 'last_update_time' },
      { from: 'now-1h' },
      { to: 'now-5m' },
      { sort: 'state' },
      { dir: 'asc' },
      { size: 50 },
    ];
    for (const patch of patches) {
      const next = updateView(paged, patch);
      expect(next, JSON.stringify(patch)).toEqual({ ...paged, ...patch, page: 0 });
    }
  });

  it('keeps the page for page, task and refresh changes', () => {
    expect(updateView(paged, { page: 7 })).toEqual({ ...paged, page: 7 });
    expect(updateView(paged, { task: 'abc' })).toEqual({ ...paged, task: 'abc' });
    expect(updateView({ ...paged, task: 'abc' }, { task: null })).toEqual(paged);
    expect(updateView(paged, { refresh: 5000 })).toEqual({ ...paged, refresh: 5000 });
  });

  it('keeps the page when a patch repeats the current values', () => {
    expect(updateView(paged, { q: 'state:FAILED', size: 25 })).toBe(paged);
    expect(updateView(paged, {})).toBe(paged);
  });

  it('honours a page given together with a change', () => {
    expect(updateView(paged, { size: 100, page: 1 })).toEqual({ ...paged, size: 100, page: 1 });
  });

  it('ignores undefined entries and leaves the input alone', () => {
    const before = { ...paged };
    expect(updateView(paged, { q: undefined, task: 'x' })).toEqual({ ...paged, task: 'x' });
    expect(paged).toEqual(before);
  });
});
