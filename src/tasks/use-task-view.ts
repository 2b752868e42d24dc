// The task view's state, read from and written to the URL, so that a copied link reproduces the view.
import { useCallback, useMemo } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { clusterQueryOptions } from '../lib/cluster-report';
import { currentLocation, navigate, useLocation } from '../lib/router';
import { taskListQueryOptions } from './task-queries';
import { parseTaskQuery, type ParseResult, type TaskQuery } from '../../shared/task-query';
import { buildTaskSearchBody, needsTriage } from '../../shared/task-search-body';
import { timelineOpenIn } from '../../shared/cookies';
import { updateView, viewFromSearch, viewToSearch, type TaskViewState } from '../../shared/task-view-state';

export type SetTaskView = (patch: Partial<TaskViewState>, options?: { replace?: boolean }) => void;

export interface TaskView {
  view: TaskViewState;
  /** The query bar text, parsed; a malformed query sends nothing. */
  parsed: ParseResult;
  setView: SetTaskView;
}

/** The model page shows one model's tasks: its id is a filter the user cannot remove. */
export function scopeToModel(query: TaskQuery, modelId: string | undefined): TaskQuery {
  return modelId ? { ...query, include: { ...query.include, model: [modelId] } } : query;
}

/**
 * How long a new view of the task list waits for its rows before it shows without them. A change of filters, sort or
 * page first sends its search, and the page moves to the new view when the rows are in: one render with the new rows
 * instead of a render of the new controls over the old rows and a second one with the new rows, each with its layout
 * and paint, on the same thread that must read the answer (bench/README.md, "filter to rows"). A cluster slower than
 * this shows the new view at once, its previous rows marked as loading.
 */
export const HOLD_FOR_ROWS_MS = 150;

/** The view a change asked for that is waiting for its rows: the next change starts from it, not from the URL. */
let held: { search: string; from: string } | undefined;

const here = (): string => {
  const { pathname, search } = currentLocation();
  return pathname + search;
};

/**
 * The search `next` will send, sent now (the same key, so one request): a promise of its rows, or undefined when the
 * view cannot know its body yet (a malformed query, capabilities not known, `is:stale` and `failure:` which need what
 * their page loads first).
 */
function prefetchList(
  queryClient: QueryClient,
  next: TaskViewState,
  modelId: string | undefined,
): Promise<void> | undefined {
  const parsed = parseTaskQuery(next.q);
  const capabilities = queryClient.getQueryData(clusterQueryOptions.queryKey)?.capabilities;
  if (!parsed.ok || !capabilities || needsTriage(parsed.query)) return undefined;
  // The same body the view will build: with the timeline's bars when its panel is open (the tasks page only).
  const timeline = !modelId && timelineOpenIn(document.cookie);
  const options = taskListQueryOptions(
    buildTaskSearchBody(next, scopeToModel(parsed.query, modelId), capabilities, undefined, { timeline }),
    next.refresh,
  );
  // Rows already here (the drawer opened on this page, a view seen a moment ago): shown at once, refreshed if stale.
  if (queryClient.getQueryState(options.queryKey)?.status === 'success') return undefined;
  return queryClient.prefetchQuery(options);
}

/**
 * `list`: the page shows the task list of the view (the tasks page, a model's page), whose search goes out with the
 * change and whose rows the change waits for; the failures page reads other searches.
 */
export function useTaskView(options: { modelId?: string; list?: boolean } = {}): TaskView {
  const { search } = useLocation();
  const queryClient = useQueryClient();
  const { modelId, list = true } = options;
  const view = useMemo(() => viewFromSearch(search), [search]);
  const parsed = useMemo(() => parseTaskQuery(view.q), [view.q]);
  const setView = useCallback<SetTaskView>(
    (patch, navOptions) => {
      const location = currentLocation();
      const from = location.pathname + location.search;
      // Several changes may come before the first is shown: each starts from the one before.
      const base = held?.from === from ? held.search : location.search;
      const next = updateView(viewFromSearch(base), patch);
      const to = location.pathname + viewToSearch(next);
      const rows = list ? prefetchList(queryClient, next, modelId) : undefined;
      if (!rows) {
        held = undefined;
        navigate(to, navOptions);
        return;
      }
      const mine = { search: viewToSearch(next), from };
      held = mine;
      const show = () => {
        // A later change replaced this one, or the page moved meanwhile (Back, a link): this one is not shown.
        if (held !== mine) return;
        held = undefined;
        if (here() === from) navigate(to, navOptions);
      };
      void rows.then(show);
      window.setTimeout(show, HOLD_FOR_ROWS_MS);
    },
    [queryClient, modelId, list],
  );
  return { view, parsed, setView };
}
