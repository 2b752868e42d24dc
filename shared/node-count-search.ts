// The nodes page's count of tasks per node where the cluster aggregates in a search: the one body the gateway (which
// renders the page with its answer), first-search.ts (which sends it early) and the page itself all build from the URL.
import type { TaskSearchBody } from './ml-types';
import type { Capabilities } from './cluster-capabilities';
import { viewFromSearch, type TimeField } from './task-view-state';

/** States in which a task has failed, and in which it is still under way (before its release's list filters them). */
const FAILED_STATES = ['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE', 'EXPIRED'] as const;
const ACTIVE_STATES = ['CREATED', 'RUNNING', 'CANCELLING'] as const;

export interface StateGroups {
  failed: string[];
  active: string[];
}

/** The failure and activity states the cluster's release has: a state it never writes is not asked for. */
export function stateGroupsOf(releaseStates: readonly string[]): StateGroups {
  return {
    failed: FAILED_STATES.filter((s) => releaseStates.includes(s)),
    active: ACTIVE_STATES.filter((s) => releaseStates.includes(s)),
  };
}

/** Which tasks are counted: the time range of the tasks page's URL, or all of them. */
export interface CountScope {
  timeField: TimeField;
  /** Date math or ISO, as in the tasks page's URL; '' is unbounded. */
  from: string;
  to: string;
}

/** The nodes page counts in the time range of its URL (the tasks page's, carried over by the navigation). */
export function countScopeOf(search: string): CountScope {
  const { timeField, from, to } = viewFromSearch(search);
  return { timeField, from, to };
}

/**
 * The nodes page's one search where the cluster aggregates in a task search; first-search.ts starts it before the
 * app has loaded, and the page's first search, the same body, takes its answer over.
 */
export function nodeAggregationSearchOf(
  search: string,
  capabilities: Capabilities,
): TaskSearchBody | undefined {
  if (!capabilities.aggregationsInSearch) return undefined;
  return buildNodeAggregationSearch(countScopeOf(search), stateGroupsOf(capabilities.states));
}

export const ALL_TIME: CountScope = { timeField: 'create_time', from: '', to: '' };

/** Distinct node ids one aggregation lists: far more than any cluster has, ever had, or a task document names. */
export const NODE_BUCKETS = 500;
export type Clause = Record<string, unknown>;

export function scopeClauses(scope: CountScope): Clause[] {
  if (scope.from === '' && scope.to === '') return [];
  return [
    {
      range: {
        [scope.timeField]: {
          ...(scope.from !== '' ? { gte: scope.from } : {}),
          ...(scope.to !== '' ? { lte: scope.to } : {}),
        },
      },
    },
  ];
}

export function query(filter: Clause[]): Clause {
  return filter.length === 0 ? { match_all: {} } : { bool: { filter } };
}

/** A clause no task matches: a state group the release does not have. */
const NONE: Clause = { bool: { must_not: [{ match_all: {} }] } };

export function statesClause(states: string[]): Clause {
  return states.length === 0 ? NONE : { terms: { state: states } };
}

/** The one search, for clusters that answer aggregations in a task search. */
export function buildNodeAggregationSearch(scope: CountScope, groups: StateGroups): TaskSearchBody {
  return {
    size: 0,
    track_total_hits: true,
    query: query(scopeClauses(scope)),
    aggs: {
      nodes: {
        terms: { field: 'worker_node', size: NODE_BUCKETS },
        aggs: {
          groups: {
            filters: {
              filters: { failed: statesClause(groups.failed), active: statesClause(groups.active) },
            },
          },
          last_activity: { max: { field: 'last_update_time' } },
        },
      },
    },
  };
}
