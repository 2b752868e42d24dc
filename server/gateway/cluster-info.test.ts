// The cluster detection over real HTTP: what decides the ML Commons release, what cannot be trusted, the probe, and
// the gateway's bookkeeping (one detection at a time, none in a storm, a new one after the cluster failed).
import { afterEach, describe, expect, it } from 'vitest';
import {
  carriesAggregations,
  createClusterInfo,
  decidingVersion,
  describeIdentity,
  detectCluster,
  type ClusterReader,
} from './cluster-info';
import { ASSUMED_CAPABILITIES, capabilitiesOf } from '../../shared/cluster-capabilities';
import { NEWEST_RELEASE } from '../../shared/ml-releases';
import { createStandin } from '../standin/server';
import { createMlProxyHandler, type MlProxy } from './proxy';
import { closeServer, fakeCluster, freePort, listen, type FakeClusterOptions } from './test-helpers';

const FAST = { readTimeoutMs: 1000, probeTimeoutMs: 300 };
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(options: FakeClusterOptions, port = 0) {
  const fake = fakeCluster(options);
  const url = await listen(fake.server, port);
  const proxy = createMlProxyHandler({ url: new URL(url), detection: FAST });
  cleanups.push(
    () => closeServer(fake.server),
    () => proxy.close(),
  );
  return { ...fake, url, proxy };
}

const paths = (requests: Array<{ method: string; url: string }>) =>
  requests.map((r) => `${r.method} ${r.url}`);

describe('detectCluster against the stand-in', () => {
  it.each([
    ['2.4.0', false],
    ['2.11.0', false],
    ['2.19.3', false],
    [NEWEST_RELEASE, false],
    ['2.19.3', true],
  ])('ML Commons %s (plugins hidden: %s)', async (version, hidePlugins) => {
    const s = createStandin({ version, hidePlugins });
    const proxy = createMlProxyHandler({ url: new URL(await s.listen()) });
    cleanups.push(
      () => s.close(),
      () => proxy.close(),
    );
    const d = await detectCluster(proxy, FAST);
    expect(d.reachable).toBe(true);
    expect(d.identity).toEqual(
      hidePlugins
        ? {
            source: 'core-version',
            version,
            distribution: 'opensearch',
            clusterName: 'opensearch-ml-standin',
          }
        : {
            source: 'plugins',
            mlVersion: `${version}.0`,
            version,
            distribution: 'opensearch',
            clusterName: 'opensearch-ml-standin',
          },
    );
    expect(capabilitiesOf(d.identity).release).toBe(version);
  });
});

describe('detectCluster', () => {
  it('goes by the plugin list first, and asks nothing more', async () => {
    const c = await cluster({ version: '2.19.3', distribution: 'opensearch', mlVersions: ['2.19.3.0'] });
    const d = await detectCluster(c.proxy, FAST);
    expect(d).toMatchObject({
      reachable: true,
      identity: {
        source: 'plugins',
        mlVersion: '2.19.3.0',
        version: '2.19.3',
        distribution: 'opensearch',
        clusterName: 'fake',
      },
    });
    expect(d.error).toBeUndefined();
    expect(paths(c.requests)).toEqual(['GET /', 'GET /_cat/plugins?format=json']);
    expect(describeIdentity(d.identity)).toBe(
      'OpenSearch 2.19.3, cluster "fake"; ML Commons 2.19.3.0 (from the plugin list)',
    );
  });

  it('falls back to _nodes/plugins when _cat/plugins is not there', async () => {
    const c = await cluster({
      version: '2.11.0',
      distribution: 'opensearch',
      mlVersions: ['2.11.0.0'],
      onlyNodesPlugins: true,
    });
    const d = await detectCluster(c.proxy, FAST);
    expect(d.identity).toMatchObject({ source: 'plugins', mlVersion: '2.11.0.0' });
    expect(paths(c.requests)).toEqual(['GET /', 'GET /_cat/plugins?format=json', 'GET /_nodes/plugins']);
  });

  it('goes by the core version when the plugin lists are hidden and it is OpenSearch 2 or newer', async () => {
    const c = await cluster({ version: '2.11.0', distribution: 'opensearch', mlVersions: null });
    const d = await detectCluster(c.proxy, FAST);
    expect(d.identity).toEqual({
      source: 'core-version',
      version: '2.11.0',
      distribution: 'opensearch',
      clusterName: 'fake',
    });
    expect(d.notes.join('\n')).toMatch(/_cat\/plugins.*403.*security_exception/);
    expect(c.requests.some((r) => r.url.includes('_search'))).toBe(false);
  });

  it('does not trust a compatibility mode’s 7.10.2: one probe decides, and it answered', async () => {
    const c = await cluster({ version: '7.10.2', distribution: 'opensearch', mlVersions: null });
    const d = await detectCluster(c.proxy, FAST);
    expect(d.identity).toMatchObject({
      source: 'probe',
      probe: { aggregationsAnswered: true },
      version: '7.10.2',
    });
    const probe = c.requests.find((r) => r.url === '/_plugins/_ml/tasks/_search')!;
    expect(JSON.parse(probe.body)).toMatchObject({
      size: 0,
      aggs: { console_probe: { terms: { field: 'state' } } },
    });
    expect(d.notes.join('\n')).toContain('compatibility mode');
  });

  it('a probe that gets no answer in time means aggregations never answer', async () => {
    const c = await cluster({
      version: '7.10.2',
      distribution: 'opensearch',
      mlVersions: null,
      aggsHang: true,
    });
    const started = performance.now();
    const d = await detectCluster(c.proxy, FAST);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(d.identity).toMatchObject({ source: 'probe', probe: { aggregationsAnswered: false } });
    expect(d.reachable).toBe(true);
  });

  it('does not trust a version without OpenSearch’s distribution (Elasticsearch), nor GET / refused', async () => {
    const es = await cluster({ version: '2.11.0', mlVersions: null });
    expect((await detectCluster(es.proxy, FAST)).identity.source).toBe('probe');
    const hidden = await cluster({ mlVersions: null, aggsHang: true });
    const d = await detectCluster(hidden.proxy, FAST);
    expect(d.identity).toEqual({ source: 'probe', probe: { aggregationsAnswered: false } });
    expect(d.notes[0]).toMatch(/^GET \/ answered 403/);
  });

  it('a missing task index tells nothing on 2.12+, but a 404 for it means a release older than the hang', async () => {
    const empty = await cluster({
      version: '7.10.2',
      mlVersions: null,
      search: {
        status: 200,
        body: { took: 0, _shards: { total: 0 }, hits: { total: { value: 0 }, hits: [] } },
      },
    });
    const d = await detectCluster(empty.proxy, FAST);
    expect(d.identity.source).toBe('unknown');
    expect(d.error).toMatch(/no task index yet/);
    const old = await cluster({
      version: '7.10.2',
      mlVersions: null,
      search: {
        status: 404,
        body: {
          error: { type: 'index_not_found_exception', reason: 'no such index [.plugins-ml-task]' },
          status: 404,
        },
      },
    });
    expect((await detectCluster(old.proxy, FAST)).identity).toMatchObject({
      source: 'probe',
      probe: { aggregationsAnswered: true },
    });
  });

  it('a probe refused says why, and decides nothing', async () => {
    const c = await cluster({
      version: '7.10.2',
      mlVersions: null,
      search: {
        status: 403,
        body: { error: { type: 'security_exception', reason: 'no permissions' }, status: 403 },
      },
    });
    const d = await detectCluster(c.proxy, FAST);
    expect(d).toMatchObject({ reachable: true, identity: { source: 'unknown' } });
    expect(d.error).toContain('403 (security_exception: no permissions)');
  });

  it('stops at a 401 on GET /: nothing else would be answered either', async () => {
    const c = await cluster({ version: '2.19.3', unauthorized: true });
    const d = await detectCluster(c.proxy, FAST);
    expect(d).toMatchObject({ reachable: true, identity: { source: 'unknown' } });
    expect(d.error).toContain('401');
    expect(paths(c.requests)).toEqual(['GET /']);
  });

  it('an unreachable cluster: not reachable, and why', async () => {
    const port = await freePort();
    const proxy = createMlProxyHandler({ url: new URL(`http://127.0.0.1:${port}`) });
    cleanups.push(() => proxy.close());
    const d = await detectCluster(proxy, FAST);
    expect(d).toMatchObject({ reachable: false, identity: { source: 'unknown' } });
    expect(d.error).toMatch(/^GET \/: .*ECONNREFUSED/);
  });

  it('with nodes of several versions, goes by one that hangs on aggregations, else by the oldest', () => {
    expect(decidingVersion(['3.0.0.0', '2.19.3.0', '2.18.0.0'])).toBe('2.19.3.0');
    expect(decidingVersion(['2.18.0.0', '2.17.1.0'])).toBe('2.17.1.0');
    expect(decidingVersion(['x'])).toBeUndefined();
  });
});

describe('carriesAggregations', () => {
  it.each([
    ['{"aggs":{"s":{"terms":{"field":"state"}}}}', true],
    ['{"size":0,"aggregations":{"s":{"terms":{"field":"state"}}}}', true],
    ['{"aggs":{}}', true],
    ['{"aggs":null}', false],
    ['["aggs"]', false],
    ['{"query":{"term":{"error":"aggs"}}}', false],
    ['{"query":{"bool":{"filter":[]}},"sort":["aggs"]}', false],
    ['{"aggs": ', false],
    ['', false],
  ])('%s → %s', (body, expected) => {
    expect(carriesAggregations(body)).toBe(expected);
  });
});

describe('createClusterInfo', () => {
  function counting(proxy: MlProxy): ClusterReader & { roots: number } {
    const reader = {
      roots: 0,
      read: (...args: Parameters<ClusterReader['read']>) => {
        if (args[1] === '/') reader.roots++;
        return proxy.read(...args);
      },
    };
    return reader;
  }

  it('runs one detection for many who ask at once, and logs what it found', async () => {
    const c = await cluster({ version: '2.19.3', distribution: 'opensearch', mlVersions: ['2.19.3.0'] });
    const reader = counting(c.proxy);
    const lines: string[] = [];
    const info = createClusterInfo(reader, { ...FAST, log: (l) => lines.push(l) });
    expect(info.current()).toBeUndefined();
    const reports = await Promise.all([info.detect(), info.detect(), info.report(), info.report()]);
    expect(reader.roots).toBe(1);
    for (const r of reports) expect(r).toBe(reports[0]);
    expect(reports[0]).toMatchObject({
      reachable: true,
      identity: { source: 'plugins', mlVersion: '2.19.3.0' },
      capabilities: { release: '2.19.3', releaseKnown: true, aggregationsInSearch: false },
      detectedAt: expect.any(Number),
    });
    expect(info.current()).toBe(reports[0]);
    expect(info.answersAggregations()).toBe(false);
    expect(lines).toEqual([
      'cluster: OpenSearch 2.19.3, cluster "fake"; ML Commons 2.19.3.0 (from the plugin list); task searches with aggregations are refused (they would never be answered)',
    ]);
    // A trusted report is answered without asking again.
    await info.report();
    expect(reader.roots).toBe(1);
  });

  it('a need waits for a slow detection only so long, then answers with what it has', async () => {
    const c = await cluster({
      version: '2.18.0',
      distribution: 'opensearch',
      mlVersions: ['2.18.0.0'],
      rootDelayMs: 400,
    });
    const info = createClusterInfo(c.proxy, FAST);
    const early = await info.report(50);
    expect(early).toMatchObject({ reachable: false, detecting: true, identity: { source: 'unknown' } });
    expect(early.capabilities).toEqual(ASSUMED_CAPABILITIES);
    const later = await info.report(3000);
    expect(later).toMatchObject({ reachable: true, identity: { mlVersion: '2.18.0.0' } });
    expect(later.detecting).toBeUndefined();
  });

  it('re-detects a cluster that failed and came back upgraded, but never in a storm while it is down', async () => {
    const port = await freePort();
    let clock = 1_000_000;
    const first = await cluster(
      { version: '2.18.0', distribution: 'opensearch', mlVersions: ['2.18.0.0'] },
      port,
    );
    const reader = counting(first.proxy);
    const info = createClusterInfo(reader, { ...FAST, now: () => clock });
    expect((await info.detect()).capabilities.aggregationsInSearch).toBe(true);
    expect(info.answersAggregations()).toBe(true);

    await closeServer(first.server);
    info.markStale();
    expect(info.answersAggregations()).toBe(false);
    const down = await info.report();
    expect(down).toMatchObject({ reachable: false, identity: { source: 'unknown' } });
    expect(down.error).toMatch(/ECONNREFUSED/);
    expect(reader.roots).toBe(2);
    // Asked again and again while down: no new detection until the retry pause has passed.
    for (let i = 0; i < 5; i++) await info.report();
    expect(reader.roots).toBe(2);

    const upgraded = fakeCluster({ version: '2.19.3', distribution: 'opensearch', mlVersions: ['2.19.3.0'] });
    await new Promise<void>((resolve) => upgraded.server.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => closeServer(upgraded.server));
    expect((await info.report()).reachable).toBe(false);
    clock += 5_000;
    const back = await info.report();
    expect(reader.roots).toBe(3);
    expect(back).toMatchObject({ reachable: true, identity: { mlVersion: '2.19.3.0' } });
    expect(back.capabilities.aggregationsInSearch).toBe(false);
  });

  it('re-reads a decided report in the background once it is old, answering the old one meanwhile', async () => {
    let clock = 0;
    const c = await cluster({ version: '2.18.0', distribution: 'opensearch', mlVersions: ['2.18.0.0'] });
    const reader = counting(c.proxy);
    const info = createClusterInfo(reader, { ...FAST, now: () => clock, maxAgeMs: 60_000 });
    const old = await info.detect();
    c.options.mlVersions = ['2.19.3.0'];
    clock += 60_000;
    expect(await info.report()).toEqual({ ...old, detecting: true });
    expect(reader.roots).toBe(2);
    const fresh = await info.detect();
    expect(fresh.identity.mlVersion).toBe('2.19.3.0');
  });

  it('stops detecting once closed', async () => {
    const c = await cluster({ version: '2.18.0', distribution: 'opensearch', mlVersions: ['2.18.0.0'] });
    const reader = counting(c.proxy);
    const info = createClusterInfo(reader, FAST);
    info.close();
    await info.detect();
    await info.report();
    expect(reader.roots).toBe(0);
  });
});
