// HTTP tests of a running stand-in: the official OpenSearch JavaScript client for the happy paths, raw HTTP for
// every error row of the reference (statuses, bodies, headers).

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@opensearch-project/opensearch';
import { createStandin } from './server';
import type { Standin, StandinOptions } from './server';
import { FIXTURE } from './test-fixtures';

const MODELS = [
  {
    _id: 'm1',
    _source: {
      name: 'all-MiniLM-L6-v2',
      algorithm: 'TEXT_EMBEDDING',
      model_state: 'DEPLOYED',
      model_version: '1',
      model_format: 'TORCH_SCRIPT',
      created_time: 1,
    },
  },
  {
    _id: 'm2',
    _source: {
      name: 'kmeans',
      algorithm: 'KMEANS',
      model_state: 'TRAINED',
      model_version: '1',
      created_time: 2,
    },
  },
  {
    _id: 'hidden1',
    _source: {
      name: 'hidden model',
      algorithm: 'TEXT_EMBEDDING',
      model_state: 'DEPLOYED',
      is_hidden: true,
      created_time: 3,
    },
  },
  { _id: 'm1_0', _source: { model_id: 'm1', chunk_number: 0, total_chunks: 1, created_time: 4 } },
];

let standin: Standin;
let url: string;
let client: Client;

beforeAll(async () => {
  standin = createStandin({ tasks: structuredClone(FIXTURE), models: MODELS });
  url = await standin.listen(0, '127.0.0.1');
  client = new Client({ node: url });
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

async function http(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method,
    body,
    headers:
      body !== undefined && !('content-type' in headers)
        ? { 'content-type': 'application/json', ...headers }
        : headers,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** fetch refuses a body on GET; node:http sends what a misbehaving client would. */
function rawRequest(method: string, path: string, body: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request(url + path, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('through the official OpenSearch client', () => {
  it('gets a task: the bare object, no task_id, worker_node an array, is_async present', async () => {
    const res = await client.ml.getTask({ task_id: 't10' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      model_id: 'm4',
      task_type: 'UPLOAD_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: 'COMPLETED',
      worker_node: ['legacy-node'],
      create_time: FIXTURE[9]!._source.create_time,
      last_update_time: FIXTURE[9]!._source.last_update_time,
      is_async: true,
    });
    const missingAsync = await client.ml.getTask({ task_id: 't12' });
    expect(missingAsync.body.is_async).toBe(false);
  });

  it('searches tasks with filters, sort and facets in one request', async () => {
    // The client types only part of the search body; the request itself goes out whole.
    const searchBody = {
      query: { bool: { filter: [{ terms: { state: ['FAILED', 'COMPLETED'] } }] } },
      sort: [{ create_time: { order: 'desc' as const } }],
      size: 3,
      track_total_hits: true,
      aggs: { state: { terms: { field: 'state' } }, function_name: { terms: { field: 'function_name' } } },
    };
    const res = await client.ml.searchTasks({ body: searchBody });
    const body = res.body as any;
    expect(body.hits.total).toEqual({ value: 9, relation: 'eq' });
    expect(body.hits.hits.map((h: any) => h._id)).toEqual(['t8', 't7', 't11']);
    // The stored document comes back as written: the legacy string worker_node stays a string here.
    expect(body.aggregations.state.buckets).toEqual([
      { key: 'COMPLETED', doc_count: 5 },
      { key: 'FAILED', doc_count: 4 },
    ]);
    const legacy = await client.ml.searchTasks({ body: { query: { ids: { values: ['t10'] } } } });
    expect((legacy.body as any).hits.hits[0]._source.worker_node).toBe('legacy-node');
  });

  it('deletes a finished task: version and seq_no bumped, gone from the next search', async () => {
    const res = await client.ml.deleteTask({ task_id: 't7' });
    expect(res.body).toEqual({
      _index: '.plugins-ml-task',
      _id: 't7',
      _version: 2,
      result: 'deleted',
      forced_refresh: true,
      _shards: { total: 1, successful: 1, failed: 0 },
      _seq_no: 12,
      _primary_term: 1,
    });
    const search = await client.ml.searchTasks({ body: { query: { ids: { values: ['t7'] } } } });
    expect((search.body as any).hits.total.value).toBe(0);
    await expect(client.ml.getTask({ task_id: 't7' })).rejects.toMatchObject({ meta: { statusCode: 404 } });
  });

  it('gets a model, and errors come back as the client’s ResponseError', async () => {
    const res = await client.ml.getModel({ model_id: 'm1' });
    expect(res.body).toMatchObject({ name: 'all-MiniLM-L6-v2', model_state: 'DEPLOYED' });
    await expect(client.ml.getModel({ model_id: 'gone' })).rejects.toMatchObject({
      meta: {
        statusCode: 404,
        body: {
          error: {
            type: 'status_exception',
            reason: 'Failed to find model with the provided model id: gone',
          },
          status: 404,
        },
      },
    });
  });

  it('model search filters out hidden models', async () => {
    const res = await client.transport.request({
      method: 'POST',
      path: '/_plugins/_ml/models/_search',
      body: { size: 20 },
    });
    const found = (res.body as any).hits.hits.map((h: any) => h._id);
    expect(found).toEqual(['m1', 'm2', 'm1_0']);
  });
});

describe('error rows of the reference', () => {
  it('unknown task id: 404 status_exception', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await http(method, '/_plugins/_ml/tasks/nope');
      expect(res.status).toBe(404);
      expect(res.json).toEqual({
        error: {
          root_cause: [{ type: 'status_exception', reason: 'Failed to find task' }],
          type: 'status_exception',
          reason: 'Failed to find task',
        },
        status: 404,
      });
    }
  });

  it('deleting a RUNNING task: 500, and the task stays', async () => {
    const res = await http('DELETE', '/_plugins/_ml/tasks/t6');
    expect(res.status).toBe(500);
    expect(res.json.error).toMatchObject({
      type: 'exception',
      reason: 'Task cannot be deleted in running state. Try after some time.',
    });
    expect((await http('GET', '/_plugins/_ml/tasks/t6')).status).toBe(200);
  });

  it('unknown model id: 404', async () => {
    const res = await http('GET', '/_plugins/_ml/models/nope');
    expect(res.status).toBe(404);
    expect(res.json.error.reason).toBe('Failed to find model with the provided model id: nope');
  });

  it('invalid JSON: 400 json_parse_exception', async () => {
    const res = await http('POST', '/_plugins/_ml/tasks/_search', '{"query": }');
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe('json_parse_exception');
    expect(res.json.error.reason).toContain('line: 1, column: 11');
  });

  it('unknown query and unknown top-level key: 400 parsing_exception', async () => {
    const q = await http('POST', '/_plugins/_ml/tasks/_search', '{"query":{"foo":{}}}');
    expect(q.status).toBe(400);
    expect(q.json.error).toMatchObject({ type: 'parsing_exception', reason: 'unknown query [foo]', line: 1 });
    const k = await http('POST', '/_plugins/_ml/tasks/_search', '{"foo":{}}');
    expect(k.json.error).toMatchObject({
      type: 'parsing_exception',
      reason: 'Unknown key for a START_OBJECT in [foo].',
    });
  });

  it('missing or unsupported Content-Type: 406 with the simple body', async () => {
    const missing = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(missing.status).toBe(406);
    expect(await missing.json()).toEqual({ error: 'Content-Type header is missing', status: 406 });
    const plain = await http('POST', '/_plugins/_ml/tasks/_search', '{}', {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(plain.status).toBe(406);
    expect(plain.json).toEqual({
      error: 'Content-Type header [text/plain;charset=UTF-8] is not supported',
      status: 406,
    });
  });

  it('no body on search: 400 parse_exception', async () => {
    const res = await http('POST', '/_plugins/_ml/tasks/_search');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      type: 'parse_exception',
      reason: 'request body or source parameter is required',
    });
    const viaSource = await http(
      'GET',
      `/_plugins/_ml/tasks/_search?source=${encodeURIComponent('{"size":1}')}&source_content_type=application/json`,
    );
    expect(viaSource.status).toBe(200);
    expect(viaSource.json.hits.hits).toHaveLength(1);
  });

  it('wrong method: 405 with an Allow header', async () => {
    const res = await http('PUT', '/_plugins/_ml/tasks/abc');
    expect(res.status).toBe(405);
    expect(res.json).toEqual({
      error:
        'Incorrect HTTP method for uri [/_plugins/_ml/tasks/abc] and method [PUT], allowed: [GET, DELETE]',
      status: 405,
    });
    expect(res.headers.get('allow')).toBe('GET,DELETE');
  });

  it('a body on a single-task GET: 400', async () => {
    const res = await rawRequest('GET', '/_plugins/_ml/tasks/t1', '{}');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'request [GET /_plugins/_ml/tasks/t1] does not support having a body',
    });
  });

  it('unrecognised URL parameters: 400', async () => {
    const res = await http('POST', '/_plugins/_ml/tasks/_search?size=5', '{}');
    expect(res.status).toBe(400);
    expect(res.json.error.reason).toBe(
      'request [/_plugins/_ml/tasks/_search] contains unrecognized parameter: [size]',
    );
    const two = await http('GET', '/_plugins/_ml/tasks/t1?a=1&b=2');
    expect(two.json.error.reason).toBe(
      'request [/_plugins/_ml/tasks/t1] contains unrecognized parameters: [a], [b]',
    );
    // OpenSearch lists them sorted, not in the order of the URL.
    const unsorted = await http('GET', '/_plugins/_ml/tasks/t1?zeta=1&alpha=2');
    expect(unsorted.json.error.reason).toBe(
      'request [/_plugins/_ml/tasks/t1] contains unrecognized parameters: [alpha], [zeta]',
    );
  });

  it('the source parameter needs source_content_type: a 500 without it, as RestRequest fails', async () => {
    const source = encodeURIComponent('{"size":1}');
    const missing = await http('GET', `/_plugins/_ml/tasks/_search?source=${source}`);
    expect(missing.status).toBe(500);
    expect(missing.json.error).toMatchObject({
      type: 'illegal_state_exception',
      reason: 'source and source_content_type parameters are required',
    });
    const unknown = await http(
      'GET',
      `/_plugins/_ml/tasks/_search?source=${source}&source_content_type=text/plain`,
    );
    expect(unknown.status).toBe(500);
    expect(unknown.json.error.reason).toBe('Unknown value for source_content_type [text/plain]');
  });

  it('newline-delimited JSON is read as JSON', async () => {
    const res = await http('POST', '/_plugins/_ml/tasks/_search', '{"size":1}', {
      'content-type': 'application/x-ndjson',
    });
    expect(res.status).toBe(200);
    expect(res.json.hits.hits).toHaveLength(1);
  });

  it('the 10,000 result window: 400 search_phase_execution_exception', async () => {
    const res = await http('POST', '/_plugins/_ml/tasks/_search', '{"from":10000,"size":1}');
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe('search_phase_execution_exception');
    expect(res.json.error.root_cause[0].reason).toMatch(/^Result window is too large/);
  });

  it('sorting or aggregating on error: 400 all shards failed', async () => {
    const sort = await http('POST', '/_plugins/_ml/tasks/_search', '{"sort":["error"]}');
    expect(sort.status).toBe(400);
    expect(sort.json.error).toMatchObject({
      type: 'search_phase_execution_exception',
      reason: 'all shards failed',
    });
    const agg = await http(
      'POST',
      '/_plugins/_ml/tasks/_search',
      '{"aggs":{"e":{"terms":{"field":"error"}}}}',
    );
    expect(agg.status).toBe(400);
  });

  it('unknown routes: 400 no handler found, without a status key', async () => {
    const res = await http('GET', '/_plugins/_ml/tasks');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'no handler found for uri [/_plugins/_ml/tasks] and method [GET]' });
    const other = await http('DELETE', '/.plugins-ml-task?x=1');
    expect(other.json).toEqual({
      error: 'no handler found for uri [/.plugins-ml-task?x=1] and method [DELETE]',
    });
  });

  it('cancel: only remote batch predictions, and without a body', async () => {
    const bad = await http('POST', '/_plugins/_ml/tasks/t1/_cancel');
    expect(bad.status).toBe(400);
    expect(bad.json.error.reason).toBe('The task ID you provided does not have any associated batch job');
    const withBody = await http('POST', '/_plugins/_ml/tasks/t6/_cancel', '{}');
    expect(withBody.status).toBe(400);
    expect(withBody.json.error.reason).toBe(
      'request [POST /_plugins/_ml/tasks/t6/_cancel] does not support having a body',
    );
    const ok = await http('POST', '/_plugins/_ml/tasks/t6/_cancel');
    expect(ok.json).toEqual({ status: 'OK' });
    expect((await http('GET', '/_plugins/_ml/tasks/t6')).json.state).toBe('CANCELLING');
  });

  it('pretty and filter_path shape the output', async () => {
    const res = await http(
      'POST',
      '/_plugins/_ml/tasks/_search?pretty&filter_path=hits.hits._id,hits.total',
      '{"size":2}',
    );
    expect(res.text).toContain('\n  "hits"');
    expect(res.json).toEqual({
      hits: { total: { value: expect.any(Number), relation: 'eq' }, hits: [{ _id: 't1' }, { _id: 't2' }] },
    });
  });
});

describe('no task index', () => {
  it('answers an empty 200 and still validates the body', async () => {
    const empty = createStandin({ tasks: [] });
    const emptyUrl = await empty.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${emptyUrl}/_plugins/_ml/tasks/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"size":5}',
      });
      expect(await res.json()).toEqual({
        took: 0,
        timed_out: false,
        _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
        hits: { total: { value: 0, relation: 'eq' }, max_score: 0, hits: [] },
      });
      const bad = await fetch(`${emptyUrl}/_plugins/_ml/tasks/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":{"foo":{}}}',
      });
      expect(bad.status).toBe(400);
      // Shard failures need a shard: with no index yet, these still answer the empty 200.
      for (const body of [
        '{"sort":["error"]}',
        '{"from":10000,"size":1}',
        '{"query":{"range":{"create_time":{"gte":"x"}}}}',
      ]) {
        const res = await fetch(`${emptyUrl}/_plugins/_ml/tasks/_search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(res.status).toBe(200);
        expect((await res.json()).hits.total).toEqual({ value: 0, relation: 'eq' });
      }
    } finally {
      await empty.close();
    }
  });
});

describe('security', () => {
  const USERS: StandinOptions['users'] = [
    { username: 'admin', password: 'secret', role: 'ml_full_access' },
    { username: 'reader', password: 'pw', role: 'ml_read_access' },
  ];
  const basic = (u: string, p: string) => ({
    authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`,
  });
  /** Runs `check` against a stand-in of the fixture with these security options, closed afterwards. */
  async function withSecured(
    options: Pick<StandinOptions, 'users' | 'proxy'>,
    check: (url: string) => Promise<void>,
  ) {
    const secured = createStandin({ tasks: structuredClone(FIXTURE), ...options });
    try {
      await check(await secured.listen(0, '127.0.0.1'));
    } finally {
      await secured.close();
    }
  }

  it('401 with WWW-Authenticate without credentials; 403 for a reader deleting', async () => {
    await withSecured({ users: USERS }, async (securedUrl) => {
      const anon = await fetch(`${securedUrl}/_plugins/_ml/tasks/t1`);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toBe('Basic realm="OpenSearch Security"');
      expect(await anon.text()).toBe('Unauthorized');
      expect(
        (await fetch(`${securedUrl}/_plugins/_ml/tasks/t1`, { headers: basic('reader', 'pw') })).status,
      ).toBe(200);
      const forbidden = await fetch(`${securedUrl}/_plugins/_ml/tasks/t1`, {
        method: 'DELETE',
        headers: basic('reader', 'pw'),
      });
      expect(forbidden.status).toBe(403);
      expect((await forbidden.json()).error).toMatchObject({
        type: 'security_exception',
        reason:
          'no permissions for [cluster:admin/opensearch/ml/tasks/delete] and User [name=reader, backend_roles=[], requestedTenant=null]',
      });
      expect(
        (
          await fetch(`${securedUrl}/_plugins/_ml/tasks/t1`, {
            method: 'DELETE',
            headers: basic('admin', 'secret'),
          })
        ).status,
      ).toBe(200);
    });
  });

  it('answers authinfo as the security plugin does: who asks, their roles and tenant; 401 without credentials', async () => {
    await withSecured({ users: USERS }, async (securedUrl) => {
      const anon = await fetch(`${securedUrl}/_plugins/_security/authinfo`);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toBe('Basic realm="OpenSearch Security"');
      const wrong = await fetch(`${securedUrl}/_plugins/_security/authinfo`, {
        headers: basic('reader', 'nope'),
      });
      expect(wrong.status).toBe(401);

      for (const path of ['/_plugins/_security/authinfo', '/_opendistro/_security/authinfo']) {
        const res = await fetch(`${securedUrl}${path}`, { headers: basic('reader', 'pw') });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toMatchObject({
          user: 'User [name=reader, backend_roles=[], requestedTenant=null]',
          user_name: 'reader',
          user_requested_tenant: null,
          backend_roles: [],
          custom_attribute_names: [],
          roles: ['ml_read_access', 'own_index'],
          tenants: { reader: true },
          principal: null,
          peer_certificates: '0',
          sso_logout_url: null,
        });
        expect(body.remote_address).toMatch(/^127\.0\.0\.1:\d+$/);
      }
      const admin = await fetch(`${securedUrl}/_plugins/_security/authinfo`, {
        method: 'POST',
        headers: basic('admin', 'secret'),
      });
      expect(await admin.json()).toMatchObject({
        user_name: 'admin',
        roles: ['ml_full_access', 'own_index'],
      });
      const unknown = await fetch(`${securedUrl}/_plugins/_security/authinfo?who=me`, {
        headers: basic('admin', 'secret'),
      });
      expect(unknown.status).toBe(400);
    });
  });

  it('has no security plugin, and so no authinfo, without users', async () => {
    const res = await fetch(`${url}/_plugins/_security/authinfo`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'no handler found for uri [/_plugins/_security/authinfo] and method [GET]',
    });
  });

  it("takes the user and backend roles from a trusted proxy's headers, as the proxy authenticator does", async () => {
    const as = (user: string, roles: string) => ({
      'x-forwarded-for': '10.1.2.3',
      'x-proxy-user': user,
      'x-proxy-roles': roles,
    });
    await withSecured({ proxy: {} }, async (proxiedUrl) => {
      const info = await fetch(`${proxiedUrl}/_plugins/_security/authinfo`, {
        headers: as('alice', 'ml_read_access, analysts'),
      });
      expect(await info.json()).toMatchObject({
        user: 'User [name=alice, backend_roles=[ml_read_access, analysts], requestedTenant=null]',
        user_name: 'alice',
        backend_roles: ['ml_read_access', 'analysts'],
        roles: ['ml_read_access', 'own_index'],
        tenants: { alice: true },
      });
      // A reader reads and may not delete; a user with no ML role may not even search.
      expect(
        (await fetch(`${proxiedUrl}/_plugins/_ml/tasks/t1`, { headers: as('alice', 'ml_read_access') }))
          .status,
      ).toBe(200);
      const del = await fetch(`${proxiedUrl}/_plugins/_ml/tasks/t1`, {
        method: 'DELETE',
        headers: as('alice', 'ml_read_access'),
      });
      expect(del.status).toBe(403);
      expect((await del.json()).error.reason).toBe(
        'no permissions for [cluster:admin/opensearch/ml/tasks/delete] and User [name=alice, backend_roles=[ml_read_access], requestedTenant=null]',
      );
      const none = await fetch(`${proxiedUrl}/_plugins/_ml/tasks/_search`, {
        headers: as('bob', 'analysts'),
      });
      expect(none.status).toBe(403);
      expect(
        (
          await fetch(`${proxiedUrl}/_plugins/_ml/tasks/t1`, {
            method: 'DELETE',
            headers: as('root', 'all_access'),
          })
        ).status,
      ).toBe(200);

      // Without X-Forwarded-For the headers are not read (the plugin's XFF resolver has not trusted the request), and
      // no authenticator challenges.
      const direct = await fetch(`${proxiedUrl}/_plugins/_ml/tasks/_search`, {
        headers: { 'x-proxy-user': 'mallory', 'x-proxy-roles': 'all_access' },
      });
      expect(direct.status).toBe(401);
      expect(direct.headers.get('www-authenticate')).toBeNull();
      expect(await direct.text()).toBe('Authentication finally failed');
    });
  });

  it('reads no proxy headers from an address that is not one of its proxies; basic users still sign in', async () => {
    const options = { proxy: { internalProxies: /^10\.0\.0\.1$/ }, users: USERS };
    await withSecured(options, async (proxiedUrl) => {
      const spoofed = await fetch(`${proxiedUrl}/_plugins/_security/authinfo`, {
        headers: { 'x-forwarded-for': '10.1.2.3', 'x-proxy-user': 'mallory', 'x-proxy-roles': 'all_access' },
      });
      expect(spoofed.status).toBe(401);
      expect(spoofed.headers.get('www-authenticate')).toBe('Basic realm="OpenSearch Security"');
      const admin = await fetch(`${proxiedUrl}/_plugins/_security/authinfo`, {
        headers: basic('admin', 'secret'),
      });
      expect(await admin.json()).toMatchObject({
        user_name: 'admin',
        backend_roles: [],
        roles: ['ml_full_access', 'own_index'],
      });
    });
  });
});
