import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEarlyClusterRead, takeEarlyClusterRead } from './cluster';

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.__mlEarlyCluster;
});

describe('the early read of the cluster report', () => {
  it('asks once, and hands the answer to the app’s first read only', async () => {
    const report = {
      reachable: true,
      identity: { source: 'plugins' },
      capabilities: { aggregationsInSearch: false },
    };
    const fetch = vi.fn(
      async () => new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetch);
    const early = startEarlyClusterRead();
    expect(startEarlyClusterRead()).toBe(early);
    expect(await takeEarlyClusterRead()).toEqual(report);
    expect(takeEarlyClusterRead()).toBeUndefined();
    // After the app's first read, a late first-search.ts asks nothing and leaves the search to the app.
    expect(startEarlyClusterRead()).toBeUndefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('assumes the newest release when the server cannot say', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('no', { status: 404 })),
    );
    const report = (await startEarlyClusterRead())!;
    expect(report.capabilities.aggregationsInSearch).toBe(true);
    expect(report.reachable).toBe(false);
  });
});
