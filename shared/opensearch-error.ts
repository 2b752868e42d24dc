// OpenSearch's error answers, in every form they come: the structured `{error:{root_cause,type,reason,caused_by}}`,
// `{"error":"…","status":N}`, `{"error":"no handler found…"}`, or plain text (401 `Unauthorized`, a 408 search
// timeout, a proxy's page). One reader for the browser, the gateway and check-cluster.
import type { OpenSearchErrorCause } from './ml-types';
import { isObject, parseJsonOrUndefined } from './json';

/** What an error answer says, whatever its form. */
export interface ErrorBody {
  status: number;
  /** OpenSearch's error type, e.g. `status_exception`; for bodies without one, derived from the status (`unauthorized`). */
  type: string;
  /** The human-readable reason, as OpenSearch wrote it. */
  reason: string;
  /** `error.root_cause`, empty when the body has none. */
  rootCause: OpenSearchErrorCause[];
  /** `error.caused_by`, when present. */
  causedBy?: OpenSearchErrorCause;
  /** The body as received: parsed JSON when it was JSON, otherwise the text. */
  body: unknown;
}

const STATUS_TYPES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

// A proxy's HTML error page or a huge text body is no use as a one-line reason.
const MAX_TEXT_REASON = 500;

function statusType(status: number): string {
  return STATUS_TYPES[status] ?? `http_${status}`;
}

function toCause(value: unknown): OpenSearchErrorCause | undefined {
  if (!isObject(value)) return undefined;
  const { type, reason } = value;
  if (typeof type !== 'string' && typeof reason !== 'string') return undefined;
  const cause: OpenSearchErrorCause = {
    ...value,
    type: typeof type === 'string' ? type : 'exception',
    // OpenSearch omits `reason` on some exceptions (e.g. a bare NullPointerException): say so rather than print "null".
    reason: typeof reason === 'string' ? reason : '(no reason given)',
  };
  const causedBy = toCause(value.caused_by);
  if (causedBy) cause.caused_by = causedBy;
  else delete cause.caused_by;
  if (Array.isArray(value.root_cause)) {
    cause.root_cause = value.root_cause
      .map(toCause)
      .filter((c): c is OpenSearchErrorCause => c !== undefined);
  }
  return cause;
}

function fallbackReason(status: number, statusText: string): string {
  return statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
}

function textReason(text: string, contentType: string, status: number, statusText: string): string {
  const trimmed = text.trim();
  if (!trimmed || /html/i.test(contentType) || /^<(!doctype|html)/i.test(trimmed)) {
    return fallbackReason(status, statusText);
  }
  return trimmed.length > MAX_TEXT_REASON ? `${trimmed.slice(0, MAX_TEXT_REASON)}…` : trimmed;
}

/** Reads an error answer's status and body text into its type, reason and causes. */
export function readErrorBody(
  status: number,
  bodyText: string,
  contentType = '',
  statusText = '',
): ErrorBody {
  const json = parseJsonOrUndefined(bodyText);

  if (isObject(json) && 'error' in json) {
    const { error } = json;
    if (typeof error === 'string')
      return { status, type: statusType(status), reason: error, rootCause: [], body: json };
    const cause = toCause(error);
    if (cause) {
      return {
        status,
        type: cause.type,
        reason: cause.reason,
        rootCause: cause.root_cause ?? [],
        ...(cause.caused_by ? { causedBy: cause.caused_by } : {}),
        body: json,
      };
    }
  }

  if (json !== undefined) {
    // JSON, but not an error shape we know: keep all of it for the details view.
    return {
      status,
      type: statusType(status),
      reason: fallbackReason(status, statusText),
      rootCause: [],
      body: json,
    };
  }

  return {
    status,
    type: statusType(status),
    reason: textReason(bodyText, contentType, status, statusText),
    rootCause: [],
    body: bodyText,
  };
}
