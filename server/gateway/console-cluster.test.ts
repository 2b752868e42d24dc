// The gateway's knowledge of its cluster, end to end over HTTP: `GET /console/cluster`, the refusal of a task search
// with aggregations on a release that never answers one, and re-detection after the cluster restarted upgraded.
// Against stand-ins answering as each release; fakes only for what no stand-in plays (a slow GET /, a
// compatibility mode's 7.10.2).
import { afterEach, describe, expect, it } from 'vitest';
import { createStandin, type StandinOptions } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { startGateway } from './server';
import { createMlProxyHandler } from './proxy';
import {
  basic,
  closeServer,
  fakeCluster,
  freePort,
  gatewayConfig,
  listen,
  logLines,
  send,
  type FakeClusterOptions,
} from './test-helpers';

const PASSWORD = 'Cluster-Test-Pw-41';
const JSON_HEADERS = { 'content-type': 'application/json', 'x-console-request': '1' };
const AGGS_SEARCH = JSON.stringify({
  size: 25,
  aggs: { facet_state: { terms: { field: 'state', size: 100 } } },
});
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fake(options: FakeClusterOptions, port = 0) {
  const f = fakeCluster(options);
  const url = await listen(f.server, port);
  cleanups.push(() => closeServer(f.server));
  return { ...f, url };
}

async function standin(options: StandinOptions, port = 0) {
  const s = createStandin({
    tasks: structuredClone(FIXTURE),
    users: [{ username: 'console', password: PASSWORD, role: 'ml_full_access' }],
    ...options,
  });
  const url = await s.listen(port);
  cleanups.push(() => s.close());
  return { standin: s, url };
}

async function gatewayFor(url: string) {
  const lines = logLines();
  const g = await startGateway(
    gatewayConfig(url, { authorization: basic('console', PASSWORD), upstreamTimeoutMs: 20_000 }),
    lines.log,
  );
  cleanups.push(() => g.close());
  return { g, lines };
}

const search = (url: string, body: string, path = '/_plugins/_ml/tasks/_search') =>
  send(url, path, { method: 'POST', headers: JSON_HEADERS, body, timeoutMs: 8000 });

describe('GET /console/cluster', () => {
  it('answers who the cluster is and what it can do, read with the gateway’s credentials', async () => {
    const c = await standin({ version: '2.19.3', clusterName: 'ml-prod' });
    const { g, lines } = await gatewayFor(c.url);
    const r = await send(g.url, '/console/cluster');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const report = JSON.parse(r.body);
    expect(report).toEqual({
      reachable: true,
      identity: {
        source: 'plugins',
        mlVersion: '2.19.3.0',
        version: '2.19.3',
        distribution: 'opensearch',
        clusterName: 'ml-prod',
      },
      capabilities: expect.objectContaining({
        release: '2.19.3',
        releaseKnown: true,
        aggregationsInSearch: false,
      }),
      detectedAt: expect.any(Number),
    });
    expect(r.body).not.toContain(PASSWORD);
    await lines.waitFor('cluster: OpenSearch 2.19.3, cluster "ml-prod"; ML Commons 2.19.3.0');
    // Read with the gateway's credentials.
    const detection = c.standin.requestLog.filter((e) => !e.uri.startsWith('/_plugins'));
    expect(detection.map((e) => `${e.method} ${e.uri} ${e.status}`)).toEqual([
      'GET / 200',
      'GET /_cat/plugins?format=json 200',
    ]);
    for (const e of detection) expect(e.authorization).toBe(basic('console', PASSWORD));
    // The detection's own reads are the gateway's: a browser asking for them does not reach the cluster.
    const before = c.standin.requestLog.length;
    for (const path of ['/_cat/plugins?format=json', '/_nodes/plugins', '/_plugins/_ml/../../_cat/plugins']) {
      expect((await send(g.url, path)).status).toBeGreaterThanOrEqual(400);
    }
    expect(c.standin.requestLog.length).toBe(before);
    expect((await send(g.url, '/console/cluster', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('waits for a detection still in flight rather than answering a guess', async () => {
    const c = await fake({
      version: '2.11.0',
      distribution: 'opensearch',
      mlVersions: null,
      rootDelayMs: 300,
    });
    const { g } = await gatewayFor(c.url);
    const report = JSON.parse((await send(g.url, '/console/cluster')).body);
    expect(report).toMatchObject({
      reachable: true,
      identity: { source: 'core-version', version: '2.11.0' },
    });
    expect(report.detecting).toBeUndefined();
  });

  it('says the cluster is unreachable, and why, with the newest release’s capabilities', async () => {
    const { g } = await gatewayFor(`http://127.0.0.1:${await freePort()}`);
    const report = JSON.parse((await send(g.url, '/console/cluster')).body);
    expect(report).toMatchObject({
      reachable: false,
      identity: { source: 'unknown' },
      capabilities: { releaseKnown: false, aggregationsInSearch: true },
      error: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('/console/health carries the identity too', async () => {
    const c = await standin({ version: '2.18.0', hidePlugins: true });
    const { g } = await gatewayFor(c.url);
    await g.cluster.detect();
    const health = JSON.parse((await send(g.url, '/console/health')).body);
    expect(health.cluster.identity).toMatchObject({ source: 'core-version', version: '2.18.0' });
  });
});

describe('a task search with aggregations', () => {
  it('on a release that never answers one: refused at once, in OpenSearch’s error shape, naming the release', async () => {
    const c = await standin({ version: '2.19.3' });
    const { g, lines } = await gatewayFor(c.url);
    await g.cluster.detect();
    const before = c.standin.requestLog.length;
    for (const body of [AGGS_SEARCH, AGGS_SEARCH.replace('"aggs"', '"aggregations"')]) {
      const r = await search(g.url, body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const reason =
        'ML Commons 2.19.3 never answers a task search that carries aggregations (ml-commons #3713); search without them';
      expect(JSON.parse(r.body)).toEqual({
        error: {
          root_cause: [{ type: 'console_unsupported_exception', reason }],
          type: 'console_unsupported_exception',
          reason,
        },
        status: 400,
      });
    }
    // Nothing reached the cluster, which would have held each search for the whole timeout.
    expect(c.standin.requestLog.length).toBe(before);
    expect(c.standin.held.size).toBe(0);
    // Logged when the connection closes, which may come just after the answer.
    await lines.waitFor(/^POST \/_plugins\/_ml\/tasks\/_search 400 .*refused: aggregations/);

    // Without aggregations, and on the model search (which fails at once there), the cluster answers.
    expect((await search(g.url, '{"size":1}')).status).toBe(200);
    const models = await search(g.url, AGGS_SEARCH, '/_plugins/_ml/models/_search');
    expect(models.status).toBe(500);
    expect(JSON.parse(models.body).error.reason).toBe('Fail to search model version');
  });

  it('on a release that answers them: forwarded as ever', async () => {
    const c = await standin({ version: '2.18.0' });
    const { g } = await gatewayFor(c.url);
    const r = await search(g.url, AGGS_SEARCH);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).aggregations).toBeDefined();
  });

  it('when a probe found they never answer: refused, saying how that was found', async () => {
    const c = await fake({ version: '7.10.2', distribution: 'opensearch', mlVersions: null, aggsHang: true });
    const g = await startGateway(gatewayConfig(c.url), () => {});
    cleanups.push(() => g.close());
    const report = await g.cluster.detect();
    expect(report.identity).toMatchObject({ source: 'probe', probe: { aggregationsAnswered: false } });
    const r = await search(g.url, AGGS_SEARCH);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.reason).toMatch(
      /did not answer a task search that carries aggregations when the gateway probed it .*2\.19\.2 to 2\.19\.6.*search without them$/,
    );
  });

  it('after the cluster restarted as a release that never answers one: re-detected first, then refused', async () => {
    const port = await freePort();
    const old = await standin({ version: '2.18.0' }, port);
    const { g } = await gatewayFor(old.url);
    expect((await search(g.url, AGGS_SEARCH)).status).toBe(200);

    await old.standin.close();
    expect((await search(g.url, '{"size":1}')).status).toBe(502);
    const upgraded = await standin({ version: '2.19.3' }, port);
    const r = await search(g.url, AGGS_SEARCH);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.reason).toContain('ML Commons 2.19.3 never answers');
    expect(upgraded.standin.requestLog.map((q) => q.uri)).toEqual(['/', '/_cat/plugins?format=json']);
    const report = JSON.parse((await send(g.url, '/console/cluster')).body);
    expect(report.identity.mlVersion).toBe('2.19.3.0');
  });

  it('the gateway’s own first-page search is not sent to a cluster that would never answer it', async () => {
    const c = await standin({ version: '2.19.3', users: [] });
    const proxy = createMlProxyHandler({ url: new URL(c.url) });
    cleanups.push(() => proxy.close());
    await proxy.cluster.detect();
    const before = c.standin.requestLog.length;
    const answer = await proxy.searchTasks(AGGS_SEARCH, 5000);
    expect(answer).toMatchObject({ status: 400, complete: true });
    expect(JSON.parse((answer as { text: string }).text).error.type).toBe('console_unsupported_exception');
    expect(c.standin.requestLog.length).toBe(before);
    expect(c.standin.held.size).toBe(0);
    expect(await proxy.searchTasks('{"size":1}', 5000)).toMatchObject({ status: 200 });
  });
});
