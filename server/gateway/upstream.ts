// The gateway's connections to the cluster, on undici: one bounded pool for the browser's calls and the first screen's
// search, and a separate small one for the gateway's own questions (the health probe, the cluster detection), so
// that those are never queued behind slow searches. Every deadline counts from the call's start, queueing included.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { GatewayErrorBody } from './upstream-errors.ts';
import { describeUpstreamError, errorCode, tooSlow, unreachable } from './upstream-errors.ts';

/** Connections to the cluster for the browser's calls: more calls wait for one, within their own deadline. */
export const UPSTREAM_CONNECTIONS = 64;
/** Connections for the gateway's own questions: the health probe and the detection ask one thing at a time. */
const OWN_CONNECTIONS = 2;
/** An idle connection is kept this long for the next call (the cluster's own Keep-Alive hint may shorten it). */
const KEEP_ALIVE_MS = 30_000;

/** What the cluster answered to one of the gateway's own questions, or why it did not. */
export type UpstreamAnswer =
  | {
      status: number;
      text: string;
      /** False when the answer was cut off or longer than asked for. */ complete: boolean;
    }
  | { status: 502 | 504; error: GatewayErrorBody['error'] };

export interface UpstreamTarget {
  url: URL;
  authorization?: string;
  ca?: Buffer;
  tlsInsecure?: boolean;
}

export interface UpstreamCall {
  method: string;
  /** Path and query under the cluster's URL (its path prefix is added here). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** A read: safe to send once more when the connection closed before any answer. */
  retry: boolean;
}

/** The answer's head, its body still to be read; or why there was none. */
export type Sent =
  | { ok: true; response: Dispatcher.ResponseData }
  | { ok: false; timedOut: boolean; aborted: boolean; error: unknown };

export interface Upstream {
  /**
   * Sends a call on the shared pool: the answer's head within `timeoutMs` of now, then no pause longer than
   * `timeoutMs` between parts of its body (a stalled body errors with UND_ERR_BODY_TIMEOUT). `cancel` abandons it.
   */
  send(call: UpstreamCall, timeoutMs: number, cancel?: AbortSignal): Promise<Sent>;
  /** Sends a call and reads up to `maxBytes` of the answer, all within `timeoutMs`; `own`: on the gateway's pool. */
  ask(
    call: UpstreamCall,
    options: { timeoutMs: number; maxBytes: number; own?: boolean },
  ): Promise<UpstreamAnswer>;
  /** Closes every connection. */
  close(): void;
}

/** The connection closed before any answer: on a pooled connection, the cluster closed it while it was idle. */
function closedBeforeAnswer(err: unknown): boolean {
  return ['ECONNRESET', 'EPIPE'].includes(errorCode(err));
}

export function createUpstream(target: UpstreamTarget): Upstream {
  const url = target.url;
  const prefix = url.pathname.replace(/\/+$/, '');
  const options: Pool.Options = {
    keepAliveTimeout: KEEP_ALIVE_MS,
    connect: {
      ...(target.ca ? { ca: target.ca } : {}),
      rejectUnauthorized: !target.tlsInsecure,
    },
  };
  const shared = new Pool(url.origin, { ...options, connections: UPSTREAM_CONNECTIONS });
  const own = new Pool(url.origin, { ...options, connections: OWN_CONNECTIONS });

  /**
   * One call, settled by whichever comes first: the answer's head, the deadline, or `cancel`. undici acts on an
   * abort only once the call has a connection, so a call still waiting for one would otherwise wait out the
   * slowest search ahead of it; abandoned there, it is dropped unsent when its turn comes.
   */
  async function dispatch(
    pool: Pool,
    call: UpstreamCall,
    timeoutMs: number,
    cancel: AbortSignal | undefined,
    attempt = 0,
  ): Promise<Sent> {
    const started = performance.now();
    const deadline = new AbortController();
    let timedOut = false;
    let stop = (): void => {};
    const stopped = new Promise<'stopped'>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort(new Error('timeout'));
        resolve('stopped');
      }, timeoutMs);
      const onCancel = (): void => resolve('stopped');
      cancel?.addEventListener('abort', onCancel, { once: true });
      stop = () => {
        clearTimeout(timer);
        cancel?.removeEventListener('abort', onCancel);
      };
    });
    const signal = cancel ? AbortSignal.any([deadline.signal, cancel]) : deadline.signal;
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (target.authorization) headers.authorization = target.authorization;
    const request = pool.request({
      method: call.method as Dispatcher.HttpMethod,
      path: prefix + call.path,
      headers,
      body: call.body && call.body.length > 0 ? call.body : null,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    try {
      const first = await Promise.race([request, stopped]);
      if (first !== 'stopped') return { ok: true, response: first };
      // An answer that arrives after all the same is not read.
      request.then(
        (late) => late.body.destroy(),
        () => {},
      );
      return { ok: false, timedOut, aborted: !timedOut, error: new Error(timedOut ? 'timeout' : 'aborted') };
    } catch (error) {
      // undici's own clock for the head runs from when the call got its connection, so it rarely beats ours.
      if (errorCode(error) === 'UND_ERR_HEADERS_TIMEOUT') timedOut = true;
      const aborted = cancel?.aborted === true;
      if (!timedOut && !aborted && call.retry && attempt === 0 && closedBeforeAnswer(error)) {
        stop();
        // Within what is left of the same deadline.
        const left = Math.max(1, timeoutMs - (performance.now() - started));
        return dispatch(pool, call, left, cancel, 1);
      }
      return { ok: false, timedOut, aborted, error };
    } finally {
      stop();
    }
  }

  async function ask(
    call: UpstreamCall,
    { timeoutMs, maxBytes, own: onOwn = false }: { timeoutMs: number; maxBytes: number; own?: boolean },
  ): Promise<UpstreamAnswer> {
    const started = performance.now();
    const sent = await dispatch(onOwn ? own : shared, call, timeoutMs, undefined);
    if (!sent.ok) {
      return sent.timedOut
        ? { status: 504, error: tooSlow(url, timeoutMs).error }
        : { status: 502, error: unreachable(describeUpstreamError(sent.error, url)).error };
    }
    const { statusCode, body } = sent.response;
    // The rest of the deadline for the body.
    const left = Math.max(0, timeoutMs - (performance.now() - started));
    const timer = setTimeout(() => body.destroy(new Error('timeout')), left);
    const chunks: Buffer[] = [];
    let size = 0;
    let complete = true;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          complete = false;
          body.destroy();
          break;
        }
        chunks.push(chunk);
      }
    } catch {
      complete = false;
    } finally {
      clearTimeout(timer);
    }
    return { status: statusCode, text: Buffer.concat(chunks).toString('utf8'), complete };
  }

  return {
    send: (call, timeoutMs, cancel) => dispatch(shared, call, timeoutMs, cancel),
    ask,
    close() {
      void shared.destroy().catch(() => {});
      void own.destroy().catch(() => {});
    },
  };
}
