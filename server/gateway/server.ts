// The production server: the built console, the allow-listed ML proxy, and the console's own endpoints,
// with security headers on every response.
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { configWarnings, isLoopbackHost } from './config';
import type { GatewayConfig } from './config';
import {
  capConnections,
  createBodyBudget,
  DEFAULT_LIMITS,
  serverTimeouts,
  type ServerLimits,
} from './load-limits';
import { createMlProxyHandler, proxyTargetFrom } from './proxy';
import { malformedRequest } from './request-checks';
import { logRequest, sendJson } from './responses';
import { displayUrl } from './upstream-errors';
import { createFirstPages } from './first-page';
import type { FirstPages } from './first-page';
import type { ClusterInfo } from './cluster-info';
import { isMlRequest, MAX_URL_LENGTH, printable } from './routes';
import { createStaticFiles } from './static';

export interface Gateway {
  server: Server;
  url: string;
  /** Rendering the tasks page's first screen; undefined when CONSOLE_PRERENDER=false. */
  firstPages: FirstPages | undefined;
  /** Who the cluster is, detected at start-up and again after it failed. */
  cluster: ClusterInfo;
  /** What clients hold now: open connections, and bytes of request bodies read and not yet done with. */
  load(): { connections: number; bodyBytes: number };
  close(): Promise<void>;
}

/**
 * No inline script and no eval. Styles need 'unsafe-inline': Emotion (EUI's styling) inserts <style>
 * elements at run time, and a nonce would need index.html rendered per request.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function hostName(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

/** A raw HTTP answer for sockets that never became a request (malformed HTTP, CONNECT). */
function rawJson(socket: Duplex | Socket, status: number, error: string): void {
  const body = JSON.stringify({ error, status });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** Starts the gateway on config.host:config.port, forwarding ML calls to config.opensearchUrl. */
export async function startGateway(
  config: GatewayConfig & { opensearchUrl: URL; limits?: Partial<ServerLimits> },
  log: (line: string) => void = (line) => console.log(line),
): Promise<Gateway> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...config.limits };
  const budget = createBodyBudget(limits.maxBufferedBytes);
  const proxy = createMlProxyHandler(
    { ...proxyTargetFrom(config), bodies: { budget, idleMs: limits.bodyIdleMs } },
    log,
  );
  const files = createStaticFiles(config.distDir);
  const firstPages = config.prerender
    ? createFirstPages({ distDir: config.distDir, proxy, readOnly: config.readOnly, log })
    : undefined;
  const startedAt = Date.now();
  // Learn who the cluster is now, so that the first page and the browser's first question need not wait for it.
  void proxy.cluster.detect();
  // Bound to loopback, only loopback host names are answered: a page on another site whose name is made
  // to resolve to 127.0.0.1 (DNS rebinding) would otherwise count as same-origin.
  const loopbackOnly = isLoopbackHost(config.host);

  async function consoleEndpoint(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const known = path === '/console/config' || path === '/console/health' || path === '/console/cluster';
    if (!known) {
      sendJson(res, 404, { error: `The console has no endpoint [${printable(path)}]`, status: 404 });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        {
          error: `Incorrect HTTP method for uri [${path}] and method [${printable(req.method ?? '-', 20)}], allowed: [GET]`,
          status: 405,
        },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    if (path === '/console/config') {
      sendJson(res, 200, { readOnly: config.readOnly });
      return;
    }
    if (path === '/console/cluster') {
      sendJson(res, 200, await proxy.cluster.report());
      return;
    }
    const cluster = await proxy.probe();
    const identity = proxy.cluster.current()?.identity;
    sendJson(res, 200, {
      ok: cluster.reachable && cluster.status >= 200 && cluster.status < 300,
      gateway: {
        status: 'up',
        readOnly: config.readOnly,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        opensearchUrl: displayUrl(config.opensearchUrl),
        firstScreen: firstPages?.status() ?? 'off',
      },
      cluster: identity ? { ...cluster, identity } : cluster,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const rawUrl = req.url ?? '/';
    const malformed =
      req.httpVersionMajor !== 1 ? `HTTP/${req.httpVersion} requests are refused` : malformedRequest(req);
    if (malformed || rawUrl.length > MAX_URL_LENGTH) {
      logRequest(req, res, log);
      if (malformed) sendJson(res, 400, { error: malformed, status: 400 });
      else
        sendJson(res, 414, {
          error: `The request URL is longer than ${MAX_URL_LENGTH} characters`,
          status: 414,
        });
      return;
    }
    const host = req.headers.host;
    if (loopbackOnly && host !== undefined && !isLoopbackHost(hostName(host) ?? '')) {
      logRequest(req, res, log)('refused: not a loopback Host');
      sendJson(res, 403, {
        error: `This console answers only on its loopback address, not on host [${printable(host, 100)}]`,
        status: 403,
      });
      return;
    }
    if (isMlRequest(rawUrl)) {
      proxy.handle(req, res, () => sendJson(res, 404, { error: 'Not found', status: 404 }));
      return;
    }
    const note = logRequest(req, res, log);
    const path = rawUrl.split(/[?#]/, 1)[0]!;
    if (path === '/console' || path.startsWith('/console/')) {
      await consoleEndpoint(req, res, path);
      return;
    }
    if (await firstPages?.serve(req, res, note)) return;
    await files.serve(req, res);
  }

  const server = createServer(serverTimeouts(limits), (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(
        `gateway error on ${printable(req.method ?? '-', 20)} ${printable((req.url ?? '/').split('?')[0]!)}: ${(err as Error).message}`,
      );
      if (!res.headersSent)
        sendJson(res, 500, { error: 'The console gateway failed to handle this request', status: 500 });
      else res.destroy();
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log(`- - ${status} malformed request (${err.code ?? 'error'})`);
    rawJson(socket, status, `Malformed HTTP request (${err.code ?? 'error'})`);
  });
  const connections = capConnections(server, limits.maxConnections, (socket) => {
    log(`- - 503 refused a connection: ${limits.maxConnections} are open`);
    rawJson(
      socket,
      503,
      `The console gateway has too many connections open (${limits.maxConnections}); try again in a moment`,
    );
    // Closed once the answer is out, whatever the client sends meanwhile.
    socket.once('finish', () => socket.destroy());
  });
  // Without a listener Node drops CONNECT silently; answer it like any other refused method.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    log(`CONNECT ${printable(req.url ?? '-')} 405 0ms`);
    rawJson(socket, 405, 'The console gateway is not a forward proxy: CONNECT is refused');
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  for (const warning of configWarnings(config)) log(warning);
  log(
    `forwarding the console's ML calls to ${displayUrl(config.opensearchUrl)}${config.authorization ? ' with credentials' : ''}${config.readOnly ? ' (read-only: deletes and cancels refused)' : ''}`,
  );

  return {
    server,
    url,
    firstPages,
    cluster: proxy.cluster,
    load: () => ({ connections: connections(), bodyBytes: budget.held() }),
    close() {
      return new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
        // In-flight requests get a moment to finish.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
        firstPages?.close();
        proxy.close();
      });
    },
  };
}
