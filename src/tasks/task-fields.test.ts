// Tests for the per-task display helpers: error text, first lines, per-node errors, finished states,
// deletability and durations.
import { describe, expect, it } from 'vitest';
import { FINISHED_STATES, TASK_STATES, type MlTask } from '../../shared/ml-types';
import {
  canDelete,
  firstLine,
  isFinished,
  parseNodeErrors,
  RUNNING_DELETE_REASON,
  taskDuration,
  taskErrorText,
} from './task-fields';

describe('taskErrorText', () => {
  it('reads `error`', () => {
    expect(taskErrorText({ state: 'FAILED', error: 'no such index [iris_data]' })).toBe(
      'no such index [iris_data]',
    );
  });

  it('reads response.error_message for AGENT_EXECUTION, where the error lives since 3.0', () => {
    const task: MlTask = {
      task_type: 'AGENT_EXECUTION',
      state: 'FAILED',
      response: { memory_id: 'm', error_message: 'Agent reached maximum iterations' },
    };
    expect(taskErrorText(task)).toBe('Agent reached maximum iterations');
  });

  it('prefers `error` when an agent task has both', () => {
    expect(
      taskErrorText({ task_type: 'AGENT_EXECUTION', error: 'top', response: { error_message: 'inner' } }),
    ).toBe('top');
  });

  it('ignores response.error_message on other task types and non-string or blank values', () => {
    expect(
      taskErrorText({ task_type: 'BATCH_PREDICTION', response: { error_message: 'x' } }),
    ).toBeUndefined();
    expect(
      taskErrorText({ task_type: 'AGENT_EXECUTION', response: { error_message: { nested: 1 } } }),
    ).toBeUndefined();
    expect(
      taskErrorText({ task_type: 'AGENT_EXECUTION', response: { error_message: '  ' } }),
    ).toBeUndefined();
    expect(taskErrorText({ task_type: 'AGENT_EXECUTION' })).toBeUndefined();
    expect(taskErrorText({ error: '' })).toBeUndefined();
    expect(taskErrorText({ error: 42 as unknown as string })).toBeUndefined();
    expect(taskErrorText({ state: 'COMPLETED' })).toBeUndefined();
  });
});

describe('firstLine', () => {
  it('returns the first non-empty line, trimmed', () => {
    expect(firstLine('\n  \r\n\tjava.lang.IllegalArgumentException: boom  \n\tat x.y(Z.java:1)')).toBe(
      'java.lang.IllegalArgumentException: boom',
    );
    expect(firstLine('one\rtwo')).toBe('one');
    expect(firstLine('single')).toBe('single');
  });

  it('is empty when there is no text', () => {
    expect(firstLine('')).toBe('');
    expect(firstLine(' \n\t\n')).toBe('');
  });

  it('cuts long lines at max characters with an ellipsis', () => {
    const long = 'x'.repeat(200);
    expect(firstLine(long)).toBe(`${'x'.repeat(159)}…`);
    expect(Array.from(firstLine(long))).toHaveLength(160);
    expect(firstLine('x'.repeat(160))).toBe('x'.repeat(160));
    expect(firstLine('abcdefghij', 5)).toBe('abcd…');
    expect(firstLine('abc defghij', 5)).toBe('abc…');
  });

  it('never splits a character made of two UTF-16 units', () => {
    expect(firstLine('🚫🚫🚫🚫', 3)).toBe('🚫🚫…');
  });
});

describe('parseNodeErrors', () => {
  it('reads the JSON-encoded {nodeId: message} of DEPLOY_MODEL failures, in order', () => {
    const error = JSON.stringify({
      zNode: 'Native Memory Circuit Breaker is open, please check your resources!',
      aNode: 'java.lang.OutOfMemoryError: Java heap space',
    });
    expect(parseNodeErrors(error)).toEqual([
      { node: 'zNode', message: 'Native Memory Circuit Breaker is open, please check your resources!' },
      { node: 'aNode', message: 'java.lang.OutOfMemoryError: Java heap space' },
    ]);
    expect(parseNodeErrors(`  ${error}`)).toHaveLength(2);
  });

  it('is undefined for anything else', () => {
    for (const error of [
      undefined,
      '',
      'Model size exceeds the limit',
      'Error from remote service: {"message":"expired"}',
      '{not json',
      '{}',
      '[]',
      '["a"]',
      'null',
      '"text"',
      '{"node": 1}',
      '{"node": {"nested": "x"}}',
      '{"a": "ok", "b": null}',
    ]) {
      expect(parseNodeErrors(error), String(error)).toBeUndefined();
    }
  });
});

describe('isFinished', () => {
  it('is true for the done states and the two terminal ones', () => {
    const finished = TASK_STATES.filter((s) => isFinished(s));
    expect(finished).toEqual([
      'COMPLETED',
      'FAILED',
      'CANCELLED',
      'COMPLETED_WITH_ERROR',
      'EXPIRED',
      'UNREACHABLE',
    ]);
    expect([...finished].sort()).toEqual([...FINISHED_STATES].sort());
  });

  it('is false for active, unknown and missing states', () => {
    for (const state of ['CREATED', 'RUNNING', 'CANCELLING', 'SOMETHING_NEW', 'completed', '', undefined]) {
      expect(isFinished(state), String(state)).toBe(false);
    }
  });
});

describe('canDelete', () => {
  it('refuses exactly RUNNING, with the reason', () => {
    expect(canDelete({ state: 'RUNNING' })).toEqual({ ok: false, reason: RUNNING_DELETE_REASON });
    expect(RUNNING_DELETE_REASON).toMatch(/running task cannot be deleted/i);
  });

  it('allows every other state, including active and unknown ones', () => {
    for (const state of [
      ...TASK_STATES.filter((s) => s !== 'RUNNING'),
      'SOMETHING_NEW',
      'running',
      undefined,
    ]) {
      expect(canDelete({ state }), String(state)).toEqual({ ok: true });
    }
  });
});

describe('taskDuration', () => {
  const created = Date.UTC(2025, 0, 1, 12, 0, 0);
  const now = created + 3_600_000;

  it('measures a finished task from creation to its last update, whatever now is', () => {
    for (const state of FINISHED_STATES) {
      expect(taskDuration({ state, create_time: created, last_update_time: created + 4_500 }, now)).toEqual({
        ms: 4_500,
        running: false,
      });
    }
  });

  it('measures an unfinished task up to now', () => {
    for (const state of ['CREATED', 'RUNNING', 'CANCELLING', 'NEW_STATE', undefined]) {
      expect(taskDuration({ state, create_time: created, last_update_time: created + 10 }, now)).toEqual({
        ms: 3_600_000,
        running: true,
      });
    }
  });

  it('reads dates as OpenSearch may hold them', () => {
    const task = {
      state: 'COMPLETED',
      create_time: new Date(created).toISOString(),
      last_update_time: String(created + 2_000),
    } as unknown as MlTask;
    expect(taskDuration(task, now)).toEqual({ ms: 2_000, running: false });
  });

  it('is undefined without the times it needs, and never negative', () => {
    expect(taskDuration({ state: 'RUNNING' }, now)).toBeUndefined();
    expect(taskDuration({ state: 'COMPLETED', create_time: created }, now)).toBeUndefined();
    expect(taskDuration({ state: 'COMPLETED', last_update_time: created }, now)).toBeUndefined();
    expect(taskDuration({ state: 'RUNNING', create_time: created }, Number.NaN)).toBeUndefined();
    expect(taskDuration({ state: 'RUNNING', create_time: now + 5_000 }, now)).toEqual({
      ms: 0,
      running: true,
    });
    expect(
      taskDuration({ state: 'FAILED', create_time: created, last_update_time: created - 1 }, now),
    ).toEqual({
      ms: 0,
      running: false,
    });
  });
});
