// The stand-in's nodes and what they hold, over HTTP: profile, ML stats and cluster settings at several releases,
// restarts and departures stranding tasks, the timeout firing only for held tasks, and the seed's stranded kinds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MlTask } from '../../shared/ml-types';
import { createStandin } from './server';
import type { Standin, StandinOptions } from './server';
import type { Source, StoredDoc } from './index-store';
import { clusterNodes, departedNodeId, generateModels, generateTasks } from './seed';
import { startLiveActivity } from './live';
import { CACHE_TRACKED_TYPES } from './ml-nodes';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const MIN = 60_000;
const [ML1, ML2, , , DATA1] = clusterNodes().map((n) => n.id) as [string, string, string, string, string];

const running: Standin[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function start(
  options: StandinOptions,
): Promise<{ standin: Standin; get: (path: string) => Promise<Res> }> {
  const standin = createStandin({ now: () => NOW, nodesStartedAt: NOW - 60 * MIN, ...options });
  running.push(standin);
  const url = await standin.listen();
  const get = async (path: string): Promise<Res> => {
    const res = await fetch(url + path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { standin, get };
}

interface Res {
  status: number;
  body: Record<string, unknown>;
}

function task(id: string, source: Partial<MlTask>): StoredDoc<Source> {
  return {
    _id: id,
    _source: {
      task_type: 'REGISTER_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'RUNNING',
      worker_node: [ML1],
      create_time: NOW - 5 * MIN,
      last_update_time: NOW - 5 * MIN,
      is_async: true,
      ...source,
    } as Source,
  };
}

/** A small cluster: two held tasks on ML1, one on ML2, one stranded by an old restart, and finished ones. */
const TASKS = [
  task('reg-held', {}),
  task('deploy-held', {
    task_type: 'DEPLOY_MODEL',
    model_id: 'm1',
    worker_node: [ML2, ML1],
    create_time: NOW - 3 * MIN,
  }),
  task('ingest-held', { task_type: 'BATCH_INGEST', state: 'CREATED', worker_node: undefined }),
  task('reg-before-start', { create_time: NOW - 3 * 60 * MIN }),
  task('agent', { task_type: 'AGENT_EXECUTION', function_name: 'AGENT', state: 'CREATED' }),
  task('done', { state: 'COMPLETED', model_id: 'm1' }),
  task('failed', {
    task_type: 'DEPLOY_MODEL',
    state: 'FAILED',
    model_id: 'm1',
    worker_node: [ML1, ML2],
    error: JSON.stringify({ [ML1]: 'Native Memory Circuit Breaker is open, please check your resources!' }),
  }),
];
const MODELS = [
  {
    _id: 'm1',
    _source: {
      name: 'all-MiniLM-L6-v2',
      algorithm: 'TEXT_EMBEDDING',
      model_state: 'DEPLOYED',
      planning_worker_nodes: [ML1, ML2],
    } as Source,
  },
];

function profileTaskIds(body: Record<string, unknown>): Record<string, string[]> {
  const nodes = (body.nodes ?? {}) as Record<string, { tasks?: Record<string, unknown> }>;
  return Object.fromEntries(Object.entries(nodes).map(([n, v]) => [n, Object.keys(v.tasks ?? {}).sort()]));
}

describe('GET /_plugins/_ml/profile/tasks', () => {
  it('lists per node the cache-tracked active tasks it holds, as ML Commons prints them, and leaves out the rest', async () => {
    const { get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    const { status, body } = await get('/_plugins/_ml/profile/tasks');
    expect(status).toBe(200);
    const ids = profileTaskIds(body);
    expect(ids[ML1]).toContain('reg-held');
    expect(ids[ML2]).toEqual(['deploy-held']);
    const all = Object.values(ids).flat();
    expect(all.sort()).toEqual(['deploy-held', 'ingest-held', 'reg-held']);
    // No models with /profile/tasks; every node listed holds something.
    for (const node of Object.values(body.nodes as Record<string, Record<string, unknown>>)) {
      expect(node.models).toBeUndefined();
      expect(Object.keys(node.tasks as object).length).toBeGreaterThan(0);
    }
    const held = (body.nodes as Record<string, { tasks: Record<string, Record<string, unknown>> }>)[ML1]!
      .tasks['reg-held']!;
    expect(held).toEqual({
      task_id: 'reg-held',
      task_type: 'REGISTER_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'RUNNING',
      worker_node: [ML1],
      create_time: NOW - 5 * MIN,
      last_update_time: NOW - 5 * MIN,
      is_async: true,
    });
  });

  it('serves its siblings: one task, the models, everything, and the model view', async () => {
    const { get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    expect(profileTaskIds((await get('/_plugins/_ml/profile/tasks/deploy-held,nope')).body)).toEqual({
      [ML2]: ['deploy-held'],
    });
    const models = (await get('/_plugins/_ml/profile/models')).body.nodes as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(models).sort()).toEqual([ML1, ML2].sort());
    expect(models[ML1]!.models).toMatchObject({
      m1: { model_state: 'DEPLOYED', target_worker_nodes: [ML1, ML2] },
    });
    const everything = (await get('/_plugins/_ml/profile')).body.nodes as Record<
      string,
      Record<string, unknown>
    >;
    expect(everything[ML1]).toHaveProperty('tasks');
    expect(everything[ML1]).toHaveProperty('models');
    const byModel = (await get('/_plugins/_ml/profile?view=model')).body as {
      models: Record<string, unknown>;
    };
    expect(byModel.models.m1).toMatchObject({ tasks: { 'deploy-held': { task_id: 'deploy-held' } } });
  });

  it('answers {} when nothing is held, and refuses what OpenSearch refuses', async () => {
    const { get } = await start({ tasks: [TASKS[5]!], models: structuredClone(MODELS) });
    expect(await get('/_plugins/_ml/profile/tasks')).toEqual({ status: 200, body: {} });
    const bad = await get('/_plugins/_ml/profile/tasks?size=1');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: {
        type: 'illegal_argument_exception',
        reason: 'request [/_plugins/_ml/profile/tasks] contains unrecognized parameter: [size]',
      },
    });
    const put = await fetch(`${await startUrl()}/_plugins/_ml/profile/tasks`, { method: 'PUT' });
    expect(put.status).toBe(405);
  });

  it.each([
    ['2.4.0', 'string worker_node, no view parameter'],
    ['2.11.0', ''],
    ['2.17.0', ''],
  ])('at %s: the same shape %s', async (version) => {
    const tasks = structuredClone(TASKS).map((d) =>
      version === '2.4.0' && Array.isArray(d._source.worker_node)
        ? { ...d, _source: { ...d._source, worker_node: (d._source.worker_node as string[]).join(',') } }
        : d,
    );
    const { get } = await start({ tasks, models: structuredClone(MODELS), version });
    const { body } = await get('/_plugins/_ml/profile/tasks');
    const ml1 = (body.nodes as Record<string, { tasks: Record<string, Record<string, unknown>> }>)[ML1]!;
    expect(ml1.tasks['reg-held']!.worker_node).toEqual(version === '2.4.0' ? ML1 : [ML1]);
    const view = await get('/_plugins/_ml/profile/tasks?view=node');
    expect(view.status).toBe(version === '2.4.0' ? 400 : 200);
  });

  it('answers {} from 2.14 on while the model index does not exist (its hidden-model search fails)', async () => {
    for (const [version, empty] of [
      ['2.13.0', false],
      ['2.14.0', true],
      ['3.8.0', true],
    ] as const) {
      const standin = createStandin({ now: () => NOW, nodesStartedAt: NOW - 60 * MIN, version });
      standin.tasks.put('t', TASKS[0]!._source);
      standin.models.exists = false;
      running.push(standin);
      const url = await standin.listen();
      const body = (await (await fetch(`${url}/_plugins/_ml/profile/tasks`)).json()) as Record<
        string,
        unknown
      >;
      expect(Object.keys(body).length === 0, version).toBe(empty);
    }
  });
});

async function startUrl(): Promise<string> {
  const standin = createStandin({ now: () => NOW });
  running.push(standin);
  return standin.listen();
}

describe('restarts and departures', () => {
  it('a restart empties the node: its tasks stay as they are, held by no node, and the timeout never fires for them', async () => {
    const { standin, get } = await start({
      tasks: structuredClone(TASKS),
      models: structuredClone(MODELS),
      persistentSettings: { 'plugins.ml_commons.ml_task_timeout_in_seconds': 120 },
    });
    const stranded = standin.restartNode(ML1);
    expect(stranded.sort()).toContain('reg-held');
    const ids = profileTaskIds((await get('/_plugins/_ml/profile/tasks')).body);
    expect(ids[ML1]).toBeUndefined();
    expect(ids[ML2]).toEqual(['deploy-held']);
    // The timeout (120 s) fails only what a node still holds: the deploy on ML2, not the stranded register.
    const failed = standin.failTimedOutTasks();
    expect(failed).toContain('deploy-held');
    expect(failed).not.toContain('reg-held');
    expect(failed).not.toContain('reg-before-start');
    expect(standin.tasks.get('deploy-held')!.source).toMatchObject({
      state: 'FAILED',
      error: 'timeout after 120 seconds',
      last_update_time: NOW,
    });
    expect(standin.tasks.get('reg-held')!.source.state).toBe('RUNNING');
    expect(standin.tasks.get('reg-before-start')!.source.state).toBe('RUNNING');
    expect(await get('/_plugins/_ml/profile/tasks')).toEqual({ status: 200, body: {} });
  });

  it('the timeout counts from creation and waits its full length', async () => {
    const { standin } = await start({ tasks: [task('young', { create_time: NOW - 30_000 })] });
    expect(standin.taskTimeoutSeconds()).toBe(600);
    expect(standin.failTimedOutTasks()).toEqual([]);
    standin.settings.persistent.set('plugins.ml_commons.ml_task_timeout_in_seconds', '10');
    expect(standin.failTimedOutTasks()).toEqual(['young']);
  });

  it('2.4 has no timeout at all', async () => {
    const { standin } = await start({
      tasks: [task('old', { create_time: NOW - 50 * MIN, worker_node: ML1 })],
      version: '2.4.0',
    });
    expect(standin.taskTimeoutSeconds()).toBeUndefined();
    expect(standin.failTimedOutTasks()).toEqual([]);
  });

  it('a node that leaves is gone from _nodes, profile and stats, and strands its tasks', async () => {
    const { standin, get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    expect(standin.removeNode(ML2)).toEqual(['deploy-held']);
    const nodes = (await get('/_nodes')).body as {
      nodes: Record<string, unknown>;
      _nodes: { total: number };
    };
    expect(Object.keys(nodes.nodes)).not.toContain(ML2);
    expect(nodes._nodes.total).toBe(clusterNodes().length - 1);
    expect(profileTaskIds((await get('/_plugins/_ml/profile/tasks')).body)[ML2]).toBeUndefined();
    expect(Object.keys((await get('/_plugins/_ml/stats')).body.nodes as object)).not.toContain(ML2);
    expect(() => standin.removeNode(ML2)).toThrow(/no node/);
    expect(() => standin.restartNode('nope')).toThrow(/no node/);
  });

  it('live activity restarts a node now and then, and never finishes what a restarted node held', () => {
    vi.useFakeTimers();
    try {
      let clock = NOW;
      const standin = createStandin({ now: () => clock, nodesStartedAt: NOW - 60 * MIN });
      const restarts: Array<[string, number]> = [];
      const stop = startLiveActivity(standin.tasks, {
        seed: 4,
        tickMs: 1000,
        arrivalRate: 1,
        now: () => clock,
        cluster: standin,
        restartEveryMs: 30_000,
        onRestart: (node, stranded) => restarts.push([node, stranded.length]),
      });
      vi.advanceTimersByTime(20_000);
      const [node] = [...standin.nodes.held(standin.tasks).keys()];
      expect(node).toBeDefined();
      clock += 1;
      const ids = standin.restartNode(node!);
      expect(ids.length).toBeGreaterThan(0);
      const before = ids.map((id) => JSON.stringify(standin.tasks.get(id)?.source));
      // Past every pending task's due time, and past the live restart.
      for (let i = 0; i < 40; i++) {
        clock += 1000;
        vi.advanceTimersByTime(1000);
      }
      stop();
      expect(ids.map((id) => JSON.stringify(standin.tasks.get(id)?.source))).toEqual(before);
      expect(restarts).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('GET /_plugins/_ml/stats', () => {
  it('counts per node, since the node started, from the tasks and models', async () => {
    const { standin, get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    const { status, body } = await get('/_plugins/_ml/stats');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ml_model_index_status: 'green',
      ml_task_index_status: 'green',
      ml_model_count: 1,
      ml_connector_count: 0,
    });
    const nodes = body.nodes as Record<string, Record<string, unknown>>;
    expect(Object.keys(nodes).sort()).toEqual(
      clusterNodes()
        .map((n) => n.id)
        .sort(),
    );
    const ml1 = nodes[ML1]!;
    expect(Object.keys(ml1).slice(0, 6)).toEqual([
      'ml_jvm_heap_usage',
      'ml_executing_task_count',
      'ml_request_count',
      'ml_failure_count',
      'ml_deployed_model_count',
      'ml_circuit_breaker_trigger_count',
    ]);
    // ML1 holds the register and (by its id's hash) perhaps the ingestion; it failed one deploy, a circuit breaker.
    expect(ml1.ml_failure_count).toBe(1);
    expect(ml1.ml_circuit_breaker_trigger_count).toBe(1);
    expect(ml1.ml_deployed_model_count).toBe(1);
    expect(nodes[ML2]!.ml_failure_count).toBe(0);
    expect(nodes[ML2]!.ml_executing_task_count).toBe(1);
    expect(nodes[DATA1]!.ml_deployed_model_count).toBe(0);
    expect(ml1.algorithms).toMatchObject({
      text_embedding: { deploy: { ml_action_request_count: 2, ml_action_failure_count: 1 } },
    });
    expect(typeof ml1.ml_jvm_heap_usage).toBe('number');

    // The model counts are kept between calls, and a write to the model index changes them.
    standin.models.put('m2', { ...MODELS[0]!._source, planning_worker_nodes: [ML2] });
    standin.models.put('m1', { ...MODELS[0]!._source, model_state: 'UNDEPLOYED' });
    const after = (await get('/_plugins/_ml/stats')).body;
    const afterNodes = after.nodes as Record<string, Record<string, unknown>>;
    expect(after.ml_model_count).toBe(2);
    expect(afterNodes[ML1]!.ml_deployed_model_count).toBe(0);
    expect(afterNodes[ML2]!.ml_deployed_model_count).toBe(1);
  });

  it('serves one node, one stat, and refuses an unknown stat as ML Commons does', async () => {
    const { get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS) });
    const one = await get(`/_plugins/_ml/${ML2}/stats/ml_executing_task_count`);
    expect(one.body).toEqual({ nodes: { [ML2]: { ml_executing_task_count: 1 } } });
    expect((await get('/_plugins/_ml/stats/ml_model_count')).body).toEqual({ ml_model_count: 1 });
    const bad = await get('/_plugins/_ml/stats/nope');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { type: 'illegal_argument_exception', reason: 'Wrong ML cluster level stat' },
    });
    expect((await get('/_plugins/_ml/unknown-node/stats')).body).not.toHaveProperty('nodes');
  });

  it.each([
    [
      '2.4.0',
      'ml_node_total_failure_count',
      ['ml_model_index_status', 'ml_task_index_status', 'ml_model_count'],
    ],
    [
      '2.11.0',
      'ml_failure_count',
      [
        'ml_model_index_status',
        'ml_connector_index_status',
        'ml_config_index_status',
        'ml_task_index_status',
        'ml_model_count',
        'ml_connector_count',
      ],
    ],
    [
      '2.17.0',
      'ml_failure_count',
      [
        'ml_model_index_status',
        'ml_connector_index_status',
        'ml_config_index_status',
        'ml_task_index_status',
        'ml_controller_index_status',
        'ml_model_count',
        'ml_connector_count',
      ],
    ],
    ['3.0.0', 'ml_failure_count', undefined],
  ])('at %s: names its stats as that release does', async (version, failure, cluster) => {
    const { get } = await start({ tasks: structuredClone(TASKS), models: structuredClone(MODELS), version });
    const { body } = await get('/_plugins/_ml/stats');
    const nodes = body.nodes as Record<string, Record<string, unknown>>;
    expect(nodes[ML1]).toHaveProperty(failure);
    if (cluster) expect(Object.keys(body).filter((k) => k !== 'nodes')).toEqual(cluster);
  });
});

describe('GET /_cluster/settings', () => {
  it('answers persistent and transient, and with include_defaults the ML settings of the release', async () => {
    const { get } = await start({
      persistentSettings: { 'plugins.ml_commons.ml_task_timeout_in_seconds': 120 },
    });
    expect((await get('/_cluster/settings')).body).toEqual({
      persistent: { plugins: { ml_commons: { ml_task_timeout_in_seconds: '120' } } },
      transient: {},
    });
    const flat = (await get('/_cluster/settings?include_defaults=true&flat_settings=true')).body as Record<
      string,
      Record<string, unknown>
    >;
    expect(flat.persistent).toEqual({ 'plugins.ml_commons.ml_task_timeout_in_seconds': '120' });
    expect(flat.defaults!['plugins.ml_commons.ml_task_timeout_in_seconds']).toBeUndefined();
    expect(flat.defaults).toMatchObject({
      'plugins.ml_commons.max_batch_inference_tasks': '100',
      'plugins.ml_commons.max_batch_ingestion_tasks': '100',
      'cluster.name': 'opensearch-ml-standin',
    });
  });

  it('matches flat keys with escaped dots in filter_path, as OpenSearch does', async () => {
    const { get } = await start({
      persistentSettings: { 'plugins.ml_commons.ml_task_timeout_in_seconds': 120 },
    });
    const filter = encodeURIComponent(
      '*.plugins\\.ml_commons\\.ml_task_timeout_in_seconds,*.plugins\\.ml_commons\\.max_batch_*_tasks',
    );
    const { body } = await get(
      `/_cluster/settings?include_defaults=true&flat_settings=true&filter_path=${filter}`,
    );
    expect(body).toEqual({
      persistent: { 'plugins.ml_commons.ml_task_timeout_in_seconds': '120' },
      defaults: {
        'plugins.ml_commons.max_batch_inference_tasks': '100',
        'plugins.ml_commons.max_batch_ingestion_tasks': '100',
      },
    });
    // Unescaped, the dots split the key into segments a flat key never matches.
    const unescaped = encodeURIComponent('*.plugins.ml_commons.ml_task_timeout_in_seconds');
    expect((await get(`/_cluster/settings?flat_settings=true&filter_path=${unescaped}`)).body).toEqual({});
  });

  it.each([
    ['2.4.0', undefined, undefined],
    ['2.11.0', '600', undefined],
    ['2.17.0', '600', undefined],
    ['2.19.0', '600', '10'],
    ['3.0.0', '600', '10'],
    ['3.8.0', '600', '100'],
  ])('at %s: timeout %s, batch limit %s', async (version, timeout, batch) => {
    const { get } = await start({ version });
    const { body } = await get('/_cluster/settings?include_defaults=true&flat_settings=true');
    const defaults = body.defaults as Record<string, unknown>;
    expect(defaults['plugins.ml_commons.ml_task_timeout_in_seconds']).toBe(timeout);
    expect(defaults['plugins.ml_commons.max_batch_inference_tasks']).toBe(batch);
  });

  it('refuses unknown parameters and a bad boolean', async () => {
    const { get } = await start({});
    expect((await get('/_cluster/settings?size=1')).status).toBe(400);
    const bad = await get('/_cluster/settings?include_defaults=yes');
    expect(bad.status).toBe(400);
  });
});

describe('the seed strands a handful of tasks of each kind', () => {
  it('at the newest release: held by no node, worker gone, batch not polled, agent without a result', async () => {
    const now = Date.now();
    const tasks = generateTasks(3_000, 5, now);
    const { standin, get } = await start({
      tasks,
      models: generateModels(tasks, 5, now),
      now: () => now,
      nodesStartedAt: undefined,
    });
    const active = tasks.filter((d) => ['CREATED', 'RUNNING'].includes(d._source.state ?? ''));
    const stranded = active.filter(
      (d) => CACHE_TRACKED_TYPES.has(d._source.task_type ?? '') && !standin.nodes.holds(d._id, d._source),
    );
    const old = (d: StoredDoc<MlTask>) => now - (d._source.create_time ?? 0) > 6 * 60 * MIN;
    expect(stranded.filter(old).length).toBeGreaterThanOrEqual(3);
    const gone = active.filter((d) =>
      (d._source.worker_node as string[] | undefined)?.includes(departedNodeId()),
    );
    expect(gone.length).toBeGreaterThanOrEqual(2);
    const nodes = (await get('/_nodes')).body.nodes as Record<string, unknown>;
    expect(Object.keys(nodes)).not.toContain(departedNodeId());
    expect(
      active.some(
        (d) =>
          d._source.task_type === 'BATCH_PREDICTION' && now - (d._source.last_update_time ?? now) > 5 * MIN,
      ),
    ).toBe(true);
    expect(
      active.some(
        (d) =>
          d._source.task_type === 'AGENT_EXECUTION' &&
          d._source.state === 'CREATED' &&
          old(d) &&
          !d._source.response,
      ),
    ).toBe(true);
    // Stranded tasks stay a small share: the table still looks like a cluster's.
    expect(active.filter(old).length).toBeLessThan(tasks.length * 0.005);
    // What the profile lists is exactly what the nodes hold.
    const listed = Object.values(profileTaskIds((await get('/_plugins/_ml/profile/tasks')).body)).flat();
    expect(listed.every((id) => standin.nodes.holds(id, standin.tasks.get(id)!.source as MlTask))).toBe(true);
  });

  it('fails from a few causes, with ids and numbers varying inside one cause', () => {
    const tasks = generateTasks(20_000, 8, NOW).map((d) => d._source);
    const errors = tasks.map((t) => t.error).filter((e): e is string => typeof e === 'string');
    expect(errors.filter((e) => e === 'timeout after 600 seconds').length).toBeGreaterThan(10);
    const groups = new Set(errors.filter((e) => e.startsWith('Failed to find model group')));
    expect(groups.size).toBeGreaterThan(1);
    // Deploy errors are per-node maps: one message per node, as a triage explodes them.
    const messages = errors.flatMap((e) =>
      e.startsWith('{') ? Object.values(JSON.parse(e) as Record<string, string>) : [e],
    );
    const normalised = new Set(
      messages.map((e) =>
        e
          .replace(/[A-Za-z0-9_-]{20,22}/g, '<id>')
          .replace(/\d+(\.\d+)?/g, '<n>')
          .slice(0, 120),
      ),
    );
    expect(normalised.size).toBeLessThan(60);
    expect(normalised.size).toBeGreaterThan(20);
    // 2.4 has no timeout, so no timeout failures.
    const old = generateTasks(5_000, 8, NOW, '2.4.0').map((d) => d._source.error);
    expect(old).not.toContain('timeout after 600 seconds');
  });
});
