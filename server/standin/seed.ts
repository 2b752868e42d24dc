// Deterministic, realistic seed data for the stand-in: ML Commons task documents and the models they reference.
import type { MlModel, MlTask } from '../../shared/ml-types';
import {
  NEWEST_RELEASE,
  formatRelease,
  functionNamesOf,
  isAtLeast,
  modelFieldWrittenBy,
  modelStatesOf,
  parseRelease,
  taskStatesOf,
  taskTypesOf,
  writesStringWorkerNode,
} from '../../shared/ml-releases';
import type { Release } from '../../shared/ml-releases';

export interface SeedDoc<T> {
  _id: string;
  _source: T;
}

// Memory matters at a million documents, so sub-objects that many documents share (worker_node arrays,
// inference results, model_config) are single frozen instances: replace them on update, never mutate.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW = 30 * DAY;
/** The ML node pool grows by one node this long before `now`, so DEPLOY_MODEL worker lists change mid-window. */
const SCALE_OUT_AGE = 12 * DAY;
/** Legacy (2.4–2.6) documents predate the window by this much; the 2.4 → 2.5 upgrade happened at LEGACY_25_AGE. */
const LEGACY_OLDEST_AGE = 540 * DAY;
const LEGACY_NEWEST_AGE = 400 * DAY;
const LEGACY_25_AGE = 480 * DAY;

/** sfc32, seeded through splitmix32 so that neighbouring seeds diverge at once. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed | 0;
    const state = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      state[i] = (z ^ (z >>> 16)) | 0;
    }
    [this.a, this.b, this.c, this.d] = state as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  /** Log-uniform: durations spread over orders of magnitude the way real ones do. */
  logBetween(min: number, max: number): number {
    return Math.round(min * Math.pow(max / min, this.next()));
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

interface Weighted<T> {
  values: readonly T[];
  cumulative: readonly number[];
}

/** `{ value: weight }`; string keys keep their written order. */
function weighted<T extends string>(table: Record<T, number>): Weighted<T> {
  let sum = 0;
  const entries = Object.entries(table) as [T, number][];
  return { values: entries.map((e) => e[0]), cumulative: entries.map((e) => (sum += e[1])) };
}

/** The same table with only the values `keep` accepts, their weights unchanged. */
function only<T>(w: Weighted<T>, keep: (value: T) => boolean): Weighted<T> {
  let sum = 0;
  const values: T[] = [];
  const cumulative: number[] = [];
  w.values.forEach((v, i) => {
    if (!keep(v)) return;
    values.push(v);
    cumulative.push((sum += (w.cumulative[i] ?? 0) - (w.cumulative[i - 1] ?? 0)));
  });
  return { values, cumulative };
}

function pickWeighted<T>(rng: Rng, w: Weighted<T>): T {
  const r = rng.next() * (w.cumulative[w.cumulative.length - 1] ?? 0);
  let i = 0;
  while (i < w.cumulative.length - 1 && r >= (w.cumulative[i] ?? 0)) i++;
  return w.values[i] as T;
}

function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_CODES = Array.from(B64URL, (c) => c.charCodeAt(0));
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/**
 * OpenSearch auto ids (TimeBasedUUIDGenerator): 15 bytes — a 24-bit sequence, the 48-bit timestamp and the
 * node's MAC, interleaved — as 20 base64url characters. The sequence alone makes the first 2^24 ids unique.
 */
class IdGen {
  private seq: number;
  private readonly bytes = new Uint8Array(15);
  private readonly codes = new Array<number>(20);

  constructor(rng: Rng) {
    this.seq = rng.int(0x1000000);
  }

  next(timestamp: number, mac: Uint8Array): string {
    const b = this.bytes;
    const seq = (this.seq = (this.seq + 1) & 0xffffff);
    const high = Math.floor(timestamp / 0x10000);
    b[0] = seq;
    b[1] = seq >>> 16;
    b[2] = high;
    b[3] = high >>> 8;
    b[4] = high >>> 16;
    b[5] = high >>> 24;
    b.set(mac, 6);
    b[12] = Math.floor(timestamp / 0x100);
    b[13] = seq >>> 8;
    b[14] = timestamp % 0x100;
    encodeBase64Url(b, this.codes);
    return String.fromCharCode(...this.codes);
  }
}

function encodeBase64Url(bytes: Uint8Array, codes: number[]): void {
  let c = 0;
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    codes[c++] = B64_CODES[(n >>> 18) & 63] ?? 0;
    codes[c++] = B64_CODES[(n >>> 12) & 63] ?? 0;
    codes[c++] = B64_CODES[(n >>> 6) & 63] ?? 0;
    codes[c++] = B64_CODES[n & 63] ?? 0;
  }
}

/** Node ids are 16 random bytes in unpadded base64url: 22 characters, the last one of A, Q, g, w. */
function randomNodeId(rng: Rng): string {
  return rng.chars(B64URL, 21) + rng.pick(['A', 'Q', 'g', 'w']);
}

// ---------------------------------------------------------------------------------------------------------
// String pools. Hostile entries prove that the console renders everything as text.

const XSS_SCRIPT = "<script>alert('x')</script>";
const XSS_IMG = '<img src=x onerror=alert(1)>';
const XSS_ATTR = '"><b>bold</b>';

// Java stack traces are the long, multi-line errors real clusters produce (and `<init>` looks like a tag).
const STACK_TRACE = [
  'java.lang.IllegalArgumentException: Failed to load model sentence-transformers_all-mpnet-base-v2',
  '\tat org.opensearch.ml.engine.algorithms.DLModel.loadModel(DLModel.java:247)',
  '\tat org.opensearch.ml.engine.algorithms.DLModel.lambda$loadModel$1(DLModel.java:281)',
  '\tat java.base/java.security.AccessController.doPrivileged(AccessController.java:571)',
  '\tat org.opensearch.ml.engine.algorithms.DLModel.loadModel(DLModel.java:187)',
  '\tat org.opensearch.ml.engine.algorithms.DLModel.initModel(DLModel.java:139)',
  '\tat org.opensearch.ml.engine.MLEngine.deploy(MLEngine.java:136)',
  '\tat org.opensearch.ml.model.MLModelManager.lambda$deployModel$52(MLModelManager.java:1106)',
  '\tat org.opensearch.core.action.ActionListener$1.onResponse(ActionListener.java:82)',
  '\tat org.opensearch.ml.model.MLModelManager.lambda$retrieveModelChunks$71(MLModelManager.java:1542)',
  '\tat org.opensearch.common.util.concurrent.ThreadContext$ContextPreservingRunnable.run(ThreadContext.java:882)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)',
  '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
  'Caused by: ai.djl.engine.EngineException: Failed to load PyTorch native library',
  '\tat ai.djl.pytorch.engine.PtEngine.newInstance(PtEngine.java:85)',
  '\tat ai.djl.pytorch.engine.PtEngineProvider.getEngine(PtEngineProvider.java:40)',
  '\tat ai.djl.engine.Engine.getEngine(Engine.java:190)',
  '\tat ai.djl.pytorch.jni.JniUtils.<clinit>(JniUtils.java:67)',
  '\tat ai.djl.pytorch.engine.PtNDManager.<init>(PtNDManager.java:43)',
  '\t... 23 more',
  'Caused by: java.lang.UnsatisfiedLinkError: /usr/share/opensearch/data/djl/pytorch/1.13.1-cpu-precxx11-linux-x86_64/libtorch_cpu.so: libgomp.so.1: cannot open shared object file: No such file or directory',
  '\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)',
  '\tat java.base/jdk.internal.loader.NativeLibraries$NativeLibraryImpl.open(NativeLibraries.java:331)',
  '\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2422)',
  '\tat java.base/java.lang.System.load(System.java:2023)',
  '\tat ai.djl.pytorch.jni.LibUtils.loadNativeLibrary(LibUtils.java:391)',
  '\t... 27 more',
].join('\n');

const ARTIFACTS = 'https://artifacts.opensearch.org/models/ml-models/huggingface/sentence-transformers';

const REGISTER_ERRORS = weighted<string>({
  'Model size exceeds the limit': 10,
  [`Failed to download model from url ${ARTIFACTS}/all-mpnet-base-v2/1.0.1/torch_script/sentence-transformers_all-mpnet-base-v2-1.0.1-torch_script.zip: java.net.SocketTimeoutException: Read timed out`]: 14,
  "model content hash can't match original hash value": 12,
  "URL can't match trusted url regex": 6,
  'This model is not in the pre-trained model list, please check your parameters.': 8,
  'Native Memory Circuit Breaker is open, please check your resources!': 8,
  'Disk Circuit Breaker is open, please check your resources!': 4,
  'Failed to find model group with the provided model group id: {id}': 5,
  'Exceed max local model per node limit': 4,
  'Connection refused: artifacts.internal.example.com/10.0.3.{octet}:443': 5,
  // The sync-up job's own text (TransportSyncUpOnNodeAction) for a register its node held past the timeout.
  'timeout after 600 seconds': 9,
  [STACK_TRACE]: 2,
  [XSS_SCRIPT]: 1,
  [XSS_ATTR]: 1,
});

const REMOTE_REGISTER_ERRORS = weighted<string>({
  'Failed to find connector with the provided connector id: {id}': 6,
  'Connector endpoint is required when creating a remote model without connector id': 2,
  "Connector URL can't match trusted endpoints regex: https://api.internal-llm.example.com/v1/embeddings": 3,
  'Model with the same name already exists: openai-embeddings-prod': 2,
  [XSS_IMG]: 1,
});

/** Per-node messages: DEPLOY_MODEL and LOAD_MODEL failures store a JSON string of {nodeId: message}. */
const DEPLOY_NODE_ERRORS = weighted<string>({
  'Native Memory Circuit Breaker is open, please check your resources!': 20,
  'Memory Circuit Breaker is open, please check your resources!': 10,
  'Disk Circuit Breaker is open, please check your resources!': 3,
  'Exceed max local model per node limit': 6,
  'ai.djl.engine.EngineException: Failed to load PyTorch native library': 4,
  'java.lang.OutOfMemoryError: Java heap space': 3,
  '[opensearch-ml-2][10.0.3.12:9300][cluster:admin/opensearch/mlinternal/deploy] disconnected': 4,
  'Failed to retrieve model chunk {chunk} of 9': 2,
  '[parent] Data too large, data for [<transport_request>] would be [{bytes}], which is larger than the limit of [1020054732/972.7mb], real usage: [{bytes}], new bytes reserved: [0/0b], usages [request=0/0b, fielddata=0/0b, in_flight_requests=0/0b]': 5,
  [STACK_TRACE]: 1,
  [XSS_IMG]: 1,
});

const TRAINING_ERRORS = weighted<string>({
  'no such index [iris_data]': 12,
  'timeout after 600 seconds': 8,
  'Empty data frame': 6,
  'Failed to parse training data: column [petal_length_in_cm] is not numeric': 6,
  'centroids must be a positive number': 3,
  'java.lang.IllegalArgumentException: Unsupported input data type: TEXT_DOCS': 3,
  'Ungültige Eingabe: Spalte „Preis“ enthält nicht-numerische Werte 🚫 (データ型エラー)': 1,
  [XSS_ATTR]: 1,
});

const BATCH_INGEST_ERRORS = weighted<string>({
  'batch ingestion successful rate is {rate}': 13,
  'batch ingestion successful rate is 0': 6,
  'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: {request}, Extended Request ID: hR1f7...)': 6,
  "No results for path: $['SageMakerOutput']": 5,
  'no such index [products-embedded]': 4,
  'Access Denied (Service: S3, Status Code: 403, Request ID: {request})': 3,
  'timeout after 600 seconds': 4,
  [XSS_SCRIPT]: 1,
});

const UNREACHABLE_ERRORS = weighted<string>({
  'Error from remote service: {"message":"The security token included in the request is expired"}': 5,
  'Connection timed out: runtime.sagemaker.us-east-1.amazonaws.com/52.94.225.{octet}:443': 3,
  'Error from remote service: {"error":{"message":"Incorrect API key provided: sk-proj-****3fQa.","type":"invalid_request_error"}}': 3,
});

const AGENT_ERRORS = weighted<string>({
  'Error from remote service: {"message":"Too many requests, please wait before trying again."}': 10,
  'Failed to run the tool VectorDBTool with the error message no such index [product-catalog].': 6,
  'Agent reached maximum iterations (10) without completing the task': 5,
  'Failed to find model with the provided model id: {id}': 3,
  'Error from remote service: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}': 4,
  [STACK_TRACE]: 1,
  [XSS_SCRIPT]: 1,
});

/** Flow agents answer with `result` text, conversational ones with a `dataAsMap`. */
function answer(result: string | Record<string, unknown>): unknown[] {
  return [
    {
      output: [
        typeof result === 'string' ? { name: 'response', result } : { name: 'response', dataAsMap: result },
      ],
    },
  ];
}

const AGENT_ANSWERS = frozen([
  answer(
    'The three most returned products last week were the X200 headset, the Nova dock and the T14 charger.',
  ),
  answer('No documents in the index match the question.'),
  answer({
    response: 'Cluster health is YELLOW: 2 replica shards of index logs-2025.06 are unassigned.',
    additional_info: { tool_used: 'ListIndexTool', iterations: 3 },
  }),
  answer('## Summary\n\n1. Latency rose at 14:05\n2. Error rate peaked at 3.2%\n\n```\nGET /_cat/nodes\n```'),
  answer(`Here is the HTML you asked for: ${XSS_SCRIPT}`),
]);

const AGENT_NO_OUTPUT = 'No output found from agent execution';

// ---------------------------------------------------------------------------------------------------------
// Task mix.

type TaskKind =
  'REGISTER_MODEL' | 'DEPLOY_MODEL' | 'BATCH_PREDICTION' | 'AGENT_EXECUTION' | 'TRAINING' | 'BATCH_INGEST';

const TYPE_WEIGHTS = weighted<TaskKind>({
  REGISTER_MODEL: 33,
  DEPLOY_MODEL: 36,
  AGENT_EXECUTION: 10,
  BATCH_PREDICTION: 9,
  TRAINING: 7,
  BATCH_INGEST: 5,
});

// How tasks end, per type: the whole finished mix is ~79% COMPLETED, ~16% FAILED, a few rarer states.
// Whether a task is still CREATED/RUNNING follows from its age and its type's duration (see `settle`).
const OUTCOME_WEIGHTS: Record<TaskKind, Weighted<string>> = {
  REGISTER_MODEL: weighted({ COMPLETED: 83, FAILED: 17 }),
  DEPLOY_MODEL: weighted({ COMPLETED: 80, FAILED: 14, COMPLETED_WITH_ERROR: 6 }),
  TRAINING: weighted({ COMPLETED: 78, FAILED: 22 }),
  BATCH_INGEST: weighted({ COMPLETED: 72, FAILED: 28 }),
  BATCH_PREDICTION: weighted({ COMPLETED: 58, FAILED: 14, CANCELLED: 12, EXPIRED: 8, UNREACHABLE: 8 }),
  AGENT_EXECUTION: weighted({ COMPLETED: 84, FAILED: 16 }),
};

/** Time spent CREATED before a task starts running (batch ingestion and agent runs stay CREATED). */
const QUEUE_TIMES: Record<TaskKind, readonly [number, number]> = {
  REGISTER_MODEL: [200, 20 * SECOND],
  DEPLOY_MODEL: [100, 5 * SECOND],
  TRAINING: [100, 30 * SECOND],
  BATCH_INGEST: [0, 0],
  BATCH_PREDICTION: [30 * SECOND, 15 * MINUTE],
  AGENT_EXECUTION: [0, 0],
};

/**
 * Stuck tasks: still CREATED, RUNNING or CANCELLING long after they should have finished. Each kind is one a triage
 * must find: held by no node since its node restarted (a deploy, a register, a training, a batch ingestion), its
 * worker left the cluster ("… gone": the departed node), a batch job nobody polls any more, an agent run that never
 * wrote a result. ~0.05% of tasks, and from 1,000 tasks on at least one of each kind the release has, in this order.
 */
const STUCK_FIRST = [
  'DEPLOY_MODEL RUNNING',
  'REGISTER_MODEL CREATED',
  'BATCH_PREDICTION CANCELLING',
  'REGISTER_MODEL RUNNING gone',
  'BATCH_PREDICTION RUNNING',
  'AGENT_EXECUTION CREATED',
  'TRAINING RUNNING gone',
  'BATCH_INGEST CREATED',
];
const STUCK_KINDS = weighted({
  'DEPLOY_MODEL RUNNING': 30,
  'REGISTER_MODEL CREATED': 15,
  'REGISTER_MODEL RUNNING': 15,
  'REGISTER_MODEL RUNNING gone': 5,
  'BATCH_PREDICTION RUNNING': 15,
  'BATCH_PREDICTION CANCELLING': 8,
  'TRAINING RUNNING': 7,
  'TRAINING RUNNING gone': 3,
  'BATCH_INGEST CREATED': 10,
  'AGENT_EXECUTION CREATED': 8,
});
/** Stuck tasks are at least this old; batch predictions, which may legitimately run ~20 h, at least two days. */
const STUCK_MIN_AGE = 6 * HOUR;
const STUCK_BATCH_MIN_AGE = 2 * DAY;

function stuckCount(modern: number, kinds: number): number {
  if (modern < 100) return 0;
  if (modern < 1000) return 1;
  return Math.max(kinds, Math.round(modern * 0.0005));
}

const MODEL_FUNCTIONS = weighted({ TEXT_EMBEDDING: 45, REMOTE: 35, SPARSE_ENCODING: 12, TEXT_SIMILARITY: 8 });
const TRAINING_FUNCTIONS = weighted({
  KMEANS: 35,
  LINEAR_REGRESSION: 20,
  BATCH_RCF: 15,
  FIT_RCF: 15,
  LOGISTIC_REGRESSION: 15,
});
const TRAINING_INPUTS = weighted({ SEARCH_QUERY: 60, DATA_FRAME: 40 });

type Provider = 'sagemaker' | 'bedrock' | 'openai' | 'other';
const PROVIDERS = weighted<Provider>({ sagemaker: 25, bedrock: 30, openai: 25, other: 20 });

const SAGEMAKER_STATUS: Record<string, string> = {
  RUNNING: 'InProgress',
  UNREACHABLE: 'InProgress',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLING: 'Stopping',
  CANCELLED: 'Stopped',
};
const BEDROCK_STATUS: Record<string, string> = { ...SAGEMAKER_STATUS, EXPIRED: 'Expired' };
const OPENAI_STATUS: Record<string, string> = {
  CREATED: 'validating',
  RUNNING: 'in_progress',
  UNREACHABLE: 'in_progress',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLING: 'cancelling',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
};
const SAGEMAKER_FAILURES = [
  'AlgorithmError: See job logs for more information',
  'ClientError: Access Denied for s3://acme-ml-batch/input/products-2025-06.jsonl',
  'InternalServerError: We encountered an internal error. Please try again.',
];
const AWS_ACCOUNT = '123456789012';
const AWS_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

interface Node {
  id: string;
  mac: Uint8Array;
  /** Shared `[id]`, the worker_node of single-node tasks. */
  alone: string[];
}

// One cluster whatever the data seed, so that tasks generated separately (live activity) share its nodes.
const CLUSTER_RNG = new Rng(0x0c1a55e5);
const NODES: Node[] = Array.from({ length: 10 }, () => {
  const id = randomNodeId(CLUSTER_RNG);
  const mac = Uint8Array.from({ length: 6 }, () => CLUSTER_RNG.int(256));
  return { id, mac, alone: frozen([id]) };
});
const CURRENT_NODES = NODES.slice(0, 6);
/**
 * An ML node that left the cluster (drained and replaced, or lost) while it worked on tasks: absent from `_nodes`,
 * its tasks stranded. Generated last, so the other nodes are what they always were.
 */
const DEPARTED_NODE = NODES[9]!;
/** ML-eligible nodes (DEPLOY_MODEL's worker_node) before and after a fourth ML node joined at SCALE_OUT_AGE. */
const ML_NODES: [Node[], Node[]] = [CURRENT_NODES.slice(0, 3), CURRENT_NODES.slice(0, 4)];
const ML_NODE_IDS: [string[], string[]] = [frozen(nodeIds(ML_NODES[0])), frozen(nodeIds(ML_NODES[1]))];
/** The 2.4 cluster's nodes (since replaced), then the 2.5–2.6 one; 2.4 stored LOAD_MODEL nodes comma-joined. */
const LEGACY_NODES: [Node[], Node[]] = [NODES.slice(6), [NODES[7], NODES[8], NODES[0]] as Node[]];
const LEGACY_LOAD_WORKERS: [string, string[]] = [
  nodeIds(LEGACY_NODES[0]).join(','),
  frozen(nodeIds(LEGACY_NODES[1])),
];

function nodeIds(nodes: Node[]): string[] {
  return nodes.map((n) => n.id);
}

/**
 * What one ML Commons release can write, as the generator needs it: which task kinds, outcomes, stuck kinds and
 * functions occur, what the register and deploy types are called, and how `worker_node` is stored. Every table keeps
 * the newest release's weights, so that the newest release's data stays what it always was.
 */
interface Vocabulary {
  release: Release;
  typeWeights: Weighted<TaskKind>;
  outcomes: Record<TaskKind, Weighted<string>>;
  stuckFirst: string[];
  stuckKinds: Weighted<string>;
  modelFunctions: Weighted<string>;
  trainingFunctions: Weighted<string>;
  /** CANCELLING exists (2.18): before it, a batch job being cancelled still reads RUNNING. */
  cancelling: boolean;
  remote: boolean;
  /** Before 2.7 REGISTER_MODEL and DEPLOY_MODEL were UPLOAD_MODEL and LOAD_MODEL. */
  legacyNames: boolean;
  /** Up to 2.4 `worker_node` was one string, several nodes comma-joined. */
  stringWorkerNode: boolean;
  /** Model groups (2.8): before them a model keeps the version it was registered with. */
  modelGroups: boolean;
  /** Models the user may not read (model access control, 2.8). */
  unreadableModels: boolean;
  /** Held tasks time out (2.5): "timeout after 600 seconds" is among the failures. */
  taskTimeout: boolean;
}

const LEGACY_TASK_TYPE: Record<string, string> = {
  REGISTER_MODEL: 'UPLOAD_MODEL',
  DEPLOY_MODEL: 'LOAD_MODEL',
};

const VOCABULARIES = new Map<string, Vocabulary>();

/** A release from its text (`2.11.0`, `2.11`) or itself; a malformed one throws. */
export function seedRelease(version: Release | string = NEWEST_RELEASE): Release {
  const r = typeof version === 'string' ? parseRelease(version) : version;
  if (!r) throw new RangeError(`not an ML Commons release: ${JSON.stringify(version)}`);
  return r;
}

function vocabularyOf(version: Release | string | undefined): Vocabulary {
  const release = seedRelease(version);
  const key = formatRelease(release);
  let v = VOCABULARIES.get(key);
  if (v) return v;
  const types = new Set(taskTypesOf(release));
  const states = new Set(taskStatesOf(release));
  const functions = new Set(functionNamesOf(release));
  // REGISTER_MODEL and DEPLOY_MODEL stand for UPLOAD_MODEL and LOAD_MODEL before 2.7: those kinds always exist.
  const hasKind = (kind: string): boolean => types.has(kind) || LEGACY_TASK_TYPE[kind] !== undefined;
  const hasStuck = (k: string): boolean => {
    const [type, state] = k.split(' ') as [string, string];
    return hasKind(type) && states.has(state);
  };
  const outcomes = Object.fromEntries(
    Object.entries(OUTCOME_WEIGHTS).map(([kind, w]) => [kind, only(w, (s) => states.has(s))]),
  ) as Record<TaskKind, Weighted<string>>;
  v = {
    release,
    typeWeights: only(TYPE_WEIGHTS, hasKind),
    outcomes,
    stuckFirst: STUCK_FIRST.filter(hasStuck),
    stuckKinds: only(STUCK_KINDS, hasStuck),
    modelFunctions: only(MODEL_FUNCTIONS, (f) => functions.has(f)),
    trainingFunctions: only(TRAINING_FUNCTIONS, (f) => functions.has(f)),
    cancelling: states.has('CANCELLING'),
    remote: functions.has('REMOTE'),
    legacyNames: !types.has('REGISTER_MODEL'),
    stringWorkerNode: writesStringWorkerNode(release),
    modelGroups: modelFieldWrittenBy(release, 'model_group_id'),
    unreadableModels: isAtLeast(release, '2.8.0'),
    taskTimeout: isAtLeast(release, '2.5.0'),
  };
  VOCABULARIES.set(key, v);
  return v;
}

/** A task as `release` writes it: the pre-2.7 type names, and pre-2.5 a single-string `worker_node`. */
function taskAsWrittenBy(doc: SeedDoc<MlTask>, v: Vocabulary): SeedDoc<MlTask> {
  const t = doc._source;
  const type = v.legacyNames ? LEGACY_TASK_TYPE[t.task_type ?? ''] : undefined;
  const stringify = v.stringWorkerNode && Array.isArray(t.worker_node);
  if (type === undefined && !stringify) return doc;
  const source: MlTask = { ...t };
  if (type !== undefined) source.task_type = type;
  if (stringify) source.worker_node = (t.worker_node as string[]).join(',');
  return { _id: doc._id, _source: source };
}

/** Modern model states in the upload/load vocabulary that 2.4 – 2.6 wrote. */
const LEGACY_MODEL_STATE: Record<string, string> = {
  REGISTERING: 'UPLOADING',
  REGISTERED: 'UPLOADED',
  DEPLOYING: 'LOADING',
  DEPLOYED: 'LOADED',
  PARTIALLY_DEPLOYED: 'PARTIALLY_LOADED',
  UNDEPLOYED: 'UNLOADED',
  DEPLOY_FAILED: 'LOAD_FAILED',
};
const LEGACY_MODEL_FIELD: Record<string, string> = {
  last_registered_time: 'last_uploaded_time',
  last_deployed_time: 'last_loaded_time',
  last_undeployed_time: 'last_unloaded_time',
};

/**
 * A model as `version` writes it: before 2.7 the upload/load states and time fields, and only the fields the
 * release has (2.4 fell back to UPLOADED where later releases say LOAD_FAILED). The stand-in's `is_hidden` marker
 * (a model this user may not read) is kept. The same object when nothing changes.
 */
export function modelAsWrittenBy(model: MlModel, version?: Release | string): MlModel {
  const r = seedRelease(version);
  const legacy = !isAtLeast(r, '2.7.0');
  const states = modelStatesOf(r);
  let state = model.model_state;
  if (legacy && state !== undefined) state = LEGACY_MODEL_STATE[state] ?? state;
  if (state !== undefined && !states.includes(state)) state = 'UPLOADED';
  const keys = Object.keys(model);
  const rename = (k: string): string => (legacy ? (LEGACY_MODEL_FIELD[k] ?? k) : k);
  const keeps = (k: string): boolean => k === 'is_hidden' || modelFieldWrittenBy(r, rename(k));
  if (state === model.model_state && keys.every((k) => rename(k) === k && keeps(k))) return model;
  const out: MlModel = {};
  for (const k of keys) {
    if (!keeps(k)) continue;
    out[rename(k)] = k === 'model_state' ? state : model[k];
  }
  return out;
}

/** Modern models known to the generator; parallel arrays keep a million-task run compact. */
interface ModelPool {
  ids: string[];
  functionNames: string[];
  availableAt: number[];
  /** Remote models' provider; null for local ones. */
  provider: (Provider | null)[];
}

class TaskGenerator {
  private readonly rng: Rng;
  private readonly ids: IdGen;
  private readonly models: ModelPool = { ids: [], functionNames: [], availableAt: [], provider: [] };
  /** Registered models wait here until their register task has finished. */
  private readonly pending: number[] = [];
  private pendingHead = 0;
  private readonly deployable: number[] = [];
  private readonly batchable: number[] = [];
  private readonly legacyModels: string[] = [];
  private readonly memories: string[] = [];
  private readonly deployErrors = new Map<string, string>();
  /** The task being built is a stuck one whose worker has left the cluster since. */
  private workerGone = false;
  /** Fills the placeholders of error texts: its own stream, so that texts never shift the data's. */
  private readonly texts: Rng;
  private readonly variants = new Map<string, string[]>();
  /** What `settle` decided for the task being built. */
  private state = '';
  private lastUpdate = 0;

  constructor(
    seed: number,
    private readonly now: number,
    private readonly v: Vocabulary,
  ) {
    this.rng = new Rng(seed);
    this.ids = new IdGen(this.rng);
    this.texts = new Rng(seed ^ 0x7e47e47);
  }

  /**
   * An error text from `table`, its placeholders filled in one of a few ways per template (ids, numbers, nodes,
   * hosts), so that failures of one cause differ only in those: what grouping by normalised cause must see through.
   * The timeout's text only where the release has the timeout.
   */
  private error(table: Weighted<string>): string {
    let template = pickWeighted(this.rng, table);
    while (!this.v.taskTimeout && template.startsWith('timeout after'))
      template = pickWeighted(this.rng, table);
    if (!template.includes('{')) return template;
    let list = this.variants.get(template);
    if (!list) this.variants.set(template, (list = []));
    if (list.length < 4 && (list.length === 0 || this.texts.chance(0.5))) list.push(this.fill(template));
    return list[this.texts.int(list.length)]!;
  }

  private fill(template: string): string {
    const t = this.texts;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      switch (name) {
        case 'id':
          return t.chars(B64URL, 20);
        case 'chunk':
          return String(1 + t.int(9));
        case 'octet':
          return String(11 + t.int(40));
        case 'rate':
          return t.pick(['87.5', '33.33', '62.5', '91.67', '12.5']);
        case 'request':
          return t.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16);
        case 'bytes': {
          const used = 1_020_000_000 + t.int(60_000_000);
          return `${used}/${(used / 1_048_576).toFixed(1)}mb`;
        }
        case 'node':
          return t.pick(CURRENT_NODES).id;
        case 'retry':
          return String(5 + t.int(55));
        default:
          return name;
      }
    });
  }

  generate(count: number): SeedDoc<MlTask>[] {
    const docs: SeedDoc<MlTask>[] = [];
    const legacyCount = Math.round(count * 0.006);
    const legacyTimes = this.times(legacyCount, this.now - LEGACY_OLDEST_AGE, this.now - LEGACY_NEWEST_AGE);
    for (const t of legacyTimes) docs.push(this.legacyTask(t));

    this.seedModels(Math.max(4, Math.round(count * 0.004)));
    const times = this.times(count - legacyCount, this.now - WINDOW, this.now);
    const stuck = this.pickStuck(times, stuckCount(times.length, this.v.stuckFirst.length));
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as number;
      this.release(t);
      const kind = stuck.get(i);
      if (kind !== undefined) {
        const [type, state, gone] = kind.split(' ') as [TaskKind, string, string | undefined];
        this.workerGone = gone !== undefined;
        docs.push(this.task(type, state, true, t));
        this.workerGone = false;
      } else {
        const type = pickWeighted(this.rng, this.v.typeWeights);
        docs.push(this.task(type, pickWeighted(this.rng, this.v.outcomes[type]), false, t));
      }
    }
    return docs.map((d) => taskAsWrittenBy(d, this.v));
  }

  /** Which of the (sorted) creation times become stuck tasks, and of which kind ("TYPE STATE"). */
  private pickStuck(times: Float64Array, count: number): Map<number, string> {
    const before = (age: number): number => {
      let i = 0;
      while (i < times.length && (times[i] as number) <= this.now - age) i++;
      return i;
    };
    const old = before(STUCK_MIN_AGE);
    const older = before(STUCK_BATCH_MIN_AGE);
    const chosen = new Map<number, string>();
    for (let attempt = 0; chosen.size < count && attempt < 20 * count; attempt++) {
      const kind = this.v.stuckFirst[chosen.size] ?? pickWeighted(this.rng, this.v.stuckKinds);
      const candidates = kind.startsWith('BATCH_PREDICTION') ? older : old;
      if (candidates === 0) continue;
      const i = this.rng.int(candidates);
      if (!chosen.has(i)) chosen.set(i, kind);
    }
    return chosen;
  }

  /** Sorted creation times with a daily and weekly rhythm (rejection sampling, busiest mid-afternoon UTC). */
  private times(count: number, from: number, to: number): Float64Array {
    const out = new Float64Array(count);
    for (let i = 0; i < count;) {
      const t = from + this.rng.next() * (to - from);
      const hour = (t / HOUR) % 24;
      const weekday = Math.floor(t / DAY + 4) % 7;
      let rate = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24));
      if (weekday === 0 || weekday === 6) rate *= 0.45;
      if (this.rng.next() < rate) out[i++] = Math.floor(t);
    }
    return out.sort();
  }

  /** Models registered before the window (their register tasks long deleted); two remote ones can batch. */
  private seedModels(count: number): void {
    for (let i = 0; i < count; i++) {
      const registered = this.now - WINDOW - this.rng.logBetween(DAY, 120 * DAY);
      const fn = i < 2 && this.v.remote ? 'REMOTE' : pickWeighted(this.rng, this.v.modelFunctions);
      const provider = i === 0 ? 'sagemaker' : i === 1 ? 'openai' : undefined;
      this.pending.push(this.addModel(registered, registered, this.rng.pick(CURRENT_NODES), fn, provider));
    }
    this.release(this.now - WINDOW);
  }

  private addModel(
    createdAt: number,
    availableAt: number,
    node: Node,
    fn: string,
    provider?: Provider,
  ): number {
    const m = this.models;
    m.ids.push(this.ids.next(createdAt, node.mac));
    m.functionNames.push(fn);
    m.availableAt.push(availableAt);
    m.provider.push(fn === 'REMOTE' ? (provider ?? pickWeighted(this.rng, PROVIDERS)) : null);
    return m.ids.length - 1;
  }

  /** Models become usable once their register task has finished. */
  private release(t: number): void {
    const m = this.models;
    while (this.pendingHead < this.pending.length) {
      const index = this.pending[this.pendingHead] as number;
      if ((m.availableAt[index] as number) > t) break;
      this.pendingHead++;
      this.deployable.push(index);
      const provider = m.provider[index];
      if (provider && provider !== 'other') this.batchable.push(index);
    }
  }

  /** Mostly a model registered moments ago (register, then deploy), sometimes any older one (redeploys). */
  private pickModel(pool: number[]): number {
    const recent = Math.min(pool.length, 8);
    return this.rng.chance(0.6)
      ? (pool[pool.length - 1 - this.rng.int(recent)] as number)
      : (pool[this.rng.int(pool.length)] as number);
  }

  /**
   * Where a task stands at `now`, into `state` and `lastUpdate` (no allocation per task): once `duration`
   * has passed, its planned `outcome`, ending then; before that CREATED (queued), RUNNING, or CANCELLING (a
   * batch job being cancelled). A stuck task's outcome is its active state, whatever its age.
   */
  private settle(type: TaskKind, outcome: string, stuck: boolean, create: number, duration: number): void {
    if (stuck) return this.stuckAt(type, outcome, create);
    const end = create + duration;
    if (end <= this.now) return this.settled(outcome, end);
    // Batch ingestion and agent runs are written CREATED and next when they end.
    if (type === 'BATCH_INGEST' || type === 'AGENT_EXECUTION') return this.settled('CREATED', create);
    const r = this.rng;
    const [min, max] = QUEUE_TIMES[type];
    const started = create + (max === 0 ? 0 : Math.min(duration - 1, r.logBetween(min, max)));
    if (started > this.now) return this.settled('CREATED', create);
    if (outcome === 'CANCELLED') {
      const cancelled = end - r.logBetween(MINUTE, 40 * MINUTE);
      if (this.v.cancelling && cancelled > started && cancelled <= this.now)
        return this.settled('CANCELLING', cancelled);
    }
    // A batch prediction's state is refreshed whenever someone reads the task; other tasks write it once.
    this.settled(
      'RUNNING',
      type === 'BATCH_PREDICTION' ? started + Math.floor((this.now - started) * r.next()) : started,
    );
  }

  /** Nothing has written a stuck task since shortly after it started (or, when CREATED, since it was created). */
  private stuckAt(type: TaskKind, state: string, create: number): void {
    if (state === 'CREATED') return this.settled(state, create);
    const r = this.rng;
    const gap =
      state === 'CANCELLING'
        ? r.logBetween(10 * MINUTE, 8 * HOUR)
        : type === 'BATCH_PREDICTION'
          ? r.logBetween(5 * MINUTE, 12 * HOUR)
          : r.logBetween(SECOND, 3 * MINUTE);
    this.settled(state, Math.min(this.now, create + gap));
  }

  private settled(state: string, lastUpdate: number): void {
    this.state = state;
    this.lastUpdate = lastUpdate;
  }

  private eligibleIndex(t: number): 0 | 1 {
    return t < this.now - SCALE_OUT_AGE ? 0 : 1;
  }

  /** One task created at `t`, heading for `outcome` (or, when `stuck`, stuck in that active state). */
  private task(type: TaskKind, outcome: string, stuck: boolean, t: number): SeedDoc<MlTask> {
    switch (type) {
      case 'REGISTER_MODEL':
        return this.register(outcome, stuck, t);
      case 'DEPLOY_MODEL':
        return this.deploy(outcome, stuck, t);
      case 'TRAINING':
        return this.training(outcome, stuck, t);
      case 'BATCH_INGEST':
        return this.batchIngest(outcome, stuck, t);
      case 'BATCH_PREDICTION':
        return this.batchPredict(outcome, stuck, t);
      case 'AGENT_EXECUTION':
        return this.agent(outcome, stuck, t);
    }
  }

  private register(outcome: string, stuck: boolean, create_time: number): SeedDoc<MlTask> {
    const r = this.rng;
    const function_name = pickWeighted(r, this.v.modelFunctions);
    const remote = function_name === 'REMOTE';
    const picked = r.pick(ML_NODES[this.eligibleIndex(create_time)]);
    const node = this.workerGone ? DEPARTED_NODE : picked;
    const _id = this.ids.next(create_time, node.mac);
    const duration =
      outcome === 'FAILED'
        ? r.logBetween(300, 4 * MINUTE)
        : remote
          ? r.logBetween(120, 2500)
          : r.logBetween(15 * SECOND, 8 * MINUTE);
    this.settle('REGISTER_MODEL', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    if (state === 'COMPLETED') {
      const index = this.addModel(create_time, last_update_time, node, function_name);
      this.pending.push(index);
      const model_id = this.models.ids[index] as string;
      return {
        _id,
        _source: {
          model_id,
          task_type: 'REGISTER_MODEL',
          function_name,
          state,
          worker_node: node.alone,
          create_time,
          last_update_time,
          is_async: true,
        },
      };
    }
    const source: MlTask = {
      task_type: 'REGISTER_MODEL',
      function_name,
      state,
      worker_node: node.alone,
      create_time,
      last_update_time,
      is_async: true,
    };
    if (state === 'FAILED') source.error = this.error(remote ? REMOTE_REGISTER_ERRORS : REGISTER_ERRORS);
    return { _id, _source: source };
  }

  private deploy(outcome: string, stuck: boolean, createTime: number): SeedDoc<MlTask> {
    const r = this.rng;
    const index = this.pickModel(this.deployable);
    const model_id = this.models.ids[index] as string;
    const function_name = this.models.functionNames[index] as string;
    const create_time = Math.min(
      this.now,
      Math.max(createTime, (this.models.availableAt[index] as number) + SECOND),
    );
    const set = this.eligibleIndex(create_time);
    const coordinator = r.pick(ML_NODES[set]);
    const duration = function_name === 'REMOTE' ? r.logBetween(80, 1500) : r.logBetween(1500, 90 * SECOND);
    this.settle('DEPLOY_MODEL', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    const source: MlTask = {
      model_id,
      task_type: 'DEPLOY_MODEL',
      function_name,
      state,
      worker_node: ML_NODE_IDS[set],
      create_time,
      last_update_time,
      is_async: true,
    };
    if (state === 'FAILED' || state === 'COMPLETED_WITH_ERROR')
      source.error = this.nodeErrors(ML_NODES[set], state === 'FAILED');
    return { _id: this.ids.next(create_time, coordinator.mac), _source: source };
  }

  /** A JSON string of {nodeId: message}: every node on FAILED, some on COMPLETED_WITH_ERROR. Cached, so shared. */
  private nodeErrors(nodes: Node[], all: boolean): string {
    const r = this.rng;
    const full = (1 << nodes.length) - 1;
    const mask = all ? full : 1 + r.int(full - 1);
    const first = this.error(DEPLOY_NODE_ERRORS);
    // One incident usually hits every node the same way; sometimes the nodes disagree.
    const second = r.chance(0.15) ? this.error(DEPLOY_NODE_ERRORS) : first;
    const key = `${nodes.map((n) => n.id).join()}|${mask}|${first}|${second}`;
    let json = this.deployErrors.get(key);
    if (json === undefined) {
      const errors: Record<string, string> = {};
      nodes.forEach((n, i) => {
        if (mask & (1 << i)) errors[n.id] = i % 2 ? second : first;
      });
      json = JSON.stringify(errors);
      this.deployErrors.set(key, json);
    }
    return json;
  }

  private training(outcome: string, stuck: boolean, create_time: number): SeedDoc<MlTask> {
    const r = this.rng;
    const function_name = pickWeighted(r, this.v.trainingFunctions);
    const input_type = pickWeighted(r, TRAINING_INPUTS);
    const picked = r.pick(ML_NODES[this.eligibleIndex(create_time)]);
    const node = this.workerGone ? DEPARTED_NODE : picked;
    const _id = this.ids.next(create_time, node.mac);
    // Small data frames train in seconds, large search-query inputs (or RCF over many rows) for hours.
    const duration = r.logBetween(2 * SECOND, 2 * HOUR);
    this.settle('TRAINING', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    // A trained model's id is written once training completes, first among the fields as ML Commons writes it.
    const source: MlTask = {
      ...(state === 'COMPLETED' ? { model_id: this.ids.next(last_update_time, node.mac) } : {}),
      task_type: 'TRAINING',
      function_name,
      state,
      input_type,
      worker_node: node.alone,
      create_time,
      last_update_time,
      is_async: true,
    };
    if (state === 'FAILED') source.error = this.error(TRAINING_ERRORS);
    return { _id, _source: source };
  }

  private batchIngest(outcome: string, stuck: boolean, create_time: number): SeedDoc<MlTask> {
    const r = this.rng;
    const duration = r.logBetween(30 * SECOND, 3 * HOUR);
    this.settle('BATCH_INGEST', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    const source: MlTask = {
      task_type: 'BATCH_INGEST',
      state,
      create_time,
      last_update_time,
      is_async: true,
    };
    if (state === 'FAILED') source.error = this.error(BATCH_INGEST_ERRORS);
    return { _id: this.ids.next(create_time, r.pick(CURRENT_NODES).mac), _source: source };
  }

  private batchPredict(chosen: string, stuck: boolean, createTime: number): SeedDoc<MlTask> {
    const r = this.rng;
    const index = this.pickModel(this.batchable);
    const provider = this.models.provider[index] as Provider;
    // SageMaker transform jobs never expire.
    const outcome = chosen === 'EXPIRED' && provider === 'sagemaker' ? 'FAILED' : chosen;
    let create_time = Math.min(
      this.now,
      Math.max(createTime, (this.models.availableAt[index] as number) + SECOND),
    );
    let duration: number;
    if (outcome === 'EXPIRED') {
      // Provider batch windows are 24 h; the job expires once that passes.
      duration = DAY + r.logBetween(MINUTE, 2 * HOUR);
      create_time = Math.min(create_time, this.now - duration - r.int(HOUR));
    } else if (outcome === 'COMPLETED') duration = r.logBetween(8 * MINUTE, 20 * HOUR);
    else if (outcome === 'CANCELLED') duration = r.logBetween(3 * MINUTE, 8 * HOUR);
    else duration = r.logBetween(2 * MINUTE, 10 * HOUR);
    this.settle('BATCH_PREDICTION', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    const node = r.pick(CURRENT_NODES);
    const source: MlTask = {
      model_id: this.models.ids[index] as string,
      task_type: 'BATCH_PREDICTION',
      function_name: 'REMOTE',
      state,
      input_type: 'REMOTE',
      worker_node: node.alone,
      create_time,
      last_update_time,
      is_async: false,
      remote_job: this.remoteJob(provider, state, create_time),
    };
    if (state === 'UNREACHABLE') source.error = this.error(UNREACHABLE_ERRORS);
    return { _id: this.ids.next(create_time, node.mac), _source: source };
  }

  /** The provider's own job description, as ML Commons copies it from the status call (free-form). */
  private remoteJob(provider: Provider, state: string, createTime: number): Record<string, unknown> {
    const r = this.rng;
    const region = r.pick(AWS_REGIONS);
    const stamp = new Date(createTime).toISOString().slice(0, 19).replace(/[-:T]/g, '');
    let job: Record<string, unknown>;
    if (provider === 'sagemaker') {
      const name = `SM-offline-batch-transform-${stamp}`;
      const TransformJobArn = `arn:aws:sagemaker:${region}:${AWS_ACCOUNT}:transform-job/${name.toLowerCase()}`;
      if (state === 'CREATED') return { TransformJobArn };
      job = { TransformJobArn, TransformJobName: name, TransformJobStatus: SAGEMAKER_STATUS[state] };
      if (state === 'FAILED') job.FailureReason = r.pick(SAGEMAKER_FAILURES);
    } else if (provider === 'bedrock') {
      const jobArn = `arn:aws:bedrock:${region}:${AWS_ACCOUNT}:model-invocation-job/${r.chars(ALNUM, 12)}`;
      if (state === 'CREATED') return { jobArn };
      job = { jobArn, jobName: `titan-embed-catalog-${stamp}`, status: BEDROCK_STATUS[state] };
      if (state === 'FAILED')
        job.message = 'Input file s3://acme-ml-batch/input/catalog.jsonl has 12 malformed records';
    } else {
      const done = state === 'COMPLETED';
      job = {
        id: `batch_${r.chars(HEX, 24)}`,
        object: 'batch',
        endpoint: '/v1/embeddings',
        status: OPENAI_STATUS[state],
        input_file_id: `file-${r.chars(B64URL, 22)}`,
        output_file_id: done ? `file-${r.chars(B64URL, 22)}` : null,
        error_file_id: state === 'FAILED' ? `file-${r.chars(B64URL, 22)}` : null,
        completion_window: '24h',
        created_at: Math.floor(createTime / SECOND),
      };
    }
    if (state === 'UNREACHABLE') job.num_of_retries = 11;
    return job;
  }

  private agent(outcome: string, stuck: boolean, create_time: number): SeedDoc<MlTask> {
    const r = this.rng;
    const node = r.pick(CURRENT_NODES);
    const _id = this.ids.next(create_time, node.mac);
    const duration = outcome === 'FAILED' ? r.logBetween(300, 2 * MINUTE) : r.logBetween(1200, 4 * MINUTE);
    this.settle('AGENT_EXECUTION', outcome, stuck, create_time, duration);
    const { state, lastUpdate: last_update_time } = this;
    // An agent run writes its response when it ends: a running (or stranded) one has none.
    if (state === 'CREATED') {
      return {
        _id,
        _source: {
          task_type: 'AGENT_EXECUTION',
          function_name: 'AGENT',
          state,
          worker_node: node.alone,
          create_time,
          last_update_time,
          is_async: true,
        },
      };
    }
    // Conversational agents carry a memory (often reused across turns); flow agents have none.
    const response: Record<string, unknown> = {};
    if (r.chance(0.8)) {
      response.memory_id = this.memory(create_time, node);
      response.parent_interaction_id = this.ids.next(create_time, node.mac);
    }
    if (state === 'FAILED') response.error_message = this.error(AGENT_ERRORS);
    else if (state === 'COMPLETED') {
      if (r.chance(0.02)) response.error_message = AGENT_NO_OUTPUT;
      else response.inference_results = r.pick(AGENT_ANSWERS);
    }
    return {
      _id,
      _source: {
        task_type: 'AGENT_EXECUTION',
        function_name: 'AGENT',
        state,
        worker_node: node.alone,
        create_time,
        last_update_time,
        is_async: true,
        response,
      },
    };
  }

  private memory(t: number, node: Node): string {
    if (this.memories.length > 0 && this.rng.chance(0.5)) return this.rng.pick(this.memories);
    const id = this.ids.next(t, node.mac);
    if (this.memories.length < 4) this.memories.push(id);
    else this.memories[this.rng.int(4)] = id;
    return id;
  }

  /**
   * 2.4–2.6 documents: UPLOAD_MODEL / LOAD_MODEL. Up to 2.4 worker_node was one string, for LOAD_MODEL the
   * comma-joined eligible nodes (2.5+ readers split it on commas); from 2.5 it is an array.
   */
  private legacyTask(t: number): SeedDoc<MlTask> {
    const r = this.rng;
    // A 2.4 cluster has never been upgraded: all its documents are 2.4's.
    const pre25 = this.v.stringWorkerNode || t < this.now - LEGACY_25_AGE;
    const nodes = LEGACY_NODES[pre25 ? 0 : 1];
    const node = r.pick(nodes);
    const _id = this.ids.next(t, node.mac);
    const load = this.legacyModels.length > 0 && r.chance(0.45);
    if (load) {
      const state = pickWeighted(r, LEGACY_LOAD_STATES);
      const last_update_time = t + r.logBetween(2 * SECOND, 2 * MINUTE);
      const worker_node = LEGACY_LOAD_WORKERS[pre25 ? 0 : 1];
      const source: MlTask = {
        model_id: r.pick(this.legacyModels),
        task_type: 'LOAD_MODEL',
        function_name: 'TEXT_EMBEDDING',
        state,
        worker_node,
        create_time: t,
        last_update_time,
        is_async: true,
      };
      if (state !== 'COMPLETED') source.error = this.nodeErrors(nodes, state === 'FAILED');
      return { _id, _source: source };
    }
    const state = r.chance(0.82) ? 'COMPLETED' : 'FAILED';
    const last_update_time = t + r.logBetween(20 * SECOND, 6 * MINUTE);
    const worker_node = pre25 ? node.id : node.alone;
    if (state === 'COMPLETED') {
      const model_id = this.ids.next(t, node.mac);
      this.legacyModels.push(model_id);
      return {
        _id,
        _source: {
          model_id,
          task_type: 'UPLOAD_MODEL',
          function_name: 'TEXT_EMBEDDING',
          state,
          worker_node,
          create_time: t,
          last_update_time,
          is_async: true,
        },
      };
    }
    return {
      _id,
      _source: {
        task_type: 'UPLOAD_MODEL',
        function_name: 'TEXT_EMBEDDING',
        state,
        worker_node,
        create_time: t,
        last_update_time,
        error: this.error(REGISTER_ERRORS),
        is_async: true,
      },
    };
  }
}

const MAX_TASKS = 5_000_000;

const LEGACY_LOAD_STATES = weighted({ COMPLETED: 75, FAILED: 15, COMPLETED_WITH_ERROR: 10 });

/**
 * `count` task documents: ~0.6% legacy (2.4–2.6, well before the window), the rest created in the 30 days
 * before `now` (epoch ms). A task is still CREATED/RUNNING/CANCELLING only while its type's typical duration
 * has not passed (deploys seconds, registers minutes, batch jobs hours), except ~0.03% stuck ones (at least
 * three from 1,000 tasks on) that are hours or days old. Same arguments, same output.
 *
 * `version` (default: the newest release) is the ML Commons release the cluster runs: only the states, types,
 * functions and fields it has, in its spelling (UPLOAD_MODEL/LOAD_MODEL before 2.7, a string `worker_node` on 2.4).
 */
export function generateTasks(
  count: number,
  seed: number,
  now: number,
  version?: Release | string,
): SeedDoc<MlTask>[] {
  // A task takes up to three ids (task, model or memory, interaction); ids stay unique up to 2^24.
  if (!Number.isInteger(count) || count < 0 || count > MAX_TASKS) {
    throw new RangeError(`generateTasks: count must be an integer from 0 to ${MAX_TASKS}, got ${count}`);
  }
  if (!Number.isFinite(now))
    throw new RangeError(`generateTasks: now must be epoch milliseconds, got ${now}`);
  return withHostileErrors(new TaskGenerator(seed, now, vocabularyOf(version)).generate(count));
}

/**
 * However few tasks, and whatever the release: the two newest plain-text failures carry markup (a script, then an
 * image with a handler) unless some failure already does, so every data set proves the console renders it as text.
 */
function withHostileErrors(docs: SeedDoc<MlTask>[]): SeedDoc<MlTask>[] {
  const isMarkup = (error: unknown) => typeof error === 'string' && /<(script|img)\b/.test(error);
  if (docs.some((d) => isMarkup(d._source.error))) return docs;
  const plain = docs
    .filter((d) => typeof d._source.error === 'string' && !d._source.error.startsWith('{'))
    .sort((a, b) => (b._source.create_time ?? 0) - (a._source.create_time ?? 0));
  for (const [doc, markup] of [
    [plain[0], XSS_SCRIPT],
    [plain[1], XSS_IMG],
  ] as const) {
    if (doc) doc._source = { ...doc._source, error: `${markup} ${doc._source.error}` };
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------
// Models.

/** A model as the catalogue knows it: pre-trained (format, size, config) or remote (provider). */
interface CatalogEntry {
  name: string;
  description: string;
  version?: string;
  format?: 'TORCH_SCRIPT' | 'ONNX';
  size?: number;
  config?: Record<string, unknown>;
  provider?: Provider;
}

const MINILM_CONFIG = frozen({
  model_type: 'bert',
  embedding_dimension: 384,
  framework_type: 'SENTENCE_TRANSFORMERS',
  all_config:
    '{"_name_or_path":"nreimers/MiniLM-L6-H384-uncased","architectures":["BertModel"],"attention_probs_dropout_prob":0.1,"hidden_act":"gelu","hidden_size":384,"max_position_embeddings":512,"model_type":"bert","num_attention_heads":12,"num_hidden_layers":6,"vocab_size":30522}',
});
const DISTILBERT_CONFIG = frozen({
  model_type: 'distilbert',
  embedding_dimension: 768,
  framework_type: 'SENTENCE_TRANSFORMERS',
});

const SENTENCE_DESCRIPTION =
  'This is a sentence-transformers model: It maps sentences & paragraphs to a 384 dimensional dense vector space and can be used for tasks like clustering or semantic search.';

const TEXT_EMBEDDING_CATALOG: CatalogEntry[] = [
  {
    name: 'huggingface/sentence-transformers/all-MiniLM-L6-v2',
    version: '1.0.1',
    format: 'TORCH_SCRIPT',
    size: 91790008,
    description: SENTENCE_DESCRIPTION,
    config: MINILM_CONFIG,
  },
  {
    name: 'huggingface/sentence-transformers/all-MiniLM-L6-v2',
    version: '1.0.1',
    format: 'ONNX',
    size: 91717158,
    description: SENTENCE_DESCRIPTION,
    config: MINILM_CONFIG,
  },
  {
    name: 'huggingface/sentence-transformers/all-mpnet-base-v2',
    version: '1.0.1',
    format: 'TORCH_SCRIPT',
    size: 438013432,
    description:
      'This is a sentence-transformers model: It maps sentences & paragraphs to a 768 dimensional dense vector space and can be used for tasks like clustering or semantic search.',
    config: frozen({
      model_type: 'mpnet',
      embedding_dimension: 768,
      framework_type: 'SENTENCE_TRANSFORMERS',
    }),
  },
  {
    name: 'huggingface/sentence-transformers/msmarco-distilbert-base-tas-b',
    version: '1.0.2',
    format: 'ONNX',
    size: 266352827,
    description:
      'This is a port of the DistilBert TAS-B Model to sentence-transformers model: It maps sentences & paragraphs to a 768 dimensional dense vector space and is optimized for the task of semantic search.',
    config: DISTILBERT_CONFIG,
  },
  {
    name: 'acme/product-embeddings',
    version: '3.2.0',
    format: 'ONNX',
    size: 1340591104,
    description: `Fine-tuned on the product catalogue. ${XSS_IMG}`,
    config: frozen({
      model_type: 'roberta',
      embedding_dimension: 1024,
      framework_type: 'HUGGINGFACE_TRANSFORMERS',
      pooling_mode: 'MEAN',
      normalize_result: true,
    }),
  },
];

const LOCAL_CATALOG: Record<string, CatalogEntry[]> = {
  TEXT_EMBEDDING: TEXT_EMBEDDING_CATALOG,
  SPARSE_ENCODING: [
    {
      name: 'amazon/neural-sparse/opensearch-neural-sparse-encoding-doc-v3-distill',
      version: '1.0.0',
      format: 'TORCH_SCRIPT',
      size: 267707626,
      description: 'A document-side neural sparse encoding model for learned sparse retrieval.',
    },
    {
      name: 'amazon/neural-sparse/opensearch-neural-sparse-encoding-v2-distill',
      version: '1.0.0',
      format: 'TORCH_SCRIPT',
      size: 267722310,
      description:
        'A neural sparse encoding model distilled from larger teachers; encodes queries and documents.',
    },
  ],
  TEXT_SIMILARITY: [
    {
      name: 'huggingface/cross-encoders/ms-marco-MiniLM-L-6-v2',
      version: '1.0.2',
      format: 'TORCH_SCRIPT',
      size: 91283108,
      description:
        'A cross-encoder trained on the MS MARCO passage ranking task; scores query–passage pairs for reranking.',
    },
  ],
};

const LEGACY_CATALOG: CatalogEntry[] = [
  {
    name: 'all-MiniLM-L6-v2',
    version: '1.0.0',
    format: 'TORCH_SCRIPT',
    size: 91790008,
    description: SENTENCE_DESCRIPTION,
    config: MINILM_CONFIG,
  },
  {
    name: 'msmarco-distilbert-base-tas-b',
    version: '1.0.0',
    format: 'TORCH_SCRIPT',
    size: 266352827,
    description: 'test model',
    config: DISTILBERT_CONFIG,
  },
];

const REMOTE_CATALOG: CatalogEntry[] = [
  {
    name: 'sagemaker-batch-product-embeddings',
    provider: 'sagemaker',
    description: 'SageMaker batch transform over the product catalogue (all-mpnet-base-v2 container).',
  },
  {
    name: 'SageMaker DJL text embedding',
    provider: 'sagemaker',
    description: 'Real-time and batch inference through a DJL serving endpoint.',
  },
  {
    name: 'Amazon Bedrock Titan Text Embeddings V2',
    provider: 'bedrock',
    description: 'amazon.titan-embed-text-v2:0, 1024 dimensions, batch inference enabled.',
  },
  {
    name: 'Bedrock Claude 3.5 Sonnet (batch)',
    provider: 'bedrock',
    description: 'anthropic.claude-3-5-sonnet-20240620-v1:0 for offline summarisation.',
  },
  {
    name: 'openai-embeddings-prod',
    provider: 'openai',
    description: 'OpenAI text-embedding-3-small through the Batch API.',
  },
  {
    name: 'OpenAI gpt-4o-mini batch',
    provider: 'openai',
    description: 'Offline classification of support tickets.',
  },
  {
    name: 'Cohere embed-english-v3.0',
    provider: 'other',
    description: 'Cohere embeddings (search_document input type).',
  },
  { name: 'DeepSeek Chat', provider: 'other', description: 'Chat model for the support agent.' },
  { name: `${XSS_ATTR} connector test`, provider: 'other', description: XSS_SCRIPT },
];

interface ModelFacts {
  id: string;
  functionName: string;
  kind: 'local' | 'remote' | 'trained' | 'legacy';
  firstSeen: number;
  registerStart?: number;
  registerEnd?: number;
  /** The most recently created DEPLOY_MODEL (or LOAD_MODEL) task. */
  lastDeploy?: MlTask;
  provider?: Provider;
}

function collectModelFacts(tasks: SeedDoc<MlTask>[]): ModelFacts[] {
  const facts = new Map<string, ModelFacts>();
  for (const { _source: t } of tasks) {
    const id = t.model_id;
    if (typeof id !== 'string') continue;
    const created = t.create_time ?? 0;
    let f = facts.get(id);
    if (f === undefined) {
      f = { id, functionName: t.function_name ?? 'TEXT_EMBEDDING', kind: 'local', firstSeen: created };
      facts.set(id, f);
    }
    f.firstSeen = Math.min(f.firstSeen, created);
    if (t.function_name === 'REMOTE') f.kind = 'remote';
    switch (t.task_type) {
      case 'TRAINING':
      case 'UPLOAD_MODEL':
      case 'REGISTER_MODEL':
        if (t.task_type !== 'REGISTER_MODEL') f.kind = t.task_type === 'TRAINING' ? 'trained' : 'legacy';
        f.registerStart = created;
        f.registerEnd = t.last_update_time;
        break;
      case 'LOAD_MODEL':
      case 'DEPLOY_MODEL':
        if (t.task_type === 'LOAD_MODEL') f.kind = 'legacy';
        if (!f.lastDeploy || (f.lastDeploy.create_time ?? 0) < created) f.lastDeploy = t;
        break;
      case 'BATCH_PREDICTION':
        f.provider ??= providerOf(t.remote_job);
        break;
    }
  }
  return [...facts.values()];
}

function providerOf(job: Record<string, unknown> | undefined): Provider | undefined {
  if (!job) return undefined;
  if ('TransformJobArn' in job) return 'sagemaker';
  if ('jobArn' in job) return 'bedrock';
  if ('id' in job) return 'openai';
  return undefined;
}

/** Picks indexes at rate `p`, and at least one when there are enough candidates to spare one. */
function sample(rng: Rng, n: number, p: number, excluded: Set<number>): Set<number> {
  const chosen = new Set<number>();
  for (let i = 0; i < n; i++) if (!excluded.has(i) && rng.chance(p)) chosen.add(i);
  if (chosen.size === 0 && n >= 10) {
    for (let i = rng.int(n); chosen.size === 0; i = (i + 1) % n) if (!excluded.has(i)) chosen.add(i);
  }
  return chosen;
}

function failedNodeCount(task: MlTask): number {
  try {
    return Object.keys(JSON.parse(task.error ?? '{}') as object).length;
  } catch {
    return 0;
  }
}

const ON_NODES = new Set([
  'DEPLOYED',
  'PARTIALLY_DEPLOYED',
  'DEPLOYING',
  'LOADED',
  'PARTIALLY_LOADED',
  'LOADING',
]);
/** Not (yet) on its nodes: no deploy time, no current worker count. */
const NOT_DEPLOYED = new Set(['DEPLOYING', 'DEPLOY_FAILED', 'LOADING', 'LOAD_FAILED']);

class ModelGenerator {
  private readonly rng: Rng;
  private readonly ids: IdGen;
  private readonly mac: Uint8Array;
  private readonly groups = new Map<string, { id: string; version: number }>();
  private readonly connectors = new Map<string, string>();

  constructor(
    seed: number,
    private readonly now: number,
    private readonly v: Vocabulary,
  ) {
    // A different stream from generateTasks with the same seed, so the two stay independent.
    this.rng = new Rng(seed ^ 0x5eed5eed);
    this.ids = new IdGen(this.rng);
    this.mac = Uint8Array.from({ length: 6 }, () => this.rng.int(256));
  }

  generate(tasks: SeedDoc<MlTask>[]): SeedDoc<MlModel>[] {
    const facts = collectModelFacts(tasks);
    // Some models were deleted after their tasks ran (a drill-down meets a 404); a few are hidden system models
    // (before 2.12, which has no hidden models, models in a group this user may not read; before 2.8 none).
    const missing = sample(this.rng, facts.length, 0.05, new Set());
    const hidden = sample(this.rng, facts.length, 0.015, missing);
    const docs: SeedDoc<MlModel>[] = [];
    facts.forEach((f, i) => {
      if (missing.has(i)) return;
      const model = this.model(f);
      if (hidden.has(i) && this.v.unreadableModels) model.is_hidden = true;
      docs.push({ _id: f.id, _source: model });
    });
    return docs;
  }

  /** One model for its facts, as the seed describes it. */
  describe(f: ModelFacts): MlModel {
    return this.model(f);
  }

  private model(f: ModelFacts): MlModel {
    const m = this.modernModel(f);
    return modelAsWrittenBy(m, this.v.release);
  }

  private modernModel(f: ModelFacts): MlModel {
    const r = this.rng;
    const created_time = f.registerStart ?? f.firstSeen - r.logBetween(HOUR, 90 * DAY);
    const registered =
      f.registerEnd ??
      created_time +
        (f.kind === 'remote' ? r.logBetween(150, 2 * SECOND) : r.logBetween(20 * SECOND, 5 * MINUTE));
    if (f.kind === 'trained') {
      return {
        name: f.functionName,
        algorithm: f.functionName,
        model_version: '1',
        model_state: 'TRAINED',
        created_time,
        last_updated_time: registered,
      };
    }
    const entry =
      f.kind === 'remote'
        ? r.pick(
            f.provider === undefined
              ? REMOTE_CATALOG
              : REMOTE_CATALOG.filter((e) => e.provider === f.provider),
          )
        : r.pick(
            f.kind === 'legacy' ? LEGACY_CATALOG : (LOCAL_CATALOG[f.functionName] ?? TEXT_EMBEDDING_CATALOG),
          );
    const m: MlModel = { name: entry.name };
    // Model groups arrived in 2.8: legacy models have none and keep their own version.
    if (f.kind === 'legacy' || !this.v.modelGroups) m.model_version = entry.version ?? '1';
    else {
      const group = this.group(entry.name);
      m.model_group_id = group.id;
      m.model_version = String(group.version);
    }
    m.algorithm = f.functionName;
    m.description = entry.description;
    if (entry.format) m.model_format = entry.format;
    const deploy = f.lastDeploy;
    const state = this.modelState(f, deploy);
    m.model_state = state;
    if (entry.size !== undefined) {
      m.model_content_size_in_bytes = entry.size;
      m.model_content_hash_value = contentHash(entry);
      if (entry.config) m.model_config = entry.config;
      m.total_chunks = Math.ceil(entry.size / 10_000_000);
    }
    m.created_time = created_time;
    m.last_registered_time = registered;
    let last_updated_time = registered;
    if (deploy && state !== 'REGISTERED' && state !== 'UPLOADED') {
      const deployedAt = deploy.last_update_time ?? registered;
      last_updated_time = Math.max(last_updated_time, deployedAt);
      if (!NOT_DEPLOYED.has(state)) m.last_deployed_time = deployedAt;
      if (state === 'UNDEPLOYED') {
        last_updated_time = m.last_undeployed_time =
          deployedAt + Math.floor((this.now - deployedAt) * r.next());
      }
      if (ON_NODES.has(state)) {
        // 2.4 LOAD_MODEL tasks stored the nodes comma-joined.
        const nodes = Array.isArray(deploy.worker_node)
          ? deploy.worker_node
          : String(deploy.worker_node).split(',');
        m.planning_worker_node_count = nodes.length;
        if (state !== 'DEPLOYING' && state !== 'LOADING')
          m.current_worker_node_count =
            nodes.length - (state.startsWith('PARTIALLY') ? failedNodeCount(deploy) : 0);
        m.planning_worker_nodes = nodes;
        if (f.kind !== 'legacy') m.deploy_to_all_nodes = true;
      }
    }
    m.last_updated_time = last_updated_time;
    if (f.kind === 'remote') m.connector_id = this.connector(entry.name);
    return m;
  }

  private modelState(f: ModelFacts, deploy: MlTask | undefined): string {
    if (f.kind === 'legacy') {
      if (!deploy) return 'UPLOADED';
      // Only a pre-2.7 cluster's own data has loads still under way.
      if (deploy.state === 'CREATED' || deploy.state === 'RUNNING') return 'LOADING';
      return deploy.state === 'COMPLETED'
        ? 'LOADED'
        : deploy.state === 'COMPLETED_WITH_ERROR'
          ? 'PARTIALLY_LOADED'
          : 'LOAD_FAILED';
    }
    switch (deploy?.state) {
      case 'COMPLETED':
        return (deploy.last_update_time ?? 0) < this.now - HOUR && this.rng.chance(0.15)
          ? 'UNDEPLOYED'
          : 'DEPLOYED';
      case 'COMPLETED_WITH_ERROR':
        return 'PARTIALLY_DEPLOYED';
      case 'FAILED':
        return 'DEPLOY_FAILED';
      case 'CREATED':
      case 'RUNNING':
        return 'DEPLOYING';
      default:
        return 'REGISTERED';
    }
  }

  /** Registering a name again adds a version to its group; a busy name starts a new group now and then. */
  private group(name: string): { id: string; version: number } {
    let g = this.groups.get(name);
    if (g === undefined || g.version >= 20) {
      g = { id: this.ids.next(this.now - WINDOW, this.mac), version: 0 };
      this.groups.set(name, g);
    }
    g.version++;
    return g;
  }

  private connector(name: string): string {
    let id = this.connectors.get(name);
    if (id === undefined) {
      id = this.ids.next(this.now - WINDOW, this.mac);
      this.connectors.set(name, id);
    }
    return id;
  }
}

const HASHES = new Map<CatalogEntry, string>();

/** A stable SHA-256-looking hex digest per catalogue entry. */
function contentHash(entry: CatalogEntry): string {
  let hash = HASHES.get(entry);
  if (hash === undefined) {
    let seed = entry.size ?? 0;
    for (const c of entry.name + entry.format) seed = Math.imul(seed ^ c.charCodeAt(0), 0x01000193);
    hash = new Rng(seed).chars(HEX, 64);
    HASHES.set(entry, hash);
  }
  return hash;
}

/**
 * One model per distinct model_id in `tasks` (in first-seen order), its state consistent with the tasks,
 * except ~5% left out (deleted) and ~1.5% marked `is_hidden`. `version` is the release the tasks come from, as for
 * `generateTasks`: its model states and fields (UPLOADED, LOADED, `last_loaded_time` … before 2.7).
 */
export function generateModels(
  tasks: SeedDoc<MlTask>[],
  seed: number,
  now: number,
  version?: Release | string,
): SeedDoc<MlModel>[] {
  return new ModelGenerator(seed, now, vocabularyOf(version)).generate(tasks);
}

/**
 * The model a completed REGISTER_MODEL (or TRAINING) task creates, in state REGISTERED (TRAINED): what live
 * activity indexes when such a task completes. Undefined when the task names no model.
 */
export function generateModel(
  task: MlTask,
  seed: number,
  now: number,
  version?: Release | string,
): MlModel | undefined {
  const facts = collectModelFacts([{ _id: '', _source: task }])[0];
  return facts && new ModelGenerator(seed, now, vocabularyOf(version)).describe(facts);
}

/**
 * OpenSearch-style auto ids for documents written at a given time, by the cluster's node `nodeId` (or one of
 * its nodes): live activity names new models with these.
 */
export function idGenerator(seed: number): (timestamp: number, nodeId?: string) => string {
  const rng = new Rng(seed);
  const ids = new IdGen(rng);
  return (timestamp, nodeId) => {
    const node = CURRENT_NODES.find((n) => n.id === nodeId) ?? rng.pick(CURRENT_NODES);
    return ids.next(timestamp, node.mac);
  };
}

/**
 * The nodes of the stand-in's cluster, the ones the generated tasks' `worker_node` names (whatever the data seed):
 * the first ones are the ML nodes that deploys go to.
 */
export function clusterNodes(): Array<{ id: string; ml: boolean }> {
  return CURRENT_NODES.map((n, i) => ({ id: n.id, ml: i < ML_NODES[1].length }));
}

/** The id of the ML node that left the cluster: the worker of the seed's "worker left the cluster" tasks. */
export function departedNodeId(): string {
  return DEPARTED_NODE.id;
}

/**
 * The node that generated a document id, read from the MAC address OpenSearch's time-based ids carry (bytes 6–11):
 * the node a generated task was created on. Undefined for an id that is not one of the seed's nodes'.
 */
export function nodeOfId(id: string): string | undefined {
  if (id.length !== 20) return undefined;
  const bytes = new Uint8Array(15);
  for (let i = 0; i < 5; i++) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const v = B64URL.indexOf(id[i * 4 + j]!);
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    bytes[i * 3] = n >>> 16;
    bytes[i * 3 + 1] = (n >>> 8) & 255;
    bytes[i * 3 + 2] = n & 255;
  }
  const mac = bytes.subarray(6, 12);
  return NODES.find((node) => node.mac.every((b, i) => b === mac[i]))?.id;
}
