// Which unfinished tasks will never finish, why, and what the operator can do next: one rule per (task type, state),
// applied to one task (findStale) and written as one query (staleClause) that selects exactly the same tasks.
//
// What the rules rest on, read from the ml-commons source (P = plugin/src/main/java/org/opensearch/ml):
// - The task cache. REGISTER_MODEL, DEPLOY_MODEL, async TRAINING, BATCH_INGEST (and PREDICTION, TRAINING_AND_PREDICTION,
//   legacy UPLOAD_MODEL / LOAD_MODEL) are put into an in-memory cache on the node that runs them (MLTaskManager.add;
//   a deploy also on each worker while it deploys). Nothing ever reloads that cache: a node restart empties it, and the
//   node's CREATED / RUNNING tasks then stay so forever. BATCH_PREDICTION (written after the provider accepted the
//   job) and AGENT_EXECUTION (MLAgentExecutor, in ml-algorithms) never enter it.
// - The task timeout (2.5+). On every sync-up run (`plugins.ml_commons.sync_up_job_interval_in_seconds`, default 10;
//   0 stops the job) each node fails the cached tasks older than `plugins.ml_commons.ml_task_timeout_in_seconds`
//   (default 600) with "timeout after N seconds" (P/action/syncup/TransportSyncUpOnNodeAction.cleanUpLocalCache). It
//   skips a DEPLOY_MODEL still CREATED while a worker reports it deploying (2.6+), however long that takes. It fails
//   a BATCH_INGEST that runs longer, too: an ingestion never outlives the timeout unnoticed.
// - `GET /_plugins/_ml/profile/tasks` lists, per node, the ids in that node's cache (P/action/profile): a cached
//   type's unfinished task that no node lists is held by nobody. ML Commons leaves out nodes that hold nothing, and
//   answers `{}` when none holds anything.
// - The batch poller (2.19+, P/jobs): a job-scheduler job that every minute searches 100 RUNNING or CANCELLING
//   BATCH_PREDICTION tasks (unsorted) and GETs each, which asks the provider and rewrites the task, stamping
//   `last_update_time` (MLTaskManager.updateMLTaskDirectly). After more than 10 failed polls the task becomes
//   UNREACHABLE. A CREATED one is never picked.
// - Agent runs (3.0+): CREATED (RUNNING for plan-execute-reflect) until the run ends, when one write sets COMPLETED or
//   FAILED together with `response` (`inference_results`, or `error_message`). No timeout exists for them; the run
//   lives in the memory of the node in `worker_node`.
// - DELETE refuses a task whose state is exactly RUNNING (2.6+): "Task cannot be deleted in running state".
//   Deleting removes only the document: it stops nothing.
import type { Capabilities } from './cluster-capabilities';
import { isObject } from './json';
import { NEWEST_RELEASE, isAtLeast, parseRelease } from './ml-releases';
import type { MlTask } from './ml-types';

export interface StaleThresholds {
  /** `plugins.ml_commons.ml_task_timeout_in_seconds`: a cached task older than this is failed by ML Commons. */
  taskTimeoutSeconds: number;
  /** `plugins.ml_commons.sync_up_job_interval_in_seconds`: how often the timeout is applied; 0 switches it off. */
  syncUpIntervalSeconds: number;
  /** Slack past timeout + sync-up interval before the timeout counts as missed (its 10 s write wait, clock skew). */
  timeoutGraceSeconds: number;
  /**
   * A task younger than this is never said to be held by no node or to have lost its worker: the node list and the
   * profile may have been read before it was created, and a task enters the cache just after its document is written.
   */
  newTaskGraceSeconds: number;
  /** A RUNNING or CANCELLING batch task not updated for this long is not being polled (the poller runs every minute). */
  batchPollMinutes: number;
  /** An agent run still unfinished after this long has most likely died: agent runs have no timeout of their own. */
  agentRunMinutes: number;
}

export const DEFAULT_THRESHOLDS: StaleThresholds = {
  taskTimeoutSeconds: 600,
  syncUpIntervalSeconds: 10,
  timeoutGraceSeconds: 120,
  newTaskGraceSeconds: 60,
  batchPollMinutes: 5,
  agentRunMinutes: 60,
};

/** The cluster settings the thresholds come from, as `_cluster/settings` names them. */
export const THRESHOLD_SETTINGS = {
  taskTimeoutSeconds: 'plugins.ml_commons.ml_task_timeout_in_seconds',
  syncUpIntervalSeconds: 'plugins.ml_commons.sync_up_job_interval_in_seconds',
} as const satisfies Partial<Record<keyof StaleThresholds, string>>;

export type SettingSource = 'transient' | 'persistent' | 'defaults';

/** Nested settings (`flat_settings=false`) as dotted keys; flat ones stay as they are. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (!isObject(value)) {
    if (prefix !== '') out.set(prefix, value);
    return;
  }
  for (const [key, inner] of Object.entries(value))
    flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out);
}

/**
 * One setting from a `GET /_cluster/settings?include_defaults=true` answer, resolved as OpenSearch resolves it:
 * transient over persistent over the rest (`defaults` holds both opensearch.yml's values and the built-in ones).
 */
export function clusterSetting(
  body: unknown,
  key: string,
): { value: unknown; source: SettingSource } | undefined {
  if (!isObject(body)) return undefined;
  for (const source of ['transient', 'persistent', 'defaults'] as const) {
    const section = new Map<string, unknown>();
    flatten(body[source], '', section);
    if (section.has(key) && section.get(key) !== null) return { value: section.get(key), source };
  }
  return undefined;
}

/**
 * The thresholds the cluster's own settings give (`GET /_cluster/settings?include_defaults=true&flat_settings=true`):
 * only those it answered with a usable value; the caller fills the rest from DEFAULT_THRESHOLDS and the user's edits.
 */
export function thresholdsFromClusterSettings(body: unknown): Partial<StaleThresholds> {
  const out: Partial<StaleThresholds> = {};
  for (const [field, key] of Object.entries(THRESHOLD_SETTINGS) as Array<[keyof StaleThresholds, string]>) {
    const raw = clusterSetting(body, key)?.value;
    const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) out[field] = value;
  }
  return out;
}

/**
 * The live node ids from `GET /_nodes` (any `filter_path` keeping `nodes.*` and `_nodes`), or undefined when the
 * answer is not one, or some nodes did not answer: a node missing from the list would look as if it had left.
 */
export function liveNodeIdsFromNodes(body: unknown): string[] | undefined {
  if (!isObject(body) || !isObject(body.nodes)) return undefined;
  const header = body._nodes;
  if (isObject(header) && typeof header.failed === 'number' && header.failed > 0) return undefined;
  const ids = Object.keys(body.nodes);
  return ids.length > 0 ? ids : undefined;
}

/**
 * The task ids some node holds in memory, from `GET /_plugins/_ml/profile/tasks`. ML Commons answers `{}` when no
 * node holds anything, so `{}` is an empty list; anything else that is not the profile's shape is unknown.
 * Caveats of the API itself: a node that fails to answer is left out silently, and so, for a user who is not a super
 * admin, are the tasks of hidden models.
 */
export function heldTaskIdsFromProfile(body: unknown): string[] | undefined {
  if (!isObject(body)) return undefined;
  if (body.nodes === undefined) return Object.keys(body).length === 0 ? [] : undefined;
  if (!isObject(body.nodes)) return undefined;
  const ids = new Set<string>();
  for (const node of Object.values(body.nodes)) {
    if (isObject(node) && isObject(node.tasks)) for (const id of Object.keys(node.tasks)) ids.add(id);
  }
  return [...ids];
}

/** What the rules know of the moment and of the cluster. An undefined list is unknown: the rule needing it is skipped. */
export interface StaleContext {
  /** Epoch ms: the time the ages in the explanations are counted from (the query uses the cluster's own `now`). */
  now: number;
  thresholds: StaleThresholds;
  /** Ids of the nodes in the cluster (`liveNodeIdsFromNodes`). */
  liveNodeIds?: readonly string[] | undefined;
  /** Ids of the tasks some node holds in memory (`heldTaskIdsFromProfile`). */
  heldTaskIds?: readonly string[] | undefined;
}

/** What the rules depend on of the cluster's release. */
export interface StaleCapabilities {
  /** ML Commons fails cached tasks past `ml_task_timeout_in_seconds` (2.5+). */
  taskTimeout: boolean;
  /** A job polls running batch predictions every minute (2.19+); before, only a GET of the task updates it. */
  batchPoller: boolean;
  runningDeleteRefused: boolean;
  cancelPath: Capabilities['cancelPath'];
}

/**
 * The rules' capabilities from the cluster's. The two release facts only these rules need are read here rather than
 * added to every view's Capabilities.
 */
export function staleCapabilitiesOf(
  capabilities: Partial<Pick<Capabilities, 'release' | 'runningDeleteRefused' | 'cancelPath'>>,
): StaleCapabilities {
  const release = parseRelease(capabilities.release) ?? parseRelease(NEWEST_RELEASE)!;
  return {
    taskTimeout: isAtLeast(release, '2.5.0'),
    batchPoller: isAtLeast(release, '2.19.0'),
    runningDeleteRefused: capabilities.runningDeleteRefused ?? isAtLeast(release, '2.6.0'),
    cancelPath:
      capabilities.cancelPath !== undefined
        ? capabilities.cancelPath
        : isAtLeast(release, '2.18.0')
          ? '_cancel'
          : isAtLeast(release, '2.17.0')
            ? '_cancel_batch'
            : null,
  };
}

export type StaleRuleId =
  'worker-left' | 'held-by-no-node' | 'timeout-missed' | 'batch-not-polled' | 'agent-no-result';

export type NextStepKind =
  /** Delete the task: nothing will finish it, and deleting removes only the record. */
  | 'delete'
  /** Deploy the model again: a new task; this one can then be deleted (or not, see its text). */
  | 'redeploy'
  /** Cancel the provider's batch job. */
  | 'cancel'
  /** RUNNING and DELETE refuses it: only a direct write to the system index removes it. */
  | 'edit-system-index';

export interface StaleFinding {
  rule: StaleRuleId;
  title: string;
  /** Why, with the numbers: "RUNNING for 3 h 12 min, …; the task timeout is 600 s". */
  why: string;
  /** Whether DELETE accepts this task (every state but RUNNING, and RUNNING too before 2.6). */
  deletable: boolean;
  nextStep: { kind: NextStepKind; text: string };
}

/** Each rule: its title, and what it applies to, in the order findStale tries them. */
export const STALE_RULES: ReadonlyArray<{ id: StaleRuleId; title: string; appliesTo: string }> = [
  {
    id: 'worker-left',
    title: 'Worker left the cluster',
    appliesTo: 'CREATED or RUNNING tasks run in a node’s memory (cached types and agent runs)',
  },
  {
    id: 'held-by-no-node',
    title: 'Held by no node',
    appliesTo: 'CREATED or RUNNING tasks of the cached types',
  },
  {
    id: 'timeout-missed',
    title: 'Timeout should have fired: the owning node lost it',
    appliesTo: 'CREATED or RUNNING tasks of the cached types, except a DEPLOY_MODEL still CREATED',
  },
  {
    id: 'batch-not-polled',
    title: 'Batch job not polled',
    appliesTo: 'BATCH_PREDICTION, CREATED, RUNNING or CANCELLING',
  },
  {
    id: 'agent-no-result',
    title: 'Agent run never wrote a result',
    appliesTo: 'AGENT_EXECUTION, CREATED or RUNNING',
  },
];

const TITLES = Object.fromEntries(STALE_RULES.map((r) => [r.id, r.title])) as Record<StaleRuleId, string>;

/** Task types ML Commons keeps in a node's task cache while they run: the timeout and the profile cover these. */
export const CACHED_TASK_TYPES: readonly string[] = [
  'TRAINING',
  'PREDICTION',
  'TRAINING_AND_PREDICTION',
  'REGISTER_MODEL',
  'DEPLOY_MODEL',
  'UPLOAD_MODEL',
  'LOAD_MODEL',
  'BATCH_INGEST',
];
/** Types whose work lives in the memory of the node(s) in `worker_node`. BATCH_PREDICTION runs at the provider. */
const NODE_BOUND_TYPES: readonly string[] = [...CACHED_TASK_TYPES, 'AGENT_EXECUTION'];
/** Deploys the timeout skips while CREATED (a worker may still be deploying, for however long it takes). */
const DEPLOY_TYPES: readonly string[] = ['DEPLOY_MODEL', 'LOAD_MODEL'];
const UNFINISHED: readonly string[] = ['CREATED', 'RUNNING'];
const BATCH_STATES: readonly string[] = ['CREATED', 'RUNNING', 'CANCELLING'];
/** The states any rule flags: each rule's own states are among them. */
const STALE_STATES: readonly string[] = [...new Set([...UNFINISHED, ...BATCH_STATES])];

// ---------------------------------------------------------------------------------------------------------
// Limits, in whole seconds: the query's date math and the per-task comparison use the very same numbers.

function wholeSeconds(value: number, fallback: number): number {
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : fallback;
}

interface Limits {
  timeout: number;
  syncUp: number;
  /** Age (since the last update) past which a cached task's timeout should have fired. */
  timeoutMissed: number;
  newTask: number;
  batchPoll: number;
  agentRun: number;
}

function limitsOf(t: StaleThresholds): Limits {
  const d = DEFAULT_THRESHOLDS;
  const timeout = wholeSeconds(t.taskTimeoutSeconds, d.taskTimeoutSeconds);
  const syncUp = wholeSeconds(t.syncUpIntervalSeconds, d.syncUpIntervalSeconds);
  return {
    timeout,
    syncUp,
    timeoutMissed: timeout + syncUp + wholeSeconds(t.timeoutGraceSeconds, d.timeoutGraceSeconds),
    newTask: wholeSeconds(t.newTaskGraceSeconds, d.newTaskGraceSeconds),
    batchPoll: wholeSeconds(t.batchPollMinutes * 60, d.batchPollMinutes * 60),
    agentRun: wholeSeconds(t.agentRunMinutes * 60, d.agentRunMinutes * 60),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading a task.

/** A stored date: epoch ms (as ML Commons writes it), or a string the index's `strict_date_time||epoch_millis` takes. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * When the task was last written: `last_update_time`, or its creation when that is missing. A cached task's timeout
 * counts from the cache entry's own time, set at creation and never moved; the document's last update is as late or
 * later, so counting from it never calls a timeout missed too early.
 */
function lastTouched(task: MlTask): number | undefined {
  // null is missing, as the index reads it.
  return task.last_update_time == null ? timeOf(task.create_time) : timeOf(task.last_update_time);
}

/** `worker_node` as a list of ids: an array since 2.5; a string before, comma-joined for a LOAD_MODEL. */
export function workerNodesOf(task: MlTask): string[] {
  const raw = task.worker_node;
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return values
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const olderThan = (time: number | undefined, now: number, seconds: number): time is number =>
  time !== undefined && time < now - seconds * 1000;

/** "45 s", "12 min", "3 h 12 min", "2 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

// ---------------------------------------------------------------------------------------------------------
// The rules, each as a test of one task and as the query clause selecting the same tasks, side by side.

type Clause = Record<string, unknown>;

interface Rule {
  id: StaleRuleId;
  /** Why the task is stale, or undefined when the rule does not flag it (or cannot be applied). */
  test(
    id: string,
    task: MlTask,
    ctx: StaleContext,
    limits: Limits,
    caps: StaleCapabilities,
  ): string | undefined;
  /** The tasks the rule flags, or undefined when it cannot be applied (nothing known to apply it with). */
  clause(ctx: Omit<StaleContext, 'now'>, limits: Limits, caps: ClauseCapabilities): Clause | undefined;
}

type ClauseCapabilities = Pick<StaleCapabilities, 'taskTimeout' | 'batchPoller'>;

const terms = (field: string, values: readonly string[]): Clause => ({ terms: { [field]: [...values] } });
const before = (field: string, seconds: number): Clause => ({
  range: { [field]: { lt: `now-${seconds}s` } },
});

/** lastTouched(task) older than `seconds`, as a query. */
function touchedBefore(seconds: number): Clause {
  return {
    bool: {
      should: [
        before('last_update_time', seconds),
        {
          bool: {
            filter: [before('create_time', seconds)],
            must_not: [{ exists: { field: 'last_update_time' } }],
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

function all(filter: Clause[], mustNot: Clause[] = []): Clause {
  return { bool: { filter, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
}

const is = (task: MlTask, types: readonly string[], states: readonly string[]): boolean =>
  types.includes(String(task.task_type)) && states.includes(String(task.state));

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

const WORKER_LEFT: Rule = {
  id: 'worker-left',
  test(_id, task, ctx, limits) {
    const live = ctx.liveNodeIds;
    if (!live || live.length === 0) return undefined;
    if (!is(task, NODE_BOUND_TYPES, UNFINISHED)) return undefined;
    const created = timeOf(task.create_time);
    if (!olderThan(created, ctx.now, limits.newTask)) return undefined;
    const workers = workerNodesOf(task);
    if (workers.length === 0 || workers.some((w) => live.includes(w))) return undefined;
    const gone =
      workers.length === 1
        ? `its worker node ${workers[0]} is no longer in the cluster`
        : `none of its worker nodes (${workers.join(', ')}) is in the cluster any more`;
    return (
      `${task.state} for ${formatAge(ctx.now - created)}; ${gone} (GET /_nodes lists ${live.length} ` +
      `${plural(live.length, 'node', 'nodes')}). The work lived in that node’s memory and will not resume.`
    );
  },
  clause(ctx, limits) {
    const live = ctx.liveNodeIds;
    if (!live || live.length === 0) return undefined;
    // A 2.4 document holds its workers as one comma-joined term: a live id at its start, end or middle is a live worker.
    const joined = live.flatMap((id) => [`${id},*`, `*,${id}`, `*,${id},*`]);
    return all(
      [
        terms('task_type', NODE_BOUND_TYPES),
        terms('state', UNFINISHED),
        before('create_time', limits.newTask),
        { exists: { field: 'worker_node' } },
      ],
      [terms('worker_node', live), ...joined.map((value) => ({ wildcard: { worker_node: { value } } }))],
    );
  },
};

const HELD_BY_NO_NODE: Rule = {
  id: 'held-by-no-node',
  test(id, task, ctx, limits) {
    const held = ctx.heldTaskIds;
    if (!held || !is(task, CACHED_TASK_TYPES, UNFINISHED) || held.includes(id)) return undefined;
    const created = timeOf(task.create_time);
    if (!olderThan(created, ctx.now, limits.newTask)) return undefined;
    return (
      `${task.state} for ${formatAge(ctx.now - created)}, and no node holds it in memory ` +
      `(GET /_plugins/_ml/profile/tasks): nothing will finish it or time it out. A node restart empties that memory.`
    );
  },
  clause(ctx, limits) {
    const held = ctx.heldTaskIds;
    if (!held) return undefined;
    return all(
      [
        terms('task_type', CACHED_TASK_TYPES),
        terms('state', UNFINISHED),
        before('create_time', limits.newTask),
      ],
      held.length > 0 ? [{ ids: { values: [...held] } }] : [],
    );
  },
};

const TIMEOUT_MISSED: Rule = {
  id: 'timeout-missed',
  test(id, task, ctx, limits, caps) {
    if (!caps.taskTimeout || limits.syncUp === 0) return undefined;
    if (!is(task, CACHED_TASK_TYPES, UNFINISHED)) return undefined;
    // A node still holds it: not lost, only late (the sync-up that applies the timeout may not be running).
    if (ctx.heldTaskIds?.includes(id)) return undefined;
    if (DEPLOY_TYPES.includes(String(task.task_type)) && task.state === 'CREATED') return undefined;
    const touched = lastTouched(task);
    if (!olderThan(touched, ctx.now, limits.timeoutMissed)) return undefined;
    const created = timeOf(task.create_time);
    const since = created === undefined ? '' : ` for ${formatAge(ctx.now - created)}`;
    return (
      `${task.state}${since}, last updated ${formatAge(ctx.now - touched)} ago; the task timeout is ${limits.timeout} s ` +
      `(applied every ${limits.syncUp} s), so ML Commons should have failed it with "timeout after ${limits.timeout} ` +
      `seconds". The node that held it lost it, most likely in a restart.`
    );
  },
  clause(ctx, limits, caps) {
    if (!caps.taskTimeout || limits.syncUp === 0) return undefined;
    const held = ctx.heldTaskIds ?? [];
    return all(
      [
        terms('task_type', CACHED_TASK_TYPES),
        terms('state', UNFINISHED),
        touchedBefore(limits.timeoutMissed),
      ],
      [
        all([terms('task_type', DEPLOY_TYPES), { term: { state: 'CREATED' } }]),
        ...(held.length > 0 ? [{ ids: { values: [...held] } }] : []),
      ],
    );
  },
};

const BATCH_NOT_POLLED: Rule = {
  id: 'batch-not-polled',
  test(_id, task, ctx, limits, caps) {
    if (!caps.batchPoller || !is(task, ['BATCH_PREDICTION'], BATCH_STATES)) return undefined;
    const touched = lastTouched(task);
    if (!olderThan(touched, ctx.now, limits.batchPoll)) return undefined;
    const age = formatAge(ctx.now - touched);
    if (task.state === 'CREATED') {
      return (
        `CREATED, last updated ${age} ago; the batch poller only picks RUNNING and CANCELLING tasks, so nothing ` +
        `updates this one unless it is opened (a GET asks the provider).`
      );
    }
    return (
      `${task.state}, last updated ${age} ago; ML Commons polls running batch jobs every minute and stamps each poll, ` +
      `so it has not been polled for over ${limits.batchPoll / 60} min. The poll job may be stopped (it needs the job ` +
      `scheduler plugin), or more than 100 batch tasks are waiting (it takes 100 a minute, in no order).`
    );
  },
  clause(_ctx, limits, caps) {
    if (!caps.batchPoller) return undefined;
    return all([
      { term: { task_type: 'BATCH_PREDICTION' } },
      terms('state', BATCH_STATES),
      touchedBefore(limits.batchPoll),
    ]);
  },
};

const AGENT_NO_RESULT: Rule = {
  // A finished run writes its result and its final state in one update, so an unfinished state is itself "no result".
  id: 'agent-no-result',
  test(_id, task, ctx, limits) {
    if (!is(task, ['AGENT_EXECUTION'], UNFINISHED)) return undefined;
    const created = timeOf(task.create_time);
    if (!olderThan(created, ctx.now, limits.agentRun)) return undefined;
    return (
      `${task.state} for ${formatAge(ctx.now - created)}; agent runs have no timeout, and a run that ends writes its ` +
      `result (or response.error_message) together with COMPLETED or FAILED. Past ${limits.agentRun / 60} min ` +
      `without one, the run most likely died with its node.`
    );
  },
  clause(_ctx, limits) {
    return all([
      { term: { task_type: 'AGENT_EXECUTION' } },
      terms('state', UNFINISHED),
      before('create_time', limits.agentRun),
    ]);
  },
};

/** In priority order: the strongest evidence first (a node that is gone, then the cache), then the thresholds. */
const RULES: readonly Rule[] = [
  WORKER_LEFT,
  HELD_BY_NO_NODE,
  TIMEOUT_MISSED,
  BATCH_NOT_POLLED,
  AGENT_NO_RESULT,
];

// ---------------------------------------------------------------------------------------------------------
// What the operator can do.

function runningRefusal(): string {
  return (
    'DELETE refuses a RUNNING task ("Task cannot be deleted in running state"), and nothing will ever move this one ' +
    'out of RUNNING: restarting does not help, as no node reloads tasks into memory. Only a direct write to the ' +
    'system index .plugins-ml-task removes it (set its state to FAILED, then delete it here), by a user allowed to ' +
    'write system indices (with the security plugin, the admin certificate). Otherwise leave it: -is:stale hides it.'
  );
}

/** What to run again once the stale task is out of the way. */
function againText(task: MlTask): string {
  switch (task.task_type) {
    case 'REGISTER_MODEL':
    case 'UPLOAD_MODEL':
      return ' Then register the model again.';
    case 'TRAINING':
    case 'TRAINING_AND_PREDICTION':
      return ' Then train again.';
    case 'BATCH_INGEST':
      return ' Then run the ingestion again; documents it had written stay written.';
    case 'AGENT_EXECUTION':
      return ' Then run the agent again.';
    default:
      return '';
  }
}

function nextStepOf(
  id: string,
  task: MlTask,
  deletable: boolean,
  caps: StaleCapabilities,
): StaleFinding['nextStep'] {
  const model = typeof task.model_id === 'string' && task.model_id !== '' ? task.model_id : undefined;
  const afterwards = deletable
    ? ' Then delete this task: deleting removes only the record.'
    : ` ${runningRefusal()}`;
  if (DEPLOY_TYPES.includes(String(task.task_type)) && model) {
    const action = task.task_type === 'LOAD_MODEL' ? '_load' : '_deploy';
    return {
      kind: 'redeploy',
      text: `Deploy the model again (POST /_plugins/_ml/models/${model}/${action}): that starts a new task.${afterwards}`,
    };
  }
  if (
    task.task_type === 'BATCH_PREDICTION' &&
    task.state === 'RUNNING' &&
    task.function_name === 'REMOTE' &&
    caps.cancelPath
  ) {
    return {
      kind: 'cancel',
      text:
        `Cancel the provider's job (POST /_plugins/_ml/tasks/${id}/${caps.cancelPath}); the task moves on at its next ` +
        `update. Opening the task asks the provider for its status now.`,
    };
  }
  if (deletable) {
    return {
      kind: 'delete',
      text: `Delete the task: nothing is left that would finish it, and deleting removes only the record.${againText(task)}`,
    };
  }
  return { kind: 'edit-system-index', text: runningRefusal() };
}

// ---------------------------------------------------------------------------------------------------------
// The two entry points.

/** Whether a task will never finish, by the first rule (in priority order) that says so; undefined if none does. */
export function findStale(
  taskId: string,
  task: MlTask,
  ctx: StaleContext,
  caps: StaleCapabilities,
): StaleFinding | undefined {
  const limits = limitsOf(ctx.thresholds);
  for (const rule of RULES) {
    const why = rule.test(taskId, task, ctx, limits, caps);
    if (why === undefined) continue;
    const deletable = !(task.state === 'RUNNING' && caps.runningDeleteRefused);
    return {
      rule: rule.id,
      title: TITLES[rule.id],
      why,
      deletable,
      nextStep: nextStepOf(taskId, task, deletable, caps),
    };
  }
  return undefined;
}

/**
 * The query selecting exactly the tasks findStale flags, for `is:stale`. Ages are date math on the cluster's `now`
 * ("now-730s"), so a refresh moves them on; `match_none` when no rule can be applied.
 */
export function staleClause(ctx: Omit<StaleContext, 'now'>, caps: ClauseCapabilities): Clause {
  const limits = limitsOf(ctx.thresholds);
  const clauses = RULES.map((rule) => rule.clause(ctx, limits, caps)).filter(
    (c): c is Clause => c !== undefined,
  );
  if (clauses.length === 0) return { match_none: {} };
  // Every rule is about unfinished tasks: that filter, said once in front, leaves the rules a few documents to test
  // (on a cluster its postings lead the conjunction; at a million tasks it took the stand-in's count from 140 to 26 ms).
  return { bool: { filter: [terms('state', STALE_STATES)], should: clauses, minimum_should_match: 1 } };
}
