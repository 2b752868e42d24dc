// Every error form in the version table (ml-commons-versions.md) and the API reference, and what it means.
import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorAnswer, type Operation } from './error-meaning';

type Row = [string, Operation, ErrorAnswer, string, string?];

const ROWS: Row[] = [
  // GET task, unknown id
  [
    'GET task unknown ≤ 2.8',
    'task-get',
    { status: 500, type: 'm_l_resource_not_found_exception', reason: 'Fail to find task' },
    'not-found',
  ],
  [
    'GET task unknown 2.9 – 2.18',
    'task-get',
    { status: 404, type: 'status_exception', reason: 'Fail to find task' },
    'not-found',
  ],
  [
    'GET task unknown 2.19+',
    'task-get',
    { status: 404, type: 'status_exception', reason: 'Failed to find task' },
    'not-found',
  ],
  // GET task, index missing
  [
    'GET task, no index, ≤ 2.18',
    'task-get',
    { status: 500, type: 'm_l_resource_not_found_exception', reason: 'Fail to find task' },
    'not-found',
  ],
  [
    'GET task, no index, as index_not_found',
    'task-get',
    { status: 404, type: 'index_not_found_exception', reason: 'no such index [.plugins-ml-task]' },
    'not-found',
  ],
  // DELETE task, unknown id
  [
    'DELETE unknown 2.6 – 2.18',
    'task-delete',
    { status: 500, type: 'm_l_resource_not_found_exception', reason: 'Fail to find task' },
    'not-found',
  ],
  [
    'DELETE unknown 2.19+',
    'task-delete',
    { status: 404, type: 'status_exception', reason: 'Failed to find task' },
    'not-found',
  ],
  // DELETE a RUNNING task
  [
    'DELETE RUNNING 2.6 – 2.18',
    'task-delete',
    { status: 500, type: 'exception', reason: 'Task cannot be deleted in running state. Try after sometime' },
    'task-running',
  ],
  [
    'DELETE RUNNING 2.19+',
    'task-delete',
    {
      status: 500,
      type: 'exception',
      reason: 'Task cannot be deleted in running state. Try after some time.',
    },
    'task-running',
  ],
  // Task search, index missing
  [
    'search before the first task ≤ 2.11',
    'task-search',
    {
      status: 404,
      type: 'index_not_found_exception',
      reason: 'no such index [.plugins-ml-task]',
      rootCause: [{ type: 'index_not_found_exception', reason: 'no such index [.plugins-ml-task]' }],
    },
    'nothing-indexed',
  ],
  [
    'model search before the first model ≤ 2.11',
    'model-search',
    { status: 404, type: 'index_not_found_exception', reason: 'no such index [.plugins-ml-model]' },
    'nothing-indexed',
  ],
  // GET model, unknown id
  [
    'GET model unknown ≤ 2.6',
    'model-get',
    { status: 500, type: 'm_l_resource_not_found_exception', reason: 'Fail to find model' },
    'not-found',
  ],
  [
    'GET model unknown 2.7 – 2.8',
    'model-get',
    {
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'Failed to find model with the provided model id: abc',
    },
    'not-found',
  ],
  [
    'GET model unknown 2.9+',
    'model-get',
    { status: 404, type: 'status_exception', reason: 'Failed to find model with the provided model id: abc' },
    'not-found',
  ],
  // GET model the user may not read
  [
    'GET model forbidden 2.8 – 2.11',
    'model-get',
    {
      status: 500,
      type: 'm_l_validation_exception',
      reason: "User Doesn't have privilege to perform this operation on this model",
    },
    'no-permission',
  ],
  [
    'GET model forbidden 2.12+',
    'model-get',
    {
      status: 403,
      type: 'status_exception',
      reason: "User doesn't have privilege to perform this operation on this model, model ID abc",
    },
    'no-permission',
  ],
  // Cancel
  [
    'cancel of a task without a batch job',
    'task-cancel',
    {
      status: 400,
      type: 'illegal_argument_exception',
      reason: 'The task ID you provided does not have any associated batch job',
    },
    'not-a-batch-job',
  ],
  [
    'cancel of an unknown task',
    'task-cancel',
    { status: 404, type: 'status_exception', reason: 'Fail to find task' },
    'not-found',
  ],
  [
    'cancel refused by the provider',
    'task-cancel',
    { status: 500, type: 'status_exception', reason: "Couldn't cancel the transform job. Please try again" },
    'cluster-error',
  ],
  // The security plugin and the cluster's own refusals
  [
    'no credentials',
    'task-search',
    { status: 401, type: 'unauthorized', reason: 'Unauthorized' },
    'unauthorized',
  ],
  [
    'no permission',
    'task-delete',
    {
      status: 403,
      type: 'security_exception',
      reason:
        'no permissions for [cluster:admin/opensearch/ml/tasks/delete] and User [name=reader, backend_roles=[], requestedTenant=null]',
    },
    'no-permission',
    'cluster:admin/opensearch/ml/tasks/delete',
  ],
  [
    'too many requests',
    'task-search',
    { status: 429, type: 'too_many_requests', reason: 'Too Many Requests' },
    'overloaded',
  ],
  [
    'circuit breaker',
    'task-search',
    { status: 429, type: 'circuit_breaking_exception', reason: '[parent] Data too large' },
    'overloaded',
  ],
  [
    'search queue full',
    'task-search',
    {
      status: 500,
      type: 'search_phase_execution_exception',
      reason: 'all shards failed',
      rootCause: [{ type: 'es_rejected_execution_exception', reason: 'rejected execution' }],
    },
    'overloaded',
  ],
  [
    'search timeout',
    'task-search',
    { status: 408, type: 'request_timeout', reason: 'Request timed out' },
    'timeout',
  ],
  [
    'aggregations refused by the gateway on 2.19.2 – 2.19.6',
    'task-search',
    {
      status: 400,
      type: 'console_unsupported_exception',
      reason: 'ML Commons 2.19.3 never answers a task search that carries aggregations',
    },
    'unsupported',
  ],
  [
    'malformed query',
    'task-search',
    { status: 400, type: 'parsing_exception', reason: 'unknown query [foo]' },
    'bad-request',
  ],
  [
    'sort on error',
    'task-search',
    { status: 400, type: 'search_phase_execution_exception', reason: 'all shards failed' },
    'bad-request',
  ],
  [
    'an unexpected failure',
    'task-search',
    { status: 500, type: 'null_pointer_exception', reason: '(no reason given)' },
    'cluster-error',
  ],
  // A search's 404 is not "not found": no handler, a wrong path
  [
    'search without a handler',
    'task-search',
    { status: 404, type: 'not_found', reason: 'Not found' },
    'bad-request',
  ],
];

describe('classifyError', () => {
  it.each(ROWS)('%s', (_name, op, answer, meaning, permission) => {
    const classified = classifyError(answer, op);
    expect(classified.meaning).toBe(meaning);
    if (permission) expect(classified.permission).toBe(permission);
  });
});
