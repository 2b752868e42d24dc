// Serving the built console: caching, precompressed variants, content types, the client-route fallback,
// traversal attempts and the security headers, from a dist directory made for the test.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CONTENT_SECURITY_POLICY } from './responses';
import { isMlRequest } from './routes';
import { acceptsEncoding, IMMUTABLE } from './static';
import { CONTENT_SECURITY_POLICY, startGateway } from './server';
import type { Gateway } from './server';
import { freePort, gatewayConfig, rawStatus, send, sendRaw, tempDir } from './test-helpers';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="root"></div></body></html>';
const APP_JS = `console.log(${JSON.stringify('app '.repeat(500))});`;
const SECRET = 'TOP-SECRET-OUTSIDE-DIST';

let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;

beforeAll(async () => {
  dir = tempDir('gateway-static-');
  const dist = join(dir.path, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dir.path, 'secret.txt'), SECRET);
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'assets', 'index-AbCd1234.js'), APP_JS);
  writeFileSync(join(dist, 'assets', 'index-AbCd1234.js.br'), brotliCompressSync(APP_JS));
  writeFileSync(join(dist, 'assets', 'index-AbCd1234.js.gz'), gzipSync(APP_JS));
  writeFileSync(join(dist, 'assets', 'style-Zz9_-xYw.css'), 'body{margin:0}');
  writeFileSync(join(dist, 'assets', 'style-Zz9_-xYw.css.gz'), gzipSync('body{margin:0}'));
  writeFileSync(join(dist, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dist, 'assets', 'font-Qq1Ww2Ee.woff2'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dist, '.env'), SECRET);
  symlinkSync(join(dir.path, 'secret.txt'), join(dist, 'leak.txt'));
  symlinkSync(dir.path, join(dist, 'up'));
  const port = await freePort();
  gateway = await startGateway(gatewayConfig(`http://127.0.0.1:${port}`, { distDir: dist }), () => {});
});

afterAll(async () => {
  await gateway.close();
  dir.remove();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  send(gateway.url, path, { method, headers });

describe('static files', () => {
  it('serves index.html uncached, as HTML, at / and at /index.html', async () => {
    for (const path of ['/', '/index.html']) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.body).toBe(INDEX);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers.etag).toMatch(/^W\/"/);
    }
  });

  it('caches hashed assets for a year, immutable; other files are revalidated', async () => {
    const js = await get('/assets/index-AbCd1234.js');
    expect(js.headers['cache-control']).toBe(IMMUTABLE);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe(APP_JS);
    expect((await get('/assets/style-Zz9_-xYw.css')).headers['cache-control']).toBe(IMMUTABLE);
    expect((await get('/assets/font-Qq1Ww2Ee.woff2')).headers['content-type']).toBe('font/woff2');
    const png = await get('/assets/logo.png');
    expect(png.headers['cache-control']).toBe('no-cache');
    expect(png.headers['content-type']).toBe('image/png');
    const svg = await get('/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('serves the brotli or gzip sibling when the client accepts it, with Vary', async () => {
    const br = await send(gateway.url, '/assets/index-AbCd1234.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    // node:http does not decode: the body is the compressed file, byte for byte.
    const raw = await rawBody('/assets/index-AbCd1234.js', 'br');
    expect(brotliDecompressSync(raw).toString()).toBe(APP_JS);

    const gz = await rawBody('/assets/index-AbCd1234.js', 'gzip');
    expect(gunzipSync(gz).toString()).toBe(APP_JS);
    const refusedBr = await get('/assets/index-AbCd1234.js', { 'accept-encoding': 'br;q=0, gzip;q=0.8' });
    expect(refusedBr.headers['content-encoding']).toBe('gzip');
    const identity = await get('/assets/index-AbCd1234.js');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.body).toBe(APP_JS);
    const cssBr = await get('/assets/style-Zz9_-xYw.css', { 'accept-encoding': 'br' });
    expect(cssBr.headers['content-encoding']).toBeUndefined();
    expect(cssBr.body).toBe('body{margin:0}');
  });

  it('answers conditional requests with 304 and HEAD without a body', async () => {
    const first = await get('/assets/index-AbCd1234.js');
    const again = await get('/assets/index-AbCd1234.js', { 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await get('/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(INDEX.length);
  });

  it('falls back to index.html for client routes, but not for missing assets', async () => {
    for (const path of [
      '/tasks',
      '/tasks/ZWzQVZcB7Nx7r1xlZve5',
      '/models/m1?tab=config',
      '/some/deep/route/',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.body).toBe(INDEX);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    const missing = await get('/assets/gone-12345678.js');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toContain('No such file');
  });

  it('answers other methods with 405 and API-looking paths with JSON 404', async () => {
    const post = await send(gateway.url, '/tasks', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    for (const path of [
      '/_cluster/health',
      '/_nodes/stats',
      '/.plugins-ml-task/_search',
      '/%5Fcat/indices',
      '/%2e%2e/secret.txt',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it.each([
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/..\\..\\secret.txt',
    '/assets/%252e%252e/%252e%252e/secret.txt',
    '/leak.txt',
    '/up/secret.txt',
    '/up/dist/index.html',
    '/.env',
    '/assets/%00../../secret.txt',
    '/assets/index-AbCd1234.js%00.html',
    '/%c0%ae%c0%ae/secret.txt',
    '/' + '../'.repeat(50) + 'etc/passwd',
  ])('never serves outside dist: %s', async (path) => {
    const raw = await sendRaw(
      gateway.url,
      `GET ${path} HTTP/1.1\r\nHost: ${new URL(gateway.url).host}\r\nConnection: close\r\n\r\n`,
    );
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain('root:');
    // Either refused, or the client-route fallback (index.html): never another file.
    const status = rawStatus(raw);
    if (status === 200) expect(raw).toContain(INDEX);
    else expect([400, 404]).toContain(status);
  });

  it('says so when the console is not built', async () => {
    const empty = tempDir('gateway-empty-');
    const port = await freePort();
    const g = await startGateway(
      gatewayConfig(`http://127.0.0.1:${port}`, { distDir: empty.path }),
      () => {},
    );
    try {
      const r = await send(g.url, '/tasks');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body).error).toContain('npm run build');
    } finally {
      await g.close();
      empty.remove();
    }
  });
});

describe('security headers', () => {
  it.each([
    ['/', 'GET'],
    ['/assets/index-AbCd1234.js', 'GET'],
    ['/assets/nope-12345678.js', 'GET'],
    ['/tasks', 'POST'],
    ['/console/config', 'GET'],
    ['/console/nope', 'GET'],
    ['/_plugins/_ml/tasks/t1', 'GET'],
    ['/_plugins/_ml/tasks/t1', 'PUT'],
    ['/_cluster/settings', 'GET'],
  ])('on %s %s', async (path, method) => {
    const r = await send(gateway.url, path, { method });
    // Proxied answers (the ML plugin's and the two cluster calls') get a stricter, sandboxing policy: they are data,
    // never a page.
    const policy = isMlRequest(path) ? API_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
    expect(r.headers['content-security-policy']).toBe(policy);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('the policy allows no inline script and no eval, and no framing', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(API_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';.*sandbox$/);
  });
});

describe('acceptsEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br', true],
    ['gzip', 'br', false],
    ['br;q=0', 'br', false],
    ['BR;Q=0.5', 'br', true],
    ['*', 'gzip', true],
    ['*, gzip;q=0', 'gzip', false],
    ['identity', 'gzip', false],
    [undefined, 'gzip', false],
  ])('%s accepts %s: %s', (header, coding, expected) => {
    expect(acceptsEncoding(header, coding)).toBe(expected);
  });
});

function rawBody(path: string, encoding: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    httpGet(`${gateway.url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }).on('error', reject);
  });
}
