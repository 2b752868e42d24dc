// The allow-listed proxy to OpenSearch ML Commons: checks each request against the route list, forwards it
// with the configured credentials, and turns upstream failures into JSON the console can explain.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { checkRoute, isMlRequest } from './routes.ts';
import type { GatewayConfig } from './config';
import {
  aggregationsRefusal,
  carriesAggregations,
  createClusterInfo,
  type ClusterInfo,
  type DetectionOptions,
} from './cluster-info.ts';
import { createBodyBudget, DEFAULT_LIMITS, type BodyBudget } from './load-limits.ts';
import { discardBody, hasBody, MAX_BODY_BYTES, readBody } from './request-body.ts';
import { csrfProblem, malformedRequest } from './request-checks.ts';
import { checkSearchBody } from './search-body-check.ts';
import { API_CONTENT_SECURITY_POLICY, logRequest, sendJson, unsupportedError } from './responses.ts';
import {
  describeUpstreamError,
  displayUrl,
  errorCode,
  tooSlow,
  unreachable,
  type GatewayErrorBody,
} from './upstream-errors.ts';
import { createUpstream, type UpstreamAnswer, type UpstreamCall } from './upstream.ts';

export type { UpstreamAnswer } from './upstream.ts';

export interface ProxyTarget {
  url: URL;
  authorization?: string;
  ca?: Buffer;
  tlsInsecure?: boolean;
  timeoutMs?: number;
  readOnly?: boolean;
  /** The budget for request bodies being read, shared with the server's other parts, and the longest pause in one. */
  bodies?: { budget: BodyBudget; idleMs: number };
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
    options: {
      body?: string;
      timeoutMs: number;
      maxBytes?: number;
      /**
       * On the browsers' pool, as a page's own request would go: for the first screen's reads, which come with page
       * loads (the gateway's own two connections stay free for the health probe and the detection).
       */
      forPage?: boolean;
    },
  ): Promise<UpstreamAnswer>;
  /** Who the cluster is and what it can do, learnt over this proxy's own connections. */
  cluster: ClusterInfo;
  /** Closes the pooled upstream connections. */
  close(): void;
}

/** The routes whose body is a search, checked against what the console sends before it is forwarded. */
const SEARCHES = new Set(['tasks/search', 'models/search']);

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

/** Creates the proxy with its own connection pools (see upstream.ts). */
export function createMlProxyHandler(target: ProxyTarget, log?: (line: string) => void): MlProxy {
  const url = target.url;
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readOnly = target.readOnly ?? false;
  const upstream = createUpstream(target);
  const bodies = target.bodies ?? {
    budget: createBodyBudget(DEFAULT_LIMITS.maxBufferedBytes),
    idleMs: DEFAULT_LIMITS.bodyIdleMs,
  };
  const cluster = createClusterInfo({ read }, { ...target.detection, ...(log ? { log } : {}) });

  /** Forwards a browser's call and streams the answer back; failures before any answer become JSON. */
  async function forward(
    res: ServerResponse,
    call: UpstreamCall,
    note: (text: string) => void,
  ): Promise<void> {
    const clientGone = new AbortController();
    const onClientGone = (): void => {
      if (!res.writableFinished) clientGone.abort();
    };
    res.once('close', onClientGone);
    const sent = await upstream.send(call, timeoutMs, clientGone.signal);
    if (!sent.ok) {
      res.off('close', onClientGone);
      if (sent.aborted || res.destroyed || res.headersSent) return;
      if (sent.timedOut) {
        note('upstream timeout');
        sendJson(res, 504, tooSlow(url, timeoutMs));
        return;
      }
      note(`upstream unreachable (${errorCode(sent.error)})`);
      cluster.markStale();
      sendJson(res, 502, unreachable(describeUpstreamError(sent.error, url)));
      return;
    }
    const { statusCode, headers, body } = sent.response;
    if (res.destroyed) {
      body.destroy();
      return;
    }
    try {
      res.writeHead(statusCode, pickResponseHeaders(headers));
    } catch (err) {
      body.destroy();
      note(`upstream answered an invalid status ${statusCode}`);
      sendJson(
        res,
        502,
        unreachable(`OpenSearch at ${displayUrl(url)} answered an invalid response (${errorCode(err)}).`),
      );
      return;
    }
    pipeline(body, res, (err) => {
      res.off('close', onClientGone);
      if (!err) return;
      const code = errorCode(err);
      note(
        code === 'UND_ERR_BODY_TIMEOUT'
          ? `upstream stalled mid-response for ${timeoutMs} ms`
          : code === 'ERR_STREAM_PREMATURE_CLOSE' || clientGone.signal.aborted
            ? 'client went away mid-response'
            : `upstream connection lost mid-response (${code})`,
      );
      res.destroy();
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
      // A body read whole stays in the budget until the call is over, so bodies waiting for a slow cluster count
      // too; the response may close before the read is handed over.
      let held = 0;
      let closed = false;
      res.once('close', () => {
        closed = true;
        bodies.budget.give(held);
      });
      void readBody(req, { limit: MAX_BODY_BYTES, ...bodies }).then(async (body) => {
        if (Buffer.isBuffer(body)) {
          if (closed) bodies.budget.give(body.length);
          else held = body.length;
        }
        if (body === 'aborted') {
          note('client aborted the request');
          res.destroy();
          return;
        }
        if (body === 'busy') {
          note('refused: request bodies over budget');
          sendJson(
            res,
            503,
            {
              error: 'The console gateway is reading too many request bodies at once; try again in a moment',
              status: 503,
            },
            { connection: 'close', 'retry-after': '1' },
          );
          discardBody(req);
          return;
        }
        if (body === 'idle') {
          note(`refused: the body stopped arriving for ${bodies.idleMs} ms`);
          sendJson(
            res,
            408,
            { error: `The request body stopped arriving for ${bodies.idleMs} ms`, status: 408 },
            { connection: 'close' },
          );
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
        const headers: Record<string, string> = {};
        const contentType = req.headers['content-type'];
        if (body.length > 0 && contentType) headers['content-type'] = contentType;
        let forwarded = body;
        if (SEARCHES.has(decision.route.action) && body.length > 0) {
          const checked = checkSearchBody(body, contentType);
          if (!checked.ok) {
            // The log says that, never what: the body is the user's.
            note('refused: search body');
            sendJson(res, checked.status, { error: checked.error, status: checked.status });
            return;
          }
          forwarded = checked.body;
        }
        const call: UpstreamCall = {
          method,
          path: decision.upstreamPath,
          headers,
          body: forwarded,
          // A read on a pooled connection the cluster closed while idle: safe to send once more.
          retry: !decision.route.destructive,
        };
        if (
          decision.route.action !== 'tasks/search' ||
          cluster.answersAggregations() ||
          !carriesAggregations(forwarded.toString('utf8'))
        ) {
          await forward(res, call, note);
          return;
        }
        // A cluster that never answers a search with aggregations would hold this one for the whole timeout.
        const report = await cluster.report(SEARCH_WAITS_FOR_DETECTION_MS);
        if (res.destroyed) return;
        if (report.capabilities.aggregationsInSearch) {
          await forward(res, call, note);
          return;
        }
        note('refused: aggregations on a cluster that never answers them');
        sendJson(res, 400, unsupportedError(aggregationsRefusal(report)));
      });
    } catch (err) {
      // Nothing above should throw; if it does, the request fails alone and the gateway stays up.
      note(`gateway error: ${(err as Error).message}`);
      refuse(500, { error: 'The console gateway failed to handle this request', status: 500 });
    }
  }

  /** One question of the gateway's own (not a browser's), with its credentials. */
  async function ask(
    path: string,
    body: string | undefined,
    options: { timeoutMs: number; maxBytes: number; own: boolean },
  ): Promise<UpstreamAnswer> {
    const answer = await upstream.ask(
      body === undefined
        ? { method: 'GET', path, retry: true }
        : {
            method: 'POST',
            path,
            headers: { 'content-type': 'application/json' },
            body: Buffer.from(body),
            retry: true,
          },
      options,
    );
    if ('error' in answer && answer.status === 502) cluster.markStale();
    return answer;
  }

  async function probe(): Promise<UpstreamProbe> {
    const started = performance.now();
    const answer = await ask('/_plugins/_ml/tasks/_search', '{"size":0,"track_total_hits":false}', {
      timeoutMs: Math.min(timeoutMs, PROBE_TIMEOUT_MS),
      maxBytes: 4096,
      own: true,
    });
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
    // On the browser's pool: the first page is one of the page's searches, and gives up when its time is up.
    return ask('/_plugins/_ml/tasks/_search', body, {
      timeoutMs: Math.min(timeoutMs, searchTimeoutMs),
      maxBytes: MAX_ANSWER_BYTES,
      own: false,
    });
  }

  function read(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; timeoutMs: number; maxBytes?: number; forPage?: boolean },
  ): Promise<UpstreamAnswer> {
    return ask(path, method === 'POST' ? (options.body ?? '{}') : undefined, {
      timeoutMs: Math.min(timeoutMs, options.timeoutMs),
      maxBytes: options.maxBytes ?? MAX_ANSWER_BYTES,
      own: options.forPage !== true,
    });
  }

  return {
    handle,
    probe,
    searchTasks,
    read,
    cluster,
    close: () => {
      cluster.close();
      upstream.close();
    },
  };
}
