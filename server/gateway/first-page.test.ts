// The first screen the gateway renders into the tasks page: real React and EUI on the server, a real stand-in
// behind it, and every way it must fall back to the plain page.
import { createServer, request } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { BroadcastChannel } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MlTask, SearchResponse } from '../../shared/ml-types';
import {
  FIRST_SCREEN_MARKER,
  firstPageSearchBody,
  renderedPageRequest,
  type FirstPageData,
} from '../../shared/first-page';
import { readFailureGroupsWith } from '../../shared/failure-scope';
import { createStandin } from '../standin/server';
import type { Standin } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { FIRST_PAGE_SEARCH_MS, colorSchemeOf, createFirstPages, localeOf } from './first-page';
import { createMlProxyHandler, proxyTargetFrom } from './proxy';
import { createRenderPool } from './render-pool';
import { isMlRequest } from './routes';
import { nodeAggregationSearchOf } from '../../shared/node-count-search';
import { startGateway } from './server';
import type { Gateway } from './server';
import { basic, closeServer, gatewayConfig, listen, send, tempDir } from './test-helpers';

// The shape of the built index.html that matters here: the early search in the head, an empty #root.
const TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <script type="module" async src="/assets/first-search-abc.js"></script>
    <title>ML Tasks Console</title>
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;

const HOSTILE_ID = 'hostile-1';
const HOSTILE_ERROR = '</script><script>alert(1)</script><!-- \u2028 & more';

const dist = tempDir('first-page-dist-');
writeFileSync(join(dist.path, 'index.html'), TEMPLATE);
// As the build leaves it: the plain page is served precompressed too.
writeFileSync(join(dist.path, 'index.html.gz'), gzipSync(TEMPLATE));

let standin: Standin;
let upstream: string;
let gateway: Gateway;
/** Each gateway's log lines, by gateway. */
const logs = new Map<Gateway, string[]>();

function tasks() {
  const all = structuredClone(FIXTURE);
  const newest = Math.max(...all.map((t) => Number(t._source.create_time)));
  all.push({
    _id: HOSTILE_ID,
    _source: {
      task_type: 'DEPLOY_MODEL',
      function_name: 'REMOTE',
      state: 'FAILED',
      create_time: newest + 1000,
      last_update_time: newest + 2000,
      error: HOSTILE_ERROR,
    },
  });
  return all;
}

async function startWith(upstreamUrl: string, extra: Parameters<typeof gatewayConfig>[1] = {}) {
  const lines: string[] = [];
  const g = await startGateway(
    gatewayConfig(upstreamUrl, { distDir: dist.path, prerender: true, ...extra }),
    (line) => lines.push(line),
  );
  logs.set(g, lines);
  await g.firstPages?.ready;
  return g;
}

/** Waits for the log line of a request to `page` (written when its connection closes) that contains `text`. */
async function expectLogged(g: Gateway, text: string | RegExp, page = '/'): Promise<void> {
  await vi.waitFor(() => {
    const lines = (logs.get(g) ?? []).filter(
      (l) => l.startsWith(`GET ${page} `) || l.startsWith(`GET ${page}?`),
    );
    expect(lines.some((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)))).toBe(true);
  });
}

/** The data the page carries for the app, read back the way the browser does. */
function embedded(html: string): Extract<FirstPageData, { page: 'tasks' }> {
  const m = /<script type="application\/json" id="ml-first-page">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no first-page data in the page');
  return JSON.parse(m[1]!) as Extract<FirstPageData, { page: 'tasks' }>;
}

function searchDirect(body: unknown): Promise<SearchResponse<MlTask>> {
  return fetch(`${upstream}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<SearchResponse<MlTask>>);
}

beforeAll(async () => {
  standin = createStandin({ tasks: tasks() });
  upstream = await standin.listen();
  gateway = await startWith(upstream);
}, 60_000);

afterAll(async () => {
  await gateway.close();
  await standin.close();
  dist.remove();
});

describe('the tasks page rendered by the gateway', () => {
  it('carries the first page of rows, its styles and its data for the app', async () => {
    const r = await send(gateway.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    // It holds the cluster's data: nothing may keep it.
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");

    const body = firstPageSearchBody('/', '')!;
    const direct = await searchDirect(body);
    const ids = direct.hits.hits.map((h) => h._id);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(r.body).toContain(`data-test-subj="taskRow-${id}"`);
    expect(r.body).toMatch(/<head>.*<style data-emotion="css /s);
    expect(r.body.indexOf('<style data-emotion')).toBeLessThan(r.body.indexOf('</head>'));

    const data = embedded(r.body);
    expect(data.body).toEqual(body);
    expect(data.response.hits.hits.map((h) => h._id)).toEqual(ids);
    expect(data.response.hits.total).toEqual(direct.hits.total);
    expect(data.readOnly).toBe(false);
    expect(r.body.indexOf('id="ml-first-page"')).toBeLessThan(r.body.indexOf('</head>'));
    // The marker comes before the early search's script, which looks for it: the head goes out before the rest.
    expect(r.body.indexOf('name="ml-first-screen"')).toBeLessThan(r.body.indexOf('first-search-abc.js'));
    await expectLogged(gateway, / 200 \d+ms first screen rendered \(search \d+ ms, render \d+ ms\)/);
  });

  it('renders task text as text: no element, comment or script can come out of it', async () => {
    const r = await send(gateway.url, '/');
    expect(r.body).toContain(`taskRow-${HOSTILE_ID}`);
    // The template's two scripts and the data: nothing else.
    expect(r.body.match(/<script/g)).toHaveLength(3);
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).not.toContain('<!-- \u2028');
    // In the table, escaped by React; in the data, escaped for a script element and read back unchanged.
    expect(r.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const hostile = embedded(r.body).response.hits.hits.find((h) => h._id === HOSTILE_ID);
    expect(hostile?._source.error).toBe(HOSTILE_ERROR);
  });

  it('renders the view the URL asks for, with the body the app will ask for', async () => {
    const search = '?q=state:FAILED&sort=create_time:asc&size=10';
    const r = await send(gateway.url, `/${search}`);
    const data = embedded(r.body);
    expect(data.body).toEqual(firstPageSearchBody('/', search));
    expect(data.response.hits.hits.length).toBeGreaterThan(1);
    expect(data.response.hits.hits.every((h) => h._source.state === 'FAILED')).toBe(true);
    for (const hit of data.response.hits.hits) expect(r.body).toContain(`taskRow-${hit._id}`);
  });

  it('renders the columns and theme the user chose, from their cookies', async () => {
    const plain = await send(gateway.url, '/');
    expect(plain.body).toContain('data-test-subj="column-error"');
    const chosen = await send(gateway.url, '/', {
      headers: {
        cookie: `other=1; mlTasksConsole.hiddenColumns=${encodeURIComponent('["error","async"]')}; mlTasksConsole.colorMode=${encodeURIComponent('"dark"')}`,
      },
    });
    expect(chosen.body).toContain('taskRow-');
    expect(chosen.body).not.toContain('data-test-subj="column-error"');
    expect(chosen.body).toContain('data-test-subj="column-model"');
    // The dark theme's switch offers the light one.
    expect(chosen.body).toContain('Switch to the light theme');
    expect(plain.body).toContain('Switch to the dark theme');
    // No choice made, but the browser saw a dark system: the server draws what the browser will.
    const system = await send(gateway.url, '/', {
      headers: { cookie: `mlTasksConsole.systemColorMode=${encodeURIComponent('"dark"')}` },
    });
    expect(system.body).toContain('Switch to the light theme');
    // A first visit has no cookie yet: the browser's client hint says the system is dark, and it wins over the
    // mode last seen, which may be out of date.
    const hinted = await send(gateway.url, '/', {
      headers: {
        'sec-ch-prefers-color-scheme': '"dark"',
        cookie: `mlTasksConsole.systemColorMode=${encodeURIComponent('"light"')}`,
      },
    });
    expect(hinted.body).toContain('Switch to the light theme');
    expect(hinted.headers['accept-ch']).toBe('Sec-CH-Prefers-Color-Scheme');
    expect(hinted.headers['critical-ch']).toBe('Sec-CH-Prefers-Color-Scheme');
    expect(hinted.headers.vary).toContain('Sec-CH-Prefers-Color-Scheme');
    // Chromium (it sends Sec-CH-UA) without the hint yet: it asks again with it at once, so nothing is rendered
    // for this request, whose answer it drops.
    const chromium = { 'sec-ch-ua': '"Chromium";v="156"' };
    const first = await send(gateway.url, '/', { headers: { ...chromium, 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip'); // the build's plain index.html.gz
    await expectLogged(gateway, 'the browser asks again with its colour scheme');
    expect(first.headers['critical-ch']).toBe('Sec-CH-Prefers-Color-Scheme');
    expect(first.headers.vary).toBe('Accept-Language, Cookie, Sec-CH-Prefers-Color-Scheme, Accept-Encoding');
    const again = await send(gateway.url, '/', {
      headers: { ...chromium, 'sec-ch-prefers-color-scheme': '"dark"' },
    });
    expect(again.body).toContain('taskRow-');
    expect(again.body).toContain('Switch to the light theme');
    // Once the browser keeps the system's mode in its cookie, a Chromium that never sends the hint still gets its
    // first screen.
    const noHint = await send(gateway.url, '/', {
      headers: { ...chromium, cookie: `mlTasksConsole.systemColorMode=${encodeURIComponent('"dark"')}` },
    });
    expect(noHint.body).toContain('taskRow-');
    expect(noHint.body).toContain('Switch to the light theme');
    const head = await send(gateway.url, '/', { method: 'HEAD' });
    expect(head.headers['accept-ch']).toBe('Sec-CH-Prefers-Color-Scheme');
    // The user's own choice still comes first.
    const chosenLight = await send(gateway.url, '/', {
      headers: {
        'sec-ch-prefers-color-scheme': '"dark"',
        cookie: `mlTasksConsole.colorMode=${encodeURIComponent('"light"')}`,
      },
    });
    expect(chosenLight.body).toContain('Switch to the dark theme');
    expect(colorSchemeOf('"light"')).toBe('light');
    expect(colorSchemeOf('dark')).toBe('dark');
    expect(colorSchemeOf('"blue"')).toBeUndefined();
    expect(colorSchemeOf(undefined)).toBeUndefined();
    // A cookie that is not what the console wrote is ignored, not trusted.
    const broken = await send(gateway.url, '/', {
      headers: { cookie: 'mlTasksConsole.hiddenColumns=%7Bnot-json; mlTasksConsole.colorMode=%22blue%22' },
    });
    expect(broken.body).toContain('data-test-subj="column-error"');
    expect(broken.body).toContain('Switch to the dark theme');
  });

  it('draws what the browser’s first render draws: the date picker’s placeholder, numbers in its language', async () => {
    // The gateway's own process has loaded the date picker long ago; the browser has not, when it takes over.
    const r = await send(gateway.url, '/');
    expect(r.body).toContain('aria-label="Loading the time range"');
    expect(r.body).not.toContain('data-test-subj="timeRange"');
    expect(localeOf('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(localeOf('en')).toBe('en');
    expect(localeOf('*')).toBeUndefined();
    expect(localeOf('<script>')).toBeUndefined();
    expect(localeOf(undefined)).toBeUndefined();
  });

  it('sends the head at once, so the browser fetches the app while the cluster answers', async () => {
    // A cluster that takes 150 ms to answer (within the budget), and says when it answered the page's search.
    let answeredAt = Infinity;
    const delayed: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        setTimeout(() => {
          fetch(`${upstream}${req.url}`, {
            method: req.method,
            headers: { 'content-type': 'application/json' },
            ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
          })
            .then(async (r) => {
              const text = await r.text();
              answeredAt = performance.now();
              res.writeHead(r.status, { 'content-type': 'application/json' });
              res.end(text);
            })
            .catch(() => res.destroy());
        }, 150);
      });
    });
    const g = await startWith(await listen(delayed));
    try {
      const page = await new Promise<{ firstAt: number; first: string; all: string }>((resolve, reject) => {
        const req = request(`${g.url}/`, (res) => {
          let first: { at: number; text: string } | undefined;
          let all = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            first ??= { at: performance.now(), text };
            all += text;
          });
          res.on('end', () => resolve({ firstAt: first!.at, first: first!.text, all }));
        });
        req.on('error', reject);
        req.end();
      });
      // The head (with the app's scripts) came before the cluster had answered; the rows came after.
      expect(page.first).toContain(FIRST_SCREEN_MARKER);
      expect(page.first).toContain('first-search-abc.js');
      expect(page.first).not.toContain('taskRow-');
      expect(page.firstAt).toBeLessThan(answeredAt);
      expect(page.all).toContain('taskRow-');
    } finally {
      await g.close();
      delayed.closeAllConnections();
      await closeServer(delayed);
    }
  });

  it('on a release that never answers aggregations: searches without them, and hands the app the cluster', async () => {
    const s219 = createStandin({ tasks: tasks(), version: '2.19.3' });
    const g = await startWith(await s219.listen());
    try {
      const r = await send(g.url, '/');
      expect(r.body).toContain(`data-test-subj="taskRow-${HOSTILE_ID}"`);
      const data = embedded(r.body);
      expect(data.cluster).toMatchObject({
        reachable: true,
        identity: { source: 'plugins', mlVersion: '2.19.3.0' },
        capabilities: { release: '2.19.3', aggregationsInSearch: false },
      });
      // The body the app would build for that cluster, so it takes the page over without asking again.
      expect(data.body).toEqual(firstPageSearchBody('/', '', data.cluster!.capabilities));
      expect(JSON.stringify(data.body)).not.toMatch(/"agg(s|regations)"/);
      expect(s219.held.size).toBe(0);
    } finally {
      await g.close();
      await s219.close();
    }
  });

  it('is reported by /console/health', async () => {
    const health = JSON.parse((await send(gateway.url, '/console/health')).body);
    expect(health.gateway.firstScreen).toBe('ready');
  });

  it('is compressed for a browser that accepts gzip', async () => {
    const r = await new Promise<{ encoding: string | undefined; html: string }>((resolve, reject) => {
      fetch(`${gateway.url}/`, { headers: { 'accept-encoding': 'gzip' } })
        .then(async (res) => {
          // fetch decompresses: the header says what came over the wire.
          resolve({ encoding: res.headers.get('content-encoding') ?? undefined, html: await res.text() });
        })
        .catch(reject);
    });
    expect(r.encoding).toBe('gzip');
    expect(r.html).toContain('taskRow-');
    const raw = await send(gateway.url, '/', { headers: { 'accept-encoding': 'gzip' } });
    expect(raw.headers.vary).toContain('Accept-Encoding');
    expect(raw.body).not.toContain('taskRow-');
  });
});

describe('the nodes page rendered by the gateway', () => {
  type NodesData = Extract<FirstPageData, { page: 'nodes' }>;
  const nodesData = (html: string) => embedded(html) as unknown as NodesData;

  it('carries every node with its task counts, and the answers the page would ask for', async () => {
    const r = await send(gateway.url, '/nodes');
    expect(r.status).toBe(200);
    const data = nodesData(r.body);
    expect(data.page).toBe('nodes');
    expect(data.body).toEqual(nodeAggregationSearchOf('', data.cluster!.capabilities));
    // The count per node, as the cluster answers it, is in the rows.
    const direct = await searchDirect(data.body);
    const buckets = (direct.aggregations!.nodes as { buckets: Array<{ key: string; doc_count: number }> })
      .buckets;
    expect(buckets.length).toBeGreaterThan(1);
    expect(data.response.aggregations).toEqual(direct.aggregations);
    for (const b of buckets) {
      expect(r.body).toContain(`data-test-subj="nodeRow-${b.key}"`);
      expect(r.body).toMatch(new RegExp(`aria-label="${b.doc_count} tasks? on ${b.key}: show them"`));
    }
    // The node list and the ML stats came with it, with the gateway's own filter_path on _nodes.
    expect(Object.keys((data.nodes as { nodes: object }).nodes).length).toBeGreaterThan(0);
    expect(data.stats).toHaveProperty('nodes');
    expect(standin.requestLog.some((l) => l.uri.startsWith('/_nodes?filter_path='))).toBe(true);
  });

  it('counts in the time range of its URL', async () => {
    const r = await send(gateway.url, '/nodes?from=now-1h');
    const data = nodesData(r.body);
    expect(data.body).toEqual(nodeAggregationSearchOf('?from=now-1h', data.cluster!.capabilities));
    expect(JSON.stringify(data.body)).toContain('now-1h');
  });

  it('on a release that never answers aggregations: the plain page (it counts node by node itself)', async () => {
    const s219 = createStandin({ tasks: tasks(), version: '2.19.3' });
    const g = await startWith(await s219.listen());
    try {
      const r = await send(g.url, '/nodes');
      expect(r.body).not.toContain('ml-first-page');
      expect(r.body).toContain('<div id="root"></div>');
    } finally {
      await g.close();
      await s219.close();
    }
  });
});

describe('the failures page rendered by the gateway', () => {
  type FailuresData = Extract<FirstPageData, { page: 'failures' }>;
  const failuresData = (html: string) => embedded(html) as unknown as FailuresData;

  it('carries the groups of the newest failures, read and grouped as the page reads them', async () => {
    const r = await send(gateway.url, '/failures');
    expect(r.status).toBe(200);
    const data = failuresData(r.body);
    expect(data.page).toBe('failures');
    const request = renderedPageRequest('/failures', '', data.cluster!.capabilities);
    expect(request?.page === 'failures' && request.scope).toEqual(data.scope);
    // The same groups as the page's own reading of the cluster, every one a row with its count.
    const direct = await readFailureGroupsWith(searchDirect, data.scope);
    expect(direct.groups.length).toBeGreaterThan(2);
    expect(data.result).toEqual(direct);
    for (const g of direct.groups) {
      expect(r.body).toContain(`data-test-subj="failureGroup-${g.fingerprint}"`);
    }
    // Task text is text: the hostile error's group shows escaped, and nothing of it runs.
    const hostile = data.result.groups.find((g) => g.taskIds.includes(HOSTILE_ID))!;
    expect(hostile.template).toContain('<script>');
    expect(r.body).toContain(
      `>${hostile.template.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}<`,
    );
    expect(r.body).not.toContain('<script>alert(');
    // The node list came with it (the groups name their nodes), with the gateway's own filter_path.
    expect(Object.keys((data.nodes as { nodes: object }).nodes).length).toBeGreaterThan(0);
  });

  it('reads in the view of its URL: its query and time range', async () => {
    const r = await send(gateway.url, '/failures?q=function:REMOTE&from=now-1y');
    const data = failuresData(r.body);
    const request = renderedPageRequest(
      '/failures',
      '?q=function:REMOTE&from=now-1y',
      data.cluster!.capabilities,
    );
    expect(request?.page === 'failures' && request.scope).toEqual(data.scope);
    expect(JSON.stringify(data.scope)).toContain('now-1y');
    expect(data.result).toEqual(await readFailureGroupsWith(searchDirect, data.scope));
    expect(data.result.groups.every((g) => g.functionName === 'REMOTE')).toBe(true);
  });

  it('says there is nothing failed, when nothing is', async () => {
    const r = await send(gateway.url, '/failures?q=state:COMPLETED');
    expect(failuresData(r.body).result.read).toBe(0);
    expect(r.body).toContain('No failed task matches this view.');
  });
});

describe('the plain page, when there is no first screen to render', () => {
  async function expectPlain(
    g: Gateway,
    path: string,
    options: Parameters<typeof send>[2] = {},
    expected = TEMPLATE,
  ) {
    const r = await send(g.url, path, options);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    if (options.method !== 'HEAD') expect(r.body).toBe(expected);
    return r;
  }
  /** The page whose head went out before the search failed: the plain page, with the gateway's marker. */
  const STREAMED_PLAIN = TEMPLATE.replace('<head>', `<head>${FIRST_SCREEN_MARKER}`);

  it('for other routes, a HEAD, and a query that does not parse', async () => {
    await expectPlain(gateway, '/models/m1');
    await expectPlain(gateway, '/no/such/page');
    await expectPlain(gateway, '/', { method: 'HEAD' });
    await expectPlain(gateway, '/?q=state:(FAILED');
  });

  it('for a view that needs the triage context (is:stale, failure:), which only the browser loads', async () => {
    await expectPlain(gateway, '/?q=is:stale');
    await expectPlain(gateway, '/?q=state:FAILED+-failure:3fa2c91b0d4e5a17');
  });

  it('when the cluster refuses the gateway (401), and says why in the log', async () => {
    const secured = createStandin({
      tasks: tasks(),
      users: [{ username: 'admin', password: 'Right-Pw-1', role: 'ml_full_access' }],
    });
    const url = await secured.listen();
    const g = await startWith(url, { authorization: basic('admin', 'wrong') });
    try {
      await expectPlain(g, '/', {}, STREAMED_PLAIN);
      await expectLogged(g, 'first screen not rendered: the search answered 401');
      expect(logs.get(g)).toContain(
        'Rendering the first screen without a warm-up: first screen not rendered: the search answered 401',
      );
      // The failures page too: the plain page, for the app to ask and explain the refusal.
      const failures = await send(g.url, '/failures');
      expect(failures.status).toBe(200);
      expect(failures.body).not.toContain('ml-first-page');
      expect(failures.body).toContain('<div id="root"></div>');
    } finally {
      await g.close();
      await secured.close();
    }
  });

  it('when the cluster goes down, and for a while after: a failing cluster would hold every page up', async () => {
    const going = createStandin({ tasks: tasks() });
    const g = await startWith(await going.listen());
    try {
      expect(g.firstPages?.status()).toBe('ready');
      await going.close();
      await expectPlain(g, '/', {}, STREAMED_PLAIN);
      await expectLogged(
        g,
        / 200 \d+ms first screen not rendered: the search answered gateway_upstream_unreachable$/,
      );
      // The gateway asks the plain page's search itself: that fails too, so it is the cluster.
      await vi.waitFor(async () => {
        const health = JSON.parse((await send(g.url, '/console/health')).body);
        expect(health.gateway.firstScreen).toBe('paused');
      });
      await expectPlain(g, '/?q=state:FAILED');
      await expectLogged(
        g,
        "first screen not rendered: paused, the cluster's own search answered gateway_upstream_unreachable",
      );
    } finally {
      await g.close();
    }
  });

  it('when the cluster is too slow: once after the search budget, then at once', async () => {
    const silent: Server = createServer(() => {
      // Never answers.
    });
    const slow = await startWith(await listen(silent));
    try {
      // The warm-up at start-up met the slow cluster already.
      expect(logs.get(slow)).toContain(
        'Rendering the first screen without a warm-up: first screen not rendered: the search answered gateway_upstream_timeout',
      );
      const started = performance.now();
      await expectPlain(slow, '/');
      expect(performance.now() - started).toBeLessThan(FIRST_PAGE_SEARCH_MS);
      await expectLogged(
        slow,
        'first screen not rendered: paused, the search answered gateway_upstream_timeout',
      );
    } finally {
      await slow.close();
      silent.closeAllConnections();
      await closeServer(silent);
    }
  });

  it('not for everyone when one page’s own search is slow or fails: only the cluster’s own failure pauses', async () => {
    // A cluster that is slow for one query and fails another (a client chooses its page's search), and answers
    // the rest as the stand-in does.
    const held: ServerResponse[] = [];
    const answered: string[] = [];
    const choosy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body.includes('slow-model')) return void held.push(res); // answers after the page's budget, if ever
        if (body.includes('failing-model')) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":{"type":"exception","reason":"this query fails"},"status":500}');
          return;
        }
        fetch(`${upstream}${req.url}`, {
          method: req.method,
          headers: { 'content-type': 'application/json' },
          ...(chunks.length ? { body } : {}),
        })
          .then(async (r) => {
            res.writeHead(r.status, { 'content-type': 'application/json' });
            res.end(await r.text());
            answered.push(body);
          })
          .catch(() => res.destroy());
      });
    });
    const g = await startWith(await listen(choosy));
    /** The plain page's searches the cluster has answered: the warm-up's, then the gateway's checks. */
    const plainSearches = () => {
      const plain = JSON.stringify(firstPageSearchBody('/', '', g.cluster.current()?.capabilities));
      return answered.filter((b) => b === plain).length;
    };
    try {
      for (const [query, failure] of [
        ['model:slow-model', 'gateway_upstream_timeout'],
        ['model:failing-model', '500'],
      ] as const) {
        const before = plainSearches();
        await expectPlain(g, `/?q=${query}`, {}, STREAMED_PLAIN);
        await expectLogged(g, `first screen not rendered: the search answered ${failure}`);
        // The gateway asked the plain page's search itself, and the cluster answered it: no pause.
        await vi.waitFor(() => expect(plainSearches()).toBeGreaterThan(before));
        const next = await send(g.url, '/');
        expect(next.body).toContain('taskRow-');
        const health = JSON.parse((await send(g.url, '/console/health')).body);
        expect(health.gateway.firstScreen).toBe('ready');
      }
      // The failures page's reading, failing on its own view, leaves only that page plain.
      await expectPlain(g, '/failures?q=model:failing-model', {}, STREAMED_PLAIN);
      await expectLogged(g, 'first screen not rendered: a search of the failures answered 500', '/failures');
      expect((await send(g.url, '/failures')).body).toContain('data-test-subj="failureGroup-');
    } finally {
      await g.close();
      for (const res of held) res.destroy();
      choosy.closeAllConnections();
      await closeServer(choosy);
    }
  });

  it('when another site asks for the page: it could otherwise run searches with the gateway’s credentials', async () => {
    const before = standin.requestLog.length;
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document' },
      // fetch() or an iframe from the console's own origin is not a page load either.
      { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'empty' },
      { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'iframe' },
    ]) {
      await expectPlain(gateway, '/?q=model:m1', { headers });
    }
    await expectLogged(gateway, 'first screen not rendered: asked for by another site');
    expect(standin.requestLog.length).toBe(before);
    // Typed or bookmarked, or a link within the console: rendered.
    for (const site of ['none', 'same-origin']) {
      const r = await send(gateway.url, '/', {
        headers: { 'sec-fetch-site': site, 'sec-fetch-dest': 'document' },
      });
      expect(r.body).toContain('taskRow-');
    }
  });

  it('when CONSOLE_PRERENDER=false', async () => {
    const off = await startGateway(
      gatewayConfig(upstream, { distDir: dist.path, prerender: false }),
      () => {},
    );
    try {
      expect(off.firstPages).toBeUndefined();
      await expectPlain(off, '/');
    } finally {
      await off.close();
    }
  });
});

describe('rendering on a worker thread', () => {
  it('leaves the event loop to forwarding: a search through the gateway answers while a render holds its worker', async () => {
    const proxy = createMlProxyHandler(proxyTargetFrom(gatewayConfig(upstream)));
    // Workers whose render of a page asked for with the `hold-render` cookie holds its thread until released.
    const pool = createRenderPool({
      size: 1,
      module: new URL('./held-render-worker.fixture.ts', import.meta.url).href,
    });
    const pages = createFirstPages({
      distDir: dist.path,
      proxy,
      readOnly: false,
      log: () => {},
      renderPool: pool,
    });
    // The gateway's two jobs on one event loop: forwarding ML calls, and pages.
    const server = createServer((req, res) => {
      if (isMlRequest(req.url ?? '/')) proxy.handle(req, res, () => res.writeHead(404).end());
      else void pages.serve(req, res, () => {}).then((served) => served || res.end('plain'));
    });
    const base = await listen(server);
    const channel = new BroadcastChannel('ml-tasks-console:held-render');
    try {
      await pages.ready;
      const holding = new Promise<Int32Array>((resolve) => {
        channel.onmessage = (event) => resolve((event as { data: { gate: Int32Array } }).data.gate);
      });
      const page = send(base, '/', { headers: { cookie: 'hold-render=1' } });
      const gate = await holding;
      // The render has started and holds its thread: the search is forwarded meanwhile.
      const search = await send(base, '/_plugins/_ml/tasks/_search', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-console-request': '1' },
        body: '{"size":1}',
      });
      expect(search.status).toBe(200);
      expect(JSON.parse(search.body).hits.hits).toHaveLength(1);
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      expect((await page).body).toContain(`<div id="root"><p>rendered ${FIXTURE.length + 1} rows</p></div>`);
    } finally {
      channel.close();
      pages.close();
      await pool.close();
      proxy.close();
      server.closeAllConnections();
      await closeServer(server);
    }
  });
});
