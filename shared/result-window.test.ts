// The result window's arithmetic: the pages the console offers, asks for and clamps to, all within 10,000 matches.
import { describe, expect, it } from 'vitest';
import {
  MAX_RESULT_WINDOW,
  lastReachablePage,
  matchesBeyondWindow,
  reachableMatches,
  requestedPage,
} from './result-window';
import { PAGE_SIZES } from './task-view-state';

describe('lastReachablePage', () => {
  it('stops at the 10,000 window', () => {
    expect(lastReachablePage(1_000_000, 25)).toBe(399);
    expect(lastReachablePage(1_000_000, 10)).toBe(999);
    expect(lastReachablePage(1_000_000, 50)).toBe(199);
    expect(lastReachablePage(1_000_000, 100)).toBe(99);
    expect(lastReachablePage(Infinity, 25)).toBe(399);
    expect(lastReachablePage(10_001, 25)).toBe(399);
    // A size that does not divide the window: the next page would end at 10,020.
    expect(lastReachablePage(1_000_000, 30)).toBe(332);
  });

  it('stops at the last page of results below the window', () => {
    expect(lastReachablePage(10_000, 25)).toBe(399);
    expect(lastReachablePage(9_999, 25)).toBe(399);
    expect(lastReachablePage(9_975, 25)).toBe(398);
    expect(lastReachablePage(26, 25)).toBe(1);
    expect(lastReachablePage(25, 25)).toBe(0);
    expect(lastReachablePage(1, 25)).toBe(0);
  });

  it('is 0 for no results or a nonsensical size', () => {
    expect(lastReachablePage(0, 25)).toBe(0);
    expect(lastReachablePage(-5, 25)).toBe(0);
    expect(lastReachablePage(100, 0)).toBe(0);
    expect(lastReachablePage(100, 20_000)).toBe(0);
  });

  it('keeps every reachable page within the window', () => {
    for (const size of PAGE_SIZES) {
      for (const total of [0, 1, size, size + 1, 9_999, 10_000, 10_001, 123_456]) {
        const last = lastReachablePage(total, size);
        expect(last * size + size).toBeLessThanOrEqual(MAX_RESULT_WINDOW);
        if (total > 0) expect(last * size).toBeLessThan(total);
      }
    }
  });
});

describe('requestedPage', () => {
  it('is the view’s page, clamped to the window', () => {
    expect(requestedPage({ page: 3, size: 25 })).toBe(3);
    expect(requestedPage({ page: 399, size: 25 })).toBe(399);
    expect(requestedPage({ page: 400, size: 25 })).toBe(399);
    expect(requestedPage({ page: 1_000_000, size: 100 })).toBe(99);
  });

  it('treats a negative, fractional or missing page as the first', () => {
    expect(requestedPage({ page: -3, size: 25 })).toBe(0);
    expect(requestedPage({ page: 1.5, size: 25 })).toBe(0);
    expect(requestedPage({ page: Number.NaN, size: 25 })).toBe(0);
  });
});

describe('reachableMatches', () => {
  it('is every match below the window, and the window’s whole pages above it', () => {
    expect(reachableMatches(0, 25)).toBe(0);
    expect(reachableMatches(137, 25)).toBe(137);
    expect(reachableMatches(10_000, 25)).toBe(10_000);
    expect(reachableMatches(123_456, 25)).toBe(10_000);
    // 333 whole pages of 30: a 334th would end at 10,020, which the cluster refuses.
    expect(reachableMatches(123_456, 30)).toBe(9_990);
    expect(reachableMatches(100, 0)).toBe(0);
  });

  it('offers as many pages as lastReachablePage allows', () => {
    for (const size of PAGE_SIZES) {
      for (const total of [1, size, size + 1, 9_999, 10_000, 10_001, 123_456]) {
        expect(Math.ceil(reachableMatches(total, size) / size) - 1, `${total} / ${size}`).toBe(
          lastReachablePage(total, size),
        );
      }
    }
  });
});

describe('matchesBeyondWindow', () => {
  it('is true on the window’s last page when more matches lie beyond it', () => {
    expect(matchesBeyondWindow(10_001, { page: 399, size: 25 })).toBe(true);
    expect(matchesBeyondWindow(123_456, { page: 99, size: 100 })).toBe(true);
    // A page past the window is asked for as its last page.
    expect(matchesBeyondWindow(123_456, { page: 5_000, size: 25 })).toBe(true);
  });

  it('is false before the last page, or when the window holds every match', () => {
    expect(matchesBeyondWindow(123_456, { page: 398, size: 25 })).toBe(false);
    expect(matchesBeyondWindow(10_000, { page: 399, size: 25 })).toBe(false);
    expect(matchesBeyondWindow(50, { page: 1, size: 25 })).toBe(false);
  });
});
