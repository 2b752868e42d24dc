// The allow-listed proxy to OpenSearch ML Commons: checks each request against the route list, forwards it
// with the configured credentials, and turns upstream failures into JSON the console can explain.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { checkRoute, isMlRequest } from './routes.ts';
import type { MlRoute } from './routes.ts';
import type { GatewayConfig } from './config';
import {
  aggregationsRefusal,
  carriesAggregations,
  createClusterInfo,
  type ClusterInfo,
  type DetectionOptions,
} from './cluster-info.ts';
import { discardBody, hasBody, MAX_BODY_BYTES, readBody } from './request-body.ts';
import { csrfProblem, malformedRequest } from './request-checks.ts';
import { API_CONTENT_SECURITY_POLICY, logRequest, sendJson, unsupportedError } from './responses.ts';
import {
  describeUpstreamError,
  displayUrl,
  errorCode,
  tooSlow,
  unreachable,
  type GatewayErrorBody,
} from './upstream-errors.ts';

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

const DEFAULT_TIMEOUT_MS = 30_000;
/** The health check's question is cheap: a cluster that takes longer than this is not well. */
const PROBE_TIMEOUT_MS = 5_000;

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

/** The request went out on a kept-alive connection that the cluster had closed in the meantime. */
function closedWhileIdle(upstream: http.ClientRequest, err: unknown): boolean {
  return (
    (upstream as http.ClientRequest & { reusedSocket?: boolean }).reusedSocket === true &&
    errorCode(err) === 'ECONNRESET'
  );
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
