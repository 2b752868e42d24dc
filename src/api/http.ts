// The one fetch wrapper: JSON in and out, abortable, and every failure turned into a typed error.
import { classifyError, type Classified, type Operation } from '../../shared/error-meaning';
import { readErrorBody } from '../../shared/opensearch-error';
import type { OpenSearchErrorCause } from '../../shared/ml-types';

export type { Operation } from '../../shared/error-meaning';

/** OpenSearch (or the proxy in front of it) answered with a non-2xx status, or with a body that is not JSON. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status of the response. */
  readonly status: number;
  /** OpenSearch's error type, e.g. `status_exception`; for bodies without one, derived from the status (`unauthorized`). */
  readonly type: string;
  /** The human-readable reason, as OpenSearch wrote it. */
  readonly reason: string;
  /** `error.root_cause`, empty when the body has none. */
  readonly rootCause: OpenSearchErrorCause[];
  /** `error.caused_by`, when present. */
  readonly causedBy: OpenSearchErrorCause | undefined;
  /** The response body as received: parsed JSON when it was JSON, otherwise the text. */
  readonly body: unknown;
  /** What the console asked for; the same answer means different things to a search and to a GET. */
  readonly operation: Operation;

  constructor(init: {
    status: number;
    type: string;
    reason: string;
    rootCause?: OpenSearchErrorCause[];
    causedBy?: OpenSearchErrorCause;
    body: unknown;
    operation?: Operation;
  }) {
    super(`[${init.status}] ${init.type}: ${init.reason}`);
    this.status = init.status;
    this.type = init.type;
    this.reason = init.reason;
    this.rootCause = init.rootCause ?? [];
    this.causedBy = init.causedBy;
    this.body = init.body;
    this.operation = init.operation ?? 'other';
  }

  /** What the answer means, whichever ML Commons release wrote it (shared/error-meaning.ts). */
  get classified(): Classified {
    return classifyError(this, this.operation);
  }
}

/**
 * The request never got an OpenSearch answer: the console's own server/proxy could not be reached
 * (`where: 'proxy'`), or it was reached but could not reach the cluster (`where: 'cluster'`, a
 * 502/503/504 whose body is not an OpenSearch error).
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly where: 'proxy' | 'cluster';
  /** The proxy's status when it answered (`where: 'cluster'`). */
  readonly status: number | undefined;

  constructor(message: string, where: 'proxy' | 'cluster', options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.where = where;
    this.status = options?.status;
  }
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Builds the typed error for a non-2xx response from its status and body text, whatever form the body
 * takes (see readErrorBody).
 */
export function parseErrorResponse(
  status: number,
  bodyText: string,
  contentType = '',
  statusText = '',
  operation: Operation = 'other',
): ApiError {
  return new ApiError({ ...readErrorBody(status, bodyText, contentType, statusText), operation });
}

export interface RequestOptions {
  /** Serialised as JSON and sent with `Content-Type: application/json`. */
  body?: unknown;
  signal?: AbortSignal;
  /** What the request is for, so that its error can be classified. */
  operation?: Operation;
}

// By name: a DOMException is not always an `Error`, and test environments may carry two DOMException classes.
function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Sends one request to a same-origin path. Throws `NetworkError` when no answer came back, and lets an abort
 * through untouched (React Query expects it).
 */
export async function sendRequest(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Response> {
  // The gateway refuses a write that carries neither a same-origin Origin nor this header (cross-site forgery).
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Console-Request': '1' };
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;
  try {
    return await fetch(path, init);
  } catch (error) {
    if (isAbort(error) || options.signal?.aborted) throw error;
    throw new NetworkError(
      `The console’s server could not be reached (is it running?): no response to ${method} ${path}`,
      'proxy',
      { cause: error },
    );
  }
}

/**
 * Reads an answer as JSON. Throws `ApiError` on any non-2xx answer or a 2xx answer that is not JSON, and
 * `NetworkError` when the answer came from a proxy that could not reach OpenSearch or the connection dropped.
 */
export async function readJson<T>(
  response: Response,
  method: string,
  path: string,
  signal?: AbortSignal,
  operation: Operation = 'other',
): Promise<T> {
  const contentType = response.headers.get('content-type') ?? '';
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw error;
    throw new NetworkError(`The connection dropped while reading the answer to ${method} ${path}`, 'proxy', {
      cause: error,
    });
  }

  if (!response.ok) {
    const apiError = parseErrorResponse(response.status, text, contentType, response.statusText, operation);
    // OpenSearch itself always answers with a JSON error; a bare 502/503/504 comes from a proxy that could not
    // reach it, and the console's gateway says so with a `gateway_…` error of its own.
    const fromGateway = apiError.type.startsWith('gateway_');
    if (GATEWAY_STATUSES.has(response.status) && (typeof apiError.body === 'string' || fromGateway)) {
      throw new NetworkError(
        `The console’s proxy could not reach OpenSearch (${apiError.reason})`,
        'cluster',
        { status: response.status, cause: apiError },
      );
    }
    throw apiError;
  }

  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      type: 'invalid_response',
      reason: `Expected JSON from ${method} ${path} but got ${contentType || 'a body without a content type'}`,
      body: text,
      operation,
    });
  }
}

/** Only failures that may pass on their own are worth retrying; a 400 or 403 will fail the same way again. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (!(error instanceof ApiError)) return false;
  const { meaning } = error.classified;
  return meaning === 'overloaded' || meaning === 'timeout';
}

/** Sends one request to a same-origin path and returns the parsed JSON body (see sendRequest and readJson). */
export async function requestJson<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await sendRequest(method, path, options);
  return readJson<T>(response, method, path, options.signal, options.operation);
}
