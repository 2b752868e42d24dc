// Tests for reading failure groups from a real (stand-in) cluster over HTTP: pages by search_after with ties at the
// page boundaries, the cap, the view's filters, and what each group holds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStandin, type Standin } from '../../server/standin/server';
import type { StoredDoc, Source } from '../../server/standin/index-store';
import { readFailureGroups } from './failure-read';

let standin: Standin | undefined;

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
});

async function start(tasks: Array<StoredDoc<Source>>) {
  standin = createStandin({ tasks, models: [] });
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(new URL(String(input), baseUrl), init),
  );
}

const T0 = Date.UTC(2026, 10, 1);

/** `n` failures of three causes; every tenth task shares its creation time with its neighbours (ties). */
function failures(n: number): Array<StoredDoc<Source>> {
  return Array.from({ length: n }, (_, i) => {
    const cause = i % 3;
    const created = T0 + Math.floor(i / 10) * 1000;
    const source =
      cause === 0
        ? {
            task_type: 'REGISTER_MODEL',
            function_name: 'REMOTE',
            error: `Failed to find connector with the provided connector id: c${String(i).padStart(19, 'x')}`,
          }
        : cause === 1
          ? {
              task_type: 'DEPLOY_MODEL',
              function_name: 'TEXT_EMBEDDING',
              error: JSON.stringify({
                [`node${i % 4}`]: 'Native Memory Circuit Breaker is open, please check your resources!',
              }),
            }
          : { task_type: 'TRAINING', function_name: 'KMEANS', error: `no such index [data-${i}]` };
    return {
      _id: `task-${String(i).padStart(5, '0')}`,
      _source: {
        ...source,
        state: 'FAILED',
        create_time: created,
        last_update_time: created + 500,
        worker_node: ['nodeA'],
      },
    };
  });
}

const everything = { filter: {}, states: ['FAILED', 'COMPLETED_WITH_ERROR', 'UNREACHABLE', 'EXPIRED'] };

describe('readFailureGroups', () => {
  it('reads every failure once across pages whose boundaries fall inside a millisecond', async () => {
    await start([
      ...failures(2_345),
      { _id: 'fine', _source: { task_type: 'TRAINING', state: 'COMPLETED', create_time: T0 } },
    ]);
    const result = await readFailureGroups(everything, undefined, 5_000, 1_000);
    expect(result.read).toBe(2_345);
    // Whole pages only: the ties read again cost no request of their own.
    expect(standin!.requestLog.filter((r) => r.uri.includes('/tasks/_search'))).toHaveLength(3);
    expect(result.total).toBe(2_345);
    expect(result.groups.map((g) => [g.taskType, g.count])).toEqual(
      expect.arrayContaining([
        ['REGISTER_MODEL', 782],
        ['DEPLOY_MODEL', 782],
        ['TRAINING', 781],
      ]),
    );
    expect(result.groups).toHaveLength(3);
    const ids = result.groups.flatMap((g) => g.taskIds);
    expect(new Set(ids).size).toBe(2_345);
    const deploy = result.groups.find((g) => g.taskType === 'DEPLOY_MODEL')!;
    expect(deploy.nodeIds).toEqual(['node0', 'node1', 'node2', 'node3']);
    expect(deploy.template).toBe('Native Memory Circuit Breaker is open, please check your resources!');
  });

  it('stops at the cap and says how many there were', async () => {
    await start(failures(1_200));
    const result = await readFailureGroups(everything, undefined, 500, 200);
    expect(result.read).toBe(500);
    expect(result.total).toBe(1_200);
    // The newest: the highest-numbered tasks.
    expect(result.groups.flatMap((g) => g.taskIds)).toContain('task-01199');
    expect(result.groups.flatMap((g) => g.taskIds)).not.toContain('task-00000');
  });

  it('keeps to the view’s filters', async () => {
    await start(failures(90));
    const result = await readFailureGroups(
      { filter: { post_filter: { terms: { task_type: ['TRAINING'] } } }, states: ['FAILED'] },
      undefined,
    );
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({
      taskType: 'TRAINING',
      count: 30,
      template: 'no such index [<value>]',
    });
  });

  it('passes on what the cluster says when a search fails', async () => {
    await start(failures(5));
    await expect(
      readFailureGroups({
        filter: { query: { range: { create_time: { gte: 'not a date' } } } },
        states: ['FAILED'],
      }),
    ).rejects.toThrow(/400.*search_phase_execution_exception/);
  });
});
