// Helpers for the gateway's tests: requests sent exactly as written (raw sockets, unnormalised paths),
// upstreams that record what reached them, and throwaway directories.
import { createServer as createHttpServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayConfig } from './config';
import type { ServerLimits } from './load-limits';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The response head as received, for searching every header for a secret. */
  rawHead: string;
  /** The request failed or the connection was cut before the response was complete. */
  error?: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One request through node:http with the path exactly as given (no URL normalisation, unlike fetch). */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const base = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = request({
      host: base.hostname,
      port: base.port,
      method: options.method ?? 'GET',
      path,
      headers: options.headers,
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error('test timeout')), options.timeoutMs ?? 10_000);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      const rawHead = res.rawHeaders.join('\n');
      const done = (error?: string): void => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          rawHead,
          ...(error ? { error } : {}),
        });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done());
      res.on('error', (e) => done(e.message || 'response error'));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ status: 0, headers: {}, body: '', rawHead: '', error: e.code ?? e.message });
    });
    req.end(options.body);
  });
}

/** Writes bytes to a fresh connection and reads until the server closes it (or the timeout). */
export function sendRaw(baseUrl: string, bytes: string | Buffer, timeoutMs = 5000): Promise<string> {
  const base = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(bytes);
  });
}

/** The status of the first response in a raw reply (0 when there was none). */
export function rawStatus(raw: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m ? Number(m[1]) : 0;
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Records every request that reaches a server, beside its own handler (both see the 'request' event). */
export function recordRequests(server: Server): Recorded[] {
  const seen: Recorded[] = [];
  server.prependListener('request', (req: IncomingMessage) => {
    const entry: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    seen.push(entry);
    req.on('data', (c: Buffer) => {
      entry.body += c.toString('utf8');
    });
  });
  return seen;
}

/** Listens on loopback, on `port` (a cluster coming back where it was) or any free one. */
export async function listen(server: Server | HttpsServer, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server | HttpsServer): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A self-signed certificate (by default for 127.0.0.1; also its own CA), made with the system's openssl. */
export function selfSignedCertificate(
  dir: string,
  name = 'server',
  subjectAltName = 'IP:127.0.0.1',
): { keyFile: string; certFile: string } {
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}-cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-addext',
      `subjectAltName=${subjectAltName}`,
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}

/** A complete gateway configuration for tests: loopback, a random port, no credentials unless given. */
export function gatewayConfig(
  upstream: string,
  extra: Partial<GatewayConfig> & { limits?: Partial<ServerLimits> } = {},
): GatewayConfig & { opensearchUrl: URL; limits?: Partial<ServerLimits> } {
  return {
    host: '127.0.0.1',
    port: 0,
    authorization: undefined,
    ca: undefined,
    tlsInsecure: false,
    readOnly: false,
    // Proxy and file tests need no React on the server; the first-page tests turn it on.
    prerender: false,
    upstreamTimeoutMs: 30_000,
    distDir: join(tmpdir(), 'gateway-test-no-dist'),
    ...extra,
    opensearchUrl: new URL(upstream),
  };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export interface FakeClusterOptions {
  /** `GET /`'s `version.number`; undefined: `GET /` answers 403. */
  version?: string;
  distribution?: string;
  clusterName?: string;
  /** `opensearch-ml` per node; null: the plugin lists answer 403 (a managed service hiding them). */
  mlVersions?: string[] | null;
  /** Only `_nodes/plugins` lists the plugins (`_cat/plugins` answers 404). */
  onlyNodesPlugins?: boolean;
  /** A task search that carries `aggs` is never answered, as on ML Commons 2.19.2–2.19.6. */
  aggsHang?: boolean;
  /** What a task search answers when it is answered. */
  search?: { status: number; body: unknown };
  /** `GET /` answers only after this long. */
  rootDelayMs?: number;
  /** Every request answers 401, as the security plugin does to wrong credentials. */
  unauthorized?: boolean;
}

/**
 * A cluster reduced to what the detection reads (`GET /`, the plugin lists, task search), for what the stand-in
 * cannot play: a compatibility mode's 7.10.2, nodes of mixed versions, hidden plugin lists. Options may be changed
 * between requests; `requests` lists what reached it.
 */
export function fakeCluster(options: FakeClusterOptions): {
  server: Server;
  options: FakeClusterOptions;
  requests: Array<{ method: string; url: string; body: string }>;
} {
  const requests: Array<{ method: string; url: string; body: string }> = [];
  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(text);
  };
  const forbidden = (path: string) => ({
    error: {
      root_cause: [{ type: 'security_exception', reason: `no permissions for [${path}]` }],
      type: 'security_exception',
      reason: `no permissions for [${path}]`,
    },
    status: 403,
  });
  const answerRoot = (res: ServerResponse, o: FakeClusterOptions): void => {
    if (o.version === undefined) return reply(res, 403, forbidden('cluster:monitor/main'));
    reply(res, 200, {
      name: 'node-1',
      cluster_name: o.clusterName ?? 'fake',
      version: {
        ...(o.distribution !== undefined ? { distribution: o.distribution } : {}),
        number: o.version,
      },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    });
  };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? '', url, body });
      const o = options;
      const versions = o.mlVersions;
      if (o.unauthorized) {
        res.writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'Basic realm="OpenSearch Security"',
        });
        res.end('Unauthorized');
        return;
      }
      if (url === '/' && o.rootDelayMs && !res.headersSent) {
        setTimeout(() => answerRoot(res, o), o.rootDelayMs);
        return;
      }
      if (url === '/') {
        return answerRoot(res, o);
      }
      if (url === '/_cat/plugins?format=json') {
        if (versions === null || versions === undefined)
          return reply(res, 403, forbidden('cluster:monitor/nodes/info'));
        if (o.onlyNodesPlugins) return reply(res, 404, { error: 'no handler found', status: 404 });
        return reply(
          res,
          200,
          versions.flatMap((v, i) => [
            { name: `node-${i}`, component: 'opensearch-ml', version: v },
            { name: `node-${i}`, component: 'opensearch-security', version: v },
          ]),
        );
      }
      if (url === '/_nodes/plugins') {
        if (versions === null || versions === undefined)
          return reply(res, 403, forbidden('cluster:monitor/nodes/info'));
        return reply(res, 200, {
          nodes: Object.fromEntries(
            versions.map((v, i) => [
              `id${i}`,
              { name: `node-${i}`, plugins: [{ name: 'opensearch-ml', version: v }] },
            ]),
          ),
        });
      }
      if (url.startsWith('/_plugins/_ml/tasks/_search')) {
        const hasAggs = /"agg(s|regations)"/.test(body);
        if (hasAggs && o.aggsHang) return; // never answered
        if (o.search) return reply(res, o.search.status, o.search.body);
        return reply(res, 200, {
          took: 1,
          timed_out: false,
          _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
          hits: { total: { value: 1, relation: 'eq' }, max_score: null, hits: [] },
          ...(hasAggs
            ? { aggregations: { console_probe: { buckets: [{ key: 'COMPLETED', doc_count: 1 }] } } }
            : {}),
        });
      }
      reply(res, 400, { error: `no handler found for uri [${url}] and method [${req.method}]` });
    });
  });
  return { server, options, requests };
}

/** A log's lines as they come, and ways to wait for them instead of sleeping. */
export interface LogLines {
  lines: string[];
  log: (line: string) => void;
  /** The first line, logged already or later, that contains `match` (or matches it). */
  waitFor(match: string | RegExp): Promise<string>;
  /** Resolves once at least `count` lines are in `lines`. */
  waitForCount(count: number): Promise<void>;
}

export function logLines(): LogLines {
  const lines: string[] = [];
  const waiters = new Set<() => boolean>();
  const wait = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): boolean => {
        if (!done()) return false;
        waiters.delete(check);
        resolve();
        return true;
      };
      if (!check()) waiters.add(check);
    });
  const matches = (line: string, match: string | RegExp): boolean =>
    typeof match === 'string' ? line.includes(match) : match.test(line);
  return {
    lines,
    log(line) {
      lines.push(line);
      for (const check of [...waiters]) check();
    },
    async waitFor(match) {
      await wait(() => lines.some((l) => matches(l, match)));
      return lines.find((l) => matches(l, match))!;
    },
    waitForCount: (count) => wait(() => lines.length >= count),
  };
}
