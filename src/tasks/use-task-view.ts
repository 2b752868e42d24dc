// The task view's state, read from and written to the URL, so that a copied link reproduces the view.
import { useCallback, useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { clusterQueryOptions } from '../lib/cluster-report';
import { navigate, useLocation } from '../lib/router';
import { taskListQueryOptions } from './task-queries';
import { parseTaskQuery, type ParseResult, type TaskQuery } from '../../shared/task-query';
import { buildTaskSearchBody, needsTriage } from '../../shared/task-search-body';
import { timelineOpenIn } from '../../shared/cookies';
import { updateView, viewFromSearch, viewToSearch, type TaskViewState } from '../../shared/task-view-state';

export type SetTaskView = (patch: Partial<TaskViewState>, options?: { replace?: boolean }) => void;

export interface TaskView {
  view: TaskViewState;
  /** The query bar text, parsed; a malformed one sends nothing. */
  parsed: ParseResult;
  setView: SetTaskView;
}

/** The model page shows one model's tasks: its id is a filter the user cannot remove. */
export function scopeToModel(query: TaskQuery, modelId: string | undefined): TaskQuery {
  return modelId ? { ...query, include: { ...query.include, model: [modelId] } } : query;
}

export function useTaskView(options: { modelId?: string } = {}): TaskView {
  const { search } = useLocation();
  const queryClient = useQueryClient();
  const { modelId } = options;
  const view = useMemo(() => viewFromSearch(search), [search]);
  const parsed = useMemo(() => parseTaskQuery(view.q), [view.q]);
  const setView = useCallback<SetTaskView>(
    (patch, navOptions) => {
      // Read the URL afresh: several updates may land before React re-renders.
      const next = updateView(viewFromSearch(window.location.search), patch);
      // Send the new view's search now, while React re-renders for the new URL: the query the view then
      // subscribes to is already in flight (the same key, so one request).
      const nextParsed = parseTaskQuery(next.q);
      const capabilities = queryClient.getQueryData(clusterQueryOptions.queryKey)?.capabilities;
      // A view with `is:stale` or `failure:` needs what its page loads first: nothing to prepare here.
      if (nextParsed.ok && capabilities && !needsTriage(nextParsed.query)) {
        const query = scopeToModel(nextParsed.query, modelId);
        // The same body the view will build: with the timeline's bars when its panel is open (the tasks page only).
        const timeline = !modelId && timelineOpenIn(document.cookie);
        void queryClient.prefetchQuery(
          taskListQueryOptions(
            buildTaskSearchBody(next, query, capabilities, undefined, { timeline }),
            next.refresh,
          ),
        );
      }
      navigate(window.location.pathname + viewToSearch(next), navOptions);
    },
    [queryClient, modelId],
  );
  return { view, parsed, setView };
}
