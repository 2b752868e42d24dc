// The one search body per view: a page of tasks, the exact total and the facet counts, in a single request.
import { ASSUMED_CAPABILITIES, type Capabilities } from './cluster-capabilities';
import { isObject } from './json';
import type { TaskSearchBody, TermsBucket } from './ml-types';
import { requestedPage } from './result-window';
import { DEFAULT_THRESHOLDS, staleCapabilitiesOf, staleClause, type StaleContext } from './stale-rules';
import { TIMELINE_AGG, timelineAggs, timelinePlan } from './timeline';
import { FILTER_FIELDS, type FilterField, type TaskQuery } from './task-query';
import { DEFAULT_VIEW, SORT_FIELDS, type TaskViewState } from './task-view-state';

export const DEFAULT_PAGE_SIZE = DEFAULT_VIEW.size;

/** Fields counted per value alongside the page. `model` is a filter, not a facet: ids are too many to list. */
export const FACET_FIELDS = ['state', 'function', 'type', 'node'] as const satisfies readonly FilterField[];
export type FacetField = (typeof FACET_FIELDS)[number];

/** Distinct values counted per facet; there are ~20 functions, 11 types and 9 states, and nodes rarely reach 100. */
export const FACET_SIZE = 100;

export interface FacetCount {
  value: string;
  count: number;
}

type Clause = Record<string, unknown>;

export function facetAggName(field: FacetField): string {
  return `facet_${field}`;
}

function termsClause(field: FilterField, values: string[]): Clause {
  return { terms: { [FILTER_FIELDS[field].docField]: values } };
}

/** A wildcard pattern that matches `text` literally wherever it occurs. */
function containsPattern(text: string): string {
  return `*${text.replace(/[\\*?]/g, (c) => `\\${c}`)}*`;
}

/**
 * One free-text term: the task id, the model id, or text in the failure. `error` is analysed by the standard
 * analyzer, which keeps `java.lang.OutOfMemoryError` as one token: a phrase finds whole words, and a case-insensitive
 * wildcard finds a fragment inside one (`OutOfMemoryError`); a term with spaces can only be a phrase. Agent runs
 * (3.0+) keep their failure in `response.error_message`, a flat_object leaf matched whole and case-sensitively by
 * a phrase, so it is searched with the same wildcard.
 */
export function textClause(term: string): Clause {
  const pattern = containsPattern(term);
  const insideAWord = /\s/.test(term)
    ? []
    : [{ wildcard: { error: { value: pattern, case_insensitive: true } } }];
  return {
    bool: {
      should: [
        { ids: { values: [term] } },
        { term: { model_id: term } },
        { match_phrase: { error: term } },
        ...insideAWord,
        { wildcard: { 'response.error_message': { value: pattern, case_insensitive: true } } },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * The facet filters on `fields` as one clause, written the same way wherever it appears (post_filter, each facet's
 * filter), so that a cluster can recognise a filter it has just run.
 */
function facetFilter(query: TaskQuery, fields: readonly FacetField[]): Clause {
  const filter: Clause[] = [];
  const mustNot: Clause[] = [];
  for (const field of fields) {
    if (query.include[field].length > 0) filter.push(termsClause(field, query.include[field]));
    if (query.exclude[field].length > 0) mustNot.push(termsClause(field, query.exclude[field]));
  }
  if (filter.length === 0 && mustNot.length === 0) return { match_all: {} };
  return {
    bool: { ...(filter.length > 0 ? { filter } : {}), ...(mustNot.length > 0 ? { must_not: mustNot } : {}) },
  };
}

/**
 * A view's filters, its `query` and its `post_filter` (the facets), with one more clause, as one query: what the
 * searches beside the view's own (the stale count, the failure pages) ask of the same tasks.
 */
export function withinView(
  viewBody: Pick<TaskSearchBody, 'query' | 'post_filter'>,
  clause: Record<string, unknown>,
): Record<string, unknown> {
  const filter: Array<Record<string, unknown>> = [];
  if (viewBody.query) filter.push(viewBody.query);
  if (viewBody.post_filter) filter.push(viewBody.post_filter);
  filter.push(clause);
  return { bool: { filter } };
}

/**
 * What a search needs besides the view for `is:stale` and `failure:`, which no task field holds: the stale rules'
 * context and the failure groups' task ids. The page loads what `triageNeeds` names before it searches.
 */
export interface TriageContext {
  /** Without it, `is:stale` applies the rules that need no cluster answer, with the default thresholds. */
  stale?: StaleContext | undefined;
  /** Task ids by fingerprint; a fingerprint missing here is a group with no tasks. */
  failureGroups?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** What a query needs loaded before its search can be built: the stale rules' context, and which failure groups. */
export function triageNeeds(query: TaskQuery): { stale: boolean; failureGroups: string[] } {
  return {
    stale: query.is.include.includes('stale') || query.is.exclude.includes('stale'),
    failureGroups: [...new Set([...query.failure.include, ...query.failure.exclude])],
  };
}

/** Whether a query's search depends on a triage context: such a view is never prepared before the page has it. */
export function needsTriage(query: TaskQuery): boolean {
  const needs = triageNeeds(query);
  return needs.stale || needs.failureGroups.length > 0;
}

/** The ids of the tasks in these failure groups; an unknown fingerprint adds none. */
function failureIds(fingerprints: readonly string[], triage: TriageContext | undefined): string[] {
  const ids = new Set<string>();
  for (const fingerprint of fingerprints)
    for (const id of triage?.failureGroups?.[fingerprint] ?? []) ids.add(id);
  return [...ids];
}

/** `is:` and `failure:` as clauses: into `filter` what must match, into `mustNot` what must not. */
function triageClauses(
  query: TaskQuery,
  capabilities: SearchCapabilities,
  triage: TriageContext | undefined,
  filter: Clause[],
  mustNot: Clause[],
): void {
  if (query.is.include.length > 0 || query.is.exclude.length > 0) {
    const ctx = triage?.stale ?? { thresholds: DEFAULT_THRESHOLDS };
    const stale = staleClause(ctx, staleCapabilitiesOf(capabilities));
    if (query.is.include.includes('stale')) filter.push(stale);
    if (query.is.exclude.includes('stale')) mustNot.push(stale);
  }
  if (query.failure.include.length > 0) {
    // Either group: an unknown fingerprint, or groups without tasks, match nothing rather than everything.
    const ids = failureIds(query.failure.include, triage);
    filter.push(ids.length > 0 ? { ids: { values: ids } } : { match_none: {} });
  }
  const excluded = failureIds(query.failure.exclude, triage);
  if (excluded.length > 0) mustNot.push({ ids: { values: excluded } });
}

function mainQuery(
  view: TaskViewState,
  query: TaskQuery,
  capabilities: SearchCapabilities,
  triage: TriageContext | undefined,
): Clause {
  const filter: Clause[] = [];
  const mustNot: Clause[] = [];
  if (view.from !== '' || view.to !== '') {
    // Date math goes as written, so that "now-24h" moves forward on every refresh.
    filter.push({
      range: {
        [view.timeField]: {
          ...(view.from !== '' ? { gte: view.from } : {}),
          ...(view.to !== '' ? { lte: view.to } : {}),
        },
      },
    });
  }
  if (query.include.model.length > 0) filter.push(termsClause('model', query.include.model));
  if (query.exclude.model.length > 0) mustNot.push(termsClause('model', query.exclude.model));
  for (const term of query.text) filter.push(textClause(term));
  for (const term of query.excludeText) mustNot.push(textClause(term));
  triageClauses(query, capabilities, triage, filter, mustNot);
  if (filter.length === 0 && mustNot.length === 0) return { match_all: {} };
  return {
    bool: { ...(filter.length > 0 ? { filter } : {}), ...(mustNot.length > 0 ? { must_not: mustNot } : {}) },
  };
}

/** What the search body depends on of the cluster's capabilities (the release only for `is:stale`: newest if unsaid). */
export type SearchCapabilities = Pick<Capabilities, 'aggregationsInSearch'> &
  Partial<Pick<Capabilities, 'release'>>;

/**
 * The view's one search: its page, the exact total and, where the cluster can answer them in the same search
 * (not 2.19.2 – 2.19.6), every facet's counts.
 */
export function buildTaskSearchBody(
  view: TaskViewState,
  query: TaskQuery,
  capabilities: SearchCapabilities = ASSUMED_CAPABILITIES,
  triage?: TriageContext,
  options: { timeline?: boolean } = {},
): TaskSearchBody {
  const size = view.size;
  const from = requestedPage(view) * size;
  // Never sort on anything outside the list (`error` is a text field and would fail the whole search).
  const sortField = (SORT_FIELDS as readonly string[]).includes(view.sort) ? view.sort : 'create_time';
  const sort: NonNullable<TaskSearchBody['sort']> = [{ [sortField]: { order: view.dir } }];
  // Many tasks share a state or type: a time tiebreaker keeps the order (and so the pages) stable.
  if (sortField !== 'create_time') sort.push({ create_time: { order: 'desc' } });

  // Facet filters go in post_filter so that the aggregations run before them; each facet then applies every
  // other facet's filter itself, and so counts the values one could still pick.
  const allFacets = facetFilter(query, FACET_FIELDS);
  const aggs: Record<string, unknown> = {};
  for (const field of FACET_FIELDS) {
    aggs[facetAggName(field)] = {
      filter: facetFilter(
        query,
        FACET_FIELDS.filter((f) => f !== field),
      ),
      aggs: { values: { terms: { field: FILTER_FIELDS[field].docField, size: FACET_SIZE } } },
    };
  }
  // The timeline's bars by state, under every facet filter as the table's rows are (shared/timeline.ts), only while
  // its panel is open: nobody else reads them, and at a million tasks they add a quarter to the search's time.
  if (options.timeline) aggs[TIMELINE_AGG] = timelineAggs(timelinePlan(view), allFacets);

  return {
    query: mainQuery(view, query, capabilities, triage),
    ...('match_all' in allFacets ? {} : { post_filter: allFacets }),
    from,
    size,
    sort,
    // The default stops counting at 10,000; the table and the pager need the exact count.
    track_total_hits: true,
    ...(capabilities.aggregationsInSearch ? { aggs } : {}),
  };
}

/** One facet value's count, asked for on its own where the cluster cannot answer aggregations. */
export interface CountSearch {
  field: FacetField;
  value: string;
  body: TaskSearchBody;
}

/**
 * The searches that count each facet value the slow way, for clusters that never answer a task search carrying
 * aggregations: one `size: 0` search per value, under the view's query and every other facet's filter, as the
 * aggregations would count. The values are the ones the release can hold (its states, types and functions), the
 * nodes seen on the page, and whatever the query selects.
 */
export function buildCountSearches(
  view: TaskViewState,
  query: TaskQuery,
  candidates: Record<FacetField, readonly string[]>,
  capabilities: SearchCapabilities = ASSUMED_CAPABILITIES,
  triage?: TriageContext,
): CountSearch[] {
  const main = mainQuery(view, query, capabilities, triage);
  const searches: CountSearch[] = [];
  for (const field of FACET_FIELDS) {
    const others = facetFilter(
      query,
      FACET_FIELDS.filter((f) => f !== field),
    );
    const values = new Set([...candidates[field], ...query.include[field], ...query.exclude[field]]);
    for (const value of values) {
      const filter = [main, others, termsClause(field, [value])].filter((c) => !('match_all' in c));
      searches.push({
        field,
        value,
        body: { size: 0, track_total_hits: true, query: { bool: { filter } } },
      });
    }
  }
  return searches;
}

/** Counts read one by one, in the shape the aggregations would have had, so that `readFacets` reads both. */
export function countsAsAggregations(counts: Array<{ field: FacetField; value: string; count: number }>) {
  const aggregations: Record<string, { values: { buckets: TermsBucket[] } }> = {};
  for (const field of FACET_FIELDS) aggregations[facetAggName(field)] = { values: { buckets: [] } };
  for (const { field, value, count } of counts) {
    if (count > 0) aggregations[facetAggName(field)]!.values.buckets.push({ key: value, doc_count: count });
  }
  return aggregations;
}

function bucketsOf(aggregations: Record<string, unknown> | undefined, field: FacetField): FacetCount[] {
  const facet = aggregations?.[facetAggName(field)];
  const values = isObject(facet) ? facet.values : undefined;
  const buckets = isObject(values) && Array.isArray(values.buckets) ? (values.buckets as unknown[]) : [];
  const out: FacetCount[] = [];
  for (const b of buckets) {
    if (!isObject(b)) continue;
    const bucket = b as Partial<TermsBucket>;
    const key = bucket.key_as_string ?? bucket.key;
    if (key === undefined || key === null) continue;
    out.push({ value: String(key), count: typeof bucket.doc_count === 'number' ? bucket.doc_count : 0 });
  }
  return out;
}

/**
 * Per-facet counts, most frequent first (ties by value). Values selected in `query` (included or excluded)
 * that the cluster did not count appear with 0, so that a selected filter never vanishes from its list.
 */
export function readFacets(
  aggregations: Record<string, unknown> | undefined,
  query?: TaskQuery,
): Record<FacetField, FacetCount[]> {
  const result = {} as Record<FacetField, FacetCount[]>;
  for (const field of FACET_FIELDS) {
    const counts = bucketsOf(aggregations, field);
    const seen = new Set(counts.map((c) => c.value));
    for (const value of [...(query?.include[field] ?? []), ...(query?.exclude[field] ?? [])]) {
      if (!seen.has(value)) {
        seen.add(value);
        counts.push({ value, count: 0 });
      }
    }
    counts.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    result[field] = counts;
  }
  return result;
}
