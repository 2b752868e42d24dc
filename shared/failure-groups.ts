// Failed tasks grouped by cause: each failure message extracted per task type, normalised (ids, numbers, addresses,
// quoted values, paths and stack frames replaced) and fingerprinted with the task type and function. `error` is a
// text field a cluster cannot aggregate, so the groups are built here from the newest failures read page by page.
import type { Capabilities } from './cluster-capabilities';
import type { MlTask, SearchHit, TaskSearchBody } from './ml-types';
import { parseNodeErrors, taskErrorText } from './task-errors';
import { withinView } from './task-search-body';

/** The states a failed task ends in; only those the cluster's release has are asked for. */
export const FAILED_STATES = ['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE', 'EXPIRED'] as const;

/** How many of the newest failures the groups are built from, and how many are read per request. */
export const FAILURE_READ_CAP = 5_000;
export const FAILURE_PAGE_SIZE = 1_000;

/** What the groups read of each failed task: enough to extract, place and count it, never the whole document. */
export const FAILURE_SOURCE_FIELDS = [
  'task_type',
  'function_name',
  'state',
  'model_id',
  'worker_node',
  'create_time',
  'last_update_time',
  'error',
  'response.error_message',
] as const;

/** A failure as a task records it: the message, and the node it happened on when the task says so. */
export interface FailureMessage {
  message: string;
  node?: string;
}

/** A failed task without any text still counts: its cause is that it gave none, in the state it ended in. */
export function noMessage(state: unknown): string {
  return typeof state === 'string' && state !== ''
    ? `(no error message: the task ended ${state})`
    : '(no error message)';
}

/**
 * The failures one task records. A deploy keeps a JSON map of node id to message (some nodes failed:
 * COMPLETED_WITH_ERROR; all: FAILED), exploded here into one failure per node; an agent run (3.0+) keeps its failure
 * in `response.error_message`; every other task in `error`.
 */
export function failureMessages(task: MlTask): FailureMessage[] {
  const text = taskErrorText(task);
  if (text === undefined) return [{ message: noMessage(task.state) }];
  const perNode = parseNodeErrors(text);
  if (perNode) return perNode.map(({ node, message }) => ({ message, node }));
  return [{ message: text }];
}

/** A quoted value without spaces is a name or an id; a phrase (with spaces) or a JSON key (before a colon) stays. */
function quoted(literal: string, key: string | undefined): string {
  if (key !== undefined || /\s/.test(literal)) return literal;
  return '<value>';
}

// Each replacement runs in this order; earlier ones take what later ones would break apart (a URL's digits, an
// address's port). Patterns are linear: no nested quantifiers over the same characters.
const REPLACEMENTS: Array<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  // Stack frames and the "... 27 more" that ends a Java trace: the first line says what failed.
  [/\n\s*(?:at\s[^\n]*|\.\.\. \d+ more|Caused by:[^\n]*)/g, ''],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\])},]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  // Masked secrets (`sk-proj-****3fQa`): the visible ends differ per key.
  [/[\w-]*\*{3,}[\w-]*/g, '<secret>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  // Absolute paths (two segments or more), Unix or Windows.
  [/(?:[A-Za-z]:\\|(?<![\w.])\/)(?:[\w.-]+[/\\]){1,}[\w.-]*/g, '<path>'],
  // Quoted strings are read whole, left to right, so that `"a":"b"` is a key and a value, never `":"`.
  [/"(?:[^"\\\n]|\\.){0,200}"(\s*:)?/g, quoted],
  [/'(?:[^'\\\n]|\\.){0,200}'(\s*:)?/g, quoted],
  [/\[([^\]\s]{1,200})\]/g, '[<value>]'],
  [/“[^”\s]{1,200}”|„[^“\s]{1,200}“/g, '<value>'],
  // Generated ids: OpenSearch's 20-character base64url ids, node ids (22), hex digests; any token of 12 or more
  // letters and digits that mixes both.
  [/(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{12,}(?![\w-])/g, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<n>'],
  [/(?<![\w<])[-+]?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?/g, '<n>'],
];

/** The message with everything that varies between occurrences of the same cause replaced, whitespace folded. */
export function normaliseFailure(message: string): string {
  let text = message.replace(/\r\n?/g, '\n');
  for (const [pattern, replacement] of REPLACEMENTS) text = text.replace(pattern, replacement as string);
  text = text.replace(/\s+/g, ' ').trim();
  // A very long message (a whole provider response) is grouped by its start; the rest rarely tells causes apart.
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** FNV-1a over UTF-16 code units, two 32-bit lanes with different offsets: 12 hex digits, stable everywhere. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0').slice(0, 4);
}

/** The group a failure belongs to: its normalised message with the task type and function that produced it. */
export function failureFingerprint(taskType: string, functionName: string, normalised: string): string {
  return hash(`${taskType}\u0000${functionName}\u0000${normalised}`);
}

export interface FailureGroup {
  fingerprint: string;
  taskType: string;
  functionName: string;
  /** The normalised message: what every failure of the group says. */
  template: string;
  /** One real message of the group, the newest. */
  example: string;
  /** Failed tasks in the group (a task counts once however many of its nodes failed this way). */
  count: number;
  /** `count` over every failed task read. */
  share: number;
  /** Epoch milliseconds of the oldest and newest failure (the task's last update, else its creation). */
  firstSeen: number;
  lastSeen: number;
  modelIds: string[];
  nodeIds: string[];
  /** Every task of the group, newest first: what `failure:<fingerprint>` shows in the table. */
  taskIds: string[];
  /** Tasks per equal slice of the span read, oldest slice first. */
  trend: number[];
}

export interface FailureGroupsResult {
  groups: FailureGroup[];
  /** Failed tasks read (at most the cap). */
  read: number;
  /** Failed tasks matching the view in all: more than `read` when the cap was hit. */
  total: number;
  /** The span `trend` slices, in epoch milliseconds. */
  span: { from: number; to: number } | undefined;
}

interface Accumulating {
  fingerprint: string;
  taskType: string;
  functionName: string;
  template: string;
  example: string;
  exampleAt: number;
  times: number[];
  models: Set<string>;
  nodes: Set<string>;
  taskIds: string[];
}

function workerNodes(value: MlTask['worker_node']): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  // 2.4 stored LOAD_MODEL's nodes comma-joined in one string.
  if (typeof value === 'string') return value.split(',').filter((v) => v !== '');
  return [];
}

function failedAt(task: MlTask): number {
  for (const value of [task.last_update_time, task.create_time]) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return 0;
}

/**
 * Groups failures as they are read, a page at a time, so that no step holds the page's thread for long: `add` costs
 * about a microsecond per message.
 */
export class FailureGrouper {
  private readonly groups = new Map<string, Accumulating>();
  private readonly seen = new Set<string>();
  private readonly normalised = new Map<string, string>();

  /** Failed tasks added so far (each task once, however often it was read). */
  get read(): number {
    return this.seen.size;
  }

  /** Adds the hits' tasks, up to `limit` tasks in all (the rest of the page is left out). */
  add(hits: ReadonlyArray<SearchHit<MlTask>>, limit = Infinity): void {
    for (const hit of hits) {
      if (this.seen.has(hit._id)) continue;
      if (this.seen.size >= limit) break;
      this.seen.add(hit._id);
      const task = hit._source;
      const taskType = typeof task.task_type === 'string' ? task.task_type : 'UNKNOWN';
      const functionName = typeof task.function_name === 'string' ? task.function_name : 'UNKNOWN';
      const at = failedAt(task);
      const ownNodes = workerNodes(task.worker_node);
      const joined = new Set<string>();
      for (const { message, node } of failureMessages(task)) {
        let template = this.normalised.get(message);
        if (template === undefined) {
          template = normaliseFailure(message);
          // Messages repeat verbatim far more often than not: normalise each distinct text once.
          if (this.normalised.size < 20_000) this.normalised.set(message, template);
        }
        const fingerprint = failureFingerprint(taskType, functionName, template);
        let group = this.groups.get(fingerprint);
        if (!group) {
          group = {
            fingerprint,
            taskType,
            functionName,
            template,
            example: message,
            exampleAt: at,
            times: [],
            models: new Set(),
            nodes: new Set(),
            taskIds: [],
          };
          this.groups.set(fingerprint, group);
        } else if (at > group.exampleAt) {
          group.example = message;
          group.exampleAt = at;
        }
        if (node) group.nodes.add(node);
        if (joined.has(fingerprint)) continue;
        joined.add(fingerprint);
        group.times.push(at);
        group.taskIds.push(hit._id);
        if (typeof task.model_id === 'string' && task.model_id !== '') group.models.add(task.model_id);
        // A per-node map names the nodes that failed; otherwise the task's workers are where it failed.
        if (!node) for (const n of ownNodes) group.nodes.add(n);
      }
    }
  }

  /** The groups so far, largest first, each with a trend of `slices` over the span of everything read. */
  result(total: number, slices = 12): FailureGroupsResult {
    let from = Infinity;
    let to = -Infinity;
    for (const g of this.groups.values()) {
      for (const t of g.times) {
        if (t < from) from = t;
        if (t > to) to = t;
      }
    }
    const span = from <= to ? { from, to } : undefined;
    const width = span ? Math.max(1, span.to - span.from) / slices : 1;
    const read = this.read;
    const groups: FailureGroup[] = [...this.groups.values()].map((g) => {
      const trend = new Array<number>(slices).fill(0);
      let first = Infinity;
      let last = -Infinity;
      for (const t of g.times) {
        if (t < first) first = t;
        if (t > last) last = t;
        if (span) trend[Math.min(slices - 1, Math.floor((t - span.from) / width))]! += 1;
      }
      return {
        fingerprint: g.fingerprint,
        taskType: g.taskType,
        functionName: g.functionName,
        template: g.template,
        example: g.example,
        count: g.taskIds.length,
        share: read === 0 ? 0 : g.taskIds.length / read,
        firstSeen: first,
        lastSeen: last,
        modelIds: [...g.models].sort(),
        nodeIds: [...g.nodes].sort(),
        taskIds: g.taskIds,
        trend,
      };
    });
    groups.sort(
      (a, b) => b.count - a.count || b.lastSeen - a.lastSeen || (a.fingerprint < b.fingerprint ? -1 : 1),
    );
    return { groups, read, total: Math.max(total, read), span };
  }
}

/** The failed states a cluster of these capabilities has. */
export function failedStatesOf(capabilities: Pick<Capabilities, 'states'>): string[] {
  return FAILED_STATES.filter((s) => capabilities.states.includes(s));
}

/**
 * One page of the newest failures matching the view: its filters (`viewBody`'s `query` and `post_filter`, as the
 * view's own search has them) and a failed state, newest first, `search_after` the last page's oldest creation time.
 *
 * `search_after` on `create_time` alone would skip tasks created in the same millisecond as a page's last one, and the
 * task index has no unique field to break ties with (sorting on `_id` needs field data a cluster may refuse). So the
 * next page starts one millisecond later than the last one read, reading those tasks again, and the grouper ignores
 * ids it has seen.
 */
export function failurePageBody(
  viewBody: Pick<TaskSearchBody, 'query' | 'post_filter'>,
  states: readonly string[],
  size: number,
  after?: number,
): TaskSearchBody {
  return {
    query: withinView(viewBody, { terms: { state: [...states] } }),
    size,
    sort: [{ create_time: { order: 'desc' } }],
    track_total_hits: true,
    _source: [...FAILURE_SOURCE_FIELDS],
    ...(after !== undefined ? { search_after: [after] } : {}),
  };
}

/**
 * Where the next page starts: one millisecond after the last hit's creation time (see `failurePageBody`), or undefined
 * when the page was the last. A page whose every task was created in one millisecond cannot be stepped past that way,
 * so the next one starts just before it instead (tasks of that millisecond beyond the page are then not read).
 */
export function nextFailurePage(
  hits: ReadonlyArray<SearchHit<MlTask>>,
  size: number,
  after?: number,
): number | undefined {
  if (hits.length < size) return undefined;
  const last = hits.at(-1)?.sort?.[0];
  const first = hits[0]?.sort?.[0];
  if (typeof last !== 'number') return undefined;
  const next = first === last ? last : last + 1;
  // Never go back to where this page started: that would read the same page for ever.
  return after !== undefined && next >= after ? last : next;
}
