// Tests for the task search body builder.
import { describe, expect, it } from 'vitest';
import { buildTaskSearchBody, DEFAULT_TASK_LIST_PARAMS } from './task-search-body';

describe('buildTaskSearchBody', () => {
  it('asks for the newest 25 tasks with an exact total on the first page', () => {
    expect(buildTaskSearchBody(DEFAULT_TASK_LIST_PARAMS)).toEqual({
      size: 25,
      sort: [{ create_time: { order: 'desc' } }],
      track_total_hits: true,
    });
  });

  it('adds from for later pages', () => {
    expect(buildTaskSearchBody({ pageIndex: 2, pageSize: 50 })).toMatchObject({ from: 100, size: 50 });
  });
});
