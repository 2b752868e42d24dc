import { describe, expect, it } from 'vitest';
import { taskAsGetAnswers } from './task-document';

describe('taskAsGetAnswers', () => {
  it('splits a 2.4 worker_node string and fills is_async', () => {
    expect(
      taskAsGetAnswers({ state: 'COMPLETED', worker_node: 'n1,n2', error: null as unknown as string }),
    ).toEqual({
      state: 'COMPLETED',
      worker_node: ['n1', 'n2'],
      is_async: false,
    });
  });

  it('keeps an array and GET’s field order', () => {
    const task = taskAsGetAnswers({
      is_async: true,
      worker_node: ['n1'],
      task_type: 'DEPLOY_MODEL',
      model_id: 'm',
    });
    expect(Object.keys(task)).toEqual(['model_id', 'task_type', 'worker_node', 'is_async']);
  });
});

describe('taskAsGetAnswers, unknown fields', () => {
  it('keeps a field a newer release writes', () => {
    expect(taskAsGetAnswers({ state: 'RUNNING', retry_count: 3 })).toEqual({
      state: 'RUNNING',
      is_async: false,
      retry_count: 3,
    });
  });
});
