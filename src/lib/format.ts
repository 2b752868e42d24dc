// Display formatting shared by the views: timestamps, relative times, durations, sizes and the worker-node field.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Reads a task date as OpenSearch may hold it (`strict_date_time||epoch_millis`): epoch millis as a
 * number or numeric string, or an ISO string. Anything else is `undefined`.
 */
export function toDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && value.trim() !== '') {
    date = /^-?\d+$/.test(value.trim()) ? new Date(Number(value)) : new Date(value);
  }
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** `YYYY-MM-DD HH:mm:ss` in the browser's time zone, or `undefined` when the value is not a date. */
export function formatTimestamp(value: unknown): string | undefined {
  const date = toDate(value);
  if (!date) return undefined;
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** `worker_node` is an array since 2.5 and a plain string in older documents; both become a list. */
export function workerNodeList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(String);
  return [];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * How long ago (or how far ahead) a date is, in its largest whole unit: "just now", "12 s ago", "5 min ago",
 * "3 h ago", "2 days ago", "4 months ago", "1 year ago", "in 5 min". `undefined` when the value is not a date.
 */
export function formatRelative(value: unknown, now: number): string | undefined {
  const date = toDate(value);
  if (!date || !Number.isFinite(now)) return undefined;
  const diff = now - date.getTime();
  const abs = Math.abs(diff);
  if (abs < SECOND) return 'just now';
  let span: string;
  if (abs < MINUTE) span = `${Math.floor(abs / SECOND)} s`;
  else if (abs < HOUR) span = `${Math.floor(abs / MINUTE)} min`;
  else if (abs < DAY) span = `${Math.floor(abs / HOUR)} h`;
  else if (abs < MONTH) span = plural(Math.floor(abs / DAY), 'day');
  else if (abs < YEAR) span = plural(Math.floor(abs / MONTH), 'month');
  else span = plural(Math.floor(abs / YEAR), 'year');
  return diff > 0 ? `${span} ago` : `in ${span}`;
}

/** A duration in its two largest units: "850 ms", "12 s", "4 min 3 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const t = Math.max(0, ms);
  if (t < SECOND) return `${Math.floor(t)} ms`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s`;
  if (t < HOUR) return pair(Math.floor(t / MINUTE), 'min', Math.floor((t % MINUTE) / SECOND), 's');
  if (t < DAY) return pair(Math.floor(t / HOUR), 'h', Math.floor((t % HOUR) / MINUTE), 'min');
  return pair(Math.floor(t / DAY), 'd', Math.floor((t % DAY) / HOUR), 'h');
}

/** The exact instant in UTC with milliseconds (`2024-06-01T12:00:00.000Z`), for tooltips and raw views. */
export function formatIso(value: unknown): string | undefined {
  const date = toDate(value);
  return date?.toISOString();
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** A byte count in binary units: "512 B", "1.5 KiB", "87.5 MiB", "255 MiB", "1.2 GiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${Math.round(n)} B`;
  let value = n;
  let unit = 'B';
  for (const u of BYTE_UNITS) {
    // Round first, so that 1,048,575 bytes reads "1 MiB" rather than "1024 KiB".
    if (Math.round(value) < 1024) break;
    value /= 1024;
    unit = u;
  }
  // One decimal below 100 ("87.5 MiB"), none above ("255 MiB"); a trailing ".0" is dropped.
  const text = value < 100 ? (Math.round(value * 10) / 10).toString() : Math.round(value).toString();
  return `${text} ${unit}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * `n` in `locale` (undefined: the browser's own), as `toLocaleString` does, with one `Intl.NumberFormat` per locale and
 * options: `toLocaleString` with a locale builds a new one on every call, which cost the failures page 24 ms a render
 * and the tasks page's counts a share of every filter click.
 */
export function formatNumber(
  n: number,
  locale: string | undefined,
  options?: Intl.NumberFormatOptions,
): string {
  const key = `${locale ?? ''}|${options ? JSON.stringify(options) : ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format.format(n);
}
