// The baseline page as the gateway serves it: React's own UMD files untouched, cached and compressed as the
// console's assets are, and searches that the gateway forwards and that answer what the page expects.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../server/gateway/server';
import type { Gateway } from '../../server/gateway/server';
import { gatewayConfig, send, tempDir } from '../../server/gateway/test-helpers';
import { generateModels, generateTasks } from '../../server/standin/seed';
import { createStandin } from '../../server/standin/server';
import type { Standin } from '../../server/standin/server';
import { BASELINE_PATH, writeBaselinePage } from './baseline-page';
import { repoRoot } from './paths';
import { baselineSearches } from './searches';

const dist = tempDir('baseline-page-');
let standin: Standin;
let gateway: Gateway;
let html = '';

beforeAll(async () => {
  mkdirSync(join(dist.path, 'assets'));
  writeFileSync(join(dist.path, 'index.html'), '<!doctype html><title>console</title>');
  expect(writeBaselinePage(dist.path, baselineSearches())).toBe(BASELINE_PATH);
  const now = Date.now();
  const tasks = generateTasks(500, 1, now);
  standin = createStandin({ tasks, models: generateModels(tasks, 1, now) });
  gateway = await startGateway(gatewayConfig(await standin.listen(), { distDir: dist.path }), () => {});
  const page = await send(gateway.url, BASELINE_PATH);
  expect(page.status).toBe(200);
  html = page.body;
});

afterAll(async () => {
  await gateway?.close();
  await standin?.close();
  dist.remove();
});

function scripts(): string[] {
  return [...html.matchAll(/<script defer src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
}

function searchesInPage(): ReturnType<typeof baselineSearches> {
  const json = /<script type="application\/json" id="baseline-searches">(.*?)<\/script>/s.exec(html)?.[1];
  return JSON.parse(json ?? 'null') as ReturnType<typeof baselineSearches>;
}

describe('the baseline page', () => {
  it('loads its own script first, then React and ReactDOM, and nothing else', () => {
    const [page, react, reactDom, ...rest] = scripts();
    expect(page).toMatch(/^\/assets\/baseline-page-[\w-]{10}\.js$/);
    expect(react).toMatch(/^\/assets\/baseline-react-[\w-]{10}\.js$/);
    expect(reactDom).toMatch(/^\/assets\/baseline-react-dom-[\w-]{10}\.js$/);
    expect(rest).toEqual([]);
    expect(html).not.toMatch(/%[A-Z_]+%/);
  });

  it("serves React's UMD production builds byte for byte, long-cached and precompressed", async () => {
    const [page, react, reactDom] = scripts();
    const sources: Array<[string, string]> = [
      [react!, 'node_modules/react/umd/react.production.min.js'],
      [reactDom!, 'node_modules/react-dom/umd/react-dom.production.min.js'],
      [page!, 'bench/baseline/page.js'],
    ];
    for (const [path, source] of sources) {
      const r = await send(gateway.url, path, { headers: { 'accept-encoding': 'br' } });
      expect(r.status, path).toBe(200);
      expect(r.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-encoding'], path).toBe('br');
      const raw = await send(gateway.url, path);
      expect(raw.body, path).toBe(readFileSync(join(repoRoot, source), 'utf8'));
    }
  });

  it("carries the console's searches, which the gateway forwards and which answer the page's state filter", async () => {
    const searches = searchesInPage();
    expect(searches).toEqual(baselineSearches());
    const search = (body: unknown) =>
      send(gateway.url, '/_plugins/_ml/tasks/_search', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-console-request': '1' },
        body: JSON.stringify(body),
      });
    const all = await search(searches.all);
    expect(all.status).toBe(200);
    const answer = JSON.parse(all.body);
    const buckets = answer.aggregations[searches.stateAggregation].values.buckets as Array<{
      key: string;
      doc_count: number;
    }>;
    const failed = buckets.find((b) => b.key === 'FAILED');
    expect(failed?.doc_count).toBeGreaterThan(0);
    const onlyFailed = await search(searches.byState.FAILED);
    expect(onlyFailed.status).toBe(200);
    const filtered = JSON.parse(onlyFailed.body);
    expect(filtered.hits.total.value).toBe(failed!.doc_count);
    expect(new Set(filtered.hits.hits.map((h: { _source: { state: string } }) => h._source.state))).toEqual(
      new Set(['FAILED']),
    );
  });

  it('is itself served compressed and revalidated, like the console page', async () => {
    const r = await send(gateway.url, BASELINE_PATH, { headers: { 'accept-encoding': 'br' } });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('no-cache');
  });
});
