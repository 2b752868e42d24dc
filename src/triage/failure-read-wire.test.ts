// An error from the failure-reading worker arrives as the same typed error the page would have got itself.
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/http';
import { fromWire, toWire } from './failure-read-wire';

/** What postMessage does to a value. */
const cross = <T>(value: T): T => structuredClone(value);

describe('errors across the worker boundary', () => {
  it('keeps an ApiError whole: status, type, reason, causes, body and what it means', () => {
    const sent = new ApiError({
      status: 403,
      type: 'security_exception',
      reason: 'no permissions for [cluster:admin/opensearch/ml/tasks/search] and User [name=reader]',
      rootCause: [{ type: 'security_exception', reason: 'no permissions' }],
      body: { error: { type: 'security_exception' }, status: 403 },
      operation: 'task-search',
    });
    const got = fromWire(cross(toWire(sent)));
    expect(got).toBeInstanceOf(ApiError);
    const api = got as ApiError;
    expect([api.status, api.type, api.reason, api.operation]).toEqual([
      sent.status,
      sent.type,
      sent.reason,
      sent.operation,
    ]);
    expect(api.rootCause).toEqual(sent.rootCause);
    expect(api.body).toEqual(sent.body);
    expect(api.classified).toEqual(sent.classified);
  });

  it('keeps a NetworkError, where it happened and the proxy status', () => {
    const got = fromWire(
      cross(
        toWire(
          new NetworkError('The console’s proxy could not reach OpenSearch', 'cluster', { status: 502 }),
        ),
      ),
    );
    expect(got).toBeInstanceOf(NetworkError);
    expect(got.message).toBe('The console’s proxy could not reach OpenSearch');
    expect((got as NetworkError).where).toBe('cluster');
    expect((got as NetworkError).status).toBe(502);
  });

  it('keeps an abort an abort, and anything else its message', () => {
    const abort = fromWire(cross(toWire(new DOMException('stopped', 'AbortError'))));
    expect(abort.name).toBe('AbortError');
    expect(fromWire(cross(toWire(new TypeError('boom')))).message).toBe('boom');
    expect(fromWire(cross(toWire('plain'))).message).toBe('plain');
  });
});
