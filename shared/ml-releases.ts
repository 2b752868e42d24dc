// ML Commons releases: parsing a version, and the facts of each release that both the console and the stand-in need
// (which states, types and functions exist, which fields a task can hold). Plain TypeScript: no React, no Node.
import { FUNCTION_NAMES, MODEL_STATES, TASK_STATES, TASK_TYPES } from './ml-types.ts';

export interface Release {
  major: number;
  minor: number;
  patch: number;
}

/** The newest release the console knows; the stand-in answers as this one unless told otherwise. */
export const NEWEST_RELEASE = '3.8.0';

/** The oldest release the console supports. */
export const OLDEST_RELEASE = '2.4.0';

/**
 * `2.19.3`, `2.19.3.0` (plugin versions carry a fourth part), `3.0.0-SNAPSHOT`, `3.1`: the first three numbers.
 * Undefined for anything else.
 */
export function parseRelease(text: unknown): Release | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:\.\d{1,4})?(?:[-+][0-9A-Za-z.-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function formatRelease(r: Release): string {
  return `${r.major}.${r.minor}.${r.patch}`;
}

/** Negative when a is older than b, 0 when the same, positive when newer. */
export function compareReleases(a: Release, b: Release): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** A release setting that is malformed, or older than the oldest release the console supports. */
export class ReleaseError extends Error {
  override readonly name = 'ReleaseError';
}

/**
 * The release a setting names (`2.19.3`, `2.19.3.0`, `3.1`, `3.0.0-SNAPSHOT`), checked to be one the console
 * supports; `setting` names it in the message (`--version`, `STANDIN_VERSION`).
 */
export function parseSupportedRelease(text: string, setting: string): Release {
  const r = parseRelease(text);
  if (!r) {
    throw new ReleaseError(
      `${setting} must be an ML Commons release such as ${NEWEST_RELEASE} or 2.19.3, not ${JSON.stringify(text)}`,
    );
  }
  if (!isAtLeast(r, OLDEST_RELEASE)) {
    throw new ReleaseError(
      `${setting} ${formatRelease(r)} is older than ${OLDEST_RELEASE}, the oldest ML Commons release supported`,
    );
  }
  return r;
}

function release(text: string): Release {
  const r = parseRelease(text);
  if (!r) throw new Error(`not a release: ${text}`);
  return r;
}

/** `r` is `since` or newer. */
export function isAtLeast(r: Release, since: string): boolean {
  return compareReleases(r, release(since)) >= 0;
}

/** `from` ≤ `r` < `until` (`until` open when omitted). */
export function isBetween(r: Release, from: string, until?: string): boolean {
  return isAtLeast(r, from) && (until === undefined || !isAtLeast(r, until));
}

/** The first release with each value; values not listed have been there since before the oldest supported one. */
const STATE_SINCE: Record<string, string> = {
  CANCELLING: '2.18.0',
  EXPIRED: '2.18.0',
  UNREACHABLE: '2.19.0',
};
const TYPE_SINCE: Record<string, string> = {
  REGISTER_MODEL: '2.7.0',
  DEPLOY_MODEL: '2.7.0',
  BATCH_INGEST: '2.17.0',
  BATCH_PREDICTION: '2.17.0',
  AGENT_EXECUTION: '3.0.0',
};
const FUNCTION_SINCE: Record<string, string> = {
  METRICS_CORRELATION: '2.7.0',
  REMOTE: '2.9.0',
  SPARSE_ENCODING: '2.11.0',
  SPARSE_TOKENIZE: '2.11.0',
  TEXT_SIMILARITY: '2.12.0',
  AGENT: '2.12.0',
  QUESTION_ANSWERING: '2.13.0',
  CONNECTOR: '2.16.0',
  TOOL: '3.2.0',
};

/** Task types a release no longer writes; documents written by older releases keep them. */
const TYPE_WRITTEN_UNTIL: Record<string, string> = { UPLOAD_MODEL: '2.7.0', LOAD_MODEL: '2.7.0' };

/** The first release whose task documents may hold each field; fields not listed are older than 2.4. */
const FIELD_SINCE: Record<string, string> = { remote_job: '2.17.0', tenant_id: '2.19.0', response: '3.0.0' };

const known = (values: readonly string[], since: Record<string, string>, r: Release): string[] =>
  values.filter((v) => since[v] === undefined || isAtLeast(r, since[v]));

/** The task states a cluster of this release can hold. */
export function taskStatesOf(r: Release): string[] {
  return known(TASK_STATES, STATE_SINCE, r);
}

/** The task types a cluster of this release can hold (legacy ones included: its index may be older than it). */
export function taskTypesOf(r: Release): string[] {
  return known(TASK_TYPES, TYPE_SINCE, r);
}

/** The task types this release itself writes. */
export function taskTypesWrittenBy(r: Release): string[] {
  return taskTypesOf(r).filter(
    (t) => TYPE_WRITTEN_UNTIL[t] === undefined || !isAtLeast(r, TYPE_WRITTEN_UNTIL[t]),
  );
}

/** The function names a cluster of this release can hold. */
export function functionNamesOf(r: Release): string[] {
  return known(FUNCTION_NAMES, FUNCTION_SINCE, r);
}

/** Whether task documents of this release may carry the field at all. */
export function taskFieldExists(r: Release, field: string): boolean {
  return FIELD_SINCE[field] === undefined || isAtLeast(r, FIELD_SINCE[field]);
}

/** Up to 2.4 `worker_node` was one string (several nodes comma-joined); an array since 2.5. */
export function writesStringWorkerNode(r: Release): boolean {
  return !isAtLeast(r, '2.5.0');
}

/**
 * Model states by release (MLModelState): 2.4 had the UPLOAD/LOAD vocabulary without LOAD_FAILED (a failed load fell
 * back to UPLOADED); 2.7 renamed upload/load to register/deploy and stopped writing the old names.
 */
const MODEL_STATE_SINCE: Record<string, string> = {
  LOAD_FAILED: '2.5.0',
  REGISTERING: '2.7.0',
  REGISTERED: '2.7.0',
  DEPLOYING: '2.7.0',
  DEPLOYED: '2.7.0',
  PARTIALLY_DEPLOYED: '2.7.0',
  UNDEPLOYED: '2.7.0',
  DEPLOY_FAILED: '2.7.0',
};
const MODEL_STATE_WRITTEN_UNTIL: Record<string, string> = {
  UPLOADING: '2.7.0',
  UPLOADED: '2.7.0',
  LOADING: '2.7.0',
  LOADED: '2.7.0',
  PARTIALLY_LOADED: '2.7.0',
  UNLOADED: '2.7.0',
  LOAD_FAILED: '2.7.0',
};

/** The model states a cluster of this release can hold (legacy ones included). */
export function modelStatesOf(r: Release): string[] {
  return known(MODEL_STATES, MODEL_STATE_SINCE, r);
}

/** The model states this release itself writes. */
export function modelStatesWrittenBy(r: Release): string[] {
  return modelStatesOf(r).filter(
    (s) => MODEL_STATE_WRITTEN_UNTIL[s] === undefined || !isAtLeast(r, MODEL_STATE_WRITTEN_UNTIL[s]),
  );
}

/** The first release whose model documents may hold each field (MLModel); fields not listed are older than 2.4. */
const MODEL_FIELD_SINCE: Record<string, string> = {
  last_updated_time: '2.6.0',
  planning_worker_node_count: '2.6.0',
  current_worker_node_count: '2.6.0',
  planning_worker_nodes: '2.6.0',
  last_registered_time: '2.7.0',
  last_deployed_time: '2.7.0',
  last_undeployed_time: '2.7.0',
  deploy_to_all_nodes: '2.7.0',
  auto_redeploy_retry_times: '2.7.0',
  model_group_id: '2.8.0',
  connector_id: '2.9.0',
  is_hidden: '2.12.0',
  tenant_id: '2.19.0',
};
/** Model fields a release no longer writes (2.7 renamed them to the register/deploy names). */
const MODEL_FIELD_WRITTEN_UNTIL: Record<string, string> = {
  last_uploaded_time: '2.7.0',
  last_loaded_time: '2.7.0',
  last_unloaded_time: '2.7.0',
};

/** Whether model documents written by this release carry the field at all. */
export function modelFieldWrittenBy(r: Release, field: string): boolean {
  const since = MODEL_FIELD_SINCE[field];
  const until = MODEL_FIELD_WRITTEN_UNTIL[field];
  return (since === undefined || isAtLeast(r, since)) && (until === undefined || !isAtLeast(r, until));
}

/**
 * From 2.19.2, task search goes through the remote-metadata SDK 2.19, which cannot parse aggregations back and never
 * answers a search that carries them. Fixed in the SDK for 3.0, never on the 2.19 branch.
 */
export function searchHangsOnAggregations(r: Release): boolean {
  return isBetween(r, '2.19.2', '2.20.0');
}
