// The searches the console sends for the views the benchmark opens, from the console's own rules, so that the
// baseline page sends exactly the same bodies and every page's requests can be checked against them.
import { TASK_STATES } from '../../shared/ml-types';
import { emptyTaskQuery, formatTaskQuery, parseTaskQuery, toggleValue } from '../../shared/task-query';
import { buildTaskSearchBody, facetAggName } from '../../shared/task-search-body';
import { DEFAULT_VIEW, updateView } from '../../shared/task-view-state';
import type { BaselineSearches } from './baseline-page';

/** The first page of the tasks view. */
export function firstPageSearch(): unknown {
  return buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery());
}

/** The view after a click on `state` in the state summary of the first page, as the console's click makes it. */
export function stateSearch(state: string): unknown {
  const q = formatTaskQuery(toggleValue(emptyTaskQuery(), 'state', state, 'include'));
  const parsed = parseTaskQuery(q);
  if (!parsed.ok)
    throw new Error(`the console's own query for state ${state} does not parse: ${parsed.message}`);
  return buildTaskSearchBody(updateView(DEFAULT_VIEW, { q }), parsed.query);
}

/** Every search the baseline page may send: the first page, and each state alone. */
export function baselineSearches(): BaselineSearches {
  return {
    all: firstPageSearch(),
    byState: Object.fromEntries(TASK_STATES.map((s) => [s, stateSearch(s)])),
    stateAggregation: facetAggName('state'),
  };
}
