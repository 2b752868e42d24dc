// staleClause and findStale agree: the stand-in, searched over HTTP with the clause, finds exactly the tasks that
// findStale flags, over generated tasks of every type, state, age and worker shape, in several cluster contexts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../server/standin/server';
import { TASK_STATES, type MlTask } from './ml-types';
import {
  DEFAULT_THRESHOLDS,
  findStale,
  staleCapabilitiesOf,
  staleClause,
  type StaleCapabilities,
  type StaleContext,
} from './stale-rules';

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const S = 1000;

const TYPES = [
  'REGISTER_MODEL',
  'DEPLOY_MODEL',
  'LOAD_MODEL',
  'TRAINING',
  'BATCH_INGEST',
  'BATCH_PREDICTION',
  'AGENT_EXECUTION',
  'EXECUTION',
  'SOMETHING_NEW',
];
const STATES = [...TASK_STATES, 'PAUSED'];
/** Ages around every limit: the new-task grace (60 s), the batch poll (300 s), the timeout (730 s), agents (3600 s). */
const AGES = [10 * S, 61 * S, 299 * S, 301 * S, 730 * S, 731 * S, 3601 * S, 3 * 86_400 * S];
const WORKERS: Array<MlTask['worker_node']> = [
  ['n1'],
  ['n1', 'gone'],
  ['gone'],
  ['gone', 'gone2'],
  // 2.4's comma-joined workers, with a live one first, last or in the middle.
  'n2,gone',
  'gone,n2',
  'gone,n2,gone2',
  'gone,gone2',
  'gone',
  undefined,
];

function generate(): Array<{ _id: string; _source: MlTask }> {
  const docs: Array<{ _id: string; _source: MlTask }> = [];
  let n = 0;
  for (const task_type of TYPES) {
    for (const state of STATES) {
      for (const age of AGES) {
        // Every doc takes the next worker shape and update pattern in turn, so all meet every type and state.
        const worker_node = WORKERS[n % WORKERS.length];
        const pattern = Math.floor(n / WORKERS.length) % 3;
        const source: MlTask = {
          task_type,
          function_name: task_type === 'AGENT_EXECUTION' ? 'AGENT' : 'REMOTE',
          state,
          create_time: NOW - age,
          // Updated at creation, a minute ago, or never recorded.
          ...(pattern === 0
            ? { last_update_time: NOW - age }
            : pattern === 1
              ? { last_update_time: NOW - 60 * S }
              : {}),
          ...(worker_node === undefined ? {} : { worker_node }),
          ...(task_type.endsWith('MODEL') ? { model_id: `m${n % 7}` } : {}),
        };
        docs.push({ _id: `t${n}`, _source: source });
        n++;
      }
    }
  }
  return docs;
}

const DOCS = generate();
/** Every third task is held by some node. */
const HELD = DOCS.filter((_, i) => i % 3 === 0).map((d) => d._id);

let standin: Standin;
let baseUrl: string;

beforeAll(async () => {
  standin = createStandin({ tasks: DOCS, now: () => NOW });
  baseUrl = await standin.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await standin.close();
});

async function idsMatching(query: Record<string, unknown>): Promise<string[]> {
  const response = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, size: 10_000, track_total_hits: true, sort: ['_doc'] }),
  });
  const json = (await response.json()) as {
    hits: { total: { value: number }; hits: Array<{ _id: string }> };
  };
  expect(response.status, JSON.stringify(json)).toBe(200);
  expect(json.hits.total.value).toBe(json.hits.hits.length);
  return json.hits.hits.map((h) => h._id).sort();
}

const CASES: Array<[name: string, ctx: StaleContext, caps: StaleCapabilities]> = [
  [
    'everything known, newest release',
    { now: NOW, thresholds: DEFAULT_THRESHOLDS, liveNodeIds: ['n1', 'n2', 'n3'], heldTaskIds: HELD },
    staleCapabilitiesOf({ release: '3.2.0' }),
  ],
  ['nothing known of the nodes', { now: NOW, thresholds: DEFAULT_THRESHOLDS }, staleCapabilitiesOf({})],
  [
    '2.4: no timeout, no poller',
    { now: NOW, thresholds: DEFAULT_THRESHOLDS, liveNodeIds: ['n2'] },
    staleCapabilitiesOf({ release: '2.4.0' }),
  ],
  [
    'nothing held, the sync-up off, other thresholds',
    {
      now: NOW,
      thresholds: {
        ...DEFAULT_THRESHOLDS,
        syncUpIntervalSeconds: 0,
        batchPollMinutes: 4.99,
        agentRunMinutes: 12,
        newTaskGraceSeconds: 300,
      },
      heldTaskIds: [],
    },
    staleCapabilitiesOf({ release: '2.19.0' }),
  ],
  [
    'a longer timeout, held tasks known',
    {
      now: NOW,
      thresholds: {
        ...DEFAULT_THRESHOLDS,
        taskTimeoutSeconds: 240,
        timeoutGraceSeconds: 0,
        syncUpIntervalSeconds: 1,
      },
      heldTaskIds: HELD,
    },
    staleCapabilitiesOf({ release: '2.17.0' }),
  ],
];

describe('staleClause selects exactly the tasks findStale flags', () => {
  it.each(CASES)('%s', async (_name, ctx, caps) => {
    const expected = DOCS.filter((d) => findStale(d._id, d._source, ctx, caps) !== undefined)
      .map((d) => d._id)
      .sort();
    // Something of every kind is flagged, and something is not: the comparison means something.
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(DOCS.length / 2);
    expect(await idsMatching(staleClause(ctx, caps))).toEqual(expected);
    // And its negation, as `-is:stale` sends it, selects the rest.
    const rest = await idsMatching({ bool: { must_not: [staleClause(ctx, caps)] } });
    expect(rest.length + expected.length).toBe(DOCS.length);
  });

  it('flags by every rule across the cases', () => {
    const rules = new Set<string>();
    for (const [, ctx, caps] of CASES) {
      for (const d of DOCS) {
        const finding = findStale(d._id, d._source, ctx, caps);
        if (finding) rules.add(finding.rule);
      }
    }
    expect([...rules].sort()).toEqual([
      'agent-no-result',
      'batch-not-polled',
      'held-by-no-node',
      'timeout-missed',
      'worker-left',
    ]);
  });
});
