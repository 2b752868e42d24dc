// Shapes of ML Commons tasks, models and OpenSearch search responses, shared by the browser and the server.

export const TASK_STATES = [
  'CREATED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'COMPLETED_WITH_ERROR',
  'CANCELLING',
  'EXPIRED',
  'UNREACHABLE',
] as const;

export const TASK_TYPES = [
  'TRAINING',
  'PREDICTION',
  'TRAINING_AND_PREDICTION',
  'EXECUTION',
  'UPLOAD_MODEL',
  'LOAD_MODEL',
  'REGISTER_MODEL',
  'DEPLOY_MODEL',
  'BATCH_INGEST',
  'BATCH_PREDICTION',
  'AGENT_EXECUTION',
] as const;

export const FUNCTION_NAMES = [
  'LINEAR_REGRESSION',
  'KMEANS',
  'AD_LIBSVM',
  'SAMPLE_ALGO',
  'LOCAL_SAMPLE_CALCULATOR',
  'FIT_RCF',
  'BATCH_RCF',
  'ANOMALY_LOCALIZATION',
  'RCF_SUMMARIZE',
  'LOGISTIC_REGRESSION',
  'TEXT_EMBEDDING',
  'METRICS_CORRELATION',
  'REMOTE',
  'SPARSE_ENCODING',
  'SPARSE_TOKENIZE',
  'TEXT_SIMILARITY',
  'QUESTION_ANSWERING',
  'AGENT',
  'CONNECTOR',
  'TOOL',
] as const;

export const MODEL_STATES = [
  'REGISTERING',
  'REGISTERED',
  'DEPLOYING',
  'DEPLOYED',
  'PARTIALLY_DEPLOYED',
  'UNDEPLOYED',
  'DEPLOY_FAILED',
  'TRAINED',
  'UPLOADING',
  'UPLOADED',
  'LOADING',
  'LOADED',
  'PARTIALLY_LOADED',
  'UNLOADED',
  'LOAD_FAILED',
] as const;

/** States ML Commons treats as finished, plus the two that are terminal in practice. */
export const FINISHED_STATES: readonly string[] = [
  'COMPLETED',
  'COMPLETED_WITH_ERROR',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
  'UNREACHABLE',
];

// Enumerations are open: a newer cluster may send values we have never seen, so the types stay `string`.
export type TaskState = (typeof TASK_STATES)[number] | (string & {});
export type TaskType = (typeof TASK_TYPES)[number] | (string & {});
export type FunctionName = (typeof FUNCTION_NAMES)[number] | (string & {});
export type ModelState = (typeof MODEL_STATES)[number] | (string & {});

/** The task fields ML Commons writes, in the order its GET answer lists them. */
export const TASK_FIELDS = [
  'model_id',
  'task_type',
  'function_name',
  'state',
  'input_type',
  'progress',
  'output_index',
  'worker_node',
  'create_time',
  'last_update_time',
  'error',
  'is_async',
  'remote_job',
  'response',
  'tenant_id',
] as const;

/** A task's `_source` as stored in `.plugins-ml-task` (the id is the document `_id`). */
export interface MlTask {
  model_id?: string;
  task_type?: TaskType;
  function_name?: FunctionName;
  state?: TaskState;
  input_type?: string;
  progress?: number;
  output_index?: string;
  /** An array since 2.5; a plain string in documents written by 2.4 and older. */
  worker_node?: string[] | string;
  create_time?: number;
  last_update_time?: number;
  error?: string;
  is_async?: boolean;
  remote_job?: Record<string, unknown>;
  response?: Record<string, unknown>;
  tenant_id?: string;
  [field: string]: unknown;
}

/** A model's `_source` as stored in `.plugins-ml-model`. */
export interface MlModel {
  name?: string;
  model_group_id?: string;
  algorithm?: string;
  model_version?: string;
  description?: string;
  model_format?: string;
  model_state?: ModelState;
  model_content_size_in_bytes?: number;
  model_content_hash_value?: string;
  model_config?: Record<string, unknown>;
  created_time?: number;
  last_updated_time?: number;
  last_registered_time?: number;
  last_deployed_time?: number;
  last_undeployed_time?: number;
  planning_worker_node_count?: number;
  current_worker_node_count?: number;
  planning_worker_nodes?: string[];
  deploy_to_all_nodes?: boolean;
  connector_id?: string;
  is_hidden?: boolean;
  chunk_number?: number;
  total_chunks?: number;
  [field: string]: unknown;
}

type SortOrder = 'asc' | 'desc';

/** A search body for `.plugins-ml-task`. Sent as the POST body: OpenSearch rejects unknown URL parameters. */
export interface TaskSearchBody {
  query?: Record<string, unknown>;
  from?: number;
  size?: number;
  sort?: Array<string | Record<string, SortOrder | { order: SortOrder; [option: string]: unknown }>>;
  track_total_hits?: boolean | number;
  search_after?: Array<string | number | boolean | null>;
  aggs?: Record<string, unknown>;
  post_filter?: Record<string, unknown>;
  _source?: boolean | string | string[] | { includes?: string[]; excludes?: string[] };
}

export interface SearchHit<T> {
  _index: string;
  _id: string;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  _score: number | null;
  _source: T;
  sort?: Array<string | number | boolean | null>;
}

export interface TotalHits {
  value: number;
  relation: 'eq' | 'gte';
}

export interface TermsBucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [subAggregation: string]: unknown;
}

export interface SearchResponse<T> {
  took: number;
  timed_out: boolean;
  _shards: { total: number; successful: number; skipped: number; failed: number };
  hits: {
    total?: TotalHits;
    max_score: number | null;
    hits: Array<SearchHit<T>>;
  };
  aggregations?: Record<string, unknown>;
}

export interface DeleteResponse {
  _index: string;
  _id: string;
  _version: number;
  result: 'deleted';
  forced_refresh: boolean;
  _shards: { total: number; successful: number; failed: number };
  _seq_no: number;
  _primary_term: number;
}

/** OpenSearch's structured error body. */
export interface OpenSearchErrorCause {
  type: string;
  reason: string;
  caused_by?: OpenSearchErrorCause;
  root_cause?: OpenSearchErrorCause[];
  [detail: string]: unknown;
}

export const TASK_INDEX = '.plugins-ml-task';
export const MODEL_INDEX = '.plugins-ml-model';

// ---------------------------------------------------------------------------------------------------------
// Cluster, node and ML stats responses (the nodes view and node names; issue 10). As the gateway forwards them:
// `_nodes` and `_cluster/settings` carry the gateway's own fixed `filter_path`, so every field is optional.

/** One node in `GET /_nodes`, keyed by its id. */
export interface ClusterNodeInfo {
  name?: string;
  host?: string;
  ip?: string;
  /** The node's OpenSearch version. */
  version?: string;
  /** `cluster_manager`, `data`, `ingest`, `ml`, `remote_cluster_client`… */
  roles?: string[];
  [field: string]: unknown;
}

/** `GET /_nodes`. */
export interface NodesInfoResponse {
  /** How many nodes were asked and how many answered; absent when a `filter_path` leaves it out. */
  _nodes?: { total: number; successful: number; failed: number };
  cluster_name?: string;
  nodes?: Record<string, ClusterNodeInfo>;
}

/** One node's counters in `GET /_plugins/_ml/stats`. */
export interface MlNodeStats {
  ml_executing_task_count?: number;
  ml_request_count?: number;
  ml_failure_count?: number;
  ml_deployed_model_count?: number;
  ml_circuit_breaker_trigger_count?: number;
  /** Percent of the JVM heap in use. */
  ml_jvm_heap_usage?: number;
  algorithms?: Record<string, Record<string, number>>;
  models?: Record<string, Record<string, number>>;
  [stat: string]: unknown;
}

/** `GET /_plugins/_ml/stats`: cluster-level counters at the top, per-node counters under `nodes`. */
export interface MlStatsResponse {
  nodes?: Record<string, MlNodeStats>;
  [stat: string]: unknown;
}

/** `GET /_plugins/_ml/profile/tasks`: the tasks each node holds in its memory, by node id then task id. */
export interface MlTaskProfileResponse {
  nodes?: Record<
    string,
    { tasks?: Record<string, MlTask>; models?: Record<string, unknown>; [k: string]: unknown }
  >;
}

/** `GET /_cluster/settings`: nested or flat (`flat_settings`) settings per scope. */
export interface ClusterSettingsResponse {
  persistent?: Record<string, unknown>;
  transient?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
}
// ---------------------------------------------------------------------------------------------------------
