// The result window: OpenSearch pages through the first 10,000 matches only, and every page the console offers,
// asks for or clamps to stays inside it.
import type { TaskViewState } from './task-view-state';

/** OpenSearch's default `index.max_result_window`: from + size beyond it is refused with 400. */
export const MAX_RESULT_WINDOW = 10_000;

/**
 * The last 0-based page whose from + size stays within the result window, and within the results when `total` is
 * known (pass `Infinity` when it is not).
 */
export function lastReachablePage(total: number, size: number): number {
  if (!(size > 0)) return 0;
  const windowPages = Math.floor(MAX_RESULT_WINDOW / size) - 1;
  const resultPages = Number.isFinite(total) ? Math.ceil(Math.max(0, total) / size) - 1 : Infinity;
  return Math.max(0, Math.min(windowPages, resultPages));
}

/** The page actually requested for a view: the view's page, clamped to the result window. */
export function requestedPage(view: Pick<TaskViewState, 'page' | 'size'>): number {
  const page = Number.isSafeInteger(view.page) && view.page > 0 ? view.page : 0;
  return Math.min(page, lastReachablePage(Infinity, view.size));
}

/** How many of `total` matches the pager can reach: as many pages as the window holds whole, at most. */
export function reachableMatches(total: number, size: number): number {
  if (!(size > 0)) return 0;
  return Math.max(0, Math.min(total, (lastReachablePage(Infinity, size) + 1) * size));
}

/** Whether the view shows the window's last page while more matches lie beyond it, which no page can show. */
export function matchesBeyondWindow(total: number, view: Pick<TaskViewState, 'page' | 'size'>): boolean {
  return total > MAX_RESULT_WINDOW && requestedPage(view) >= lastReachablePage(total, view.size);
}
