// Date parsing and date math (`now-1h`, `now/d`, `2024-01-01||+1M/d`) as OpenSearch evaluates them, in UTC.

import { OpenSearchError } from './errors';

export const DATE_FORMAT = 'strict_date_time||epoch_millis';

const UNITS = new Set(['y', 'M', 'w', 'd', 'h', 'H', 'm', 's']);

export function dateParseError(value: unknown): OpenSearchError {
  const text = String(value);
  return new OpenSearchError(
    400,
    'parse_exception',
    `failed to parse date field [${text}] with format [${DATE_FORMAT}]: [failed to parse date field [${text}] with format [${DATE_FORMAT}]]`,
  );
}

/**
 * Parses an absolute date with the task index's format `strict_date_time||epoch_millis`: a full ISO
 * date-time with seconds and a zone, or epoch millis. `lenient` (used when a query names its own
 * `format`) also takes a bare date or a date-time without zone, as `strict_date_optional_time` does.
 */
export function parseAbsoluteDate(value: unknown, lenient = false): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(s) && !(lenient && /^\d{4}$/.test(s))) return Math.trunc(Number(s));
  if (!lenient && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    return undefined;
  }
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s,
    );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const month = Number(mo);
  const day = Number(d);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(se) > 59
  ) {
    return undefined;
  }
  let t = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(se), ms);
  if (new Date(t).getUTCDate() !== day) return undefined; // 2024-02-31 and the like
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

function addUnit(t: number, amount: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + amount);
      return d.getTime();
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + amount);
      return d.getTime();
    case 'w':
      return t + amount * 7 * 86_400_000;
    case 'd':
      return t + amount * 86_400_000;
    case 'h':
    case 'H':
      return t + amount * 3_600_000;
    case 'm':
      return t + amount * 60_000;
    default:
      return t + amount * 1000;
  }
}

/** Rounds down to the start of the unit, or up to its last millisecond. */
export function roundDate(t: number, unit: string, up: boolean): number {
  const d = new Date(t);
  let start: number;
  switch (unit) {
    case 'y':
      start = Date.UTC(d.getUTCFullYear(), 0, 1);
      break;
    case 'M':
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      break;
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      start = day - ((d.getUTCDay() + 6) % 7) * 86_400_000; // ISO weeks start on Monday
      break;
    }
    case 'd':
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      break;
    case 'h':
    case 'H':
      start = t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
      break;
    case 'm':
      start = t - (((t % 60_000) + 60_000) % 60_000);
      break;
    default:
      start = t - (((t % 1000) + 1000) % 1000);
  }
  return up ? addUnit(start, 1, unit) - 1 : start;
}

/**
 * Resolves a date or date-math expression to epoch millis. `roundUp` follows OpenSearch's range rules:
 * `gt` and `lte` round up to the end of a rounded unit, `gte` and `lt` round down.
 */
export function resolveDate(value: unknown, now: number, roundUp = false, lenient = false): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw dateParseError(value);
    return Math.trunc(value);
  }
  if (typeof value !== 'string') throw dateParseError(value);
  let anchor: number | undefined;
  let math: string;
  if (value.startsWith('now')) {
    anchor = now;
    math = value.slice(3);
  } else {
    const sep = value.indexOf('||');
    anchor = parseAbsoluteDate(sep === -1 ? value : value.slice(0, sep), lenient);
    math = sep === -1 ? '' : value.slice(sep + 2);
  }
  if (anchor === undefined) throw dateParseError(value);
  let t = anchor;
  let i = 0;
  while (i < math.length) {
    const op = math[i];
    if (op === '/') {
      const unit = math[i + 1];
      if (!unit || !UNITS.has(unit)) throw dateParseError(value);
      t = roundDate(t, unit, roundUp);
      i += 2;
      continue;
    }
    if (op !== '+' && op !== '-') throw dateParseError(value);
    let j = i + 1;
    while (j < math.length && /\d/.test(math[j]!)) j++;
    const amount = j === i + 1 ? 1 : Number(math.slice(i + 1, j));
    const unit = math[j];
    if (!unit || !UNITS.has(unit)) throw dateParseError(value);
    t = addUnit(t, op === '-' ? -amount : amount, unit);
    i = j + 1;
  }
  return t;
}

/** Formats epoch millis the way the `strict_date_time` format prints them. */
export function formatDate(t: number): string {
  return new Date(t).toISOString();
}
