// What a view's search needs for `is:stale` and `failure:`, which no task field holds: the stale rules' facts, and the
// task ids of the failure groups the query names (read exactly as the failures page reads them, so one cache serves
// both). A view without either term is ready at once and loads nothing.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Capabilities } from '../../shared/cluster-capabilities';
import type { TaskQuery } from '../../shared/task-query';
import { triageNeeds, type TriageContext } from '../../shared/task-search-body';
import type { TaskViewState } from '../../shared/task-view-state';
import { failureGroupsQueryOptions } from './failure-groups-query';
import { failureScopeOf } from '../../shared/failure-scope';
import type { StaleState } from './stale-context';

export interface TriageState {
  /** False while something the query needs is still loading: the view sends nothing yet. */
  ready: boolean;
  context: TriageContext | undefined;
  /** Why the failure groups the query names could not be read. */
  error: unknown;
  retry: () => void;
}

const NONE: string[] = [];

export function useTriageContext(
  view: TaskViewState,
  query: TaskQuery | undefined,
  capabilities: Capabilities | undefined,
  stale: Pick<StaleState, 'context'>,
): TriageState {
  const needs = useMemo(() => (query ? triageNeeds(query) : { stale: false, failureGroups: NONE }), [query]);
  const wantsGroups = needs.failureGroups.length > 0;
  const scope = useMemo(
    () => (wantsGroups && capabilities ? failureScopeOf(view, query, capabilities) : undefined),
    [wantsGroups, view, query, capabilities],
  );
  const groups = useQuery(failureGroupsQueryOptions(scope));
  const groupIds = useMemo(() => {
    if (!groups.data) return undefined;
    const byFingerprint: Record<string, readonly string[]> = {};
    for (const g of groups.data.groups) byFingerprint[g.fingerprint] = g.taskIds;
    return byFingerprint;
  }, [groups.data]);

  const { refetch } = groups;
  return useMemo((): TriageState => {
    const staleReady = !needs.stale || stale.context !== undefined;
    // Groups of another scope (kept while the next loads) must not stand in: they are other tasks.
    const groupsReady = !wantsGroups || (groupIds !== undefined && !groups.isPlaceholderData);
    const context: TriageContext | undefined =
      needs.stale || wantsGroups
        ? {
            // The rules' query does not use the time: the cluster's own `now` moves it on.
            ...(needs.stale && stale.context ? { stale: { ...stale.context, now: 0 } } : {}),
            ...(wantsGroups ? { failureGroups: groupIds } : {}),
          }
        : undefined;
    return {
      ready: staleReady && groupsReady,
      context,
      error: wantsGroups ? groups.error : null,
      retry: () => void refetch(),
    };
  }, [needs, stale.context, wantsGroups, groupIds, groups.isPlaceholderData, groups.error, refetch]);
}
