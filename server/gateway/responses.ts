// What the gateway itself answers and logs: its JSON answers, its refusals in OpenSearch's error shape, the policy on
// every proxied answer, and one log line per request.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { printable } from './routes.ts';

/**
 * The policy on every proxied answer: whatever the cluster (or a proxy in front of it) sends, opened as a
 * page it runs nothing and loads nothing, so no answer can become script on the console's origin.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

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
