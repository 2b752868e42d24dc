// Display formatting shared by the views: timestamps and the worker-node field in both of its shapes.

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
