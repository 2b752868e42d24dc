// One error classification: every ML Commons release's answer (2.4's 500 "Fail to find task", 3.x's 404, a 2.11
// search before the first task…) turned into the same meaning, by one table read top to bottom.

/** What the console was doing when the cluster answered. */
export type Operation =
  'task-search' | 'task-get' | 'task-delete' | 'task-cancel' | 'model-get' | 'model-search' | 'other';

export type ErrorMeaning =
  /** The task or model does not exist (never did, or was deleted). */
  | 'not-found'
  /** No task has ever been written: the task index does not exist yet. For a search, an empty result. */
  | 'nothing-indexed'
  /** The console's user lacks a permission (named in `permission` when the cluster said which). */
  | 'no-permission'
  /** The cluster refused the credentials. */
  | 'unauthorized'
  /** DELETE of a task in RUNNING state. */
  | 'task-running'
  /** Cancel of a task that is not a remote batch job. */
  | 'not-a-batch-job'
  /** Too many requests or a tripped circuit breaker: it may pass on its own. */
  | 'overloaded'
  /** The cluster did not answer in time. */
  | 'timeout'
  /** The gateway refused a request this cluster's release cannot answer. */
  | 'unsupported'
  /** The request was malformed (a query the cluster could not parse, …). */
  | 'bad-request'
  /** The cluster failed in a way none of the above describes. */
  | 'cluster-error';

export interface ErrorAnswer {
  status: number;
  /** OpenSearch's error type (`status_exception`), or one derived from the status for bodies without one. */
  type: string;
  reason: string;
  rootCause?: ReadonlyArray<{ type: string; reason: string }>;
}

export interface Classified {
  meaning: ErrorMeaning;
  /** The permission the cluster named in a 403 (`cluster:admin/opensearch/ml/tasks/delete`). */
  permission?: string;
}

interface Rule {
  meaning: ErrorMeaning;
  ops?: readonly Operation[];
  status?: number | ((status: number) => boolean);
  /** Matched against the error's type and each root cause's type. */
  type?: RegExp;
  /** Matched against the error's reason and each root cause's reason. */
  reason?: RegExp;
}

const ONE_TASK: readonly Operation[] = ['task-get', 'task-delete', 'task-cancel'];
const SEARCHES: readonly Operation[] = ['task-search', 'model-search'];
const TASK_MISSING = /^Fail(?:ed)? to find task/;
const MODEL_MISSING = /^Fail(?:ed)? to find model/;
const NO_INDEX = /^index_not_found_exception$/;

/**
 * Read top to bottom; the first rule that matches decides. The release each form comes from is in the comment:
 * ml-commons-versions.md has the whole table.
 */
export const ERROR_RULES: readonly Rule[] = [
  { meaning: 'unauthorized', status: 401 },
  // The security plugin's refusal names the action: "no permissions for [cluster:admin/opensearch/ml/tasks/delete]".
  { meaning: 'no-permission', status: 403, type: /^security_exception$/ },
  // A model the user may not read: 403 from 2.12, 500 m_l_validation_exception in 2.8 – 2.11.
  { meaning: 'no-permission', ops: ['model-get'], reason: /doesn't have privilege/i },
  // Before the first task: 404 index_not_found_exception on a search up to 2.11, 500 or 404 on a GET up to 2.18.
  { meaning: 'nothing-indexed', ops: SEARCHES, type: NO_INDEX },
  { meaning: 'not-found', ops: [...ONE_TASK, 'model-get'], type: NO_INDEX },
  // An unknown task: 500 m_l_resource_not_found_exception up to 2.8, 404 "Fail to find task" 2.9 – 2.18, 404 "Failed
  // to find task" since 2.19; DELETE answered 500 "Fail to find task" from 2.6 to 2.18.
  { meaning: 'not-found', ops: ONE_TASK, reason: TASK_MISSING },
  // An unknown model: 500 "Fail to find model" up to 2.6, 400 illegal_argument_exception in 2.7 – 2.8, 404 since 2.9.
  { meaning: 'not-found', ops: ['model-get'], reason: MODEL_MISSING },
  { meaning: 'task-running', ops: ['task-delete'], reason: /cannot be deleted in running state/i },
  { meaning: 'not-a-batch-job', ops: ['task-cancel'], reason: /does not have any associated batch job/i },
  { meaning: 'unsupported', type: /^console_unsupported_exception$/ },
  {
    meaning: 'overloaded',
    type: /^(es_rejected_execution_exception|circuit_breaking_exception|rejected_execution_exception)$/,
  },
  { meaning: 'overloaded', status: (s) => s === 429 || s === 503 },
  { meaning: 'timeout', status: (s) => s === 408 || s === 504 },
  { meaning: 'not-found', status: 404, ops: [...ONE_TASK, 'model-get'] },
  { meaning: 'no-permission', status: 403 },
  { meaning: 'bad-request', status: (s) => s >= 400 && s < 500 },
  { meaning: 'cluster-error', status: () => true },
];

function anyMatches(pattern: RegExp | undefined, values: string[]): boolean {
  return pattern === undefined || values.some((v) => pattern.test(v));
}

function ruleMatches(rule: Rule, answer: ErrorAnswer, op: Operation): boolean {
  if (rule.ops && !rule.ops.includes(op)) return false;
  if (typeof rule.status === 'number' && rule.status !== answer.status) return false;
  if (typeof rule.status === 'function' && !rule.status(answer.status)) return false;
  const causes = answer.rootCause ?? [];
  return (
    anyMatches(rule.type, [answer.type, ...causes.map((c) => c.type)]) &&
    anyMatches(rule.reason, [answer.reason, ...causes.map((c) => c.reason)])
  );
}

/** The meaning of a cluster's error answer to `op`. */
export function classifyError(answer: ErrorAnswer, op: Operation): Classified {
  const rule = ERROR_RULES.find((r) => ruleMatches(r, answer, op));
  const meaning = rule?.meaning ?? 'cluster-error';
  if (meaning !== 'no-permission') return { meaning };
  const permission = /no permissions for \[([^\]]+)\]/.exec(answer.reason)?.[1];
  return permission ? { meaning, permission } : { meaning };
}
