// Every cell of the version table (shared/reference/ml-commons-versions.md), for every release its columns name, over
// HTTP against listening stand-ins; plus what a cluster says about itself (`GET /`, the plugin lists) per release.
// The expectations are written from the table (and, where the source says otherwise, from the source), not from
// versions.ts, so that the profile is checked against them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEWEST_RELEASE, isAtLeast, parseRelease } from '../../shared/ml-releases';
import type { Source } from './index-store';
import { departedNodeId, generateTasks } from './seed';
import { createStandin } from './server';
import type { Standin } from './server';

const VERSIONS = [
  '2.4.0',
  '2.5.0',
  '2.6.0',
  '2.7.0',
  '2.8.0',
  '2.9.0',
  '2.11.0',
  '2.12.0',
  '2.17.0',
  '2.18.0',
  '2.19.0',
  '2.19.1',
  '2.19.2',
  '2.19.3',
  '2.19.6',
  '3.0.0',
  NEWEST_RELEASE,
];

const T = 1_717_200_000_000;
const TASKS: Array<{ _id: string; _source: Source }> = [
  {
    _id: 'done',
    _source: {
      task_type: 'DEPLOY_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      model_id: 'm1',
      worker_node: ['n1'],
      create_time: T,
      last_update_time: T + 1,
      is_async: true,
    },
  },
  {
    _id: 'running',
    _source: {
      task_type: 'REGISTER_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'RUNNING',
      worker_node: ['n1'],
      create_time: T,
      last_update_time: T,
      is_async: true,
    },
  },
  {
    _id: 'batch',
    _source: {
      task_type: 'BATCH_PREDICTION',
      function_name: 'REMOTE',
      state: 'RUNNING',
      model_id: 'm1',
      input_type: 'REMOTE',
      worker_node: ['n2'],
      create_time: T,
      last_update_time: T,
      is_async: false,
      remote_job: { TransformJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:transform-job/x' },
    },
  },
  {
    _id: 'legacy',
    _source: {
      task_type: 'LOAD_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      model_id: 'm1',
      worker_node: 'a,b',
      create_time: T,
      last_update_time: T,
      is_async: true,
    },
  },
];
const MODELS: Array<{ _id: string; _source: Source }> = [
  {
    _id: 'm1',
    _source: { name: 'm', algorithm: 'TEXT_EMBEDDING', model_state: 'DEPLOYED', created_time: T },
  },
  {
    _id: 'hidden1',
    _source: {
      name: 'h',
      algorithm: 'TEXT_EMBEDDING',
      model_state: 'DEPLOYED',
      is_hidden: true,
      created_time: T,
    },
  },
];

interface Pair {
  /** With the task and model indices. */
  full: Standin;
  fullUrl: string;
  /** Before the first task: no indices at all. */
  empty: Standin;
  emptyUrl: string;
}
const standins = new Map<string, Pair>();

beforeAll(async () => {
  for (const version of VERSIONS) {
    const full = createStandin({ version, tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    const empty = createStandin({ version });
    standins.set(version, { full, fullUrl: await full.listen(), empty, emptyUrl: await empty.listen() });
  }
});

afterAll(async () => {
  for (const p of standins.values()) await Promise.all([p.full.close(), p.empty.close()]);
});

interface Reply {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<Reply> {
  const res = await fetch(url + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** status, error type and reason of an OpenSearch error body. */
const failure = (r: Reply) => [r.status, r.json?.error?.type, r.json?.error?.reason];

const AGGS = { size: 0, aggs: { states: { terms: { field: 'state' } } } };

describe.each(VERSIONS)('ML Commons %s', (version) => {
  const at = (since: string): boolean => isAtLeast(parseRelease(version)!, since);
  const full = (method: string, path: string, body?: unknown, timeoutMs?: number) =>
    call(standins.get(version)!.fullUrl, method, path, body, timeoutMs);
  const empty = (method: string, path: string, body?: unknown) =>
    call(standins.get(version)!.emptyUrl, method, path, body);
  const hangs = at('2.19.2') && !at('2.20.0');

  it('GET of an unknown task id', async () => {
    expect(failure(await full('GET', '/_plugins/_ml/tasks/nope'))).toEqual(
      !at('2.9.0')
        ? [500, 'm_l_resource_not_found_exception', 'Fail to find task']
        : !at('2.19.0')
          ? [404, 'status_exception', 'Fail to find task']
          : [404, 'status_exception', 'Failed to find task'],
    );
  });

  it('GET of a task before the task index exists', async () => {
    expect(failure(await empty('GET', '/_plugins/_ml/tasks/nope'))).toEqual(
      at('2.19.0')
        ? [404, 'status_exception', 'Failed to find task']
        : [500, 'm_l_resource_not_found_exception', 'Fail to find task'],
    );
  });

  it('GET of a task written by 2.4 shows worker_node as the release reads it', async () => {
    const r = await full('GET', '/_plugins/_ml/tasks/legacy');
    expect(r.status).toBe(200);
    expect(r.json.worker_node).toEqual(at('2.5.0') ? ['a', 'b'] : 'a,b');
  });

  it('DELETE of an unknown task id', async () => {
    const r = await full('DELETE', '/_plugins/_ml/tasks/nope');
    if (!at('2.6.0')) {
      // No check before the delete: the delete-document body of a document that is not there.
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({
        _index: '.plugins-ml-task',
        _id: 'nope',
        _version: 1,
        result: 'not_found',
      });
      expect(r.json._shards).toEqual({ total: 1, successful: 1, failed: 0 });
      expect(r.json).not.toHaveProperty('forced_refresh');
    } else {
      expect(failure(r)).toEqual(
        at('2.19.0')
          ? [404, 'status_exception', 'Failed to find task']
          : [500, 'm_l_resource_not_found_exception', 'Fail to find task'],
      );
    }
  });

  it('DELETE before the task index exists', async () => {
    const r = await empty('DELETE', '/_plugins/_ml/tasks/nope');
    if (!at('2.6.0'))
      expect(failure(r)).toEqual([404, 'index_not_found_exception', 'no such index [.plugins-ml-task]']);
    else if (!at('2.19.0'))
      expect(failure(r)).toEqual([500, 'm_l_resource_not_found_exception', 'Fail to find task']);
    else {
      expect(failure(r)).toEqual([404, 'status_exception', 'Failed to find task']);
      // The SDK's failed read is kept as the cause, the missing index at its root.
      expect(r.json.error.caused_by.reason).toBe('Failed to get data object from index .plugins-ml-task');
      expect(r.json.error.root_cause[0].type).toBe('index_not_found_exception');
    }
  });

  it('DELETE of a RUNNING task', async () => {
    const r = await full('DELETE', '/_plugins/_ml/tasks/running');
    if (!at('2.6.0')) {
      expect(r.status).toBe(200);
      expect(r.json.result).toBe('deleted');
      expect((await full('GET', '/_plugins/_ml/tasks/running')).status).toBe(at('2.9.0') ? 404 : 500);
    } else {
      expect(failure(r)).toEqual([
        500,
        'exception',
        at('2.19.0')
          ? 'Task cannot be deleted in running state. Try after some time.'
          : 'Task cannot be deleted in running state. Try after sometime',
      ]);
    }
  });

  it('DELETE answers forced_refresh once the delete refreshes', async () => {
    const r = await full('DELETE', '/_plugins/_ml/tasks/done');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ _id: 'done', result: 'deleted', _version: 2 });
    // The table says from 2.19; ml-commons added setRefreshPolicy(IMMEDIATE) to the delete in 2.15 (#2541).
    if (at('2.15.0')) expect(r.json.forced_refresh).toBe(true);
    else expect(r.json).not.toHaveProperty('forced_refresh');
    expect(Object.keys(r.json)).toEqual([
      '_index',
      '_id',
      '_version',
      'result',
      ...(at('2.15.0') ? ['forced_refresh'] : []),
      '_shards',
      '_seq_no',
      '_primary_term',
    ]);
  });

  it('task search before the task index exists', async () => {
    const r = await empty('POST', '/_plugins/_ml/tasks/_search', AGGS);
    if (!at('2.12.0')) {
      expect(r.json).toEqual({
        error: {
          root_cause: [
            {
              type: 'index_not_found_exception',
              reason: 'no such index [.plugins-ml-task]',
              'resource.type': 'index_or_alias',
              'resource.id': '.plugins-ml-task',
              index_uuid: '_na_',
              index: '.plugins-ml-task',
            },
          ],
          type: 'index_not_found_exception',
          reason: 'no such index [.plugins-ml-task]',
          'resource.type': 'index_or_alias',
          'resource.id': '.plugins-ml-task',
          index_uuid: '_na_',
          index: '.plugins-ml-task',
        },
        status: 404,
      });
      expect(r.status).toBe(404);
    } else {
      expect(r.status).toBe(200);
      expect(r.json.hits).toEqual({ total: { value: 0, relation: 'eq' }, max_score: 0, hits: [] });
      expect(r.json).not.toHaveProperty('aggregations');
    }
  });

  it('task search carrying aggregations', async () => {
    if (hangs) {
      // The SDK cannot parse the aggregations back and never calls the listener: no answer at all.
      await expect(full('POST', '/_plugins/_ml/tasks/_search', AGGS, 300)).rejects.toThrow(
        /aborted|timeout/i,
      );
      // Without aggregations the same search answers.
      expect((await full('POST', '/_plugins/_ml/tasks/_search', { size: 1 })).status).toBe(200);
    } else {
      const r = await full('POST', '/_plugins/_ml/tasks/_search', AGGS);
      expect(r.status).toBe(200);
      expect(r.json.aggregations.states.buckets.length).toBeGreaterThan(0);
    }
  });

  it('model search carrying aggregations', async () => {
    const r = await full('POST', '/_plugins/_ml/models/_search', {
      size: 0,
      aggs: { s: { terms: { field: 'model_state' } } },
    });
    if (hangs) expect(failure(r)).toEqual([500, 'status_exception', 'Fail to search model version']);
    else expect(r.status).toBe(200);
  });

  it('a failing search, as the release passes it on', async () => {
    const r = await full('POST', '/_plugins/_ml/tasks/_search', { sort: [{ error: 'asc' }] });
    if (!at('2.8.0')) {
      // MLSearchHandler's wrapper: a 500 with the root cause's message.
      expect(r.status).toBe(500);
      expect(r.json.error.type).toBe('status_exception');
      expect(r.json.error.reason).toMatch(/^Text fields are not optimised/);
    } else {
      expect(failure(r).slice(0, 2)).toEqual([400, 'search_phase_execution_exception']);
    }
  });

  it('GET of an unknown model id', async () => {
    expect(failure(await full('GET', '/_plugins/_ml/models/nope'))).toEqual(
      !at('2.7.0')
        ? [500, 'm_l_resource_not_found_exception', 'Fail to find model']
        : !at('2.9.0')
          ? [400, 'illegal_argument_exception', 'Failed to find model with the provided model id: nope']
          : [404, 'status_exception', 'Failed to find model with the provided model id: nope'],
    );
  });

  it('GET of a model before the model index exists', async () => {
    expect(failure(await empty('GET', '/_plugins/_ml/models/nope'))).toEqual(
      at('2.19.0')
        ? [404, 'status_exception', 'Fail to find model']
        : [500, 'm_l_resource_not_found_exception', 'Fail to find model'],
    );
  });

  it('GET of a model the user may not read', async () => {
    const r = await full('GET', '/_plugins/_ml/models/hidden1');
    if (!at('2.8.0')) {
      // No model access control yet: every model can be read, and `is_hidden` is no field of 2.x before 2.12.
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        name: 'h',
        algorithm: 'TEXT_EMBEDDING',
        model_state: 'DEPLOYED',
        created_time: T,
      });
    } else if (!at('2.12.0')) {
      expect(failure(r)).toEqual([
        500,
        'm_l_validation_exception',
        "User Doesn't have privilege to perform this operation on this model",
      ]);
    } else {
      expect(failure(r).slice(0, 2)).toEqual([403, 'status_exception']);
      expect(r.json.error.reason).toMatch(
        /^User doesn't have privilege to perform this operation on this model/,
      );
    }
  });

  it('model search leaves out unreadable models once there is access control', async () => {
    const r = await full('POST', '/_plugins/_ml/models/_search', { query: { match_all: {} } });
    expect(r.json.hits.hits.map((h: any) => h._id).sort()).toEqual(at('2.8.0') ? ['m1'] : ['hidden1', 'm1']);
  });

  it('cancel: its route, or OpenSearch’s answer for a route it lacks', async () => {
    const cancel = !at('2.17.0') ? undefined : at('2.18.0') ? '_cancel' : '_cancel_batch';
    for (const segment of ['_cancel', '_cancel_batch']) {
      if (segment === cancel) continue;
      const r = await full('POST', `/_plugins/_ml/tasks/batch/${segment}`);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        error: `no handler found for uri [/_plugins/_ml/tasks/batch/${segment}] and method [POST]`,
      });
    }
    if (!cancel) return;
    expect(failure(await full('POST', `/_plugins/_ml/tasks/nope/${cancel}`))).toEqual([
      404,
      'status_exception',
      'Fail to find task',
    ]);
    expect(failure(await empty('POST', `/_plugins/_ml/tasks/nope/${cancel}`))).toEqual([
      500,
      'm_l_resource_not_found_exception',
      'Fail to find task',
    ]);
    expect(failure(await full('POST', `/_plugins/_ml/tasks/legacy/${cancel}`))).toEqual([
      400,
      'illegal_argument_exception',
      'The task ID you provided does not have any associated batch job',
    ]);
    const r = await full('POST', `/_plugins/_ml/tasks/batch/${cancel}`);
    expect(r).toMatchObject({ status: 200, json: { status: 'OK' } });
    // 2.17 has no CANCELLING: the task reads RUNNING until the provider's job has stopped.
    expect((await full('GET', '/_plugins/_ml/tasks/batch')).json.state).toBe(
      at('2.18.0') ? 'CANCELLING' : 'RUNNING',
    );
  });

  it('GET / names the core version ML Commons ships with', async () => {
    const r = await full('GET', '/');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['name', 'cluster_name', 'cluster_uuid', 'version', 'tagline']);
    expect(r.json.tagline).toBe('The OpenSearch Project: https://opensearch.org/');
    expect(Object.keys(r.json.version)).toEqual([
      'distribution',
      'number',
      'build_type',
      'build_hash',
      'build_date',
      'build_snapshot',
      'lucene_version',
      'minimum_wire_compatibility_version',
      'minimum_index_compatibility_version',
    ]);
    expect(r.json.version).toMatchObject({
      distribution: 'opensearch',
      number: version,
      build_snapshot: false,
    });
    expect(r.json.version.build_hash).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.parse(r.json.version.build_date)).toBeGreaterThan(Date.UTC(2022, 0, 1));
    expect(r.json.version.lucene_version).toMatch(at('3.0.0') ? /^10\./ : /^9\./);
    expect(r.json.version.minimum_wire_compatibility_version).toBe(at('3.0.0') ? '2.19.0' : '7.10.0');
    expect((await full('HEAD', '/')).status).toBe(200);
  });

  it('_cat/plugins lists opensearch-ml as X.Y.Z.0 on every node', async () => {
    const json = await full('GET', '/_cat/plugins?format=json');
    expect(json.status).toBe(200);
    const ml = json.json.filter((p: any) => p.component === 'opensearch-ml');
    expect(ml.length).toBeGreaterThan(1);
    for (const p of ml)
      expect(p).toEqual({ name: expect.any(String), component: 'opensearch-ml', version: `${version}.0` });
    const text = await full('GET', '/_cat/plugins?v');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = text.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^name +component +version$/);
    expect(
      lines.filter((l) => new RegExp(`^\\S+ +opensearch-ml +${version.replace(/\./g, '\\.')}\\.0$`).test(l)),
    ).toHaveLength(ml.length);
  });

  it('_nodes/plugins gives each node with its plugins', async () => {
    const r = await full('GET', '/_nodes/plugins');
    expect(r.status).toBe(200);
    expect(r.json.cluster_name).toEqual(expect.any(String));
    const nodes = Object.values(r.json.nodes) as any[];
    expect(r.json._nodes).toEqual({ total: nodes.length, successful: nodes.length, failed: 0 });
    for (const node of nodes) {
      expect(node).toMatchObject({ name: expect.any(String), version, roles: expect.any(Array) });
      const ml = node.plugins.find((p: any) => p.name === 'opensearch-ml');
      expect(ml).toMatchObject({
        version: `${version}.0`,
        opensearch_version: version,
        java_version: at('3.0.0') ? '21' : '11',
        description: 'machine learning plugin for opensearch',
        classname: 'org.opensearch.ml.plugin.MachineLearningPlugin',
        has_native_controller: false,
      });
      expect(ml.extended_plugins).toEqual(
        at('2.19.0') ? expect.arrayContaining(['opensearch-job-scheduler']) : [],
      );
    }
  });
});

describe('a held task search', () => {
  it('keeps the socket, runs no timer, and close() still ends at once', async () => {
    const standin = createStandin({ version: '2.19.2', tasks: structuredClone(TASKS) });
    const url = await standin.listen();
    const pending = fetch(`${url}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(AGGS),
    });
    const outcome = pending.then(
      () => 'answered',
      () => 'cut off',
    );
    for (let i = 0; i < 100 && standin.held.size === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(standin.held.size).toBe(1);
    const started = Date.now();
    await standin.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await outcome).toBe('cut off');
    expect(standin.held.size).toBe(0);
  });

  it('forgets a request its client gave up on', async () => {
    const standin = createStandin({ version: '2.19.6', tasks: structuredClone(TASKS) });
    const url = await standin.listen();
    await expect(call(url, 'POST', '/_plugins/_ml/tasks/_search', AGGS, 200)).rejects.toThrow();
    for (let i = 0; i < 100 && standin.held.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(standin.held.size).toBe(0);
    await standin.close();
  });
});

describe('the cluster the stand-in describes', () => {
  let standin: Standin;
  let url: string;
  beforeAll(async () => {
    standin = createStandin({ clusterName: 'prod-search', hidePlugins: true });
    url = await standin.listen();
  });
  afterAll(() => standin.close());

  it('hides its plugins when told to, as a managed service may', async () => {
    for (const path of [
      '/_cat/plugins',
      '/_cat/plugins?format=json',
      '/_nodes/plugins',
      '/_nodes/_all/plugins',
    ]) {
      const r = await call(url, 'GET', path);
      expect(failure(r).slice(0, 2), path).toEqual([403, 'security_exception']);
      expect(r.json.error.reason).toMatch(/^no permissions for \[cluster:monitor\/nodes\/info\]/);
    }
    // The rest still answers: the version, and the nodes without their plugins.
    expect((await call(url, 'GET', '/')).json.version.number).toBe(NEWEST_RELEASE);
    const nodes = await call(url, 'GET', '/_nodes');
    expect(nodes.status).toBe(200);
    for (const n of Object.values(nodes.json.nodes) as any[]) expect(n).not.toHaveProperty('plugins');
  });

  it('names its cluster and the nodes the seed’s tasks ran on', async () => {
    expect((await call(url, 'GET', '/')).json.cluster_name).toBe('prod-search');
    const r = await call(url, 'GET', '/_nodes?filter_path=nodes.*.name,nodes.*.roles');
    const ids = Object.keys(r.json.nodes);
    const workers = new Set(
      generateTasks(2_000, 1, Date.now())
        .filter((d) => Array.isArray(d._source.worker_node))
        .slice(-500)
        .flatMap((d) => d._source.worker_node as string[]),
    );
    // Every worker but the node that left the cluster, by design absent (whether one of its stranded tasks is among
    // these 500 depends on the hour the seed is generated at).
    workers.delete(departedNodeId());
    for (const w of workers) expect(ids).toContain(w);
    const ml = Object.values(r.json.nodes).filter((n: any) => n.roles.includes('ml'));
    expect(ml.length).toBeGreaterThan(0);
    // A node filter, and the answering node.
    const one = await call(url, 'GET', `/_nodes/${ids[0]}?filter_path=nodes.*.name`);
    expect(Object.keys(one.json.nodes)).toEqual([ids[0]]);
    expect(Object.keys((await call(url, 'GET', '/_nodes/_local')).json.nodes)).toHaveLength(1);
  });

  it('refuses a _nodes metric it does not know, and says which ones it lacks', async () => {
    const bad = await call(url, 'GET', '/_nodes/_all/bogus');
    expect(failure(bad)[0]).toBe(400);
    expect(bad.json.error.reason).toContain('[bogus]');
    expect((await call(url, 'GET', '/_nodes/stats')).json.error.reason).toMatch(
      /stand-in does not support GET \/_nodes\/stats/,
    );
    const lacking = await call(url, 'GET', '/_nodes/jvm');
    expect(lacking.status).toBe(400);
    expect(lacking.json.error.reason).toMatch(/stand-in does not support the _nodes metric \[jvm\]/);
  });
});

describe('the model index', () => {
  it('exists, if empty, once there are tasks: registering a model writes both', async () => {
    const standin = createStandin({ version: '2.11.0', tasks: structuredClone(TASKS) });
    const url = await standin.listen();
    expect(failure(await call(url, 'GET', '/_plugins/_ml/models/nope'))).toEqual([
      404,
      'status_exception',
      'Failed to find model with the provided model id: nope',
    ]);
    expect((await call(url, 'POST', '/_plugins/_ml/models/_search', {})).status).toBe(200);
    await standin.close();
  });
});

describe('createStandin({ version })', () => {
  it('refuses a malformed version or one older than 2.4, naming the option', () => {
    expect(() => createStandin({ version: 'latest' })).toThrow(/^version must be an ML Commons release/);
    expect(() => createStandin({ version: '2.3.0' })).toThrow(
      'version 2.3.0 is older than 2.4.0, the oldest ML Commons release supported',
    );
    expect(() => createStandin({ version: { major: 1, minor: 3, patch: 0 } })).toThrow(/older than 2\.4\.0/);
  });

  it('reads plugin-style and short versions', () => {
    expect(createStandin({ version: '2.19.3.0' }).profile.version).toBe('2.19.3');
    expect(createStandin({ version: '2.11' }).profile.version).toBe('2.11.0');
    expect(createStandin().profile.version).toBe(NEWEST_RELEASE);
  });
});

// The gateway's setting for its embedded stand-in (its config tests live in server/gateway, not ours to change).
describe('STANDIN_VERSION', () => {
  it('is read and checked with the gateway settings, naming the variable', async () => {
    const { ConfigError, loadConfig } = await import('../gateway/config');
    expect(loadConfig({}).standinVersion).toBeUndefined();
    expect(loadConfig({ STANDIN_VERSION: ' 2.19.3.0 ' }).standinVersion).toBe('2.19.3');
    for (const [value, message] of [
      ['2.3', 'STANDIN_VERSION 2.3.0 is older than 2.4.0'],
      ['three', 'STANDIN_VERSION must be an ML Commons release'],
    ] as const) {
      expect(() => loadConfig({ STANDIN_VERSION: value })).toThrow(ConfigError);
      expect(() => loadConfig({ STANDIN_VERSION: value })).toThrow(message);
    }
    expect(() => loadConfig({ STANDIN_VERSION: '2.11.0', OPENSEARCH_URL: 'http://127.0.0.1:9200' })).toThrow(
      /STANDIN_VERSION applies only to the demo stand-in/,
    );
  });
});
