// Date parsing and date math (`now-1h`, `now/d`, `2024-01-01||+1M/d`) as OpenSearch evaluates them, in UTC.

import { OpenSearchError, notSupportedByStandin } from './errors';

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
 * `roundUp` is the parser OpenSearch uses for `gt` and `lte`: components the text leaves out become the
 * last instant they could mean (month and day 01, then 23:59:59.999), so `lte: "2024-05-31"` takes in the
 * whole day. `zoneOffset` (ms east of UTC) applies to a date-time that names no zone.
 */
export function parseAbsoluteDate(
  value: unknown,
  lenient = false,
  roundUp = false,
  zoneOffset = 0,
): number | undefined {
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
  const fill = (part: string | undefined, down: string, up: string): string => part ?? (roundUp ? up : down);
  const [, y, mo = '01', d = '01'] = m;
  const h = fill(m[4], '00', '23');
  const mi = fill(m[5], '00', '59');
  const se = fill(m[6], '00', '59');
  const ms = Number(fill(m[7], '0', '999').padEnd(3, '0').slice(0, 3));
  const zone = m[8];
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
  } else if (!zone) {
    t -= zoneOffset;
  }
  return t;
}

function addUnit(t: number, amount: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
    case 'M': {
      // java.time's plusMonths/plusYears: a day the target month lacks becomes its last day (Jan 31 + 1M is
      // Feb 29 or 28), where JavaScript's Date would overflow into March.
      const months = d.getUTCMonth() + (unit === 'y' ? 12 * amount : amount);
      const year = d.getUTCFullYear() + Math.floor(months / 12);
      const month = ((months % 12) + 12) % 12;
      const last = new Date(0);
      last.setUTCFullYear(year, month + 1, 0);
      d.setUTCFullYear(year, month, Math.min(d.getUTCDate(), last.getUTCDate()));
      return d.getTime();
    }
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
 * `gt` and `lte` round up to the end of a rounded unit (and fill a date's missing parts upwards), `gte` and
 * `lt` round down. `zoneOffset` (ms east of UTC, from a `time_zone`) is where days and months begin.
 */
export function resolveDate(
  value: unknown,
  now: number,
  roundUp = false,
  lenient = false,
  zoneOffset = 0,
): number {
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
    // A date followed by math is read as written (rounded down); only a bare date fills its gaps upwards.
    const sep = value.indexOf('||');
    anchor =
      sep === -1
        ? parseAbsoluteDate(value, lenient, roundUp, zoneOffset)
        : parseAbsoluteDate(value.slice(0, sep), lenient, false, zoneOffset);
    math = sep === -1 ? '' : value.slice(sep + 2);
  }
  if (anchor === undefined) throw dateParseError(value);
  // Math runs on the zone's wall clock: shift in, compute, shift back.
  let t = anchor + zoneOffset;
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
  return t - zoneOffset;
}

/**
 * A `time_zone` parameter as milliseconds east of UTC. Fixed offsets and UTC's names are exact; a region such
 * as Europe/Paris would need daylight-saving rules, which the stand-in does not have, so it says so.
 */
export function timeZoneOffset(tz: unknown): number {
  if (tz === undefined || tz === null) return 0;
  const name = String(tz);
  if (['UTC', 'Z', 'Etc/UTC', 'GMT', 'Etc/GMT', 'UCT', 'Zulu'].includes(name)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(name);
  if (!m || Number(m[2]) > 18)
    throw notSupportedByStandin(`the time zone [${name}] (use UTC or a fixed offset such as +02:00)`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/** Formats epoch millis the way the `strict_date_time` format prints them, in a fixed-offset zone. */
export function formatDate(t: number, zoneOffset = 0): string {
  if (zoneOffset === 0) return new Date(t).toISOString();
  const abs = Math.abs(zoneOffset) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${new Date(t + zoneOffset).toISOString().slice(0, -1)}${zoneOffset < 0 ? '-' : '+'}${hh}:${mm}`;
}
