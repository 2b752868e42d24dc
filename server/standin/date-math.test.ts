// Unit tests of date parsing and date math.

import { describe, expect, it } from 'vitest';
import { parseAbsoluteDate, resolveDate, roundDate } from './date-math';

const NOW = Date.UTC(2024, 5, 15, 13, 45, 30, 250); // a Saturday

describe('dates', () => {
  it('parses epoch millis and strict ISO date-times; bare dates only when lenient', () => {
    expect(parseAbsoluteDate(1718459130250)).toBe(1718459130250);
    expect(parseAbsoluteDate('1718459130250')).toBe(1718459130250);
    expect(parseAbsoluteDate('2024-06-15T13:45:30.250Z')).toBe(NOW);
    expect(parseAbsoluteDate('2024-06-15T15:45:30.250+02:00')).toBe(NOW);
    expect(parseAbsoluteDate('2024-06-15')).toBeUndefined();
    expect(parseAbsoluteDate('2024-06-15', true)).toBe(Date.UTC(2024, 5, 15));
    expect(parseAbsoluteDate('2024-02-31T00:00:00Z')).toBeUndefined();
    expect(parseAbsoluteDate('yesterday')).toBeUndefined();
  });

  it('evaluates now, offsets and rounding', () => {
    expect(resolveDate('now', NOW)).toBe(NOW);
    expect(resolveDate('now-1h', NOW)).toBe(NOW - 3_600_000);
    expect(resolveDate('now+2d', NOW)).toBe(NOW + 2 * 86_400_000);
    expect(resolveDate('now/d', NOW)).toBe(Date.UTC(2024, 5, 15));
    expect(resolveDate('now/d', NOW, true)).toBe(Date.UTC(2024, 5, 16) - 1);
    expect(resolveDate('now-1M/M', NOW)).toBe(Date.UTC(2024, 4, 1));
    expect(resolveDate('now/w', NOW)).toBe(Date.UTC(2024, 5, 10)); // Monday
    expect(resolveDate('2024-01-31T00:00:00Z||+1M', NOW)).toBe(Date.UTC(2024, 2, 2)); // JavaScript month overflow
    expect(resolveDate('2024-06-15T00:00:00Z||-1y/y', NOW)).toBe(Date.UTC(2023, 0, 1));
    expect(roundDate(NOW, 'h', false)).toBe(Date.UTC(2024, 5, 15, 13));
    expect(roundDate(NOW, 'm', true)).toBe(Date.UTC(2024, 5, 15, 13, 45, 59, 999));
  });

  it('refuses what it cannot read, with OpenSearch’s message', () => {
    expect(() => resolveDate('now-1x', NOW)).toThrow(/failed to parse date field \[now-1x\]/);
    expect(() => resolveDate('now/', NOW)).toThrow();
    expect(() => resolveDate({}, NOW)).toThrow();
  });
});
