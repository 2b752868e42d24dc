// The allow-listed proxy to OpenSearch ML Commons: checks each request against the route list, forwards it
// with the configured credentials, and turns upstream failures into JSON the console can explain.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { checkRoute, isMlRequest, printable } from './routes.ts';
import type { MlRoute } from './routes.ts';
import type { GatewayConfig } from './config';
import {
  aggregationsRefusal,
  carriesAggregations,
  createClusterInfo,
  type ClusterInfo,
  type DetectionOptions,
} from './cluster-info.ts';

export interface ProxyTarget {
  url: URL;
  authorization?: string;
  ca?: Buffer;
  tlsInsecure?: boolean;
  timeoutMs?: number;
  readOnly?: boolean;
  /** Timeouts of the cluster detection (tests shorten them). */
  detection?: DetectionOptions & { retryUnreachableMs?: number; retryUndecidedMs?: number };
}

/** Largest request body forwarded (a search body is a few kB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the refused body is read and dropped before the connection is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The health check's question is cheap: a cluster that takes longer than this is not well. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The policy on every proxied answer: whatever the cluster (or a proxy in front of it) sends, opened as a
 * page it runs nothing and loads nothing, so no answer can become script on the console's origin.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/**
 * The only upstream response headers passed to the browser. Everything else (`WWW-Authenticate`, which
 * would pop the browser's own login box; `Set-Cookie`; hop-by-hop headers; anything a proxy in front of
 * the cluster adds) stays behind.
 */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'allow',
  'warning',
  'retry-after',
];

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA that is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not issued for this host name',
};

export interface GatewayErrorBody {
  error: { type: string; reason: string };
  status: number;
}

export type UpstreamProbe =
  | { reachable: true; status: number; latencyMs: number; reason?: string }
  | { reachable: false; status: 502 | 504; error: GatewayErrorBody['error']; latencyMs: number };

/** What the cluster answered to one of the gateway's own questions, or why it did not. */
export type UpstreamAnswer =
  | {
      status: number;
      text: string;
      /** False when the answer was cut off or longer than asked for. */ complete: boolean;
    }
  | { status: 502 | 504; error: GatewayErrorBody['error'] };

/** The most the gateway reads of its own search's answer (a first page is tens of kB). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface MlProxy {
  /** Connect-style middleware: answers /_plugins... requests, calls next() for anything else. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Asks the cluster one cheap allow-listed question (a size-0 task search): does it answer, how fast. */
  probe(): Promise<UpstreamProbe>;
  /**
   * A task search of the gateway's own, with its credentials: the first page it renders into the HTML. Gives up
   * after `timeoutMs` (never later than the proxy's own timeout).
   */
  searchTasks(body: string, timeoutMs: number): Promise<UpstreamAnswer>;
  /**
   * A read-only question of the gateway's own (GET, or POST of a search), never a browser's: any path, so only for
   * fixed questions such as the cluster detection's `GET /`. Gives up after `timeoutMs`.
   */
  read(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; timeoutMs: number; maxBytes?: number },
  ): Promise<UpstreamAnswer>;
  /** Who the cluster is and what it can do, learnt over this proxy's own connections. */
  cluster: ClusterInfo;
  /** Closes the pooled upstream connections. */
  close(): void;
}

/** How long a task search with aggregations waits for a detection in flight before it is forwarded or refused. */
const SEARCH_WAITS_FOR_DETECTION_MS = 3_000;

/** OpenSearch's error shape for the gateway's own refusal of a request the cluster would mishandle. */
export function unsupportedError(reason: string): {
  error: { root_cause: Array<{ type: string; reason: string }>; type: string; reason: string };
  status: 400;
} {
  const type = 'console_unsupported_exception';
  return { error: { root_cause: [{ type, reason }], type, reason }, status: 400 };
}

/** Sends a small JSON answer from the gateway itself. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Logs one line when the response is over: method, path (no query string: its values could carry
 * anything), status and duration. Never a header or a body. Returns a way to add a short note.
 */
export function logRequest(
  req: IncomingMessage,
  res: ServerResponse,
  log: ((line: string) => void) | undefined,
): (note: string) => void {
  const started = performance.now();
  const method = printable(req.method ?? '-', 20);
  const path = printable((req.url ?? '/').split('?')[0]!, 300);
  let note = '';
  res.once('close', () => {
    if (!log) return;
    const ms = Math.round(performance.now() - started);
    const incomplete = res.writableFinished ? '' : ' (connection closed before the response was complete)';
    log(
      `${method} ${path} ${res.headersSent ? res.statusCode : '-'} ${ms}ms${incomplete}${note ? ` ${note}` : ''}`,
    );
  });
  return (text) => {
    note = note ? `${note}; ${text}` : text;
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return false;
  let o: URL;
  let h: URL;
  try {
    o = new URL(origin);
    h = new URL(`${o.protocol}//${host}`);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  const defaultPort = o.protocol === 'https:' ? '443' : '80';
  return (
    o.hostname.toLowerCase() === h.hostname.toLowerCase() &&
    (o.port || defaultPort) === (h.port || defaultPort)
  );
}

/**
 * Why a request that changes something must be refused as possibly cross-site, or undefined when it
 * may pass: it needs an Origin of this very host (browsers send one on every POST and DELETE), or, when
 * there is no Origin at all, the console's own `X-Console-Request: 1` (which a cross-site page cannot
 * add without a CORS preflight, and the gateway answers no preflight).
 */
export function csrfProblem(req: IncomingMessage): string | undefined {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return `${method} refused: the request was sent by another site (Sec-Fetch-Site: ${site})`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (sameOrigin(origin, req.headers.host)) return undefined;
    return `${method} refused: Origin [${printable(origin, 100)}] is not the console's own origin`;
  }
  if (req.headers['x-console-request'] === '1') return undefined;
  return `${method} refused: a request that changes something must come from the console (a same-origin Origin header or X-Console-Request: 1)`;
}

/** Requests Node's parser lets through that no browser sends and that proxies may read differently. */
export function malformedRequest(req: IncomingMessage): string | undefined {
  // llhttp reads a request line cut short by a bare LF as HTTP/0.9.
  if (req.httpVersionMajor === 0) return 'HTTP/0.9 requests are refused';
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return 'A request may carry only one Host header';
  return undefined;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Reads the body up to `limit` bytes; 'too-large' as soon as it is known to be bigger (nothing more kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve('too-large');
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | 'too-large' | 'aborted'): void => {
      if (done) return;
      done = true;
      chunks = [];
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish('too-large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(Buffer.concat(chunks, size)));
    req.once('error', () => finish('aborted'));
    req.once('close', () => finish(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
  });
}

/** Reads and drops the rest of a refused body, up to a limit, so the 413 can still reach the client. */
function discardBody(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}

function pickResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name of RESPONSE_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  // A body is either delimited by length or chunked; with chunked upstream, Node re-chunks it for us.
  if (headers['transfer-encoding'] !== undefined) delete out['content-length'];
  return out;
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? (e.message === 'socket hang up' ? 'ECONNRESET' : 'ERROR');
}

/** One sentence an operator can act on, for an upstream connection that failed before any answer. */
/** The request went out on a kept-alive connection that the cluster had closed in the meantime. */
function closedWhileIdle(upstream: http.ClientRequest, err: unknown): boolean {
  return (
    (upstream as http.ClientRequest & { reusedSocket?: boolean }).reusedSocket === true &&
    errorCode(err) === 'ECONNRESET'
  );
}

export function describeUpstreamError(err: unknown, url: URL): string {
  const code = errorCode(err);
  const where = `OpenSearch at ${displayUrl(url)}`;
  const httpsHint =
    url.protocol === 'http:' ? ' If the cluster uses TLS, OPENSEARCH_URL must start with https://.' : '';
  const tls = TLS_REASONS[code];
  if (tls || /CERT|SSL|TLS|EPROTO/.test(code)) {
    const why = tls ?? (err as Error).message;
    return (
      `The TLS connection to ${where} failed: ${why} (${code}). Set OPENSEARCH_CA to the file of the CA ` +
      'that signed the cluster certificate (or, only for a test cluster, OPENSEARCH_TLS_INSECURE=true).'
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `${where} refused the connection (ECONNREFUSED): is it running, and is the port right?`;
    case 'ENOTFOUND':
      return `${where} cannot be reached: the host name ${url.hostname} does not resolve (ENOTFOUND).`;
    case 'EAI_AGAIN':
      return `${where} cannot be reached: looking up ${url.hostname} failed for now (EAI_AGAIN).`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection without answering (${code}).${httpsHint}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return `${where} cannot be reached over the network (${code}).`;
    default:
      if (code.startsWith('HPE_')) {
        return `${where} answered with something that is not HTTP (${code}).${httpsHint}`;
      }
      return `${where} cannot be reached: ${(err as Error).message || code}.`;
  }
}

/** The upstream URL without credentials or a trailing slash, for messages. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function unreachable(reason: string): GatewayErrorBody {
  return { error: { type: 'gateway_upstream_unreachable', reason }, status: 502 };
}

function tooSlow(url: URL, timeoutMs: number): GatewayErrorBody {
  return {
    error: {
      type: 'gateway_upstream_timeout',
      reason: `OpenSearch at ${displayUrl(url)} did not answer within ${timeoutMs} ms (OPENSEARCH_TIMEOUT_MS).`,
    },
    status: 504,
  };
}

interface UpstreamCall {
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** The proxy settings of a gateway configuration, for the gateway and the Vite dev server alike. */
export function proxyTargetFrom(config: GatewayConfig & { opensearchUrl: URL }): ProxyTarget {
  return {
    url: config.opensearchUrl,
    ...(config.authorization ? { authorization: config.authorization } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    tlsInsecure: config.tlsInsecure,
    timeoutMs: config.upstreamTimeoutMs,
    readOnly: config.readOnly,
  };
}

/** Creates the proxy with its own keep-alive connection pool. */
export function createMlProxyHandler(target: ProxyTarget, log?: (line: string) => void): MlProxy {
  const url = target.url;
  const isHttps = url.protocol === 'https:';
  const prefix = url.pathname.replace(/\/+$/, '');
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readOnly = target.readOnly ?? false;
  const agentOptions = {
    keepAlive: true,
    maxSockets: 64,
    maxFreeSockets: 16,
    timeout: 30_000,
    scheduling: 'lifo',
  };
  const agent = isHttps
    ? new https.Agent({
        ...agentOptions,
        ...(target.ca ? { ca: target.ca } : {}),
        rejectUnauthorized: !target.tlsInsecure,
      } as https.AgentOptions)
    : new http.Agent(agentOptions as http.AgentOptions);
  const cluster = createClusterInfo({ read }, { ...target.detection, ...(log ? { log } : {}) });

  function open(call: UpstreamCall): http.ClientRequest {
    const request = isHttps ? https.request : http.request;
    const headers: OutgoingHttpHeaders = { host: url.host, accept: 'application/json', ...call.headers };
    if (target.authorization) headers.authorization = target.authorization;
    const req = request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || (isHttps ? 443 : 80),
      method: call.method,
      path: prefix + call.path,
      headers,
      agent,
    });
    req.end(call.body.length ? call.body : undefined);
    return req;
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    route: MlRoute,
    call: UpstreamCall,
    note: (text: string) => void,
    attempt = 0,
  ): void {
    let timedOut = false;
    let responded = false;
    const upstream = open(call);
    let timer = setTimeout(() => {
      timedOut = true;
      upstream.destroy(new Error('timeout'));
    }, timeoutMs);
    const onClientGone = (): void => {
      if (!res.writableFinished) upstream.destroy();
    };
    res.once('close', onClientGone);

    upstream.on('response', (upRes) => {
      responded = true;
      clearTimeout(timer);
      if (res.destroyed) {
        upRes.destroy();
        return;
      }
      try {
        res.writeHead(upRes.statusCode ?? 502, pickResponseHeaders(upRes.headers));
      } catch (err) {
        upRes.destroy();
        note(`upstream answered an invalid status ${upRes.statusCode}`);
        sendJson(
          res,
          502,
          unreachable(`OpenSearch at ${displayUrl(url)} answered an invalid response (${errorCode(err)}).`),
        );
        return;
      }
      // Stalled mid-body: the same timeout, measured between chunks.
      let stalled = false;
      const idle = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          stalled = true;
          upRes.destroy(new Error('upstream stalled'));
        }, timeoutMs);
      };
      idle();
      upRes.on('data', idle);
      pipeline(upRes, res, (err) => {
        clearTimeout(timer);
        if (err) {
          const code = errorCode(err);
          note(
            stalled
              ? `upstream stalled mid-response for ${timeoutMs} ms`
              : code === 'ERR_STREAM_PREMATURE_CLOSE'
                ? 'client went away mid-response'
                : `upstream connection lost mid-response (${code})`,
          );
          res.destroy();
        }
      });
    });

    upstream.on('error', (err) => {
      clearTimeout(timer);
      if (responded) return; // the pipeline reports it
      res.off('close', onClientGone);
      if (res.destroyed || res.headersSent) return;
      // A read on a pooled connection the cluster closed while idle: safe to try once more.
      if (!timedOut && closedWhileIdle(upstream, err) && !route.destructive && attempt === 0) {
        forward(req, res, route, call, note, attempt + 1);
        return;
      }
      if (timedOut) {
        note('upstream timeout');
        sendJson(res, 504, tooSlow(url, timeoutMs));
        return;
      }
      note(`upstream unreachable (${errorCode(err)})`);
      cluster.markStale();
      sendJson(res, 502, unreachable(describeUpstreamError(err, url)));
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const rawUrl = req.url ?? '/';
    if (!isMlRequest(rawUrl)) {
      next();
      return;
    }
    const note = logRequest(req, res, log);
    const method = req.method ?? 'GET';
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', API_CONTENT_SECURITY_POLICY);
    // A refused request's body is not read: close the connection after answering rather than drain it.
    const refuse = (status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void => {
      sendJson(res, status, body, hasBody(req) ? { ...headers, connection: 'close' } : headers);
    };
    try {
      const malformed = malformedRequest(req);
      if (malformed) {
        refuse(400, { error: malformed, status: 400 });
        return;
      }
      const decision = checkRoute(method, rawUrl, { readOnly });
      if (!decision.ok) {
        refuse(decision.status, decision.body, decision.allow ? { allow: decision.allow.join(', ') } : {});
        return;
      }
      const csrf = csrfProblem(req);
      if (csrf) {
        refuse(403, { error: csrf, status: 403 });
        return;
      }
      void readBody(req, MAX_BODY_BYTES).then((body) => {
        if (body === 'aborted') {
          note('client aborted the request');
          res.destroy();
          return;
        }
        if (body === 'too-large') {
          sendJson(
            res,
            413,
            { error: `The request body is larger than ${MAX_BODY_BYTES} bytes`, status: 413 },
            { connection: 'close' },
          );
          discardBody(req);
          return;
        }
        const headers: OutgoingHttpHeaders = {};
        if (body.length > 0 || method === 'POST') headers['content-length'] = body.length;
        const contentType = req.headers['content-type'];
        if (body.length > 0 && contentType) headers['content-type'] = contentType;
        const call = { method, path: decision.upstreamPath, headers, body };
        if (
          decision.route.action !== 'tasks/search' ||
          cluster.answersAggregations() ||
          !carriesAggregations(body.toString('utf8'))
        ) {
          forward(req, res, decision.route, call, note);
          return;
        }
        // A cluster that never answers a search with aggregations would hold this one for the whole timeout.
        void cluster.report(SEARCH_WAITS_FOR_DETECTION_MS).then((report) => {
          if (res.destroyed) return;
          if (report.capabilities.aggregationsInSearch) {
            forward(req, res, decision.route, call, note);
            return;
          }
          note('refused: aggregations on a cluster that never answers them');
          sendJson(res, 400, unsupportedError(aggregationsRefusal(report)));
        });
      });
    } catch (err) {
      // Nothing above should throw; if it does, the request fails alone and the gateway stays up.
      note(`gateway error: ${(err as Error).message}`);
      refuse(500, { error: 'The console gateway failed to handle this request', status: 500 });
    }
  }

  /**
   * One allow-listed question of the gateway's own (not a browser's): the status and up to `maxBytes` of the
   * answer, or why there was none.
   */
  function ask(
    path: string,
    body: Buffer | undefined,
    askTimeoutMs: number,
    maxBytes: number,
    retry = true,
  ): Promise<UpstreamAnswer> {
    return new Promise((resolve) => {
      const upstream = open(
        body
          ? {
              method: 'POST',
              path,
              headers: { 'content-type': 'application/json', 'content-length': body.length },
              body,
            }
          : { method: 'GET', path, headers: {}, body: Buffer.alloc(0) },
      );
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        upstream.destroy(new Error('timeout'));
      }, askTimeoutMs);
      upstream.on('response', (upRes) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let complete = true;
        upRes.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= maxBytes) chunks.push(c);
          else complete = false;
        });
        upRes.on('error', () => {
          complete = false;
        });
        upRes.on('close', () => {
          clearTimeout(timer);
          complete &&= upRes.complete;
          resolve({ status: upRes.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), complete });
        });
      });
      upstream.on('error', (err) => {
        clearTimeout(timer);
        // These are reads: on a pooled connection the cluster closed while idle, safe to ask once more.
        if (!timedOut && closedWhileIdle(upstream, err) && retry) {
          resolve(ask(path, body, askTimeoutMs, maxBytes, false));
          return;
        }
        if (!timedOut) cluster.markStale();
        resolve(
          timedOut
            ? { status: 504, error: tooSlow(url, askTimeoutMs).error }
            : { status: 502, error: unreachable(describeUpstreamError(err, url)).error },
        );
      });
    });
  }

  async function probe(): Promise<UpstreamProbe> {
    const started = performance.now();
    const answer = await ask(
      '/_plugins/_ml/tasks/_search',
      Buffer.from('{"size":0,"track_total_hits":false}'),
      Math.min(timeoutMs, PROBE_TIMEOUT_MS),
      4096,
    );
    const latencyMs = Math.round(performance.now() - started);
    if ('error' in answer) return { reachable: false, status: answer.status, error: answer.error, latencyMs };
    const result: UpstreamProbe = { reachable: true, status: answer.status, latencyMs };
    if (answer.status >= 300) {
      let reason = answer.text.trim().slice(0, 300);
      try {
        const json = JSON.parse(answer.text) as { error?: string | { reason?: string } };
        reason = typeof json.error === 'string' ? json.error : (json.error?.reason ?? reason);
      } catch {
        // not JSON: the text itself is the reason
      }
      if (reason) result.reason = reason;
    }
    return result;
  }

  function searchTasks(body: string, searchTimeoutMs: number): Promise<UpstreamAnswer> {
    // The first page cannot wait for a detection; a cluster known never to answer is not asked.
    const known = cluster.current();
    if (known && !known.capabilities.aggregationsInSearch && carriesAggregations(body)) {
      const text = JSON.stringify(unsupportedError(aggregationsRefusal(known)));
      return Promise.resolve({ status: 400, text, complete: true });
    }
    return ask(
      '/_plugins/_ml/tasks/_search',
      Buffer.from(body),
      Math.min(timeoutMs, searchTimeoutMs),
      MAX_ANSWER_BYTES,
    );
  }

  function read(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; timeoutMs: number; maxBytes?: number },
  ): Promise<UpstreamAnswer> {
    const body = method === 'POST' ? Buffer.from(options.body ?? '{}') : undefined;
    return ask(path, body, Math.min(timeoutMs, options.timeoutMs), options.maxBytes ?? MAX_ANSWER_BYTES);
  }

  return {
    handle,
    probe,
    searchTasks,
    read,
    cluster,
    close: () => {
      cluster.close();
      agent.destroy();
    },
  };
}
