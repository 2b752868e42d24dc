// Checks on a browser's request before anything of it is forwarded: requests no browser sends, and writes that may
// come from another site.
import type { IncomingMessage } from 'node:http';
import { printable } from './routes.ts';

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
