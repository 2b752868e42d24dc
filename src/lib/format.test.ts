// Tests for timestamp formatting and the two shapes of worker_node.
import { describe, expect, it } from 'vitest';
import { formatTimestamp, toDate, workerNodeList } from './format';

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
