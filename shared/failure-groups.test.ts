// Tests for grouping failures by cause: extraction per task type, the normaliser over real ML Commons error texts,
// fingerprints, the grouper's counts, and the pages that read the newest failures.
import { describe, expect, it } from 'vitest';
import {
  FailureGrouper,
  failureFingerprint,
  failureMessages,
  failurePageBody,
  nextFailurePage,
  normaliseFailure,
} from './failure-groups';
import type { MlTask, SearchHit } from './ml-types';

function hit(id: string, source: MlTask, sort?: number): SearchHit<MlTask> {
  return {
    _index: '.plugins-ml-task',
    _id: id,
    _score: null,
    _source: source,
    ...(sort ? { sort: [sort] } : {}),
  };
}

describe('failureMessages', () => {
  it('reads `error` for most task types', () => {
    expect(failureMessages({ task_type: 'TRAINING', error: 'no such index [iris_data]' })).toEqual([
      { message: 'no such index [iris_data]' },
    ]);
  });

  it('explodes a deploy’s per-node JSON into one failure per node', () => {
    const error = JSON.stringify({
      Rr0x9kZ3QkWnT1uYc2bFvA: 'Native Memory Circuit Breaker is open, please check your resources!',
      c8JkW1pQS3mX0aZbN7yTgQ: 'Exceed max local model per node limit',
    });
    expect(failureMessages({ task_type: 'DEPLOY_MODEL', state: 'COMPLETED_WITH_ERROR', error })).toEqual([
      {
        node: 'Rr0x9kZ3QkWnT1uYc2bFvA',
        message: 'Native Memory Circuit Breaker is open, please check your resources!',
      },
      { node: 'c8JkW1pQS3mX0aZbN7yTgQ', message: 'Exceed max local model per node limit' },
    ]);
  });

  it('reads an agent run’s `response.error_message` (3.0+)', () => {
    expect(
      failureMessages({
        task_type: 'AGENT_EXECUTION',
        state: 'FAILED',
        response: { error_message: 'Agent reached maximum iterations (10) without completing the task' },
      }),
    ).toEqual([{ message: 'Agent reached maximum iterations (10) without completing the task' }]);
  });

  it('gives a failure without text its own cause', () => {
    expect(failureMessages({ task_type: 'TRAINING', state: 'FAILED' })).toEqual([
      { message: '(no error message: the task ended FAILED)' },
    ]);
    expect(failureMessages({ task_type: 'BATCH_PREDICTION', state: 'EXPIRED', error: '   ' })).toEqual([
      { message: '(no error message: the task ended EXPIRED)' },
    ]);
  });

  it('keeps JSON that is not a per-node map as one message', () => {
    const error =
      'Error from remote service: {"message":"The security token included in the request is expired"}';
    expect(failureMessages({ task_type: 'BATCH_PREDICTION', error })).toEqual([{ message: error }]);
  });
});

// Real ML Commons error texts (ml-commons source and issues), each with a second occurrence of the same cause that
// differs only in what varies: ids, numbers, addresses, names, paths, stack frames.
const SAME_CAUSE: Array<[string, string, string]> = [
  [
    'model id',
    'Failed to find model with the provided model id: 3bXvq4sBjM6T1kqYQ0dF',
    'Failed to find model with the provided model id: Lm2Pw5sBXjB0l7nRyQ9z',
  ],
  [
    'connector id',
    'Failed to find connector with the provided connector id: Wn1LhJABvW3xaK0F4bQt',
    'Failed to find connector with the provided connector id: _aQ3LhJABvW3xaK0F4z-',
  ],
  ['task timeout', 'timeout after 600 seconds', 'timeout after 1200 seconds'],
  ['success rate', 'batch ingestion successful rate is 87.5', 'batch ingestion successful rate is 33.33'],
  ['index name', 'no such index [iris_data]', 'no such index [products-embedded]'],
  [
    'download URL',
    'Failed to download model from url https://artifacts.opensearch.org/models/ml-models/huggingface/sentence-transformers/all-MiniLM-L6-v2/1.0.1/torch_script/model.zip: java.net.SocketTimeoutException: Read timed out',
    'Failed to download model from url https://artifacts.internal.example.com/m/e5-large.zip: java.net.SocketTimeoutException: Read timed out',
  ],
  [
    'host and address',
    'Connection refused: artifacts.internal.example.com/10.0.3.17:443',
    'Connection refused: artifacts.internal.example.com/10.0.9.201:8443',
  ],
  [
    'transport address',
    '[opensearch-ml-2][10.0.3.12:9300][cluster:admin/opensearch/mlinternal/deploy] disconnected',
    '[opensearch-ml-7][10.0.3.44:9300][cluster:admin/opensearch/mlinternal/deploy] disconnected',
  ],
  ['chunk numbers', 'Failed to retrieve model chunk 3 of 9', 'Failed to retrieve model chunk 12 of 40'],
  [
    'request ids',
    'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 7QK2B1ZJ9S0X4MDA)',
    'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 2MZC8E1RT5WQ9HLP)',
  ],
  [
    'masked API keys',
    'Error from remote service: {"error":{"message":"Incorrect API key provided: sk-proj-****3fQa.","type":"invalid_request_error"}}',
    'Error from remote service: {"error":{"message":"Incorrect API key provided: sk-proj-****Zq07.","type":"invalid_request_error"}}',
  ],
  [
    'batch limit',
    'Exceeded maximum limit for BATCH_PREDICTION tasks. To increase the limit, update the plugins.ml_commons.max_batch_inference_tasks setting.',
    'Exceeded maximum limit for BATCH_PREDICTION tasks. To increase the limit, update the plugins.ml_commons.max_batch_inference_tasks setting.',
  ],
  [
    'stack frames',
    [
      'java.lang.UnsatisfiedLinkError: /usr/share/opensearch/data/djl/pytorch/2.1.0-cpu-linux-x86_64/libtorch.so: libgomp.so.1: cannot open shared object file',
      '\tat java.base/java.lang.ClassLoader$NativeLibrary.load0(Native Method)',
      '\tat ai.djl.pytorch.jni.LibUtils.loadNativeLibrary(LibUtils.java:391)',
      '\t... 27 more',
    ].join('\n'),
    [
      'java.lang.UnsatisfiedLinkError: /var/lib/opensearch/djl/pytorch/2.5.1-cpu-linux-x86_64/libtorch.so: libgomp.so.1: cannot open shared object file',
      '\tat java.base/java.lang.System.load(System.java:2023)',
      '\t... 3 more',
    ].join('\n'),
  ],
  [
    'agent iterations',
    'Agent reached maximum iterations (10) without completing the task',
    'Agent reached maximum iterations (25) without completing the task',
  ],
  [
    'tool and index',
    'Failed to run the tool VectorDBTool with the error message no such index [product-catalog].',
    'Failed to run the tool VectorDBTool with the error message no such index [faq-2024].',
  ],
  [
    'uuid',
    'Failed to get batch job 0c6e8f3a-5b1d-4c2e-9a7f-1d2e3f4a5b6c status',
    'Failed to get batch job 9d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b status',
  ],
];

// Different causes, which must not share a group.
const DIFFERENT_CAUSES = [
  'Native Memory Circuit Breaker is open, please check your resources!',
  'Memory Circuit Breaker is open, please check your resources!',
  'Disk Circuit Breaker is open, please check your resources!',
  'Exceed max local model per node limit',
  'Model size exceeds the limit',
  "model content hash can't match original hash value",
  "URL can't match trusted url regex",
  'java.lang.OutOfMemoryError: Java heap space',
  'ai.djl.engine.EngineException: Failed to load PyTorch native library',
  'Failed to find model with the provided model id: 3bXvq4sBjM6T1kqYQ0dF',
  'Failed to find model group with the provided model group id: tq3Nw4sBXjB0l7nRyQ1x',
  'Failed to find connector with the provided connector id: Wn1LhJABvW3xaK0F4bQt',
  'timeout after 600 seconds',
  'Error from remote service: {"message":"The security token included in the request is expired"}',
  'Error from remote service: {"message":"Too many requests, please wait before trying again."}',
  'Error from remote service: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
  'Error from remote service: {"error":{"message":"Incorrect API key provided: sk-proj-****3fQa.","type":"invalid_request_error"}}',
  'No eligible node found to execute this request. It\'s best practice to provision ML nodes to serve your models. You can disable this setting to serve the model on your data node for development purposes by disabling the "plugins.ml_commons.only_run_on_ml_node" configuration using the _cluster/setting api',
  'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 7QK2B1ZJ9S0X4MDA)',
  'Access Denied (Service: S3, Status Code: 403, Request ID: 1F9C3Y6QW2E8RT0K)',
  "No results for path: $['SageMakerOutput']",
  'Empty data frame',
  'This model is not in the pre-trained model list, please check your parameters.',
];

describe('normaliseFailure', () => {
  it.each(SAME_CAUSE)('gives two occurrences of one cause one text (%s)', (_, a, b) => {
    expect(normaliseFailure(a)).toBe(normaliseFailure(b));
    expect(failureFingerprint('DEPLOY_MODEL', 'TEXT_EMBEDDING', normaliseFailure(a))).toBe(
      failureFingerprint('DEPLOY_MODEL', 'TEXT_EMBEDDING', normaliseFailure(b)),
    );
  });

  it('keeps different causes apart', () => {
    const texts = DIFFERENT_CAUSES.map(normaliseFailure);
    expect(new Set(texts).size).toBe(DIFFERENT_CAUSES.length);
  });

  it('replaces what varies with a named placeholder, and keeps the words', () => {
    expect(normaliseFailure('Failed to find model with the provided model id: 3bXvq4sBjM6T1kqYQ0dF')).toBe(
      'Failed to find model with the provided model id: <id>',
    );
    expect(normaliseFailure('timeout after 600 seconds')).toBe('timeout after <n> seconds');
    expect(normaliseFailure('Connection refused: artifacts.internal.example.com/10.0.3.17:443')).toBe(
      'Connection refused: artifacts.internal.example.com/<ip>',
    );
    expect(normaliseFailure('no such index [iris_data]')).toBe('no such index [<value>]');
    expect(normaliseFailure('java.lang.OutOfMemoryError: Java heap space')).toBe(
      'java.lang.OutOfMemoryError: Java heap space',
    );
  });

  it('keeps a provider’s JSON keys and phrases, and replaces its single-word values', () => {
    expect(
      normaliseFailure(
        'Error from remote service: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      ),
    ).toBe('Error from remote service: {"type":<value>,"error":{"type":<value>,"message":<value>}}');
    expect(
      normaliseFailure(
        'Error from remote service: {"message":"Too many requests, please wait before trying again."}',
      ),
    ).toBe('Error from remote service: {"message":"Too many requests, please wait before trying again."}');
  });

  it('keeps only the first line of a stack trace and folds whitespace', () => {
    expect(normaliseFailure('boom\n\tat a.b.C.d(C.java:1)\n\tat e.f.G.h(G.java:2)\n\t... 4 more')).toBe(
      'boom',
    );
    expect(normaliseFailure('  a \n\n b\t c ')).toBe('a b c');
  });

  it('cuts a very long message and still fingerprints it', () => {
    const long = `Error from remote service: ${'x '.repeat(1000)}`;
    expect(normaliseFailure(long).length).toBeLessThanOrEqual(401);
  });

  it('handles messages that are hostile or not English', () => {
    expect(normaliseFailure('<img src=x onerror=alert(1)> failed')).toBe(
      '<img src=x onerror=alert(<n>)> failed',
    );
    expect(normaliseFailure('Ungültige Eingabe: Spalte „Preis“ enthält 3 Werte 🚫')).toBe(
      'Ungültige Eingabe: Spalte <value> enthält <n> Werte 🚫',
    );
  });
});

describe('failureFingerprint', () => {
  it('is 12 hex digits and tells task types and functions apart', () => {
    const text = normaliseFailure('Model size exceeds the limit');
    const a = failureFingerprint('REGISTER_MODEL', 'TEXT_EMBEDDING', text);
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(failureFingerprint('REGISTER_MODEL', 'SPARSE_ENCODING', text)).not.toBe(a);
    expect(failureFingerprint('DEPLOY_MODEL', 'TEXT_EMBEDDING', text)).not.toBe(a);
    expect(failureFingerprint('REGISTER_MODEL', 'TEXT_EMBEDDING', text)).toBe(a);
  });
});

describe('FailureGrouper', () => {
  const HOUR = 3_600_000;
  const t0 = Date.UTC(2026, 11, 1);
  const deploy = (nodes: Record<string, string>, extra: Partial<MlTask> = {}): MlTask => ({
    task_type: 'DEPLOY_MODEL',
    function_name: 'TEXT_EMBEDDING',
    state: Object.keys(nodes).length > 1 ? 'FAILED' : 'COMPLETED_WITH_ERROR',
    error: JSON.stringify(nodes),
    ...extra,
  });

  it('counts tasks per cause, each task once per cause, with models, nodes, times and shares', () => {
    const g = new FailureGrouper();
    g.add([
      hit(
        't1',
        deploy(
          { n1: 'Exceed max local model per node limit', n2: 'Exceed max local model per node limit' },
          { model_id: 'm1', create_time: t0, last_update_time: t0 + HOUR },
        ),
      ),
      hit(
        't2',
        deploy(
          { n3: 'Exceed max local model per node limit' },
          { model_id: 'm2', create_time: t0 + 2 * HOUR, last_update_time: t0 + 3 * HOUR },
        ),
      ),
      hit('t3', {
        task_type: 'TRAINING',
        function_name: 'KMEANS',
        state: 'FAILED',
        error: 'no such index [a]',
        worker_node: ['n9'],
        last_update_time: t0 + 5 * HOUR,
      }),
      hit('t4', {
        task_type: 'TRAINING',
        function_name: 'KMEANS',
        state: 'FAILED',
        error: 'no such index [b]',
        worker_node: 'n8,n7',
        last_update_time: t0 + 6 * HOUR,
      }),
      hit('t4', {
        task_type: 'TRAINING',
        function_name: 'KMEANS',
        state: 'FAILED',
        error: 'no such index [b]',
        last_update_time: t0 + 6 * HOUR,
      }),
    ]);
    const { groups, read, total, span } = g.result(10, 6);
    expect(read).toBe(4);
    expect(total).toBe(10);
    expect(span).toEqual({ from: t0 + HOUR, to: t0 + 6 * HOUR });
    expect(groups).toHaveLength(2);
    const limit = groups.find((x) => x.taskType === 'DEPLOY_MODEL');
    const index = groups.find((x) => x.taskType === 'TRAINING');
    // Equal counts: the most recent first.
    expect(groups[0]).toBe(index);
    expect(limit).toMatchObject({
      taskType: 'DEPLOY_MODEL',
      functionName: 'TEXT_EMBEDDING',
      template: 'Exceed max local model per node limit',
      count: 2,
      share: 0.5,
      firstSeen: t0 + HOUR,
      lastSeen: t0 + 3 * HOUR,
      modelIds: ['m1', 'm2'],
      nodeIds: ['n1', 'n2', 'n3'],
      taskIds: ['t1', 't2'],
    });
    expect(index).toMatchObject({
      template: 'no such index [<value>]',
      count: 2,
      nodeIds: ['n7', 'n8', 'n9'],
    });
    expect(index!.example).toBe('no such index [b]');
    expect(limit!.trend.reduce((a, b) => a + b, 0)).toBe(2);
    expect(index!.trend.at(-1)).toBe(1);
    expect(limit!.trend).toHaveLength(6);
  });

  it('puts a deploy whose nodes failed differently into each cause', () => {
    const g = new FailureGrouper();
    g.add([
      hit(
        't1',
        deploy({
          n1: 'java.lang.OutOfMemoryError: Java heap space',
          n2: 'Exceed max local model per node limit',
        }),
      ),
    ]);
    const { groups } = g.result(1);
    expect(groups.map((x) => [x.template, x.count, x.nodeIds])).toEqual(
      expect.arrayContaining([
        ['java.lang.OutOfMemoryError: Java heap space', 1, ['n1']],
        ['Exceed max local model per node limit', 1, ['n2']],
      ]),
    );
  });

  it('is empty with nothing read', () => {
    expect(new FailureGrouper().result(0)).toEqual({ groups: [], read: 0, total: 0, span: undefined });
  });
});

describe('reading the newest failures page by page', () => {
  it('filters the view’s query and post_filter to failed states, newest first', () => {
    const body = failurePageBody(
      {
        query: { range: { create_time: { gte: 'now-24h' } } },
        post_filter: { terms: { task_type: ['DEPLOY_MODEL'] } },
      },
      ['FAILED', 'COMPLETED_WITH_ERROR'],
      1000,
    );
    expect(body).toEqual({
      query: {
        bool: {
          filter: [
            { range: { create_time: { gte: 'now-24h' } } },
            { terms: { task_type: ['DEPLOY_MODEL'] } },
            { terms: { state: ['FAILED', 'COMPLETED_WITH_ERROR'] } },
          ],
        },
      },
      size: 1000,
      sort: [{ create_time: { order: 'desc' } }],
      track_total_hits: true,
      _source: expect.arrayContaining(['error', 'response.error_message', 'worker_node']),
    });
    expect(failurePageBody({}, ['FAILED'], 10, 1234).search_after).toEqual([1234]);
  });

  it('steps one millisecond past the last page so that ties are read again, not skipped', () => {
    const page = [hit('a', {}, 500), hit('b', {}, 400), hit('c', {}, 300)];
    expect(nextFailurePage(page, 3)).toBe(301);
    expect(nextFailurePage(page, 4)).toBeUndefined();
    // A page of one millisecond cannot be stepped past by one: it goes on after it.
    expect(nextFailurePage([hit('a', {}, 300), hit('b', {}, 300)], 2)).toBe(300);
    // Never back to where the page started.
    expect(nextFailurePage([hit('a', {}, 301), hit('b', {}, 300)], 2, 301)).toBe(300);
  });
});
