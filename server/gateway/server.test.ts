// The gateway as a whole: its own endpoints, health as the cluster comes and goes, the loopback Host
// check, start-up warnings, log lines, and staying up whatever arrives.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin } from '../standin/server';
import type { Standin } from '../standin/server';
import { FIXTURE } from '../standin/test-fixtures';
import { startGateway } from './server';
import type { Gateway } from './server';
import type { ServerLimits } from './load-limits';
import { basic, gatewayConfig, logLines, rawStatus, send, sendRaw } from './test-helpers';

const PASSWORD = 'Server-Test-Pw-77';

let standin: Standin;
let upstream: string;
let gateway: Gateway;
const logs = logLines();

beforeAll(async () => {
  standin = createStandin({
    tasks: structuredClone(FIXTURE),
    users: [{ username: 'admin', password: PASSWORD, role: 'ml_full_access' }],
  });
  upstream = await standin.listen();
  gateway = await startGateway(
    gatewayConfig(upstream, { authorization: basic('admin', PASSWORD) }),
    logs.log,
  );
  await gateway.cluster.detect();
});

afterAll(async () => {
  await gateway.close();
  await standin.close();
});

describe('/console endpoints', () => {
  it('GET /console/config tells the UI whether it is read-only', async () => {
    const r = await send(gateway.url, '/console/config');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ readOnly: false });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('GET /console/health reports the gateway and a cluster that answers', async () => {
    const r = await send(gateway.url, '/console/health');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toEqual({
      ok: true,
      gateway: {
        status: 'up',
        readOnly: false,
        uptimeSeconds: expect.any(Number),
        opensearchUrl: upstream,
        firstScreen: 'off',
      },
      cluster: {
        reachable: true,
        status: 200,
        latencyMs: expect.any(Number),
        identity: gateway.cluster.current()!.identity,
      },
    });
    expect(body.cluster.identity.source).not.toBe('unknown');
    expect(r.body).not.toContain(PASSWORD);
  });

  it('health says what the cluster answered when it refuses the credentials', async () => {
    const wrong = await startGateway(
      gatewayConfig(upstream, { authorization: basic('admin', 'nope') }),
      () => {},
    );
    try {
      await wrong.cluster.detect();
      const body = JSON.parse((await send(wrong.url, '/console/health')).body);
      expect(body.ok).toBe(false);
      expect(body.cluster).toEqual({
        reachable: true,
        status: 401,
        reason: 'Unauthorized',
        latencyMs: expect.any(Number),
        identity: { source: 'unknown' },
      });
    } finally {
      await wrong.close();
    }
  });

  it('health follows the cluster going away and coming back', async () => {
    const other = createStandin({ tasks: structuredClone(FIXTURE) });
    const url = await other.listen();
    const port = Number(new URL(url).port);
    const g = await startGateway(gatewayConfig(url), () => {});
    try {
      expect(JSON.parse((await send(g.url, '/console/health')).body).ok).toBe(true);
      await other.close();
      const down = JSON.parse((await send(g.url, '/console/health')).body);
      expect(down).toMatchObject({
        ok: false,
        gateway: { status: 'up' },
        cluster: { reachable: false, status: 502, error: { type: 'gateway_upstream_unreachable' } },
      });
      const search = await send(g.url, '/_plugins/_ml/tasks/t1');
      expect(search.status).toBe(502);
      const again = createStandin({ tasks: structuredClone(FIXTURE) });
      await again.listen(port);
      try {
        expect(JSON.parse((await send(g.url, '/console/health')).body).ok).toBe(true);
        expect((await send(g.url, '/_plugins/_ml/tasks/t1')).status).toBe(200);
      } finally {
        await again.close();
      }
    } finally {
      await g.close();
    }
  });

  it('answers unknown /console paths with JSON 404 and other methods with 405', async () => {
    for (const path of [
      '/console',
      '/console/',
      '/console/nope',
      '/console/config/x',
      '/console/../console/config',
    ]) {
      const r = await send(gateway.url, path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.body).status).toBe(404);
    }
    const post = await send(gateway.url, '/console/config', { method: 'POST', body: '{"readOnly":false}' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('the server', () => {
  it('answers only loopback Host names when bound to loopback (DNS rebinding)', async () => {
    const port = new URL(gateway.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      const r = await send(gateway.url, '/console/config', { headers: { host } });
      expect(r.status, host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1.evil.example:${port}`,
      '10.0.0.1',
    ]) {
      const r = await send(gateway.url, '/_plugins/_ml/tasks/t1', { headers: { host } });
      expect(r.status, host).toBe(403);
    }
  });

  it('stays up whatever arrives: malformed HTTP, bad encodings, CONNECT, aborted uploads', async () => {
    const host = new URL(gateway.url).host;
    expect(rawStatus(await sendRaw(gateway.url, 'GARBAGE\r\n\r\n'))).toBe(400);
    expect(
      rawStatus(
        await sendRaw(gateway.url, `GET /%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
      ),
    ).toBe(400);
    expect(
      rawStatus(
        await sendRaw(
          gateway.url,
          `CONNECT example.com:443 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        ),
      ),
    ).toBe(405);
    // An upload cut off half-way.
    await sendRaw(
      gateway.url,
      `POST /_plugins/_ml/tasks/_search HTTP/1.1\r\nHost: ${host}\r\nX-Console-Request: 1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"size"`,
      200,
    );
    expect((await send(gateway.url, '/_plugins/_ml/tasks/t1')).status).toBe(200);
  });

  it('logs one line per request with method, path, status and duration, never a query or credential', async () => {
    logs.lines.length = 0;
    await send(gateway.url, '/tasks?password=hunter2');
    await send(gateway.url, '/console/config');
    await send(gateway.url, `/_plugins/_ml/tasks/t1?pretty`, {
      headers: { authorization: 'Basic c2VjcmV0' },
    });
    // A line is logged when its connection closes, which may come just after the answer.
    await logs.waitForCount(3);
    expect(logs.lines).toEqual([
      expect.stringMatching(/^GET \/tasks 503 \d+ms$/),
      expect.stringMatching(/^GET \/console\/config 200 \d+ms$/),
      expect.stringMatching(/^GET \/_plugins\/_ml\/tasks\/t1 200 \d+ms$/),
    ]);
    expect(logs.lines.join('\n')).not.toMatch(/hunter2|c2VjcmV0|pretty|Basic/);
  });

  it('prints the TLS warning loudly at start, and where it forwards', async () => {
    const lines: string[] = [];
    const g = await startGateway(gatewayConfig('https://127.0.0.1:9', { tlsInsecure: true }), (l) =>
      lines.push(l),
    );
    await g.close();
    expect(lines.join('\n')).toMatch(/WARNING: OPENSEARCH_TLS_INSECURE=true/);
    expect(lines.join('\n')).toContain(
      'forwarding the console’s ML calls to https://127.0.0.1:9'.replace('’', "'"),
    );
  });

  it('closes promptly with connections open', async () => {
    const g = await startGateway(gatewayConfig(upstream), () => {});
    // A kept-alive connection, open once its first answer has come.
    const socket = connect(Number(new URL(g.url).port), '127.0.0.1');
    const closed = once(socket, 'close');
    socket.write(`GET /console/config HTTP/1.1\r\nHost: ${new URL(g.url).host}\r\n\r\n`);
    await once(socket, 'data');
    const started = Date.now();
    await g.close();
    await closed;
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('under hostile load', () => {
  const host = (g: Gateway): string => new URL(g.url).host;
  const cleanups: Array<() => void | Promise<void>> = [];

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function gatewayWith(limits: Partial<ServerLimits>): Promise<Gateway> {
    const g = await startGateway(
      gatewayConfig(upstream, { authorization: basic('admin', PASSWORD), limits }),
      () => {},
    );
    cleanups.push(() => g.close());
    return g;
  }

  /** A connection that has sent `bytes` and is kept open; resolves once connected. */
  async function holdOpen(g: Gateway, bytes: string): Promise<Socket> {
    const socket = connect(Number(new URL(g.url).port), '127.0.0.1');
    socket.on('error', () => {});
    cleanups.push(() => void socket.destroy());
    await once(socket, 'connect');
    socket.write(bytes);
    return socket;
  }

  /** Waits for a condition the gateway reaches on its own (a connection counted, a body read). */
  async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await condition()) return;
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never happened: ${what}`);
  }

  const searchHead = (g: Gateway, length: number) =>
    `POST /_plugins/_ml/tasks/_search HTTP/1.1\r\nHost: ${host(g)}\r\nX-Console-Request: 1\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it('refuses connections beyond its cap with 503 JSON, and serves again once they are gone', async () => {
    const g = await gatewayWith({ maxConnections: 4 });
    const held = await Promise.all([1, 2, 3, 4].map(() => holdOpen(g, 'GET / HTTP/1.1\r\n')));
    await until('4 connections counted', () => g.load().connections === 4);
    const raw = await sendRaw(g.url, `GET /console/config HTTP/1.1\r\nHost: ${host(g)}\r\n\r\n`);
    expect(rawStatus(raw)).toBe(503);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: expect.stringContaining('too many connections'),
      status: 503,
    });
    for (const s of held) s.destroy();
    await until('the held connections closed', () => g.load().connections === 0);
    expect((await send(g.url, '/console/config')).status).toBe(200);
  });

  it('answers 503 once the bodies it is reading fill its budget; other requests still pass', async () => {
    const g = await gatewayWith({ maxBufferedBytes: 64 * 1024 });
    await holdOpen(g, searchHead(g, 60_000) + ' '.repeat(50_000));
    await until('50,000 bytes of body held', () => g.load().bodyBytes === 50_000);
    const raw = await sendRaw(g.url, searchHead(g, 60_000) + ' '.repeat(20_000));
    expect(rawStatus(raw)).toBe(503);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: expect.stringContaining('too many request bodies'),
      status: 503,
    });
    expect(raw).toMatch(/\r\nRetry-After: \d+\r\n/i);
    expect((await send(g.url, '/_plugins/_ml/tasks/t1')).status).toBe(200);
  });

  it('gives the budget back once each call is over, answered or abandoned', async () => {
    const g = await gatewayWith({});
    const search = (timeoutMs?: number) =>
      send(g.url, '/_plugins/_ml/tasks/_search', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-console-request': '1' },
        body: '{"size":1}',
        ...(timeoutMs ? { timeoutMs } : {}),
      });
    const answers = await Promise.all([search(), search(), search(), search(1)]);
    expect(answers.map((a) => a.status).filter((s) => s === 200)).toHaveLength(3);
    await until('every body given back', () => g.load().bodyBytes === 0);
  });

  it('cuts a body that stops arriving with 408 after the body-idle timeout', async () => {
    const g = await gatewayWith({ bodyIdleMs: 300 });
    const raw = await sendRaw(g.url, searchHead(g, 1000) + '{"size"', 5000);
    expect(rawStatus(raw)).toBe(408);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: expect.stringContaining('stopped arriving'),
      status: 408,
    });
    expect(g.load().bodyBytes).toBe(0);
  });

  it('cuts a request whose headers never finish with 408 after the headers timeout', async () => {
    const g = await gatewayWith({ headersTimeoutMs: 400 });
    const raw = await sendRaw(g.url, `GET /console/config HTTP/1.1\r\nHost: ${host(g)}\r\nX-Slow: 1`, 5000);
    expect(rawStatus(raw)).toBe(408);
  });

  it('cuts a body that trickles in for longer than the request timeout with 408', async () => {
    const g = await gatewayWith({ requestTimeoutMs: 600 });
    const socket = await holdOpen(g, searchHead(g, 100_000));
    const trickle = setInterval(() => socket.write(' '), 50);
    cleanups.push(() => clearInterval(trickle));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await once(socket, 'close');
    clearInterval(trickle);
    expect(rawStatus(Buffer.concat(chunks).toString('latin1'))).toBe(408);
  });
});
