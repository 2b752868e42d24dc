// Tests for timestamp, relative time, duration, size and number formatting, and the two shapes of worker_node.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatIso,
  formatRelative,
  formatTimestamp,
  toDate,
  workerNodeList,
} from './format';

describe('formatTimestamp', () => {
  it('formats epoch millis in local time as YYYY-MM-DD HH:mm:ss', () => {
    const millis = Date.UTC(2024, 4, 2, 14, 3, 11, 500);
    const d = new Date(millis);
    const pad = (n: number) => String(n).padStart(2, '0');
    const expected = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    expect(formatTimestamp(millis)).toBe(expected);
    expect(formatTimestamp(String(millis))).toBe(expected);
    expect(formatTimestamp(new Date(millis).toISOString())).toBe(expected);
  });

  it('returns undefined for missing or unreadable values', () => {
    expect(formatTimestamp(undefined)).toBeUndefined();
    expect(formatTimestamp(null)).toBeUndefined();
    expect(formatTimestamp('')).toBeUndefined();
    expect(formatTimestamp('yesterday')).toBeUndefined();
    expect(formatTimestamp({})).toBeUndefined();
    expect(toDate(Number.NaN)).toBeUndefined();
  });
});

describe('workerNodeList', () => {
  it('keeps an array (2.5+) and wraps a legacy string (2.4)', () => {
    expect(workerNodeList(['node-a', 'node-b'])).toEqual(['node-a', 'node-b']);
    expect(workerNodeList('node-legacy')).toEqual(['node-legacy']);
  });

  it('is empty when absent', () => {
    expect(workerNodeList(undefined)).toEqual([]);
    expect(workerNodeList('')).toEqual([]);
    expect(workerNodeList([])).toEqual([]);
  });
});

describe('formatRelative', () => {
  const now = Date.UTC(2025, 5, 15, 12, 0, 0);
  const S = 1000;
  const MIN = 60 * S;
  const H = 60 * MIN;
  const D = 24 * H;

  it('says how long ago in the largest whole unit', () => {
    const cases: Array<[number, string]> = [
      [0, 'just now'],
      [999, 'just now'],
      [S, '1 s ago'],
      [12 * S + 900, '12 s ago'],
      [59 * S, '59 s ago'],
      [MIN, '1 min ago'],
      [5 * MIN + 59 * S, '5 min ago'],
      [H - 1, '59 min ago'],
      [3 * H, '3 h ago'],
      [D - 1, '23 h ago'],
      [D, '1 day ago'],
      [2 * D + 5 * H, '2 days ago'],
      [29 * D, '29 days ago'],
      [30 * D, '1 month ago'],
      [100 * D, '3 months ago'],
      [365 * D, '1 year ago'],
      [540 * D, '1 year ago'],
      [800 * D, '2 years ago'],
    ];
    for (const [ago, text] of cases) expect(formatRelative(now - ago, now), String(ago)).toBe(text);
  });

  it('says "in …" for the future', () => {
    expect(formatRelative(now + 5 * MIN, now)).toBe('in 5 min');
    expect(formatRelative(now + 30 * S, now)).toBe('in 30 s');
    expect(formatRelative(now + 3 * D, now)).toBe('in 3 days');
    expect(formatRelative(now + 500, now)).toBe('just now');
  });

  it('reads every date form toDate reads, and nothing else', () => {
    expect(formatRelative(String(now - 3 * H), now)).toBe('3 h ago');
    expect(formatRelative(new Date(now - 3 * H).toISOString(), now)).toBe('3 h ago');
    for (const value of [undefined, null, '', 'yesterday', {}, Number.NaN]) {
      expect(formatRelative(value, now)).toBeUndefined();
    }
    expect(formatRelative(now, Number.NaN)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    const cases: Array<[number, string]> = [
      [0, '0 ms'],
      [850, '850 ms'],
      [999.9, '999 ms'],
      [1_000, '1 s'],
      [12_400, '12 s'],
      [59_999, '59 s'],
      [60_000, '1 min'],
      [4 * 60_000 + 3_000, '4 min 3 s'],
      [3_599_999, '59 min 59 s'],
      [3_600_000, '1 h'],
      [2 * 3_600_000 + 5 * 60_000 + 59_000, '2 h 5 min'],
      [86_399_999, '23 h 59 min'],
      [86_400_000, '1 d'],
      [3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, '3 d 4 h'],
      [400 * 86_400_000, '400 d'],
    ];
    for (const [ms, text] of cases) expect(formatDuration(ms), String(ms)).toBe(text);
  });

  it('shows a negative duration (clock skew) as zero and a non-number as a dash', () => {
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(Infinity)).toBe('—');
  });
});

describe('formatIso', () => {
  it('gives the UTC instant with milliseconds', () => {
    const millis = Date.UTC(2024, 5, 1, 8, 30, 5, 7);
    expect(formatIso(millis)).toBe('2024-06-01T08:30:05.007Z');
    expect(formatIso(String(millis))).toBe('2024-06-01T08:30:05.007Z');
    expect(formatIso('2024-06-01T10:30:05.007+02:00')).toBe('2024-06-01T08:30:05.007Z');
    expect(formatIso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('is undefined for what is not a date', () => {
    for (const value of [undefined, null, '', 'soon', {}, 8.64e15 + 1])
      expect(formatIso(value)).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    const cases: Array<[number, string]> = [
      [0, '0 B'],
      [512, '512 B'],
      [1023, '1023 B'],
      [1024, '1 KiB'],
      [1536, '1.5 KiB'],
      [91_790_008, '87.5 MiB'],
      [267_707_626, '255 MiB'],
      [1_340_591_104, '1.2 GiB'],
      [1_048_575, '1 MiB'],
      [5 * 1024 ** 4, '5 TiB'],
      [3 * 1024 ** 5, '3 PiB'],
      [2048 * 1024 ** 5, '2048 PiB'],
    ];
    for (const [n, text] of cases) expect(formatBytes(n), String(n)).toBe(text);
  });

  it('shows a dash for what is not a size', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(Infinity)).toBe('—');
  });
});

describe('formatNumber', () => {
  it.each([
    [1234567, 'en-US', undefined],
    [1234567, 'de-DE', undefined],
    [1234567, 'fr-FR', undefined],
    [0.0423, 'en-US', { style: 'percent', maximumFractionDigits: 1 } as const],
    [0.0423, 'de-DE', { style: 'percent', maximumFractionDigits: 1 } as const],
    [0, undefined, undefined],
  ])('formats %s in %s as toLocaleString does', (n, locale, options) => {
    expect(formatNumber(n, locale, options)).toBe(n.toLocaleString(locale, options));
    // The second call, from the kept formatter, says the same.
    expect(formatNumber(n, locale, options)).toBe(n.toLocaleString(locale, options));
  });
});
