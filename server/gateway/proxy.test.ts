// The proxy against a real stand-in (answers come back whole, credentials added upstream and never echoed),
// against a deliberately broken upstream (slow, 500, 401, resets, garbage, a closed port) and over TLS.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin } from '../standin/server';
import type { Standin } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { parseTaskQuery } from '../../shared/task-query';
import { buildCountSearches, buildTaskSearchBody } from '../../shared/task-search-body';
import { DEFAULT_VIEW, type TaskViewState } from '../../shared/task-view-state';
import { createMlProxyHandler } from './proxy';
import { MAX_BODY_BYTES } from './request-body';
import { startGateway } from './server';
import type { Gateway } from './server';
import {
  basic,
  closeServer,
  freePort,
  gatewayConfig,
  listen,
  logLines,
  recordRequests,
  selfSignedCertificate,
  send,
  tempDir,
} from './test-helpers';
import type { Recorded, Reply } from './test-helpers';

const PASSWORD = 'Sup3r-Secret-Pa55';
const ADMIN = basic('admin', PASSWORD);
const READER = basic('reader', 'reader-pass-123');
const JSON_HEADERS = { 'content-type': 'application/json', 'x-console-request': '1' };
const MODELS = [
  {
    _id: 'm1',
    _source: {
      name: 'all-MiniLM-L6-v2',
      algorithm: 'TEXT_EMBEDDING',
      model_state: 'DEPLOYED',
      created_time: 1,
    },
  },
];

function json(reply: Reply): any {
  return JSON.parse(reply.body);
}

/** The reply as the console sees it; `took` is timing, not content. */
function content(reply: Reply): { status: number; type: unknown; body: any } {
  let body: any = reply.body;
  try {
    body = JSON.parse(reply.body);
    if (body && typeof body === 'object') delete body.took;
  } catch {
    // not JSON: compare the text
  }
  return { status: reply.status, type: reply.headers['content-type'], body };
}

function expectNoCredential(reply: Reply, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(reply.rawHead).not.toContain(secret);
    expect(reply.body).not.toContain(secret);
  }
}

describe('against the stand-in', () => {
  let standin: Standin;
  let upstream: string;
  let seen: Recorded[];
  let gateway: Gateway;
  const logs = logLines();

  beforeAll(async () => {
    standin = createStandin({
      tasks: structuredClone(FIXTURE),
      models: MODELS,
      users: [
        { username: 'admin', password: PASSWORD, role: 'ml_full_access' },
        { username: 'reader', password: 'reader-pass-123', role: 'ml_read_access' },
      ],
    });
    upstream = await standin.listen();
    gateway = await startGateway(gatewayConfig(upstream, { authorization: ADMIN }), logs.log);
    await gateway.cluster.detect();
    seen = recordRequests(standin.server);
  });

  afterAll(async () => {
    await gateway.close();
    await standin.close();
  });

  const direct = (path: string, method = 'GET', body?: string, headers: Record<string, string> = {}) =>
    send(upstream, path, {
      method,
      headers: {
        authorization: ADMIN,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body } : {}),
    });

  const via = (path: string, method = 'GET', body?: string, headers: Record<string, string> = {}) =>
    send(gateway.url, path, {
      method,
      headers: { ...(body !== undefined ? JSON_HEADERS : { 'x-console-request': '1' }), ...headers },
      ...(body !== undefined ? { body } : {}),
    });

  const searchBody = JSON.stringify({
    query: { bool: { filter: [{ terms: { state: ['FAILED', 'COMPLETED'] } }] } },
    sort: [{ create_time: { order: 'desc' } }],
    size: 3,
    track_total_hits: true,
    aggs: { state: { terms: { field: 'state' } } },
  });

  it.each([
    ['POST', '/_plugins/_ml/tasks/_search', searchBody],
    ['POST', '/_plugins/_ml/tasks/_search?pretty', '{"size":1}'],
    ['GET', '/_plugins/_ml/tasks/_search', undefined],
    ['GET', '/_plugins/_ml/tasks/t2', undefined],
    ['GET', '/_plugins/_ml/tasks/t10?pretty=true', undefined],
    ['GET', '/_plugins/_ml/tasks/missing', undefined],
    ['GET', '/_plugins/_ml/models/m1', undefined],
    ['GET', '/_plugins/_ml/models/nope', undefined],
    ['POST', '/_plugins/_ml/models/_search', '{}'],
    ['POST', '/_plugins/_ml/tasks/_search', '{"query":{"foo":{}}}'],
    ['DELETE', '/_plugins/_ml/tasks/t6', undefined],
    ['POST', '/_plugins/_ml/tasks/t1/_cancel', undefined],
  ])('%s %s %s: same status, type and body as the cluster itself', async (method, path, body) => {
    const [a, b] = [await direct(path, method, body), await via(path, method, body)];
    expect(content(b)).toEqual(content(a));
    expect(b.body.length).toBeGreaterThan(10);
  });

  it('forwards every search the console itself sends', async () => {
    const parsed = parseTaskQuery(
      'state:FAILED,COMPLETED -function:KMEANS "out of memory" OutOfMemory -timeout -node:n1 model:m1',
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const view: TaskViewState = {
      ...DEFAULT_VIEW,
      from: 'now-7d',
      to: 'now',
      sort: 'state',
      dir: 'asc',
      page: 3,
    };
    const candidates = { state: ['FAILED'], function: ['KMEANS'], type: ['TRAINING'], node: ['n1'] };
    const bodies = [
      buildTaskSearchBody(view, parsed.query),
      buildTaskSearchBody(view, parsed.query, { aggregationsInSearch: false }),
      ...buildCountSearches(view, parsed.query, candidates).map((c) => c.body),
      { query: { ids: { values: ['t1'] } }, size: 1 },
      {
        size: 100,
        sort: [{ create_time: { order: 'desc' } }],
        search_after: [1700000000000],
        track_total_hits: false,
      },
      { size: 0, track_total_hits: false },
    ];
    const before = standin.requestLog.length;
    for (const body of bodies) {
      const r = await via('/_plugins/_ml/tasks/_search', 'POST', JSON.stringify(body));
      expect(r.status, `${JSON.stringify(body)}: ${r.body.slice(0, 300)}`).toBe(200);
    }
    expect(standin.requestLog.length - before).toBe(bodies.length);
  });

  it.each([
    [
      'a script query',
      { query: { script: { script: { source: 'true' } } } },
      'scripts are refused: [query.script]',
    ],
    [
      'a script_score deep in a bool',
      { query: { bool: { filter: [{ function_score: { script_score: { script: 'x' } } }] } } },
      '[query.bool.filter[0].function_score.script_score]',
    ],
    [
      'a scripted metric',
      { size: 0, aggs: { a: { scripted_metric: {} } } },
      'scripts are refused: [aggs.a.scripted_metric]',
    ],
    [
      'a script sort',
      { sort: [{ _script: { type: 'number', script: 'x' } }] },
      'scripts are refused: [sort[0]._script]',
    ],
    ['a stored script', { query: { script: { script: { id: 'stored' } } } }, 'scripts are refused'],
    [
      'a terms_set minimum_should_match_script',
      {
        query: { terms_set: { state: { terms: ['FAILED'], minimum_should_match_script: { source: 'x' } } } },
      },
      'scripts are refused',
    ],
    ['runtime fields', { runtime_mappings: { x: { type: 'long' } } }, '[runtime_mappings] is refused'],
    ['script fields', { script_fields: { x: { script: 'x' } } }, '[script_fields] is refused'],
    [
      'a wrapped query',
      { query: { wrapper: { query: 'eyJtYXRjaF9hbGwiOnt9fQ==' } } },
      '[query.wrapper] is refused',
    ],
    [
      'a terms lookup in another index',
      { query: { terms: { state: { index: '.opendistro_security', id: 'config', path: 'x' } } } },
      '[query.terms.state.index] is refused: a lookup in another index',
    ],
    ['a key the console never sends', { highlight: { fields: { error: {} } } }, '[highlight] is refused'],
    ['size past the result window', { size: 10_001 }, 'but was [10001]'],
    ['from + size past the result window', { from: 9_990, size: 25 }, 'but was [10015]'],
    ['from alone past the window', { from: 9_995 }, 'but was [10005]'],
    ['a negative size', { size: -1 }, 'must be whole numbers'],
    [
      'a huge terms size',
      { size: 0, aggs: { a: { terms: { field: 'state', size: 1_000_000 } } } },
      '[aggs.a.terms.size] is 1000000',
    ],
    ['an array', [1, 2], 'must be a JSON object'],
    ['an integer past 2^53', '{"size":1,"search_after":[18014398509481985]}', 'beyond 2^53'],
    [
      'nesting past 64 levels',
      `{"query":${'{"bool":{"must":['.repeat(40)}{}${']}}'.repeat(40)}}`,
      'deeper than 64',
    ],
  ])('refuses %s with 400, naming what, before the cluster', async (_what, body, reason) => {
    const before = standin.requestLog.length;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const r = await via('/_plugins/_ml/tasks/_search', 'POST', text);
    expect(r.status).toBe(400);
    expect(json(r)).toEqual({ error: expect.stringContaining(reason), status: 400 });
    expect(standin.requestLog.length).toBe(before);
    // The same on the model search, and on a GET with a body.
    expect((await via('/_plugins/_ml/models/_search', 'POST', text)).status).toBe(400);
    const length = { 'content-length': String(Buffer.byteLength(text)) };
    expect((await via('/_plugins/_ml/tasks/_search', 'GET', text, length)).status).toBe(400);
    expect(standin.requestLog.length).toBe(before);
  });

  it.each([
    ['not JSON', '{"size": ', 'not valid JSON'],
    [
      'JSON with a comment, which OpenSearch would read',
      '{"size": 1 /* , "script_fields": {} */}',
      'not valid JSON',
    ],
  ])('refuses a search body that is %s with 400', async (_what, text, reason) => {
    const before = standin.requestLog.length;
    const r = await via('/_plugins/_ml/tasks/_search', 'POST', text);
    expect(r.status).toBe(400);
    expect(json(r)).toEqual({ error: expect.stringContaining(reason), status: 400 });
    expect(standin.requestLog.length).toBe(before);
  });

  it('forwards the search exactly as checked: a duplicate key cannot hide a script', async () => {
    const seenBefore = seen.length;
    const r = await via(
      '/_plugins/_ml/tasks/_search',
      'POST',
      '{"query": {"script": {"script": "true"}}, "size": 1, "query": {"match_all": {}}}',
    );
    expect(r.status).toBe(200);
    expect(seen[seenBefore]!.body).toBe('{"query":{"match_all":{}},"size":1}');
  });

  it('refuses a search body that is not sent as JSON with 406 (OpenSearch would read YAML, CBOR or Smile)', async () => {
    const before = standin.requestLog.length;
    for (const type of ['text/plain', 'application/yaml', 'application/cbor', 'application/smile']) {
      const r = await send(gateway.url, '/_plugins/_ml/tasks/_search', {
        method: 'POST',
        headers: { 'x-console-request': '1', 'content-type': type },
        body: '{}',
      });
      expect(r.status).toBe(406);
      expect(json(r)).toEqual({ error: expect.stringContaining(type), status: 406 });
    }
    const untyped = await send(gateway.url, '/_plugins/_ml/tasks/_search', {
      method: 'POST',
      headers: { 'x-console-request': '1' },
      body: '{}',
    });
    expect(json(untyped)).toEqual({
      error: expect.stringContaining('Content-Type header missing'),
      status: 406,
    });
    expect(standin.requestLog.length).toBe(before);
  });

  it('deletes and cancels through the gateway', async () => {
    const cancel = await via('/_plugins/_ml/tasks/t6/_cancel', 'POST');
    expect(cancel.status).toBe(200);
    expect(json(cancel)).toEqual({ status: 'OK' });
    const del = await via('/_plugins/_ml/tasks/t12', 'DELETE');
    expect(del.status).toBe(200);
    expect(json(del)).toMatchObject({ _id: 't12', result: 'deleted', forced_refresh: true });
    expect((await direct('/_plugins/_ml/tasks/t12')).status).toBe(404);
  });

  it('adds the configured credentials upstream, replacing the browser’s, and never echoes them', async () => {
    const before = standin.requestLog.length;
    const seenBefore = seen.length;
    const r = await via('/_plugins/_ml/tasks/_search', 'POST', '{}', {
      authorization: READER,
      cookie: 'security_authentication=stolen',
      'proxy-authorization': 'Basic eHh4Onl5eQ==',
    });
    expect(r.status).toBe(200);
    const logged = standin.requestLog.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.authorization).toBe(ADMIN);
    const headers = seen[seenBefore]!.headers;
    expect(headers.cookie).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expectNoCredential(r, PASSWORD, ADMIN.slice(6), READER.slice(6));
  });

  it('a 401 from the cluster loses WWW-Authenticate but keeps its status and body', async () => {
    const wrong = await startGateway(
      gatewayConfig(upstream, { authorization: basic('admin', 'wrong') }),
      () => {},
    );
    try {
      const r = await send(wrong.url, '/_plugins/_ml/tasks/x1');
      expect(r.status).toBe(401);
      expect(r.body).toBe('Unauthorized');
      expect(r.headers['www-authenticate']).toBeUndefined();
      expect((await send(upstream, '/_plugins/_ml/tasks/x1')).headers['www-authenticate']).toContain('Basic');
    } finally {
      await wrong.close();
    }
  });

  it('passes the cluster’s own 403 for a role that may not delete', async () => {
    const reader = await startGateway(gatewayConfig(upstream, { authorization: READER }), () => {});
    try {
      const r = await send(reader.url, '/_plugins/_ml/tasks/t1', {
        method: 'DELETE',
        headers: { 'x-console-request': '1' },
      });
      expect(r.status).toBe(403);
      expect(json(r).error.type).toBe('security_exception');
    } finally {
      await reader.close();
    }
  });

  it('in read-only mode refuses deletes and cancels itself, and still reads', async () => {
    const ro = await startGateway(
      gatewayConfig(upstream, { authorization: ADMIN, readOnly: true }),
      () => {},
    );
    try {
      await ro.cluster.detect();
      const before = standin.requestLog.length;
      for (const [method, path] of [
        ['DELETE', '/_plugins/_ml/tasks/t1'],
        ['POST', '/_plugins/_ml/tasks/t1/_cancel'],
      ] as const) {
        const r = await send(ro.url, path, { method, headers: { 'x-console-request': '1' } });
        expect(r.status).toBe(403);
        expect(json(r)).toEqual({ error: expect.stringContaining('read-only'), status: 403 });
      }
      expect(standin.requestLog.length).toBe(before);
      expect((await send(ro.url, '/_plugins/_ml/tasks/t1')).status).toBe(200);
      expect(json(await send(ro.url, '/console/config'))).toEqual({ readOnly: true });
    } finally {
      await ro.close();
    }
  });

  it('logs one line per request: method, path, status, duration, nothing else', async () => {
    logs.lines.length = 0;
    await via('/_plugins/_ml/tasks/_search?pretty=true', 'POST', '{"size":0}', { authorization: READER });
    await send(gateway.url, '/_plugins/_ml/tasks/_search?size=1&token=abc');
    // A line is logged when its connection closes, which may come just after the answer.
    await logs.waitForCount(2);
    expect(logs.lines).toHaveLength(2);
    expect(logs.lines[0]).toMatch(/^POST \/_plugins\/_ml\/tasks\/_search 200 \d+ms$/);
    expect(logs.lines[1]).toMatch(/^GET \/_plugins\/_ml\/tasks\/_search 400 \d+ms$/);
    for (const line of logs.lines) {
      for (const secret of [PASSWORD, ADMIN.slice(6), READER.slice(6), 'token', 'size']) {
        expect(line).not.toContain(secret);
      }
    }
  });
});

describe('against a broken upstream', () => {
  const TIMEOUT = 400;
  let upstream: ReturnType<typeof createServer>;
  let upstreamUrl: string;
  let gateway: Gateway;
  const logs = logLines();
  /** The ids of the calls whose connection closed before the answer was complete. */
  const closedEarly = logLines();
  const big = Buffer.from(JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) }));

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const id = (req.url ?? '').split('?')[0]!.split('/').pop();
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.log(id ?? '');
    });
    switch (id) {
      case 'slow':
        setTimeout(() => res.end('{}'), 3000).unref();
        return;
      case 'err500':
        res.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(
          '{"error":{"root_cause":[{"type":"exception","reason":"boom"}],"type":"exception","reason":"boom"},"status":500}',
        );
        return;
      case 'unauth':
        res.writeHead(401, {
          'content-type': 'text/plain; charset=UTF-8',
          'www-authenticate': 'Basic realm="OpenSearch Security"',
          'set-cookie': 'security_authentication=abc; Path=/',
          'x-internal-node': 'node-7',
        });
        res.end('Unauthorized');
        return;
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 30);
        return;
      case 'resetnow':
        req.socket.destroy();
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>¡not json! {{{ ]]] \u2603</html>');
        return;
      case 'garbage503':
        res.writeHead(503);
        res.end('upstream connect error or disconnect/reset before headers');
        return;
      case 'nothttp':
        req.socket.end('HELLO, THIS IS NOT HTTP\r\n\r\n');
        return;
      case 'stall':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"a":');
        return;
      case 'big':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big.subarray(0, 1000));
        setTimeout(() => res.end(big.subarray(1000)), 10);
        return;
      default: {
        let length = 0;
        req.on('data', (c: Buffer) => (length += c.length));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length }));
        });
      }
    }
  }

  beforeAll(async () => {
    upstream = createServer(answer);
    upstreamUrl = await listen(upstream);
    gateway = await startGateway(
      gatewayConfig(upstreamUrl, { authorization: 'Bearer tok-123456', upstreamTimeoutMs: TIMEOUT }),
      logs.log,
    );
  });

  afterAll(async () => {
    await gateway.close();
    await closeServer(upstream);
  });

  const get = (id: string) => send(gateway.url, `/_plugins/_ml/tasks/${id}`);

  it('too slow → 504 JSON within the timeout, and the upstream request is abandoned', async () => {
    const started = Date.now();
    const r = await get('slow');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.status).toBe(504);
    expect(json(r)).toEqual({
      error: { type: 'gateway_upstream_timeout', reason: expect.stringContaining(`${TIMEOUT} ms`) },
      status: 504,
    });
    await closedEarly.waitFor('slow');
  });

  it('a 500 passes through whole', async () => {
    const r = await get('err500');
    expect(r.status).toBe(500);
    expect(json(r).error.reason).toBe('boom');
  });

  it('a 401 keeps its body but loses WWW-Authenticate, Set-Cookie and other upstream headers', async () => {
    const r = await get('unauth');
    expect(r.status).toBe(401);
    expect(r.body).toBe('Unauthorized');
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['x-internal-node']).toBeUndefined();
  });

  it('a connection reset mid-response ends the client connection, is logged, and the gateway carries on', async () => {
    const r = await get('reset');
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(r.body).toBe('{"partial":');
    expect(await logs.waitFor('/reset ')).toMatch(
      /GET \/_plugins\/_ml\/tasks\/reset 200 \d+ms \(connection closed .*\) upstream connection lost mid-response \(ECONNRESET\)/,
    );
    expect((await get('err500')).status).toBe(500);
  });

  it('a reset before any answer → 502 JSON', async () => {
    const r = await get('resetnow');
    expect(r.status).toBe(502);
    expect(json(r).error).toEqual({
      type: 'gateway_upstream_unreachable',
      reason: expect.stringContaining('closed the connection without answering'),
    });
  });

  it('a stall mid-body cuts the client connection after the timeout', async () => {
    const r = await get('stall');
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(await logs.waitFor('/stall ')).toContain(`upstream stalled mid-response for ${TIMEOUT} ms`);
  });

  it('a garbage body passes through unchanged with its status', async () => {
    const r = await get('garbage');
    expect(r.status).toBe(200);
    expect(r.body).toBe('<html>¡not json! {{{ ]]] \u2603</html>');
    expect(r.headers['content-type']).toBe('text/html');
    const r503 = await get('garbage503');
    expect(r503.status).toBe(503);
    expect(r503.body).toBe('upstream connect error or disconnect/reset before headers');
  });

  it('an answer that is not HTTP → 502 JSON', async () => {
    const r = await get('nothttp');
    expect(r.status).toBe(502);
    expect(json(r).error.reason).toContain('not HTTP');
  });

  it('a 5 MB answer streams through whole', async () => {
    const r = await get('big');
    expect(r.status).toBe(200);
    const hash = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect(hash(r.body)).toBe(hash(big));
  });

  it('a client that gives up abandons the upstream request', async () => {
    closedEarly.lines.length = 0;
    const r = await send(gateway.url, '/_plugins/_ml/tasks/slow', { timeoutMs: 100 });
    expect(r.error).toBe('test timeout');
    await closedEarly.waitFor('slow');
  });

  it('sends upstream only its own header set: no cookies, browser credentials, forwarding or encoding headers', async () => {
    const r = await send(gateway.url, '/_plugins/_ml/tasks/_search', {
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        authorization: 'Basic YnJvd3Nlcjpwdw==',
        cookie: 'a=b',
        'proxy-authorization': 'Basic eDp5',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=10.0.0.1',
        'x-http-method-override': 'DELETE',
        'x-opaque-id': 'abc',
        securitytenant: 'global_tenant',
        'accept-encoding': 'gzip, br',
        te: 'trailers',
        'user-agent': 'evil/1.0',
      },
      body: '{"size":1}',
    });
    expect(r.status).toBe(200);
    const echoed = json(r);
    expect(echoed.url).toBe('/_plugins/_ml/tasks/_search');
    expect(Object.keys(echoed.headers).sort()).toEqual(
      ['accept', 'authorization', 'connection', 'content-length', 'content-type', 'host'].sort(),
    );
    expect(echoed.headers.authorization).toBe('Bearer tok-123456');
    expect(echoed.headers.accept).toBe('application/json');
    expect(echoed.headers.host).toBe(new URL(upstreamUrl).host);
    expect(echoed.length).toBe(10);
  });

  it('forwards under the path prefix of OPENSEARCH_URL', async () => {
    const prefixed = await startGateway(gatewayConfig(`${upstreamUrl}/opensearch/`), () => {});
    try {
      const r = await send(prefixed.url, '/_plugins/_ml/models/m1?pretty');
      expect(json(r).url).toBe('/opensearch/_plugins/_ml/models/m1?pretty');
    } finally {
      await prefixed.close();
    }
  });

  it('refuses bodies over 1 MB with 413 JSON, declared or chunked; takes one of exactly 1 MB', async () => {
    const path = '/_plugins/_ml/tasks/_search';
    // A search body must be JSON the gateway can check: the exact size goes where bodies pass unread.
    const exact = await send(gateway.url, '/_plugins/_ml/tasks/t1/_cancel', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: Buffer.alloc(MAX_BODY_BYTES, 0x20),
    });
    expect(json(exact).length).toBe(MAX_BODY_BYTES);
    const over = await send(gateway.url, path, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20),
    });
    expect(over.status).toBe(413);
    expect(json(over)).toEqual({ error: expect.stringContaining('larger than'), status: 413 });
    const chunked = await send(gateway.url, path, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(3 * MAX_BODY_BYTES, 0x20),
    });
    expect(chunked.status).toBe(413);
  });

  it('retries a read once on a pooled connection the cluster dropped, never a delete', async () => {
    // The cluster drops every connection at its second request, as one closing idle connections would.
    const flaky = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served > 1) {
        socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"method":"${req.method}"}`);
    });
    const url = await listen(flaky);
    const g = await startGateway(gatewayConfig(url), () => {});
    try {
      await g.cluster.detect();
      expect((await send(g.url, '/_plugins/_ml/tasks/a1')).status).toBe(200);
      expect((await send(g.url, '/_plugins/_ml/tasks/a1')).status).toBe(200);
      const del = await send(g.url, '/_plugins/_ml/tasks/a1', { method: 'DELETE', headers: JSON_HEADERS });
      expect(del.status).toBe(502);
      expect(json(del).error.reason).toContain('closed the connection without answering');
    } finally {
      await g.close();
      await closeServer(flaky);
    }
  });

  it('a closed port → 502 JSON that says the connection was refused', async () => {
    const port = await freePort();
    const down = await startGateway(gatewayConfig(`http://127.0.0.1:${port}`), () => {});
    try {
      const r = await send(down.url, '/_plugins/_ml/tasks/_search', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: '{}',
      });
      expect(r.status).toBe(502);
      expect(json(r)).toEqual({
        error: { type: 'gateway_upstream_unreachable', reason: expect.stringContaining('ECONNREFUSED') },
        status: 502,
      });
      const health = json(await send(down.url, '/console/health'));
      expect(health.ok).toBe(false);
      expect(health.cluster).toMatchObject({
        reachable: false,
        error: { type: 'gateway_upstream_unreachable' },
      });
    } finally {
      await down.close();
    }
  });

  it('an unresolvable host name → 502 JSON naming it', async () => {
    const nowhere = await startGateway(gatewayConfig('http://no-such-host.invalid:9200'), () => {});
    try {
      const r = await send(nowhere.url, '/_plugins/_ml/tasks/t1');
      expect(r.status).toBe(502);
      expect(json(r).error.reason).toMatch(/no-such-host\.invalid.*(ENOTFOUND|EAI_AGAIN)/);
    } finally {
      await nowhere.close();
    }
  });
});

describe('over TLS', () => {
  let dir: ReturnType<typeof tempDir>;
  let ca: Buffer;
  let upstream: ReturnType<typeof createHttpsServer>;
  let port: number;

  beforeAll(async () => {
    dir = tempDir('gateway-tls-');
    const { keyFile, certFile } = selfSignedCertificate(dir.path);
    ca = readFileSync(certFile);
    upstream = createHttpsServer({ key: readFileSync(keyFile), cert: ca }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ tls: true, authorization: req.headers.authorization === 'Bearer t' }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    port = (upstream.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      upstream.close(() => resolve());
      upstream.closeAllConnections();
    });
    dir.remove();
  });

  async function through(url: string, extra: Parameters<typeof gatewayConfig>[1]): Promise<Reply> {
    const g = await startGateway(gatewayConfig(url, { authorization: 'Bearer t', ...extra }), () => {});
    try {
      return await send(g.url, '/_plugins/_ml/tasks/t1');
    } finally {
      await g.close();
    }
  }

  it('fails without the CA: 502 with a TLS reason that says what to set', async () => {
    const r = await through(`https://127.0.0.1:${port}`, {});
    expect(r.status).toBe(502);
    const { error } = json(r);
    expect(error.type).toBe('gateway_upstream_unreachable');
    expect(error.reason).toMatch(/TLS connection .* failed: its certificate is self-signed/);
    expect(error.reason).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.reason).toContain('OPENSEARCH_CA');
  });

  it('works with the CA', async () => {
    const r = await through(`https://127.0.0.1:${port}`, { ca });
    expect(r.status).toBe(200);
    expect(json(r)).toEqual({ tls: true, authorization: true });
  });

  it('works with tlsInsecure', async () => {
    const r = await through(`https://127.0.0.1:${port}`, { tlsInsecure: true });
    expect(r.status).toBe(200);
  });

  it('refuses a certificate issued for another host name, even with its CA', async () => {
    const { keyFile, certFile } = selfSignedCertificate(dir.path, 'other', 'DNS:elsewhere.example');
    const other = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_q, res) =>
      res.end('{}'),
    );
    const url = await listen(other);
    try {
      const r = await through(url.replace('http:', 'https:'), { ca: readFileSync(certFile) });
      expect(r.status).toBe(502);
      expect(json(r).error.reason).toMatch(/not issued for this host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    } finally {
      await closeServer(other);
    }
  });

  it('an http URL pointed at the TLS port → 502 that hints at https', async () => {
    const r = await through(`http://127.0.0.1:${port}`, {});
    expect(r.status).toBe(502);
    expect(json(r).error.reason).toContain('https://');
  });
});

describe('with every upstream connection busy', () => {
  // Searches of 25 rows are held for as long as the test runs; anything else is answered at once.
  let upstream: ReturnType<typeof createServer>;
  let upstreamUrl: string;
  let held = 0;
  let onHeld: () => void = () => {};

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (body.includes('"size":25')) {
          held++;
          onHeld();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}');
      });
    });
    upstreamUrl = await listen(upstream);
  });

  afterAll(() => closeServer(upstream));

  /** Resolves once `count` more searches are held by the cluster, i.e. have their connections. */
  function heldSoon(count: number): Promise<void> {
    const target = held + count;
    return new Promise((resolve) => {
      onHeld = () => {
        if (held >= target) resolve();
      };
    });
  }

  /** The answer, or 'still waiting' if it has not come after `ms` (the upstream holds it for good). */
  function within<T>(ms: number, answer: Promise<T>): Promise<T | 'still waiting'> {
    let timer: NodeJS.Timeout | undefined;
    const waiting = new Promise<'still waiting'>((resolve) => {
      timer = setTimeout(() => resolve('still waiting'), ms);
    });
    return Promise.race([answer, waiting]).finally(() => clearTimeout(timer));
  }

  it('the first screen’s search gives up on time while 64 slow searches hold every connection', async () => {
    const proxy = createMlProxyHandler({ url: new URL(upstreamUrl), timeoutMs: 30_000 });
    try {
      const busy = heldSoon(64);
      const slow = Array.from({ length: 64 }, () => proxy.searchTasks('{"size":25}', 30_000));
      await busy;
      const first = await within(3000, proxy.searchTasks('{"size":25,"from":0}', 250));
      expect(first).toEqual({
        status: 504,
        error: expect.objectContaining({ type: 'gateway_upstream_timeout' }),
      });
      // The health probe has its own connection: it is answered, not queued behind the searches.
      const probe = await within(3000, proxy.probe());
      expect(probe).toMatchObject({ reachable: true, status: 200 });
      void slow;
    } finally {
      proxy.close();
    }
  }, 15_000);

  it('/console/health answers while the browser’s slow searches hold every connection', async () => {
    const g = await startGateway(gatewayConfig(upstreamUrl, { upstreamTimeoutMs: 30_000 }), () => {});
    try {
      await g.cluster.detect();
      const busy = heldSoon(64);
      const slow = Array.from({ length: 64 }, () =>
        send(g.url, '/_plugins/_ml/tasks/_search', {
          method: 'POST',
          headers: JSON_HEADERS,
          body: '{"size":25}',
          timeoutMs: 30_000,
        }),
      );
      await busy;
      const health = await within(3000, send(g.url, '/console/health'));
      expect(health).not.toBe('still waiting');
      expect(json(health as Reply)).toMatchObject({ ok: true, cluster: { reachable: true, status: 200 } });
      void slow;
    } finally {
      await g.close();
    }
  }, 15_000);
});
