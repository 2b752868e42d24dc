// The task view's state, read from and written to the URL, so that a copied link reproduces the view.
import { useCallback, useMemo } from 'react';
import { navigate, useLocation } from '../lib/router';
import { parseTaskQuery, type ParseResult } from './task-query';
import { updateView, viewFromSearch, viewToSearch, type TaskViewState } from './task-view-state';

export type SetTaskView = (patch: Partial<TaskViewState>, options?: { replace?: boolean }) => void;

export interface TaskView {
  view: TaskViewState;
  /** The query bar text, parsed; a malformed one sends nothing. */
  parsed: ParseResult;
  setView: SetTaskView;
}

export function useTaskView(): TaskView {
  const { search } = useLocation();
  const view = useMemo(() => viewFromSearch(search), [search]);
  const parsed = useMemo(() => parseTaskQuery(view.q), [view.q]);
  const setView = useCallback<SetTaskView>((patch, options) => {
    // Read the URL afresh: several updates may land before React re-renders.
    const next = updateView(viewFromSearch(window.location.search), patch);
    navigate(window.location.pathname + viewToSearch(next), options);
  }, []);
  return { view, parsed, setView };
}
