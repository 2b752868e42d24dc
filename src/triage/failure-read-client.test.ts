// The page's side of the failure-reading worker: a reading started before the app (first-search.ts) is taken over by
// the page's first reading of the same scope, dropped for another scope, and cancelled in the worker when the page
// no longer wants it. The worker is the browser's boundary here: a stand-in Worker records what it is told and
// answers each reading when the test says so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FailureGroupsResult } from '../../shared/failure-groups';
import type { FailureScope } from '../../shared/failure-scope';
import type { FailureReadReply, FailureReadRequest } from './failure-read-wire';

class RecordingWorker {
  static last: RecordingWorker | undefined;
  onmessage: ((event: { data: FailureReadReply }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly told: FailureReadRequest[] = [];
  constructor() {
    RecordingWorker.last = this;
  }
  postMessage(message: FailureReadRequest) {
    this.told.push(structuredClone(message));
  }
  answer(id: number, result: FailureGroupsResult) {
    this.onmessage?.({ data: { id, ok: true, result } });
  }
  terminate() {}
}

const scope = (q: string): FailureScope => ({
  filter: { query: { bool: { filter: [{ term: { task_type: q } }] } } },
  states: ['FAILED'],
});
const result = (total: number) => ({ total }) as unknown as FailureGroupsResult;

async function freshClient() {
  vi.resetModules();
  return import('./failure-read-client');
}

beforeEach(() => {
  vi.stubGlobal('Worker', RecordingWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
  RecordingWorker.last = undefined;
});

describe('the early failure reading', () => {
  it('is taken over by the first reading of the same scope: one reading in the worker, its answer to the page', async () => {
    const client = await freshClient();
    client.startEarlyFailureRead(scope('DEPLOY_MODEL'));
    const worker = RecordingWorker.last!;
    expect(worker.told).toEqual([{ kind: 'read', id: 1, scope: scope('DEPLOY_MODEL') }]);

    const page = client.readFailureGroupsInWorker(scope('DEPLOY_MODEL'));
    worker.answer(1, result(42));
    await expect(page).resolves.toEqual(result(42));
    expect(worker.told).toHaveLength(1);
  });

  it('is cancelled in the worker when the first reading asks for another scope, which is read instead', async () => {
    const client = await freshClient();
    client.startEarlyFailureRead(scope('DEPLOY_MODEL'));
    const worker = RecordingWorker.last!;
    const page = client.readFailureGroupsInWorker(scope('REGISTER_MODEL'));
    expect(worker.told).toEqual([
      { kind: 'read', id: 1, scope: scope('DEPLOY_MODEL') },
      { kind: 'cancel', id: 1 },
      { kind: 'read', id: 2, scope: scope('REGISTER_MODEL') },
    ]);
    worker.answer(2, result(7));
    await expect(page).resolves.toEqual(result(7));
  });

  it('serves the first reading only: a later one of the same scope reads again', async () => {
    const client = await freshClient();
    client.startEarlyFailureRead(scope('DEPLOY_MODEL'));
    const worker = RecordingWorker.last!;
    const first = client.readFailureGroupsInWorker(scope('DEPLOY_MODEL'));
    worker.answer(1, result(1));
    await first;
    const second = client.readFailureGroupsInWorker(scope('DEPLOY_MODEL'));
    expect(worker.told.at(-1)).toEqual({ kind: 'read', id: 2, scope: scope('DEPLOY_MODEL') });
    worker.answer(2, result(2));
    await expect(second).resolves.toEqual(result(2));
  });

  it('is cancelled in the worker when the page that took it over lets it go', async () => {
    const client = await freshClient();
    client.startEarlyFailureRead(scope('DEPLOY_MODEL'));
    const worker = RecordingWorker.last!;
    const controller = new AbortController();
    const page = client.readFailureGroupsInWorker(scope('DEPLOY_MODEL'), controller.signal);
    controller.abort();
    await expect(page).rejects.toMatchObject({ name: 'AbortError' });
    expect(worker.told.at(-1)).toEqual({ kind: 'cancel', id: 1 });
  });
});
