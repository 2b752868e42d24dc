// The stale rules, table-driven: documents from ml-commons issue #3913 and synthetic ones of every rule, the
// thresholds read from cluster settings, and the node and profile answers.
import { describe, expect, it } from 'vitest';
import type { MlTask } from './ml-types';
import {
  DEFAULT_THRESHOLDS,
  clusterSetting,
  findStale,
  formatAge,
  heldTaskIdsFromProfile,
  liveNodeIdsFromNodes,
  staleCapabilitiesOf,
  staleClause,
  thresholdsFromClusterSettings,
  workerNodesOf,
  type StaleCapabilities,
  type StaleContext,
  type StaleFinding,
} from './stale-rules';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** ml-commons #3913 (OpenSearch 2.17.0): a REGISTER_MODEL stuck in CREATED, reported five days after it was created. */
const ISSUE_3913_ID = 'g0dVX5cBOm20_LGcvsyi';
const ISSUE_3913: MlTask = {
  task_type: 'REGISTER_MODEL',
  function_name: 'TEXT_EMBEDDING',
  state: 'CREATED',
  worker_node: ['h_X2z2qkQ2i_fBsXKnmHBg'],
  create_time: 1749651144354,
  last_update_time: 1749651144354,
  is_async: true,
};
const ISSUE_3913_NODE = 'h_X2z2qkQ2i_fBsXKnmHBg';
/** The day the issue was filed. */
const REPORTED = Date.UTC(2025, 5, 16, 9, 0, 0);

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const V2_4 = staleCapabilitiesOf({ release: '2.4.0' });
const V2_17 = staleCapabilitiesOf({ release: '2.17.0' });
const V2_18 = staleCapabilitiesOf({ release: '2.18.0' });
const V3 = staleCapabilitiesOf({ release: '3.2.0' });

function ctx(patch: Partial<StaleContext> = {}): StaleContext {
  return { now: NOW, thresholds: DEFAULT_THRESHOLDS, ...patch };
}

function task(patch: Partial<MlTask> & { age?: number; idle?: number }): MlTask {
  const { age = 2 * HOUR, idle, ...rest } = patch;
  return {
    task_type: 'REGISTER_MODEL',
    function_name: 'TEXT_EMBEDDING',
    state: 'RUNNING',
    worker_node: ['n1'],
    create_time: NOW - age,
    last_update_time: NOW - (idle ?? age),
    is_async: true,
    ...rest,
  };
}

describe('staleCapabilitiesOf', () => {
  it('knows when the timeout, the batch poller, the RUNNING refusal and the cancel path came', () => {
    expect(V2_4).toEqual({
      taskTimeout: false,
      batchPoller: false,
      runningDeleteRefused: false,
      cancelPath: null,
    });
    expect(staleCapabilitiesOf({ release: '2.5.0' }).taskTimeout).toBe(true);
    expect(V2_17).toEqual({
      taskTimeout: true,
      batchPoller: false,
      runningDeleteRefused: true,
      cancelPath: '_cancel_batch',
    });
    expect(staleCapabilitiesOf({ release: '2.19.0' })).toMatchObject({
      batchPoller: true,
      cancelPath: '_cancel',
    });
    // An unknown release is the newest, as everywhere else; given capabilities win.
    expect(staleCapabilitiesOf({})).toEqual(V3);
    expect(
      staleCapabilitiesOf({ release: '3.0.0', runningDeleteRefused: false, cancelPath: null }),
    ).toMatchObject({
      runningDeleteRefused: false,
      cancelPath: null,
    });
  });
});

describe('findStale: ml-commons #3913', () => {
  const at = (patch: Partial<StaleContext> = {}) => ctx({ now: REPORTED, ...patch });

  it('the timeout should have fired five days ago: delete it and register again', () => {
    const finding = findStale(ISSUE_3913_ID, ISSUE_3913, at(), V2_17)!;
    expect(finding).toMatchObject({ rule: 'timeout-missed', deletable: true, nextStep: { kind: 'delete' } });
    expect(finding.title).toBe('Timeout should have fired: the owning node lost it');
    expect(finding.why).toBe(
      'CREATED for 4 d 18 h, last updated 4 d 18 h ago; the task timeout is 600 s (applied every 10 s), so ML ' +
        'Commons should have failed it with "timeout after 600 seconds". The node that held it lost it, most likely ' +
        'in a restart.',
    );
    expect(finding.nextStep.text).toMatch(/^Delete the task: .*Then register the model again\.$/);
  });

  it('no node holds it: the profile answers {} after the restart', () => {
    const held = heldTaskIdsFromProfile({});
    expect(findStale(ISSUE_3913_ID, ISSUE_3913, at({ heldTaskIds: held }), V2_17)?.rule).toBe(
      'held-by-no-node',
    );
  });

  it('its worker is gone when the node list no longer has it, and fine while it does', () => {
    const gone = findStale(ISSUE_3913_ID, ISSUE_3913, at({ liveNodeIds: ['other'] }), V2_17)!;
    expect(gone.rule).toBe('worker-left');
    expect(gone.why).toBe(
      'CREATED for 4 d 18 h; its worker node h_X2z2qkQ2i_fBsXKnmHBg is no longer in the cluster (GET /_nodes lists ' +
        '1 node). The work lived in that node’s memory and will not resume.',
    );
    expect(findStale(ISSUE_3913_ID, ISSUE_3913, at({ liveNodeIds: [ISSUE_3913_NODE] }), V2_17)?.rule).toBe(
      'timeout-missed',
    );
  });

  it('still held by its node: not lost, so not stale, however old', () => {
    expect(findStale(ISSUE_3913_ID, ISSUE_3913, at({ heldTaskIds: [ISSUE_3913_ID] }), V2_17)).toBeUndefined();
  });

  it('the same task RUNNING cannot be deleted on 2.17, and the operator is told what is left', () => {
    const finding = findStale(ISSUE_3913_ID, { ...ISSUE_3913, state: 'RUNNING' }, at(), V2_17)!;
    expect(finding).toMatchObject({
      rule: 'timeout-missed',
      deletable: false,
      nextStep: { kind: 'edit-system-index' },
    });
    expect(finding.nextStep.text).toContain('"Task cannot be deleted in running state"');
    expect(finding.nextStep.text).toContain('restarting does not help');
    expect(finding.nextStep.text).toContain('.plugins-ml-task');
    // Before 2.6 DELETE took RUNNING tasks too.
    const old = findStale(
      ISSUE_3913_ID,
      { ...ISSUE_3913, state: 'RUNNING' },
      at(),
      staleCapabilitiesOf({ release: '2.5.0' }),
    )!;
    expect(old).toMatchObject({ deletable: true, nextStep: { kind: 'delete' } });
  });
});

type Row = [
  name: string,
  task: MlTask,
  context: Partial<StaleContext>,
  caps: StaleCapabilities,
  expected: (Partial<Pick<StaleFinding, 'rule' | 'deletable'>> & { kind?: string }) | undefined,
];

const TABLE: Row[] = [
  // Cached types and the timeout.
  ['a fresh running registration', task({ age: 5 * MIN }), {}, V3, undefined],
  ['a registration at exactly timeout + sync-up + grace', task({ age: 730_000 }), {}, V3, undefined],
  ['one millisecond past it', task({ age: 730_001 }), {}, V3, { rule: 'timeout-missed', deletable: false }],
  [
    'age counts from the last update, not from creation',
    task({ age: 3 * HOUR, idle: 5 * MIN }),
    {},
    V3,
    undefined,
  ],
  [
    'no last_update_time: from creation',
    task({ age: HOUR, last_update_time: undefined }),
    {},
    V3,
    { rule: 'timeout-missed' },
  ],
  [
    'no dates at all: unknown age',
    task({ create_time: undefined, last_update_time: undefined }),
    {},
    V3,
    undefined,
  ],
  ['no timeout before 2.5', task({}), {}, V2_4, undefined],
  [
    'the sync-up switched off: the timeout never fires',
    task({}),
    { thresholds: { ...DEFAULT_THRESHOLDS, syncUpIntervalSeconds: 0 } },
    V3,
    undefined,
  ],
  [
    'a longer timeout from the cluster',
    task({ age: HOUR }),
    { thresholds: { ...DEFAULT_THRESHOLDS, taskTimeoutSeconds: 7200 } },
    V3,
    undefined,
  ],
  [
    'async training',
    task({ task_type: 'TRAINING', function_name: 'KMEANS', state: 'CREATED' }),
    {},
    V3,
    { rule: 'timeout-missed', kind: 'delete' },
  ],
  [
    'a batch ingestion: CREATED all along, and timed out by ML Commons past the timeout',
    task({ task_type: 'BATCH_INGEST', function_name: undefined, state: 'CREATED', worker_node: undefined }),
    { liveNodeIds: ['n9'] },
    V3,
    { rule: 'timeout-missed', kind: 'delete' },
  ],
  [
    'a batch ingestion within the timeout',
    task({ task_type: 'BATCH_INGEST', state: 'CREATED', worker_node: undefined, age: 8 * MIN }),
    {},
    V3,
    undefined,
  ],
  // Deploys.
  [
    'a deploy still CREATED: the timeout waits for its workers, so only the profile can tell',
    task({ task_type: 'DEPLOY_MODEL', state: 'CREATED', model_id: 'm1' }),
    {},
    V3,
    undefined,
  ],
  [
    'a deploy still CREATED that no node holds: redeploy',
    task({ task_type: 'DEPLOY_MODEL', state: 'CREATED', model_id: 'm1' }),
    { heldTaskIds: ['other'] },
    V3,
    { rule: 'held-by-no-node', kind: 'redeploy', deletable: true },
  ],
  [
    'a deploy RUNNING past the timeout: redeploy',
    task({ task_type: 'DEPLOY_MODEL', model_id: 'm1', worker_node: ['n1', 'n2'] }),
    { liveNodeIds: ['n2'] },
    V3,
    { rule: 'timeout-missed', kind: 'redeploy', deletable: false },
  ],
  [
    'a deploy whose every worker is gone',
    task({ task_type: 'DEPLOY_MODEL', model_id: 'm1', worker_node: ['n1', 'n2'] }),
    { liveNodeIds: ['n3'] },
    V3,
    { rule: 'worker-left', kind: 'redeploy' },
  ],
  [
    '2.4: LOAD_MODEL with comma-joined workers, one still here',
    task({ task_type: 'LOAD_MODEL', model_id: 'm1', worker_node: 'n1,n2' }),
    { liveNodeIds: ['n2', 'n3'] },
    V2_4,
    undefined,
  ],
  [
    '2.4: LOAD_MODEL with comma-joined workers, all gone; RUNNING could still be deleted then',
    task({ task_type: 'LOAD_MODEL', model_id: 'm1', worker_node: 'n1,n2' }),
    { liveNodeIds: ['n3'] },
    V2_4,
    { rule: 'worker-left', kind: 'redeploy', deletable: true },
  ],
  // The profile and the node list.
  [
    'held by no node, but created a moment ago',
    task({ age: 30_000 }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
  [
    'held by no node, past the grace',
    task({ age: 2 * MIN }),
    { heldTaskIds: [] },
    V3,
    { rule: 'held-by-no-node' },
  ],
  ['held by a node', task({ age: 2 * MIN }), { heldTaskIds: ['t'] }, V3, undefined],
  [
    'a worker that left outranks the profile',
    task({ age: 2 * MIN }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    { rule: 'worker-left' },
  ],
  ['an empty node list is no answer', task({ age: 2 * MIN }), { liveNodeIds: [] }, V3, undefined],
  // Batch predictions.
  [
    'a remote batch job polled 4 min ago',
    task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', input_type: 'REMOTE', idle: 4 * MIN }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
  [
    'a remote batch job not polled for 10 min: cancel it',
    task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', input_type: 'REMOTE', idle: 10 * MIN }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    { rule: 'batch-not-polled', kind: 'cancel', deletable: false },
  ],
  [
    'before 2.19 nothing polls: not stale',
    task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', idle: 10 * MIN }),
    {},
    V2_18,
    undefined,
  ],
  [
    'a batch job CANCELLING for an hour: delete it',
    task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', state: 'CANCELLING', idle: HOUR }),
    {},
    V3,
    { rule: 'batch-not-polled', kind: 'delete', deletable: true },
  ],
  [
    'a batch job CREATED is never polled',
    task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', state: 'CREATED', idle: HOUR }),
    {},
    V3,
    { rule: 'batch-not-polled', kind: 'delete' },
  ],
  // Agent runs.
  [
    'an agent run for 30 min',
    task({
      task_type: 'AGENT_EXECUTION',
      function_name: 'AGENT',
      state: 'CREATED',
      age: 30 * MIN,
      is_async: false,
    }),
    { heldTaskIds: [] },
    V3,
    undefined,
  ],
  [
    'an agent run for 2 h with no result',
    task({ task_type: 'AGENT_EXECUTION', function_name: 'AGENT', state: 'CREATED', is_async: false }),
    { heldTaskIds: [] },
    V3,
    { rule: 'agent-no-result', kind: 'delete', deletable: true },
  ],
  [
    'a plan-execute-reflect run RUNNING for 2 h, with only its memory ids written',
    task({
      task_type: 'AGENT_EXECUTION',
      function_name: 'AGENT',
      idle: 100 * MIN,
      response: { executor_agent_memory_id: 'mem-2' },
    }),
    {},
    V3,
    { rule: 'agent-no-result', kind: 'edit-system-index', deletable: false },
  ],
  [
    'an agent run whose node left, ten minutes in',
    task({ task_type: 'AGENT_EXECUTION', function_name: 'AGENT', state: 'CREATED', age: 10 * MIN }),
    { liveNodeIds: ['n9'] },
    V3,
    { rule: 'worker-left' },
  ],
  // Never stale.
  [
    'a finished task',
    task({ state: 'COMPLETED', age: 100 * HOUR }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
  [
    'a failed one',
    task({ state: 'FAILED', age: 100 * HOUR }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
  [
    'a state from a future release',
    task({ state: 'PAUSED', age: 100 * HOUR }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
  [
    'a type from a future release',
    task({ task_type: 'REINDEX', age: 100 * HOUR }),
    { heldTaskIds: [], liveNodeIds: ['n9'] },
    V3,
    undefined,
  ],
];

describe('findStale', () => {
  it.each(TABLE)('%s', (_name, doc, context, caps, expected) => {
    const finding = findStale('t', doc, ctx(context), caps);
    if (expected === undefined) {
      expect(finding).toBeUndefined();
      return;
    }
    expect(finding).toBeDefined();
    const { kind, ...rest } = expected;
    expect(finding).toMatchObject(rest);
    if (kind) expect(finding!.nextStep.kind).toBe(kind);
    expect(finding!.why).not.toBe('');
    expect(finding!.nextStep.text).not.toBe('');
  });

  it('says the numbers: the batch poll window and the agent threshold, as set', () => {
    const batch = task({ task_type: 'BATCH_PREDICTION', function_name: 'REMOTE', idle: 25 * MIN });
    const thresholds = { ...DEFAULT_THRESHOLDS, batchPollMinutes: 20, agentRunMinutes: 90 };
    expect(findStale('b1', batch, ctx({ thresholds }), V3)?.why).toBe(
      'RUNNING, last updated 25 min ago; ML Commons polls running batch jobs every minute and stamps each poll, so it ' +
        'has not been polled for over 20 min. The poll job may be stopped (it needs the job scheduler plugin), or more ' +
        'than 100 batch tasks are waiting (it takes 100 a minute, in no order).',
    );
    expect(findStale('b1', batch, ctx({ thresholds }), V3)?.nextStep.text).toBe(
      "Cancel the provider's job (POST /_plugins/_ml/tasks/b1/_cancel); the task moves on at its next update. " +
        'Opening the task asks the provider for its status now.',
    );
    const agent = task({ task_type: 'AGENT_EXECUTION', state: 'CREATED', age: 100 * MIN });
    expect(findStale('a1', agent, ctx({ thresholds }), V3)?.why).toBe(
      'CREATED for 1 h 40 min; agent runs have no timeout, and a run that ends writes its result (or ' +
        'response.error_message) together with COMPLETED or FAILED. Past 90 min without one, the run most likely ' +
        'died with its node.',
    );
  });

  it('names the endpoint that deploys again: _load for a legacy LOAD_MODEL', () => {
    const deploy = findStale('d', task({ task_type: 'DEPLOY_MODEL', model_id: 'm7' }), ctx(), V3);
    expect(deploy?.nextStep.text).toMatch(
      /^Deploy the model again \(POST \/_plugins\/_ml\/models\/m7\/_deploy\)/,
    );
    const load = findStale(
      'l',
      task({ task_type: 'LOAD_MODEL', model_id: 'm7' }),
      ctx({ liveNodeIds: ['x'] }),
      V2_4,
    );
    expect(load?.nextStep.text).toMatch(
      /models\/m7\/_load\): that starts a new task\. Then delete this task/,
    );
  });

  it('never guesses from an unknown cluster: no node list and no profile leave only the document rules', () => {
    const doc = task({ age: 2 * MIN });
    expect(findStale('t', doc, ctx(), V3)).toBeUndefined();
    expect(findStale('t', doc, ctx({ heldTaskIds: undefined, liveNodeIds: undefined }), V3)).toBeUndefined();
  });
});

describe('staleClause', () => {
  it('uses date math on the cluster’s now, so a refresh moves it', () => {
    const text = JSON.stringify(staleClause(ctx(), V3));
    expect(text).toContain('"lt":"now-730s"');
    expect(text).toContain('"lt":"now-300s"');
    expect(text).toContain('"lt":"now-3600s"');
    expect(text).not.toContain(String(NOW));
  });

  it('leaves out the rules that cannot apply: only the agent rule needs nothing from the cluster', () => {
    const none = { taskTimeout: false, batchPoller: false };
    const clause = staleClause(ctx(), none) as { bool: { should: unknown[] } };
    expect(clause.bool.should).toHaveLength(1);
    expect(JSON.stringify(clause)).toContain('AGENT_EXECUTION');
    const everything = staleClause(ctx({ liveNodeIds: ['n1'], heldTaskIds: [] }), V3) as typeof clause;
    expect(everything.bool.should).toHaveLength(5);
  });
});

describe('thresholdsFromClusterSettings', () => {
  const key = 'plugins.ml_commons.ml_task_timeout_in_seconds';
  const sync = 'plugins.ml_commons.sync_up_job_interval_in_seconds';

  it('reads flat settings, transient over persistent over defaults', () => {
    const body = {
      persistent: { [key]: '900' },
      transient: { [key]: '1200' },
      defaults: { [key]: '600', [sync]: '10' },
    };
    expect(thresholdsFromClusterSettings(body)).toEqual({
      taskTimeoutSeconds: 1200,
      syncUpIntervalSeconds: 10,
    });
    expect(clusterSetting(body, key)).toEqual({ value: '1200', source: 'transient' });
    expect(clusterSetting({ ...body, transient: {} }, key)).toEqual({ value: '900', source: 'persistent' });
    expect(clusterSetting(body, sync)).toEqual({ value: '10', source: 'defaults' });
  });

  it('reads nested settings (flat_settings=false) too', () => {
    const body = {
      persistent: { plugins: { ml_commons: { ml_task_timeout_in_seconds: '300' } } },
      transient: {},
      defaults: { plugins: { ml_commons: { sync_up_job_interval_in_seconds: '0' } } },
    };
    expect(thresholdsFromClusterSettings(body)).toEqual({
      taskTimeoutSeconds: 300,
      syncUpIntervalSeconds: 0,
    });
  });

  it('leaves out what the cluster did not say, or said unusably', () => {
    expect(thresholdsFromClusterSettings({ persistent: {}, transient: {} })).toEqual({});
    expect(thresholdsFromClusterSettings({ persistent: { [key]: 'ten' }, defaults: { [sync]: -1 } })).toEqual(
      {},
    );
    expect(thresholdsFromClusterSettings(null)).toEqual({});
    expect(thresholdsFromClusterSettings('nope')).toEqual({});
  });
});

describe('the node list and the profile', () => {
  it('live node ids from GET /_nodes; unknown when a node failed to answer', () => {
    const body = {
      _nodes: { total: 2, successful: 2, failed: 0 },
      cluster_name: 'c',
      nodes: { a: {}, b: {} },
    };
    expect(liveNodeIdsFromNodes(body)).toEqual(['a', 'b']);
    expect(liveNodeIdsFromNodes({ ...body, _nodes: { total: 3, successful: 2, failed: 1 } })).toBeUndefined();
    expect(liveNodeIdsFromNodes({ nodes: {} })).toBeUndefined();
    expect(liveNodeIdsFromNodes({ error: 'x' })).toBeUndefined();
  });

  it('held task ids from the profile; {} is nothing held', () => {
    const body = {
      nodes: {
        a: { tasks: { t1: { state: 'RUNNING' }, t2: {} }, models: { m1: {} } },
        b: { models: { m1: {} } },
        c: { tasks: { t2: {}, t3: {} } },
      },
    };
    expect(heldTaskIdsFromProfile(body)).toEqual(['t1', 't2', 't3']);
    expect(heldTaskIdsFromProfile({})).toEqual([]);
    expect(heldTaskIdsFromProfile({ error: { type: 'x' }, status: 500 })).toBeUndefined();
    expect(heldTaskIdsFromProfile([])).toBeUndefined();
  });

  it('worker nodes as a list, from an array, a string or a comma-joined string', () => {
    expect(workerNodesOf({ worker_node: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(workerNodesOf({ worker_node: 'a' })).toEqual(['a']);
    expect(workerNodesOf({ worker_node: 'a,b' })).toEqual(['a', 'b']);
    expect(workerNodesOf({})).toEqual([]);
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [HOUR, '1 h'],
    [3 * HOUR + 12 * MIN, '3 h 12 min'],
    [24 * HOUR, '1 d'],
    [52 * HOUR, '2 d 4 h'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
