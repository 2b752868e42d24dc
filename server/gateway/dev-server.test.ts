// The Vite dev server mounts the gateway's proxy and cluster detection: development and production answer
// `/console/cluster` alike, and refuse the same searches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { createStandin } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { startGateway, type Gateway } from './server';
import { gatewayConfig, send } from './test-helpers';

const cluster = createStandin({ tasks: structuredClone(FIXTURE), version: '2.19.3' });
let upstream: string;
let vite: ViteDevServer;
let viteUrl: string;
let gateway: Gateway;

beforeAll(async () => {
  upstream = await cluster.listen();
  const saved = process.env.OPENSEARCH_URL;
  process.env.OPENSEARCH_URL = upstream;
  try {
    vite = await createServer({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false, watch: null },
      logLevel: 'silent',
    });
  } finally {
    if (saved === undefined) delete process.env.OPENSEARCH_URL;
    else process.env.OPENSEARCH_URL = saved;
  }
  await vite.listen();
  viteUrl = vite.resolvedUrls!.local[0]!.replace(/\/$/, '');
  gateway = await startGateway(gatewayConfig(upstream), () => {});
}, 30_000);

afterAll(async () => {
  await vite?.close();
  await gateway?.close();
  await cluster.close();
});

describe('the dev server', () => {
  it('answers /console/cluster as the gateway does', async () => {
    const [dev, prod] = await Promise.all([
      send(viteUrl, '/console/cluster'),
      send(gateway.url, '/console/cluster'),
    ]);
    expect(dev.status).toBe(200);
    const [d, p] = [JSON.parse(dev.body), JSON.parse(prod.body)];
    expect(d).toMatchObject({ reachable: true, identity: { source: 'plugins', mlVersion: '2.19.3.0' } });
    expect({ ...d, detectedAt: 0 }).toEqual({ ...p, detectedAt: 0 });
  });

  it('refuses a task search with aggregations on 2.19.3 as the gateway does', async () => {
    const body = '{"size":0,"aggs":{"s":{"terms":{"field":"state"}}}}';
    const headers = { 'content-type': 'application/json', 'x-console-request': '1' };
    const ask = (base: string) =>
      send(base, '/_plugins/_ml/tasks/_search', { method: 'POST', headers, body, timeoutMs: 8000 });
    const [dev, prod] = await Promise.all([ask(viteUrl), ask(gateway.url)]);
    expect(dev.status).toBe(400);
    expect(JSON.parse(dev.body)).toEqual(JSON.parse(prod.body));
  });
});
