// Unit tests of date parsing and date math.

import { describe, expect, it } from 'vitest';
import { formatDate, parseAbsoluteDate, resolveDate, roundDate, timeZoneOffset } from './date-math';

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
    // java.time clamps to the month's last day where JavaScript's Date would overflow into March.
    expect(resolveDate('2024-01-31T00:00:00Z||+1M', NOW)).toBe(Date.UTC(2024, 1, 29));
    expect(resolveDate('2024-03-31T10:00:00Z||-1M', NOW)).toBe(Date.UTC(2024, 1, 29, 10));
    expect(resolveDate('2024-02-29T00:00:00Z||+1y', NOW)).toBe(Date.UTC(2025, 1, 28));
    expect(resolveDate('2024-05-31T00:00:00Z||+13M', NOW)).toBe(Date.UTC(2025, 5, 30));
    expect(resolveDate('2024-06-15T00:00:00Z||-1y/y', NOW)).toBe(Date.UTC(2023, 0, 1));
    expect(roundDate(NOW, 'h', false)).toBe(Date.UTC(2024, 5, 15, 13));
    expect(roundDate(NOW, 'm', true)).toBe(Date.UTC(2024, 5, 15, 13, 45, 59, 999));
  });

  it('rounding up fills the parts a date leaves out with their last instant', () => {
    // lte/gt parse with 23:59:59.999 for missing time parts, as OpenSearch's round-up parser does.
    expect(resolveDate('2024-05-31', NOW, true, true)).toBe(Date.UTC(2024, 4, 31, 23, 59, 59, 999));
    expect(resolveDate('2024-05-31', NOW, false, true)).toBe(Date.UTC(2024, 4, 31));
    expect(resolveDate('2024-05-31T10:15', NOW, true, true)).toBe(Date.UTC(2024, 4, 31, 10, 15, 59, 999));
    expect(resolveDate('2024-05-31T10:15:30Z', NOW, true)).toBe(Date.UTC(2024, 4, 31, 10, 15, 30, 999));
    expect(resolveDate('2024-05-31T10:15:30.5Z', NOW, true)).toBe(Date.UTC(2024, 4, 31, 10, 15, 30, 500));
    // Before `||` the date is read as written; only the rounding after it goes up.
    expect(resolveDate('2024-05-31T10:15:30Z||/h', NOW, true)).toBe(Date.UTC(2024, 4, 31, 10, 59, 59, 999));
    expect(resolveDate('1717200000000', NOW, true)).toBe(1717200000000);
  });

  it('a time zone moves the wall clock that dates and rounding use', () => {
    const plus2 = timeZoneOffset('+02:00');
    expect(plus2).toBe(2 * 3_600_000);
    expect(timeZoneOffset('-0530')).toBe(-(5 * 60 + 30) * 60_000);
    expect(timeZoneOffset('UTC')).toBe(0);
    expect(() => timeZoneOffset('Europe/Paris')).toThrow(/stand-in does not support the time zone/);
    // Midnight in +02:00 is 22:00 the day before in UTC.
    expect(resolveDate('now/d', NOW, false, false, plus2)).toBe(Date.UTC(2024, 5, 14, 22));
    expect(resolveDate('2024-06-15', NOW, false, true, plus2)).toBe(Date.UTC(2024, 5, 14, 22));
    // A date that names its zone keeps it.
    expect(resolveDate('2024-06-15T00:00:00Z', NOW, false, false, plus2)).toBe(Date.UTC(2024, 5, 15));
    expect(formatDate(Date.UTC(2024, 5, 14, 22), plus2)).toBe('2024-06-15T00:00:00.000+02:00');
  });

  it('refuses what it cannot read, with OpenSearch’s message', () => {
    expect(() => resolveDate('now-1x', NOW)).toThrow(/failed to parse date field \[now-1x\]/);
    expect(() => resolveDate('now/', NOW)).toThrow();
    expect(() => resolveDate({}, NOW)).toThrow();
  });
});
