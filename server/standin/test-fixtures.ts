// A small hand-written task index for the engine's unit tests: every expected result can be worked out by eye.

import { TASK_INDEX } from '../../shared/ml-types';
import { IndexStore } from './index-store';
import type { Source } from './index-store';
import { TASK_MAPPING } from './mapping';
import { search } from './search';

/** 2024-06-01T00:00:00Z, the fixed "now" of these tests. */
export const NOW = Date.UTC(2024, 5, 1);
const H = 3_600_000;

export const FIXTURE: Array<{ _id: string; _source: Source }> = [
  {
    _id: 't1',
    _source: {
      task_type: 'REGISTER_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      model_id: 'm1',
      worker_node: ['n1'],
      create_time: NOW - 48 * H,
      last_update_time: NOW - 47 * H,
      is_async: true,
    },
  },
  {
    _id: 't2',
    _source: {
      task_type: 'DEPLOY_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'FAILED',
      model_id: 'm1',
      worker_node: ['n1', 'n2'],
      create_time: NOW - 30 * H,
      last_update_time: NOW - 29 * H,
      is_async: true,
      error: '{"n1":"Native Memory Circuit Breaker is open, please check your resources!"}',
    },
  },
  {
    _id: 't3',
    _source: {
      task_type: 'DEPLOY_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      model_id: 'm1',
      worker_node: ['n1', 'n2', 'n3'],
      create_time: NOW - 20 * H,
      last_update_time: NOW - 19 * H,
      is_async: true,
    },
  },
  {
    _id: 't4',
    _source: {
      task_type: 'TRAINING',
      function_name: 'KMEANS',
      state: 'FAILED',
      input_type: 'SEARCH_QUERY',
      worker_node: ['n2'],
      create_time: NOW - 10 * H,
      last_update_time: NOW - 9 * H,
      is_async: true,
      error: 'Out of memory while training the model',
    },
  },
  {
    _id: 't5',
    _source: {
      task_type: 'TRAINING',
      function_name: 'KMEANS',
      state: 'COMPLETED',
      input_type: 'DATA_FRAME',
      model_id: 'm2',
      worker_node: ['n3'],
      create_time: NOW - 5 * H,
      last_update_time: NOW - 4 * H,
      is_async: true,
    },
  },
  {
    _id: 't6',
    _source: {
      task_type: 'BATCH_PREDICTION',
      function_name: 'REMOTE',
      state: 'RUNNING',
      input_type: 'REMOTE',
      model_id: 'm3',
      worker_node: ['n2'],
      create_time: NOW - 2 * H,
      last_update_time: NOW - H,
      is_async: true,
      remote_job: { status: 'in_progress', id: 'batch_1' },
    },
  },
  {
    _id: 't7',
    _source: {
      task_type: 'BATCH_INGEST',
      state: 'COMPLETED',
      create_time: NOW - 90 * 60_000,
      last_update_time: NOW - 80 * 60_000,
      is_async: true,
    },
  },
  {
    _id: 't8',
    _source: {
      task_type: 'AGENT_EXECUTION',
      function_name: 'AGENT',
      state: 'FAILED',
      worker_node: ['n1'],
      create_time: NOW - 30 * 60_000,
      last_update_time: NOW - 29 * 60_000,
      is_async: true,
      response: { memory_id: 'mem1', error_message: 'Tool failed' },
    },
  },
  {
    _id: 't9',
    _source: {
      task_type: 'REGISTER_MODEL',
      function_name: 'SPARSE_ENCODING',
      state: 'CREATED',
      worker_node: ['n3'],
      create_time: NOW - 10 * 60_000,
      last_update_time: NOW - 10 * 60_000,
      is_async: true,
    },
  },
  {
    _id: 't10',
    _source: {
      task_type: 'UPLOAD_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      model_id: 'm4',
      worker_node: 'legacy-node',
      create_time: NOW - 400 * 24 * H,
      last_update_time: NOW - 400 * 24 * H + 60_000,
      is_async: true,
    },
  },
  {
    _id: 't11',
    _source: {
      task_type: 'REGISTER_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'FAILED',
      worker_node: ['n1'],
      create_time: NOW - 3 * H,
      last_update_time: NOW - 3 * H + 1000,
      is_async: false,
      error: '<script>alert("x")</script> memory exceeded',
    },
  },
  {
    _id: 't12',
    _source: {
      task_type: 'DEPLOY_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'CANCELLED',
      model_id: 'm1',
      worker_node: ['n1', 'n2'],
      create_time: NOW - 1 * H,
      last_update_time: NOW - 30 * 60_000,
    },
  },
];

export function fixtureStore(): IndexStore {
  const store = new IndexStore(TASK_INDEX, TASK_MAPPING, 4);
  for (const d of FIXTURE) store.put(d._id, d._source);
  return store;
}

/** Runs a search on a fresh fixture store at NOW. */
export function run(body: Record<string, unknown>, store = fixtureStore()): any {
  return search(store, body, { now: NOW });
}

/** The ids a query matches, in index order. */
export function idsOf(query: unknown, store = fixtureStore()): string[] {
  const res = run({ query, size: 100, sort: ['_doc'] }, store);
  return res.hits.hits.map((h: { _id: string }) => h._id);
}

/** Catches the error a search throws, as its rendered body and status. */
export function errorOf(
  body: Record<string, unknown>,
  store = fixtureStore(),
): { status: number; body: any } {
  try {
    search(store, body, { now: NOW });
  } catch (e) {
    const err = e as { status: number; toBody?: () => unknown; body?: unknown };
    return { status: err.status, body: err.toBody ? err.toBody() : err.body };
  }
  throw new Error('expected the search to fail');
}
