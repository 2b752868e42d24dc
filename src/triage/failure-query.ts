// `failure:<fingerprint>` in a query: adding one group, and the query the groups themselves are read with (the same
// view without any `failure:` term, so that the tasks page and the failures page share one reading).
import type { TaskQuery } from '../../shared/task-query';

/** The query showing exactly one group's tasks: any other `failure:` term gives way to it. */
export function withFailureGroup(query: TaskQuery, fingerprint: string): TaskQuery {
  return { ...query, failure: { include: [fingerprint], exclude: [] } };
}

export function withoutFailureGroups(query: TaskQuery): TaskQuery {
  if (query.failure.include.length === 0 && query.failure.exclude.length === 0) return query;
  return { ...query, failure: { include: [], exclude: [] } };
}
