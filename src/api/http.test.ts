// Tests for the fetch wrapper: every OpenSearch error body form, network failures, aborts and the request it sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError, parseErrorResponse, requestJson } from './http';

describe('parseErrorResponse', () => {
  it('reads the structured error body with root causes and caused_by', () => {
    const body = {
      error: {
        root_cause: [
          {
            type: 'illegal_argument_exception',
            reason:
              'Result window is too large, from + size must be less than or equal to: [10000] but was [10025].',
          },
        ],
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        phase: 'query',
        caused_by: { type: 'illegal_argument_exception', reason: 'Result window is too large' },
      },
      status: 400,
    };
    const error = parseErrorResponse(400, JSON.stringify(body), 'application/json; charset=UTF-8');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('search_phase_execution_exception');
    expect(error.reason).toBe('all shards failed');
    expect(error.rootCause).toEqual([body.error.root_cause[0]]);
    expect(error.causedBy).toEqual({
      type: 'illegal_argument_exception',
      reason: 'Result window is too large',
    });
    expect(error.body).toEqual(body);
    expect(error.message).toBe('[400] search_phase_execution_exception: all shards failed');
  });

  it('reads a 404 status_exception for an unknown task', () => {
    const body = {
      error: {
        root_cause: [{ type: 'status_exception', reason: 'Failed to find task' }],
        type: 'status_exception',
        reason: 'Failed to find task',
      },
      status: 404,
    };
    const error = parseErrorResponse(404, JSON.stringify(body));
    expect(error.type).toBe('status_exception');
    expect(error.reason).toBe('Failed to find task');
    expect(error.rootCause).toHaveLength(1);
    expect(error.causedBy).toBeUndefined();
  });

  it('keeps extra cause fields such as line and col of a parsing_exception', () => {
    const body = {
      error: {
        root_cause: [{ type: 'parsing_exception', reason: 'unknown query [foo]', line: 1, col: 19 }],
        type: 'parsing_exception',
        reason: 'unknown query [foo]',
        line: 1,
        col: 19,
      },
      status: 400,
    };
    const error = parseErrorResponse(400, JSON.stringify(body));
    expect(error.rootCause[0]).toMatchObject({ line: 1, col: 19 });
  });

  it('reads the {error: string, status} form (405, 406)', () => {
    const body = {
      error:
        'Incorrect HTTP method for uri [/_plugins/_ml/tasks/abc] and method [PUT], allowed: [GET, DELETE]',
      status: 405,
    };
    const error = parseErrorResponse(405, JSON.stringify(body));
    expect(error.status).toBe(405);
    expect(error.type).toBe('method_not_allowed');
    expect(error.reason).toBe(body.error);
    expect(error.rootCause).toEqual([]);

    const notAcceptable = parseErrorResponse(406, '{"error":"Content-Type header is missing","status":406}');
    expect(notAcceptable.type).toBe('not_acceptable');
    expect(notAcceptable.reason).toBe('Content-Type header is missing');
  });

  it('reads "no handler found" without a status key, taking the HTTP status', () => {
    const text = '{"error":"no handler found for uri [/_plugins/_ml/tasks] and method [GET]"}';
    const error = parseErrorResponse(400, text);
    expect(error.status).toBe(400);
    expect(error.type).toBe('bad_request');
    expect(error.reason).toBe('no handler found for uri [/_plugins/_ml/tasks] and method [GET]');
  });

  it('reads a text/plain 401 Unauthorized', () => {
    const error = parseErrorResponse(401, 'Unauthorized', 'text/plain; charset=UTF-8', 'Unauthorized');
    expect(error.status).toBe(401);
    expect(error.type).toBe('unauthorized');
    expect(error.reason).toBe('Unauthorized');
    expect(error.body).toBe('Unauthorized');
  });

  it('reads a text/plain 408 search timeout', () => {
    const error = parseErrorResponse(408, 'Request timed out\n', 'text/plain');
    expect(error.type).toBe('request_timeout');
    expect(error.reason).toBe('Request timed out');
  });

  it('falls back to the status line for an empty body or an HTML page', () => {
    expect(parseErrorResponse(503, '', '', 'Service Unavailable').reason).toBe(
      'HTTP 503 Service Unavailable',
    );
    expect(parseErrorResponse(500, '').reason).toBe('HTTP 500');
    const html = parseErrorResponse(
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'text/html',
      'Bad Gateway',
    );
    expect(html.type).toBe('bad_gateway');
    expect(html.reason).toBe('HTTP 502 Bad Gateway');
    expect(html.body).toContain('<h1>');
  });

  it('names unlisted statuses by number and keeps unknown JSON intact', () => {
    const error = parseErrorResponse(418, '{"teapot":true}', 'application/json');
    expect(error.type).toBe('http_418');
    expect(error.body).toEqual({ teapot: true });
  });

  it('cuts a very long text reason', () => {
    const error = parseErrorResponse(500, 'x'.repeat(2000), 'text/plain');
    expect(error.reason.length).toBeLessThanOrEqual(501);
    expect(error.body).toHaveLength(2000);
  });

  it('tolerates a structured error without a reason', () => {
    const error = parseErrorResponse(500, '{"error":{"type":"null_pointer_exception"},"status":500}');
    expect(error.type).toBe('null_pointer_exception');
    expect(error.reason).toBe('(no reason given)');
  });
});

describe('requestJson', () => {
  const fetchMock = vi.fn<typeof fetch>();

  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });

  function stubFetch(response: Response | Error | DOMException) {
    if (response instanceof Response) fetchMock.mockResolvedValue(response);
    else fetchMock.mockRejectedValue(response);
    vi.stubGlobal('fetch', fetchMock);
  }

  it('sends the body as JSON with Content-Type and the signal, and returns the parsed answer', async () => {
    stubFetch(
      new Response('{"hits":{"hits":[]}}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    const controller = new AbortController();
    const body = { size: 25 };
    await expect(
      requestJson('POST', '/_plugins/_ml/tasks/_search', { body, signal: controller.signal }),
    ).resolves.toEqual({
      hits: { hits: [] },
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/_plugins/_ml/tasks/_search');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"size":25}');
    expect(init?.signal).toBe(controller.signal);
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json' });
  });

  it('sends no body and no Content-Type on a GET (OpenSearch rejects a body there)', async () => {
    stubFetch(new Response('{"state":"COMPLETED"}', { status: 200 }));
    await requestJson('GET', '/_plugins/_ml/tasks/abc');
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.body).toBeUndefined();
    expect(init.headers).not.toHaveProperty('Content-Type');
  });

  it('throws ApiError with the parsed body on a non-2xx answer', async () => {
    stubFetch(
      new Response(
        '{"error":{"root_cause":[],"type":"status_exception","reason":"Failed to find task"},"status":404}',
        {
          status: 404,
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const error = await requestJson('GET', '/_plugins/_ml/tasks/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, type: 'status_exception', reason: 'Failed to find task' });
  });

  it('throws NetworkError (proxy) when fetch itself fails', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await requestJson('POST', '/_plugins/_ml/tasks/_search', { body: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ where: 'proxy' });
    expect((error as NetworkError).message).toContain('POST /_plugins/_ml/tasks/_search');
  });

  it('throws NetworkError (cluster) for a bare 502 from the proxy, but ApiError for a JSON 503 from OpenSearch', async () => {
    stubFetch(
      new Response('http://127.0.0.1:9200: connect ECONNREFUSED 127.0.0.1:9200', {
        status: 502,
        headers: { 'Content-Type': 'text/plain' },
      }),
    );
    const gateway = await requestJson('GET', '/_plugins/_ml/tasks/a').catch((e: unknown) => e);
    expect(gateway).toBeInstanceOf(NetworkError);
    expect(gateway).toMatchObject({ where: 'cluster', status: 502 });
    expect((gateway as Error).message).toBe(
      'The console’s proxy could not reach OpenSearch (http://127.0.0.1:9200: connect ECONNREFUSED 127.0.0.1:9200)',
    );

    stubFetch(
      new Response('{"error":{"type":"cluster_block_exception","reason":"blocked"},"status":503}', {
        status: 503,
      }),
    );
    const unavailable = await requestJson('GET', '/_plugins/_ml/tasks/a').catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(ApiError);
    expect(unavailable).toMatchObject({ status: 503, type: 'cluster_block_exception' });
  });

  it('lets an abort through untouched', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    stubFetch(abort);
    await expect(requestJson('GET', '/_plugins/_ml/tasks/a')).rejects.toBe(abort);
  });

  it('throws ApiError invalid_response for a 2xx answer that is not JSON', async () => {
    stubFetch(
      new Response('<!doctype html><title>app</title>', {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
      }),
    );
    const error = await requestJson('POST', '/_plugins/_ml/tasks/_search', { body: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, type: 'invalid_response' });
    expect((error as ApiError).reason).toContain('text/html');
  });
});
