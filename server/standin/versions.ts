// How the stand-in answers as one ML Commons release: a profile computed once from the version, read by the routes,
// so no handler compares version numbers. Each entry is a small table of (first release, behaviour) rows.
//
// Read from the ml-commons source at its release tags (github.com/opensearch-project/ml-commons; P =
// plugin/src/main/java/org/opensearch/ml) and from opensearch-remote-metadata-sdk, the "SDK client" ml-commons
// goes through since 2.19. Exception types follow OpenSearch's rendering: an OpenSearchStatusException is
// `status_exception` with its status; ML Commons' own MLResourceNotFoundException and MLValidationException extend
// RuntimeException, not OpenSearchException, so they render as `m_l_resource_not_found_exception` /
// `m_l_validation_exception` with status 500, and a bare `new Exception(…)` as `exception`, 500.

import { TASK_INDEX } from '../../shared/ml-types';
import {
  NEWEST_RELEASE,
  formatRelease,
  isAtLeast,
  parseRelease,
  parseSupportedRelease,
  searchHangsOnAggregations,
  taskStatesOf,
} from '../../shared/ml-releases';
import type { Release } from '../../shared/ml-releases';
import { OpenSearchError } from './errors';

/**
 * The release named by a version option (`2.19.3`, `2.19.3.0`, `3.0`, `3.0.0-SNAPSHOT`), checked: `option` names
 * the option in the message (`--version`, `STANDIN_VERSION`). Undefined or empty: the newest release. Throws
 * `ReleaseError`.
 */
export function parseStandinVersion(text: string | undefined, option: string): Release {
  if (text === undefined || text.trim() === '') return parseRelease(NEWEST_RELEASE)!;
  return parseSupportedRelease(text, option);
}

/** The behaviour of the last row whose release is at most `r`; rows ascend, the first is the oldest release. */
function since<T>(r: Release, rows: ReadonlyArray<readonly [string, T]>): T {
  let value = rows[0]![1];
  for (const [from, v] of rows) if (isAtLeast(r, from)) value = v;
  return value;
}

/** OpenSearch's IndexNotFoundException, its metadata in the order OpenSearch prints it. */
export function indexNotFound(index: string): OpenSearchError {
  return new OpenSearchError(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });
}

const mlNotFound = (reason: string) => (): OpenSearchError =>
  new OpenSearchError(500, 'm_l_resource_not_found_exception', reason);
const statusNotFound = (reason: string) => (): OpenSearchError =>
  new OpenSearchError(404, 'status_exception', reason);
const runningRefused = (reason: string) => (): OpenSearchError =>
  new OpenSearchError(500, 'exception', reason);

export interface StandinProfile {
  /** The release, `X.Y.Z`: also OpenSearch's core version, as ML Commons X.Y.Z.0 ships with core X.Y.Z. */
  readonly version: string;
  readonly release: Release;

  /** GET of a task id the index does not hold. */
  readonly getTaskMissing: () => OpenSearchError;
  /** GET of a task before the task index exists. */
  readonly getTaskNoIndex: () => OpenSearchError;
  /** GET answers `worker_node` as stored (2.4: one string) instead of always as an array. */
  readonly getTaskWorkerNodeAsStored: boolean;

  /** DELETE of an unknown id: an error, or (up to 2.5, which deleted without looking) a 200 `not_found`. */
  readonly deleteTaskMissing: (() => OpenSearchError) | 'not_found';
  readonly deleteTaskNoIndex: () => OpenSearchError;
  /** DELETE of a RUNNING task: refused with this error, or (up to 2.5) deleted like any other. */
  readonly deleteRunningTask: (() => OpenSearchError) | undefined;
  /** The delete carries `forced_refresh: true` (a refresh policy of IMMEDIATE). */
  readonly deleteForcesRefresh: boolean;

  /** Task or model search before its index exists. */
  readonly searchNoIndex: 'index_not_found' | 'empty';
  /** Up to 2.7 task search failures went through MLSearchHandler's wrapper, with this general message. */
  readonly searchTasksFailure: string | undefined;
  /** A task search whose answer carries aggregations is never answered (2.19.2 – 2.19.x). */
  readonly searchTasksHangsOnAggregations: boolean;

  /** The cancel endpoint's last path segment, or undefined before there was one. */
  readonly cancelPath: '_cancel' | '_cancel_batch' | undefined;
  readonly cancelTaskMissing: () => OpenSearchError;
  readonly cancelTaskNoIndex: () => OpenSearchError;
  /** The CANCELLING state exists (2.18): a cancelled batch task shows it until the provider's job has stopped. */
  readonly hasCancelling: boolean;

  readonly getModelMissing: (id: string) => OpenSearchError;
  readonly getModelNoIndex: () => OpenSearchError;
  /**
   * GET of a model this user may not read (the stand-in marks those `is_hidden`); undefined before model access
   * control (2.8), when every model could be read.
   */
  readonly getModelUnreadable: ((id: string) => OpenSearchError) | undefined;
  /** `is_hidden` is a model field (2.12): before, GET does not show the stand-in's marker. */
  readonly modelShowsIsHidden: boolean;
  /** Model search leaves out the models this user may not read (2.8). */
  readonly searchModelsHidesUnreadable: boolean;
  /** MLSearchHandler's general message for a failed model search. */
  readonly searchModelsFailure: string;
  /** A model search whose answer carries aggregations fails with that message (2.19.2 – 2.19.x). */
  readonly searchModelsFailsOnAggregations: boolean;

  /**
   * The sync-up job fails cached tasks older than `ml_task_timeout_in_seconds` (2.5): before, a cached task waits
   * for ever.
   */
  readonly taskTimeout: boolean;
  /** The names `_plugins/_ml/stats` reports, in its enums' order (renamed in 2.10). */
  readonly statNames: { readonly node: readonly string[]; readonly cluster: readonly string[] };
  /**
   * Profile and stats first search the model index for hidden models (2.14); the profile answers `{}` when that
   * search fails, as it does before the model index exists.
   */
  readonly profileNeedsModelIndex: boolean;
  /** The profile's `view` parameter (`node`, `model`) exists (2.6). */
  readonly profileViews: boolean;
}

/** The node stats since 2.10 (renamed from `ml_node_*`), unchanged since. */
const NODE_STATS_2_10: readonly string[] = [
  'ml_jvm_heap_usage',
  'ml_executing_task_count',
  'ml_request_count',
  'ml_failure_count',
  'ml_deployed_model_count',
  'ml_circuit_breaker_trigger_count',
];

/** MLNodeLevelStat / MLClusterLevelStat, lower-cased as the stats API prints them. */
const STAT_NAMES: ReadonlyArray<readonly [string, StandinProfile['statNames']]> = [
  [
    '2.4.0',
    {
      node: [
        'ml_node_jvm_heap_usage',
        'ml_node_executing_task_count',
        'ml_node_total_request_count',
        'ml_node_total_failure_count',
        'ml_node_total_model_count',
        'ml_node_total_circuit_breaker_trigger_count',
      ],
      cluster: ['ml_model_index_status', 'ml_task_index_status', 'ml_model_count'],
    },
  ],
  [
    '2.10.0',
    {
      node: NODE_STATS_2_10,
      cluster: [
        'ml_model_index_status',
        'ml_connector_index_status',
        'ml_config_index_status',
        'ml_task_index_status',
        'ml_model_count',
        'ml_connector_count',
      ],
    },
  ],
  [
    '2.12.0',
    {
      node: NODE_STATS_2_10,
      cluster: [
        'ml_model_index_status',
        'ml_connector_index_status',
        'ml_config_index_status',
        'ml_task_index_status',
        'ml_controller_index_status',
        'ml_model_count',
        'ml_connector_count',
      ],
    },
  ],
];

const PROFILES = new Map<string, StandinProfile>();

/** The profile of `version` (a release or its text; default the newest); computed once per release. */
export function profileOf(version?: Release | string): StandinProfile {
  const r = parseStandinVersion(typeof version === 'object' ? formatRelease(version) : version, 'version');
  const key = formatRelease(r);
  const known = PROFILES.get(key);
  if (known) return known;
  const profile: StandinProfile = {
    version: key,
    release: r,

    // P/action/tasks/GetTaskTransportAction.java: MLResourceNotFoundException until 2.8; 2.9 answers an unknown id
    // with OpenSearchStatusException(NOT_FOUND) but a missing index still with MLResourceNotFoundException; 2.19
    // (through the SDK) says "Failed" and 404 for both.
    getTaskMissing: since(r, [
      ['2.4.0', mlNotFound('Fail to find task')],
      ['2.9.0', statusNotFound('Fail to find task')],
      ['2.19.0', statusNotFound('Failed to find task')],
    ]),
    getTaskNoIndex: since(r, [
      ['2.4.0', mlNotFound('Fail to find task')],
      ['2.19.0', statusNotFound('Failed to find task')],
    ]),
    // common/…/MLTask.java: 2.4 held `worker_node` as one String; 2.5 made it a list, splitting old strings on commas.
    getTaskWorkerNodeAsStored: !isAtLeast(r, '2.5.0'),

    // P/action/tasks/DeleteTaskTransportAction.java: up to 2.5 a plain client.delete (a missing document is a 200
    // `not_found`, RestToXContentListener answers 200 whatever the result; a missing index fails the bulk item with
    // index_not_found_exception, as deletes never create an index). 2.6 reads the task first: every failure of that
    // read becomes MLResourceNotFoundException. 2.19 reads through the SDK: 404 "Failed to find task", and a missing
    // index keeps its cause, the SDK's 500 "Failed to get data object from index …" around the index_not_found.
    deleteTaskMissing: since<(() => OpenSearchError) | 'not_found'>(r, [
      ['2.4.0', 'not_found'],
      ['2.6.0', mlNotFound('Fail to find task')],
      ['2.19.0', statusNotFound('Failed to find task')],
    ]),
    deleteTaskNoIndex: since(r, [
      ['2.4.0', () => indexNotFound(TASK_INDEX)],
      ['2.6.0', mlNotFound('Fail to find task')],
      [
        '2.19.0',
        () =>
          new OpenSearchError(
            404,
            'status_exception',
            'Failed to find task',
            {},
            new OpenSearchError(
              500,
              'status_exception',
              `Failed to get data object from index ${TASK_INDEX}`,
              {},
              indexNotFound(TASK_INDEX),
            ),
          ),
      ],
    ]),
    deleteRunningTask: since(r, [
      ['2.4.0', undefined],
      ['2.6.0', runningRefused('Task cannot be deleted in running state. Try after sometime')],
      ['2.19.0', runningRefused('Task cannot be deleted in running state. Try after some time.')],
    ]),
    // 2.15 added setRefreshPolicy(IMMEDIATE) to the delete (ml-commons #2541, backported in #2552); from 2.19 the SDK's
    // DeleteDataObjectRequest defaults to IMMEDIATE. (ml-commons-versions.md says "from 2.19"; the source says 2.15.)
    deleteForcesRefresh: isAtLeast(r, '2.15.0'),

    // P/action/tasks/SearchTaskTransportAction.java and MLSearchHandler (models): 2.12 added
    // wrapListenerToHandleSearchIndexNotFound (an empty answer); before, the index_not_found_exception reaches the
    // client. Up to 2.7 task search ran through MLSearchHandler.search, whose wrapRestActionListener turns other
    // failures into a 500 status_exception.
    searchNoIndex: isAtLeast(r, '2.12.0') ? 'empty' : 'index_not_found',
    searchTasksFailure: isAtLeast(r, '2.8.0') ? undefined : 'Fail to search',
    // SDK 2.19's SdkClientUtils.wrapSearchCompletion re-parses the answer; aggregations fail that parse with an
    // unchecked exception that only IOException is caught for, so the listener is never called.
    searchTasksHangsOnAggregations: searchHangsOnAggregations(r),

    // P/rest/RestMLCancelBatchJobAction.java: 2.17 routes POST …/tasks/{id}/_cancel_batch, 2.18 renamed it _cancel.
    // CancelBatchJobTransportAction: an unknown id is 404 "Fail to find task" in every release since.
    cancelPath: since<StandinProfile['cancelPath']>(r, [
      ['2.4.0', undefined],
      ['2.17.0', '_cancel_batch'],
      ['2.18.0', '_cancel'],
    ]),
    cancelTaskMissing: statusNotFound('Fail to find task'),
    cancelTaskNoIndex: mlNotFound('Fail to find task'),
    hasCancelling: taskStatesOf(r).includes('CANCELLING'),

    // P/action/models/GetModelTransportAction.java.
    getModelMissing: since<(id: string) => OpenSearchError>(r, [
      ['2.4.0', mlNotFound('Fail to find model')],
      [
        '2.7.0',
        (id) =>
          new OpenSearchError(
            400,
            'illegal_argument_exception',
            `Failed to find model with the provided model id: ${id}`,
          ),
      ],
      [
        '2.9.0',
        (id) =>
          new OpenSearchError(
            404,
            'status_exception',
            `Failed to find model with the provided model id: ${id}`,
          ),
      ],
    ]),
    getModelNoIndex: since(r, [
      ['2.4.0', mlNotFound('Fail to find model')],
      ['2.19.0', statusNotFound('Fail to find model')],
    ]),
    // 2.8 added model-group access control (MLValidationException, a 500); 2.12 added hidden models and made the
    // refusal a 403. The source's reason ends at "…on this model"; the stand-in has always added the model id, and
    // the console's tests quote it, so it keeps that.
    getModelUnreadable: since<StandinProfile['getModelUnreadable']>(r, [
      ['2.4.0', undefined],
      [
        '2.8.0',
        () =>
          new OpenSearchError(
            500,
            'm_l_validation_exception',
            "User Doesn't have privilege to perform this operation on this model",
          ),
      ],
      [
        '2.12.0',
        (id) =>
          new OpenSearchError(
            403,
            'status_exception',
            `User doesn't have privilege to perform this operation on this model, model ID ${id}`,
          ),
      ],
    ]),
    modelShowsIsHidden: isAtLeast(r, '2.12.0'),
    searchModelsHidesUnreadable: isAtLeast(r, '2.8.0'),
    // P/action/handler/MLSearchHandler.java: wrapRestActionListener(listener, "Fail to search") up to 2.7, then
    // "Fail to search model version". ml-commons issue #3713: 2.19.2's SDK cannot parse aggregations back.
    searchModelsFailure: isAtLeast(r, '2.8.0') ? 'Fail to search model version' : 'Fail to search',
    searchModelsFailsOnAggregations: searchHangsOnAggregations(r),

    // P/action/syncup/TransportSyncUpOnNodeAction.java: cleanUpLocalCache and the timeout setting arrived in 2.5.
    taskTimeout: isAtLeast(r, '2.5.0'),
    // P/stats/MLNodeLevelStat.java, MLClusterLevelStat.java.
    statNames: since(r, STAT_NAMES),
    // P/rest/RestMLProfileAction.java: IndexUtils.buildHiddenModelSearchRequest from 2.14, its failure answered `{}`.
    profileNeedsModelIndex: isAtLeast(r, '2.14.0'),
    profileViews: isAtLeast(r, '2.6.0'),
  };
  PROFILES.set(key, profile);
  return profile;
}

/**
 * A search failure as MLSearchHandler's wrapRestActionListener passes it on: an OpenSearchStatusException or an
 * index_not_found as it is; otherwise a 500 `status_exception` with the root cause's message when that is an
 * illegal argument, else the general message.
 */
export function wrapSearchFailure(err: unknown, general: string): unknown {
  if (!(err instanceof OpenSearchError)) return err;
  if (err.type === 'status_exception' || err.type === 'index_not_found_exception') return err;
  // Failures of parsing the request (RestMLSearchAction parses the body before the transport action runs) are not
  // the handler's to wrap; what reaches it comes from executing the search: shard failures.
  if (err.type !== 'search_phase_execution_exception') return err;
  let root: OpenSearchError = err;
  while (root.causedBy) root = root.causedBy;
  const reason = root.type === 'illegal_argument_exception' ? root.reason : general;
  return new OpenSearchError(500, 'status_exception', reason);
}
