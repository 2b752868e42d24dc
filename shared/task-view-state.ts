// The task view's state and its URL form: every view can be bookmarked, shared and restored by Back.

export type TimeField = 'create_time' | 'last_update_time';

// `error` is a text field: sorting on it fails with 400, so it is not offered.
export const SORT_FIELDS = [
  'create_time',
  'last_update_time',
  'state',
  'task_type',
  'function_name',
  'model_id',
  'worker_node',
  'is_async',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const REFRESH_INTERVALS = [0, 5000, 10000, 30000, 60000] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];

export type SortDirection = 'asc' | 'desc';

export interface TaskViewState {
  /** The query bar text (filters live here, see task-query.ts), kept verbatim even when it does not parse. */
  q: string;
  timeField: TimeField;
  /** OpenSearch date math or ISO date-times ('now-24h', '2024-06-01T00:00:00.000Z'); '' means unbounded. */
  from: string;
  to: string;
  sort: SortField;
  dir: SortDirection;
  /** 0-based. */
  page: number;
  size: PageSize;
  /** Milliseconds; 0 is off. */
  refresh: RefreshInterval;
  /** The task whose flyout is open. */
  task: string | null;
}

export const DEFAULT_VIEW: TaskViewState = Object.freeze({
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

const TIME_PARAM: Record<TimeField, string> = { create_time: 'created', last_update_time: 'updated' };

function readTimeField(value: string | null): TimeField {
  switch (value) {
    case 'updated':
    case 'last_update_time':
      return 'last_update_time';
    default:
      return 'create_time';
  }
}

// What the task index's `strict_date_time||epoch_millis` format and OpenSearch date math accept.
const ISO_DATE_TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})`;
const MATH = String.raw`(?:[+-]\d*[yMwdhHms]|/[yMwdhHms])*`;
const DATE_MATH = new RegExp(String.raw`^(?:now${MATH}|(?:${ISO_DATE_TIME}|\d+)(?:\|\|${MATH})?)$`);

/** Whether a cluster would accept the value as a bound of a range on a task date field. */
export function isValidDateBound(value: string): boolean {
  if (!DATE_MATH.test(value)) return false;
  const iso = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!iso) return true;
  const [, month, day, hour, minute, second] = iso.map(Number) as number[];
  return (
    month! >= 1 && month! <= 12 && day! >= 1 && day! <= 31 && hour! <= 23 && minute! <= 59 && second! <= 59
  );
}

function readDate(value: string | null): string {
  const v = value?.trim() ?? '';
  return isValidDateBound(v) ? v : '';
}

function isSortField(value: string): value is SortField {
  return (SORT_FIELDS as readonly string[]).includes(value);
}

function readSort(value: string | null): { sort: SortField; dir: SortDirection } {
  if (!value) return { sort: DEFAULT_VIEW.sort, dir: DEFAULT_VIEW.dir };
  const [field = '', dir] = value.split(':');
  if (!isSortField(field)) return { sort: DEFAULT_VIEW.sort, dir: DEFAULT_VIEW.dir };
  return { sort: field, dir: dir?.toLowerCase() === 'asc' ? 'asc' : 'desc' };
}

function readPage(value: string | null): number {
  if (!value || !/^\d+$/.test(value)) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n - 1 : 0;
}

function readSize(value: string | null): PageSize {
  const n = Number(value);
  return (PAGE_SIZES as readonly number[]).includes(n) ? (n as PageSize) : DEFAULT_VIEW.size;
}

/** `5s`, `1m`; `0` and `off` for off. */
export function formatRefreshParam(ms: RefreshInterval): string {
  if (ms === 0) return 'off';
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

function readRefresh(value: string | null): RefreshInterval {
  if (!value) return 0;
  const m = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const ms = m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
  return (REFRESH_INTERVALS as readonly number[]).includes(ms) ? (ms as RefreshInterval) : 0;
}

/** Reads the view from `location.search` (with or without the `?`); anything missing or invalid is its default. */
export function viewFromSearch(search: string): TaskViewState {
  const params = new URLSearchParams(search);
  const task = params.get('task');
  return {
    q: params.get('q') ?? '',
    timeField: readTimeField(params.get('time')),
    from: readDate(params.get('from')),
    to: readDate(params.get('to')),
    ...readSort(params.get('sort')),
    page: readPage(params.get('page')),
    size: readSize(params.get('size')),
    refresh: readRefresh(params.get('refresh')),
    task: task === null || task === '' ? null : task,
  };
}

/** Percent-encodes a parameter value, leaving the characters that are safe and common in queries readable. */
function encodeParam(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%2F/gi, '/')
    .replace(/%40/gi, '@');
}

/** The URL query string for a view: '' for the default view, otherwise `?…` with defaults left out, in a fixed order. */
export function viewToSearch(view: TaskViewState): string {
  const params: Array<[string, string]> = [];
  if (view.q !== '') params.push(['q', view.q]);
  if (view.timeField !== DEFAULT_VIEW.timeField) params.push(['time', TIME_PARAM[view.timeField]]);
  if (view.from !== '') params.push(['from', view.from]);
  if (view.to !== '') params.push(['to', view.to]);
  if (view.sort !== DEFAULT_VIEW.sort || view.dir !== DEFAULT_VIEW.dir) {
    params.push(['sort', `${view.sort}:${view.dir}`]);
  }
  if (view.page > 0) params.push(['page', String(view.page + 1)]);
  if (view.size !== DEFAULT_VIEW.size) params.push(['size', String(view.size)]);
  if (view.refresh !== DEFAULT_VIEW.refresh) params.push(['refresh', formatRefreshParam(view.refresh)]);
  if (view.task !== null && view.task !== '') params.push(['task', view.task]);
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&')}`;
}

/** Keys whose change keeps the current page: everything else changes which rows there are. */
const PAGE_KEEPING: ReadonlySet<keyof TaskViewState> = new Set(['page', 'task', 'refresh']);

/**
 * Applies a patch. A change to anything but page, task or refresh goes back to the first page, unless the
 * patch names a page itself. Returns `view` itself when nothing changes.
 */
export function updateView(view: TaskViewState, patch: Partial<TaskViewState>): TaskViewState {
  let changed = false;
  let resetsPage = false;
  for (const key of Object.keys(patch) as Array<keyof TaskViewState>) {
    const value = patch[key];
    if (value === undefined || Object.is(value, view[key])) continue;
    changed = true;
    if (!PAGE_KEEPING.has(key)) resetsPage = true;
  }
  if (!changed) return view;
  const next: TaskViewState = { ...view };
  for (const key of Object.keys(patch) as Array<keyof TaskViewState>) {
    if (patch[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = patch[key];
  }
  if (resetsPage && patch.page === undefined) next.page = 0;
  return next;
}
