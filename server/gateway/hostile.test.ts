// The hostile-request suite: several hundred generated paths, methods, headers and raw byte streams sent
// through the gateway to a stand-in with credentials. The stand-in's own record of what reached it is the
// judge: nothing off the route list may arrive, browser credentials and extra headers never arrive, and
// no answer anywhere carries the configured credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin } from '../standin/server';
import type { Standin } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { startGateway } from './server';
import type { Gateway } from './server';
import { basic, gatewayConfig, rawStatus, recordRequests, send, sendRaw } from './test-helpers';
import type { Recorded, Reply } from './test-helpers';

const PASSWORD = 'H0stile-Suite-Passw0rd';
const ADMIN = basic('admin', PASSWORD);
const TOKEN = ADMIN.slice('Basic '.length);
const SECRETS = [PASSWORD, TOKEN, TOKEN.slice(0, 12)];
const ML = '/_plugins/_ml';
const OK_HEADERS = { 'x-console-request': '1', 'content-type': 'application/json' };

/** What a request forwarded upstream may look like: the route list, written out independently here. */
const ON_THE_LIST = [
  /^(GET|POST) \/_plugins\/_ml\/(tasks|models)\/_search(\?pretty(=true|=false)?)?$/,
  /^(GET|DELETE) \/_plugins\/_ml\/tasks\/[A-Za-z0-9_.-]{1,512}(\?pretty(=true|=false)?)?$/,
  /^POST \/_plugins\/_ml\/tasks\/[A-Za-z0-9_.-]{1,512}\/_cancel(\?pretty(=true|=false)?)?$/,
  /^GET \/_plugins\/_ml\/models\/[A-Za-z0-9_.-]{1,512}(\?pretty(=true|=false)?)?$/,
  /^GET \/_plugins\/_ml\/(profile\/tasks|stats)(\?pretty(=true|=false)?)?$/,
  // The two cluster calls only ever with the gateway's own query.
  /^GET \/_nodes\?filter_path=_nodes%2Ccluster_name%2Cnodes\.\*\.name%2Cnodes\.\*\.host%2Cnodes\.\*\.ip%2Cnodes\.\*\.roles%2Cnodes\.\*\.version(&pretty(=true|=false)?)?$/,
  /^GET \/_cluster\/settings\?include_defaults=true&flat_settings=true&filter_path=\*\.plugins%5C\.ml_commons%5C\.ml_task_timeout_in_seconds%2C\*\.plugins%5C\.ml_commons%5C\.max_batch_inference_tasks%2C\*\.plugins%5C\.ml_commons%5C\.max_batch_ingestion_tasks%2C\*\.plugins%5C\.ml_commons%5C\.sync_up_job_interval_in_seconds(&pretty(=true|=false)?)?$/,
];
const UPSTREAM_HEADERS = new Set([
  'host',
  'accept',
  'authorization',
  'content-type',
  'content-length',
  'connection',
]);

const TRAVERSALS = [
  `${ML}/tasks/t1/../../_cluster/settings`,
  `${ML}/tasks/../../../_cluster/settings`,
  `${ML}/tasks/t1/../../../../.plugins-ml-task/_doc/t1`,
  `${ML}/tasks/./_search`,
  `${ML}/./tasks/_search`,
  `${ML}/tasks/_search/.`,
  `${ML}/tasks/_search/..`,
  `${ML}/tasks/..`,
  `${ML}/tasks/.`,
  `${ML}/tasks/...`,
  `${ML}/tasks/..;/_cluster/settings`,
  `${ML}/tasks/%2e%2e/%2e%2e/_cluster/settings`,
  `${ML}/tasks/%2E%2E%2F%2E%2E%2F_cluster%2Fsettings`,
  `${ML}/tasks/..%2f..%2f_cluster%2fsettings`,
  `${ML}/tasks/t1%2f..%2f..%2f_cluster`,
  `${ML}/tasks/%252e%252e%252f_cluster`,
  `${ML}/tasks/%25252e%25252e`,
  `${ML}/tasks/%c0%ae%c0%ae/_cluster`,
  `${ML}/tasks/%u002e%u002e`,
  `${ML}/tasks/t1%00`,
  `${ML}/tasks/t1%0d%0aX-Injected:%201`,
  `${ML}/tasks/t1\\..\\..\\_cluster\\settings`,
  `${ML}/tasks/%5c..%5c_cluster`,
  `${ML}/tasks\\t1`,
  `${ML}//tasks/_search`,
  `//_plugins/_ml/tasks/_search`,
  `${ML}/tasks//t1`,
  `${ML}/tasks/t1/`,
  `${ML}/tasks/_search/`,
  `${ML}/tasks/t1/_cancel/`,
  `${ML}/tasks/t1;jsessionid=1`,
  `${ML}/tasks/t1%3B`,
  `${ML}/tasks/_search%3Fsize=1`,
  `${ML}/tasks/_search%23`,
];

const OTHER_APIS = [
  '/_cluster/settings/',
  '/_cluster/settings/x',
  '/_cluster/Settings',
  '/_cluster',
  '/_cluster/health',
  '/_cluster/state',
  '/_cluster/reroute',
  '/_cat/indices',
  '/_nodes/',
  '/_NODES',
  '/_nodes/stats',
  '/_nodes/_all/settings',
  '/_nodes/plugins',
  '/_nodes/hot_threads',
  '/_nodes/reload_secure_settings',
  '/_nodes/_local/stats',
  '/_nodes%2Fstats',
  '/_search',
  '/_all/_search',
  '/_all',
  '/_bulk',
  '/_snapshot',
  '/_tasks',
  '/_scripts/x',
  '/.plugins-ml-task/_doc/t1',
  '/.plugins-ml-task/_search',
  '/.plugins-ml-task',
  '/.plugins-ml-model/_delete_by_query',
  '/.opendistro_security/_doc/config',
  '/_plugins/_security/api/internalusers',
  '/_plugins/_security/authinfo',
  '/_plugins/_ml',
  `${ML}`,
  `${ML}/`,
  `${ML}/tasks`,
  `${ML}/tasks/`,
  `${ML}/models`,
  `${ML}/stats/ml_request_count`,
  `${ML}/stats/`,
  `${ML}/_local/stats`,
  `${ML}/t1/stats`,
  `${ML}/profile`,
  `${ML}/profile/models`,
  `${ML}/profile/tasks/t1`,
  `${ML}/profile/tasks/`,
  `${ML}/models/t1/_deploy`,
  `${ML}/models/t1/_undeploy`,
  `${ML}/models/_undeploy`,
  `${ML}/models/_register`,
  `${ML}/models/_upload`,
  `${ML}/models/meta`.replace('meta', '_meta'),
  `${ML}/models/t1/chunk/0`,
  `${ML}/models/t1/_predict`,
  `${ML}/_predict/kmeans/t1`,
  `${ML}/_train/kmeans`,
  `${ML}/connectors/_search`,
  `${ML}/connectors/c1`,
  `${ML}/agents/a1/_execute`,
  `${ML}/memory/m1`,
  `${ML}/model_groups/_search`,
  `${ML}/tasks/t1/_update`,
  `${ML}/tasks/t1/x`,
  `${ML}/tasks/t1/_cancel/x`,
  `${ML}/tasks/_cancel`,
  `${ML}/tasks/_search/_cancel`,
  `${ML}/tasks/_delete_by_query`,
  `${ML}/tasks/_all`,
  `${ML}/tasks/*`,
  `${ML}/tasks/t*`,
  `${ML}/tasks/t1,t2`,
  `${ML}/tasks/t1:x`,
  `${ML}/tasks/t1@x`,
  `${ML}/tasks/t1~1`,
  `${ML}/tasks/t1'`,
  `${ML}/tasks/<script>`,
  `${ML}/tasks/${'a'.repeat(513)}`,
  `${ML}/TASKS/_search`,
  `/_PLUGINS/_ml/tasks/_search`,
  `/_plugins/_ML/tasks/_search`,
  `/_plugins/%5fml/tasks/_search`,
  `/%5fplugins/_ml/tasks/_search`,
  `/%5Fcluster/settings`,
  `/%2e/_cluster/settings`,
  `/_plugins/_ml/tasks/%5fsearch`,
  `/_pluginsX/_ml/tasks/_search`,
  `/_plugins/_mlx/tasks/_search`,
  `${ML}/tasks/${'x/'.repeat(700)}`,
  `${ML}/tasks/${'a'.repeat(5000)}`,
  `/${'a'.repeat(5000)}`,
];

const PARAMS = [
  'size=1',
  'from=10000',
  'error_trace=true',
  'filter_path=hits.hits._source',
  'source=%7B%22query%22%3A%7B%7D%7D&source_content_type=application/json',
  'format=yaml',
  'human=true',
  'q=*',
  'routing=x',
  'preference=_local',
  'scroll=1m',
  'search_type=dfs_query_then_fetch',
  'request_cache=false',
  'refresh=true',
  'version=1',
  'timeout=1ms',
  'pretty=1',
  'pretty=yes',
  'pretty&pretty',
  'PRETTY',
  '%70retty',
  'pretty%3Dtrue',
  'pretty=true&size=1',
  'pretty=true%0d%0aX-Injected:1',
  'pretty=true#frag',
  '_=1700000000000',
];

const VALID = [
  `${ML}/tasks/_search`,
  `${ML}/tasks/t1`,
  `${ML}/tasks/t6/_cancel`,
  `${ML}/models/_search`,
  `${ML}/models/m1`,
  `${ML}/profile/tasks`,
  `${ML}/stats`,
  '/_nodes',
  '/_cluster/settings',
];
const ALLOWED_METHODS: Record<string, string[]> = {
  [`${ML}/tasks/_search`]: ['GET', 'POST'],
  [`${ML}/tasks/t1`]: ['GET', 'DELETE'],
  [`${ML}/tasks/t6/_cancel`]: ['POST'],
  [`${ML}/models/_search`]: ['GET', 'POST'],
  [`${ML}/models/m1`]: ['GET'],
  [`${ML}/profile/tasks`]: ['GET'],
  [`${ML}/stats`]: ['GET'],
  ['/_nodes']: ['GET'],
  ['/_cluster/settings']: ['GET'],
};
const OTHER_METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'PURGE',
  'SEARCH',
  'REPORT',
  'LINK',
  'UNLINK',
  'MERGE',
  'ACL',
  'QUERY',
];

/** Hundreds of requests per test: the default 5 s cap is too tight on a loaded two-core machine. A cap, not a speed check. */
const BULK_TIMEOUT_MS = 30_000;

let standin: Standin;
let upstream: string;
let seen: Recorded[];
let gateway: Gateway;
let readOnly: Gateway;
const replies: Array<{ what: string; reply: Reply }> = [];
const raws: Array<{ what: string; raw: string }> = [];
let expectedForwards = 0;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

function expectRefusal(what: string, reply: Reply, statuses: number[]): void {
  expect(statuses, `${what} → ${reply.status} ${reply.body.slice(0, 200)}`).toContain(reply.status);
  if (reply.headers['content-length'] !== '0' && reply.body !== '') {
    const body = JSON.parse(reply.body);
    expect(typeof body.error, what).toBe('string');
    expect(body.status, what).toBe(reply.status);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
  }
}

beforeAll(async () => {
  standin = createStandin({
    tasks: structuredClone(FIXTURE),
    users: [{ username: 'admin', password: PASSWORD, role: 'ml_full_access' }],
  });
  upstream = await standin.listen();
  gateway = await startGateway(gatewayConfig(upstream, { authorization: ADMIN }), () => {});
  readOnly = await startGateway(gatewayConfig(upstream, { authorization: ADMIN, readOnly: true }), () => {});
  // What reached the cluster from here on is the browser's doing, not the gateways' own detection at start-up.
  await Promise.all([gateway.cluster.detect(), readOnly.cluster.detect()]);
  standin.requestLog.length = 0;
  seen = recordRequests(standin.server);
});

afterAll(async () => {
  await gateway.close();
  await readOnly.close();
  await standin.close();
});

describe('the hostile-request suite', () => {
  it(
    'refuses traversal, encodings, other APIs and long paths with every method, before the cluster',
    async () => {
      const cases = [...TRAVERSALS, ...OTHER_APIS].flatMap((path) =>
        ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'].map((method) => ({
          method,
          path,
        })),
      );
      await inBatches(cases, 25, async ({ method, path }) => {
        const reply = await send(gateway.url, path, {
          method,
          headers: OK_HEADERS,
          ...(method === 'POST' || method === 'PUT' ? { body: '{}' } : {}),
        });
        const what = `${method} ${path.slice(0, 120)}`;
        replies.push({ what, reply });
        expectRefusal(what, reply, [400, 404, 405, 414]);
      });
      expect(cases.length).toBeGreaterThan(800);
      expect(seen).toHaveLength(0);
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'refuses URL parameters OpenSearch would refuse or the console never sends',
    async () => {
      const cases = VALID.flatMap((path) => PARAMS.map((query) => ({ path: `${path}?${query}` })));
      await inBatches(cases, 25, async ({ path }) => {
        const method = ALLOWED_METHODS[path.split('?')[0]!]![0]!;
        const reply = await send(gateway.url, path, { method, headers: OK_HEADERS });
        replies.push({ what: `${method} ${path}`, reply });
        expectRefusal(`${method} ${path}`, reply, [400]);
      });
      expect(seen).toHaveLength(0);
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'answers 405 with Allow for every other method on the console’s own paths',
    async () => {
      const cases = VALID.flatMap((path) =>
        OTHER_METHODS.filter((m) => !ALLOWED_METHODS[path]!.includes(m)).map((method) => ({ method, path })),
      );
      await inBatches(cases, 25, async ({ method, path }) => {
        const reply = await send(gateway.url, path, { method, headers: OK_HEADERS });
        replies.push({ what: `${method} ${path}`, reply });
        expectRefusal(`${method} ${path}`, reply, [405]);
        expect(reply.headers.allow).toBe(ALLOWED_METHODS[path]!.join(', '));
      });
      expect(seen).toHaveLength(0);
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'refuses writes without a same-origin Origin or the console header (CSRF), and all writes when read-only',
    async () => {
      const host = new URL(gateway.url).host;
      const csrf: Array<Record<string, string>> = [
        {},
        { 'content-type': 'application/json' },
        { origin: 'http://evil.example' },
        { origin: 'http://evil.example', 'x-console-request': '1' },
        { origin: 'null' },
        { origin: 'null', 'x-console-request': '1' },
        { origin: `http://${host}.evil.example`, 'x-console-request': '1' },
        { origin: `http://127.0.0.1:1`, 'x-console-request': '1' },
        { origin: `http://localhost:${new URL(gateway.url).port}` },
        { origin: `file://`, 'x-console-request': '1' },
        { origin: `http://${host}@evil.example` },
        { origin: 'not a url' },
        { 'x-console-request': '0' },
        { 'x-console-request': 'true' },
        { 'x-console-request': ['1', '1'] as unknown as string },
        { 'x-requested-with': 'XMLHttpRequest' },
        { 'osd-xsrf': 'true' },
        { referer: gateway.url },
        { 'sec-fetch-site': 'cross-site', 'x-console-request': '1' },
        { 'sec-fetch-site': 'same-site', origin: `http://${host}` },
      ];
      const writes = [
        ['POST', `${ML}/tasks/_search`],
        ['POST', `${ML}/models/_search`],
        ['DELETE', `${ML}/tasks/t1`],
        ['POST', `${ML}/tasks/t6/_cancel`],
      ] as const;
      const cases = writes.flatMap(([method, path]) => csrf.map((headers) => ({ method, path, headers })));
      await inBatches(cases, 25, async ({ method, path, headers }) => {
        const reply = await send(gateway.url, path, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        replies.push({ what: `${method} ${path} ${JSON.stringify(headers)}`, reply });
        expectRefusal(`${method} ${path} ${JSON.stringify(headers)}`, reply, [403]);
      });
      for (const [method, path] of [
        ['DELETE', `${ML}/tasks/t1`],
        ['POST', `${ML}/tasks/t6/_cancel`],
        ['DELETE', `${ML}/tasks/t2?pretty`],
      ] as const) {
        const reply = await send(readOnly.url, path, { method, headers: OK_HEADERS });
        replies.push({ what: `read-only ${method} ${path}`, reply });
        expectRefusal(`read-only ${method} ${path}`, reply, [403]);
      }
      expect(cases.length).toBeGreaterThan(70);
      expect(seen).toHaveLength(0);
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'refuses raw byte streams: control characters, absolute URLs, CONNECT, smuggling, foreign Host',
    async () => {
      const host = new URL(gateway.url).host;
      const req = (line: string, headers = `Host: ${host}\r\n`) =>
        `${line}\r\n${headers}Connection: close\r\n\r\n`;
      const streams: Array<[string, string | Buffer]> = [
        ['NUL in path', req(`GET ${ML}/tasks/t1\u0000 HTTP/1.1`)],
        ['SOH in path', req(`GET ${ML}/tasks/t1\u0001x HTTP/1.1`)],
        ['DEL in path', req(`GET ${ML}/tasks/t1\u007f HTTP/1.1`)],
        ['tab in path', req(`GET ${ML}/tasks/t1\tx HTTP/1.1`)],
        ['space in path', req(`GET ${ML}/tasks/t1 x HTTP/1.1`)],
        ['CR in path', req(`GET ${ML}/tasks/t1\rX-Injected: 1 HTTP/1.1`)],
        ['LF in path (read as HTTP/0.9)', req(`GET ${ML}/tasks/t1\nX-Injected: 1 HTTP/1.1`)],
        ['UTF-8 in path', Buffer.from(req(`GET ${ML}/tasks/t\u00e9\u2603 HTTP/1.1`), 'utf8')],
        ['latin1 in path', Buffer.from(req(`GET ${ML}/tasks/t\u00e9 HTTP/1.1`), 'latin1')],
        ['backslash traversal', req(`GET ${ML}\\tasks\\..\\..\\_cluster\\settings HTTP/1.1`)],
        ['raw traversal', req(`GET ${ML}/tasks/t1/../../../_cluster/settings HTTP/1.1`)],
        ['raw dot traversal', req(`GET /_plugins/_ml/../../_cluster/settings HTTP/1.1`)],
        ['absolute-form', req(`GET ${upstream}/_cluster/settings HTTP/1.1`)],
        ['absolute-form ML', req(`GET ${upstream}${ML}/tasks/t1 HTTP/1.1`)],
        ['asterisk-form', req(`OPTIONS * HTTP/1.1`)],
        ['CONNECT', req(`CONNECT ${new URL(upstream).host} HTTP/1.1`)],
        ['unknown method', req(`FOO ${ML}/tasks/t1 HTTP/1.1`)],
        ['lower-case method', req(`get ${ML}/tasks/t1 HTTP/1.1`)],
        ['HTTP/0.9', `GET /_cluster/state\r\n\r\n`],
        ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
        ['foreign Host', req(`GET ${ML}/tasks/t1 HTTP/1.1`, 'Host: evil.example\r\n')],
        [
          'foreign Host with port',
          req(`GET ${ML}/tasks/_search HTTP/1.1`, `Host: attacker.test:${new URL(gateway.url).port}\r\n`),
        ],
        ['two Hosts', req(`GET ${ML}/tasks/t1 HTTP/1.1`, `Host: ${host}\r\nHost: evil.example\r\n`)],
        [
          'CL + TE smuggling',
          `POST ${ML}/tasks/_search HTTP/1.1\r\nHost: ${host}\r\nX-Console-Request: 1\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /_cluster/state HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
        ],
        [
          'two Content-Lengths',
          `POST ${ML}/tasks/_search HTTP/1.1\r\nHost: ${host}\r\nX-Console-Request: 1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`,
        ],
        [
          'obs-fold header',
          `GET ${ML}/tasks/t1 HTTP/1.1\r\nHost: ${host}\r\nX-Evil: a\r\n b\r\nConnection: close\r\n\r\n`,
        ],
        [
          'header with CR',
          `GET ${ML}/tasks/t1 HTTP/1.1\r\nHost: ${host}\r\nX-Evil: a\rAuthorization: b\r\nConnection: close\r\n\r\n`,
        ],
        [
          'oversized header',
          `GET ${ML}/tasks/t1 HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        ],
        ['HTTP/1.0 hostile', `GET /_cluster/state HTTP/1.0\r\n\r\n`],
        ['HTTP/1.0 traversal', `GET ${ML}/tasks/../../_cluster/settings HTTP/1.0\r\n\r\n`],
      ];
      await inBatches(streams, 10, async ([what, bytes]) => {
        const raw = await sendRaw(gateway.url, bytes, 3000);
        raws.push({ what, raw });
        const status = rawStatus(raw);
        // No answer at all is acceptable (the connection closed); an answer must be a refusal.
        if (status !== 0)
          expect([400, 403, 404, 405, 414, 431], `${what}: ${raw.slice(0, 200)}`).toContain(status);
      });
      expect(seen).toHaveLength(0);
    },
    BULK_TIMEOUT_MS,
  );

  it('a pipelined hostile request behind a valid one is refused on its own', async () => {
    const host = new URL(gateway.url).host;
    const raw = await sendRaw(
      gateway.url,
      `POST ${ML}/tasks/_search HTTP/1.1\r\nHost: ${host}\r\nX-Console-Request: 1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}` +
        `GET ${ML}/tasks/t1/../../_cluster/settings HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
        `DELETE /.plugins-ml-task HTTP/1.1\r\nHost: ${host}\r\nX-Console-Request: 1\r\nConnection: close\r\n\r\n`,
    );
    raws.push({ what: 'pipelined', raw });
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 404, 404]);
    expectedForwards += 1;
    expect(seen).toHaveLength(expectedForwards);
  });

  it(
    'forwards valid calls with hostile headers, but only its own header set and credentials',
    async () => {
      const variants: Array<Record<string, string>> = [
        { authorization: 'Basic ' + Buffer.from('admin:guess').toString('base64') },
        { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
        { authorization: '' },
        { cookie: 'security_authentication=Fe26.2**stolen' },
        { 'proxy-authorization': 'Basic YTpi' },
        { 'x-forwarded-for': '10.0.0.1' },
        { 'x-forwarded-host': 'internal.cluster' },
        { 'x-forwarded-proto': 'https' },
        { 'x-forwarded-prefix': '/admin' },
        { forwarded: 'for=10.0.0.1;host=internal' },
        { 'x-real-ip': '10.0.0.1' },
        { 'x-http-method-override': 'DELETE' },
        { 'x-method-override': 'DELETE' },
        { 'x-original-url': '/_cluster/settings' },
        { 'x-rewrite-url': '/_cluster/settings' },
        { 'x-original-uri': '/_cluster/settings' },
        { 'x-opaque-id': 'trace-me' },
        { securitytenant: 'admin_tenant' },
        { security_tenant: 'admin_tenant' },
        { 'x-proxy-user': 'admin' },
        { 'x-proxy-roles': 'all_access' },
        { accept: 'application/yaml' },
        { 'accept-encoding': 'gzip, deflate, br' },
        { te: 'trailers' },
        { connection: 'x-console-request, authorization' },
        { connection: 'keep-alive, upgrade', upgrade: 'websocket' },
        { via: '1.1 evil' },
        { 'max-forwards': '0' },
        { expect: '100-continue' },
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-encoding': 'gzip' },
        { host: new URL(gateway.url).host, 'x-host': 'evil.example' },
        { 'user-agent': 'sqlmap/1.0' },
        { referer: 'http://evil.example/?password=x' },
      ];
      const calls = [
        ['POST', `${ML}/tasks/_search`, '{"size":1}'],
        ['GET', `${ML}/tasks/t2`, undefined],
        ['GET', `${ML}/models/_search`, undefined],
      ] as const;
      const cases = variants.flatMap((headers) =>
        calls.map(([method, path, body]) => ({ method, path, body, headers })),
      );
      // A search body in any type but JSON is refused (OpenSearch would read YAML, CBOR or Smile past the checks).
      const notJson = (c: (typeof cases)[number]) =>
        c.body !== undefined &&
        c.headers['content-type'] !== undefined &&
        c.headers['content-type'] !== 'application/json';
      const forwarded = cases.filter((c) => !notJson(c));
      expect(cases.length - forwarded.length).toBe(1);
      const before = seen.length;
      await inBatches(cases, 20, async ({ method, path, body, headers }) => {
        const reply = await send(gateway.url, path, {
          method,
          headers: { ...OK_HEADERS, ...headers },
          ...(body ? { body } : {}),
        });
        replies.push({ what: `${method} ${path} ${JSON.stringify(headers)}`, reply });
        expect(
          reply.status,
          `${method} ${path} ${JSON.stringify(headers)}: ${reply.body.slice(0, 200)}`,
        ).toBeLessThan(500);
        expect(reply.headers['www-authenticate']).toBeUndefined();
        expect(reply.headers['set-cookie']).toBeUndefined();
        if (notJson({ method, path, body, headers })) expect(reply.status).toBe(406);
      });
      expectedForwards += forwarded.length;
      expect(seen.length - before).toBe(forwarded.length);
      for (const r of seen.slice(before)) {
        // Method and path exactly as the console would send them: no override took effect.
        expect([
          'POST /_plugins/_ml/tasks/_search',
          'GET /_plugins/_ml/tasks/t2',
          'GET /_plugins/_ml/models/_search',
        ]).toContain(`${r.method} ${r.url}`);
      }
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'forwards the triage reads with the gateway’s own query, in read-only mode too, and answers what the cluster says',
    async () => {
      const before = seen.length;
      const reads = [
        `${ML}/profile/tasks`,
        `${ML}/stats?pretty`,
        '/_nodes',
        '/_cluster/settings?pretty=false',
      ];
      for (const target of [gateway, readOnly]) {
        for (const path of reads) {
          const reply = await send(target.url, path, { headers: OK_HEADERS });
          replies.push({ what: `GET ${path}`, reply });
          expect(reply.status, `${path}: ${reply.body.slice(0, 200)}`).toBe(200);
        }
      }
      expectedForwards += 2 * reads.length;
      const forwarded = seen.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`);
      expect(forwarded).toEqual([...reads, ...reads].map((p) => `GET ${p.split('?')[0]}`));
      // What the cluster answered through the fixed filters: node names, and only the three ML settings.
      const nodes = JSON.parse((await send(gateway.url, '/_nodes', { headers: OK_HEADERS })).body) as {
        nodes: Record<string, Record<string, unknown>>;
      };
      expectedForwards++;
      for (const node of Object.values(nodes.nodes)) {
        expect(Object.keys(node).sort()).toEqual(['host', 'ip', 'name', 'roles', 'version']);
      }
      const settings = JSON.parse(
        (await send(gateway.url, '/_cluster/settings', { headers: OK_HEADERS })).body,
      );
      expectedForwards++;
      expect(settings).toEqual({
        defaults: {
          'plugins.ml_commons.max_batch_inference_tasks': '100',
          'plugins.ml_commons.max_batch_ingestion_tasks': '100',
          'plugins.ml_commons.ml_task_timeout_in_seconds': '600',
          'plugins.ml_commons.sync_up_job_interval_in_seconds': '10',
        },
      });
    },
    BULK_TIMEOUT_MS,
  );

  it('let nothing off the list reach the cluster, and only the configured credential', () => {
    expect(seen).toHaveLength(expectedForwards);
    expect(standin.requestLog).toHaveLength(expectedForwards);
    for (const r of seen) {
      const line = `${r.method} ${r.url}`;
      expect(
        ON_THE_LIST.some((re) => re.test(line)),
        line,
      ).toBe(true);
      expect(r.headers.authorization).toBe(ADMIN);
      for (const name of Object.keys(r.headers)) expect(UPSTREAM_HEADERS, `${line}: ${name}`).toContain(name);
      expect(r.headers.accept).toBe('application/json');
    }
    for (const entry of standin.requestLog) expect(entry.authorization).toBe(ADMIN);
  });

  it('put no credential into any answer, and answered every refusal itself with the security headers', () => {
    const total = replies.length + raws.length;
    expect(total).toBeGreaterThan(1200);
    for (const { what, reply } of replies) {
      for (const secret of SECRETS) {
        expect(reply.rawHead.includes(secret), what).toBe(false);
        expect(reply.body.includes(secret), what).toBe(false);
      }
      expect(reply.headers['x-content-type-options'], what).toBe('nosniff');
    }
    for (const { what, raw } of raws) {
      for (const secret of SECRETS) expect(raw.includes(secret), what).toBe(false);
    }
  });

  it('is still up and forwarding after all that', async () => {
    const reply = await send(gateway.url, `${ML}/tasks/t1`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).task_type).toBe('REGISTER_MODEL');
  });
});
