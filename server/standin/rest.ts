// REST plumbing shared by the stand-in's routes: body and content-type checks, URL parameters, JSON output
// with `pretty` and `filter_path`, and error rendering, all as OpenSearch's RestController does them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenSearchError, PlainHttpError, illegalArgument, notSupportedByStandin } from './errors';

/** URL parameters every OpenSearch REST handler accepts; anything else is refused. */
export const COMMON_PARAMS = new Set([
  'pretty',
  'human',
  'error_trace',
  'filter_path',
  'format',
  'source',
  'source_content_type',
]);

export interface RestRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The URI as received, query string included (OpenSearch quotes it in "no handler" errors). */
  uri: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body, or undefined when the request had none. */
  body: string | undefined;
}

export async function readRequest(req: IncomingMessage, maxBytes = 100 * 1024 * 1024): Promise<RestRequest> {
  const uri = req.url ?? '/';
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new PlainHttpError(413, { error: 'request body is too large', status: 413 });
    chunks.push(chunk as Buffer);
  }
  const body = size > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
  return {
    method: req.method ?? 'GET',
    path,
    uri,
    params: new URLSearchParams(q === -1 ? '' : uri.slice(q + 1)),
    headers: req.headers,
    body,
  };
}

/** Refuses unknown URL parameters the way OpenSearch does. */
export function checkParams(req: RestRequest, extra: readonly string[] = []): void {
  // Listed in sorted order, as OpenSearch collects them in a TreeSet.
  const unknown = [...new Set(req.params.keys())]
    .filter((k) => !COMMON_PARAMS.has(k) && !extra.includes(k))
    .sort();
  if (unknown.length === 0) return;
  const list = unknown.map((k) => `[${k}]`).join(', ');
  throw illegalArgument(
    `request [${req.path}] contains unrecognized parameter${unknown.length > 1 ? 's' : ''}: ${list}`,
  );
}

/** The media type of a Content-Type value, or undefined for one OpenSearch reads as no XContent at all. */
function xContentType(header: string): string | undefined {
  const mime = header.split(';')[0]!.trim().toLowerCase();
  // Newline-delimited JSON parses as JSON.
  if (mime === 'application/json' || mime === 'application/x-ndjson') return 'json';
  if (['application/yaml', 'application/cbor', 'application/smile'].includes(mime)) {
    throw notSupportedByStandin(`request bodies of type [${mime}]`);
  }
  return undefined;
}

/** The content-type rules RestController applies to any request that carries a body. */
export function checkContentType(req: RestRequest): void {
  if (req.body === undefined) return;
  const header = req.headers['content-type'];
  if (!header) throw new PlainHttpError(406, { error: 'Content-Type header is missing', status: 406 });
  if (xContentType(header)) return;
  throw new PlainHttpError(406, { error: `Content-Type header [${header}] is not supported`, status: 406 });
}

/**
 * A search body from the request body or the `source` parameter; OpenSearch requires one. The parameter
 * needs `source_content_type` beside it: RestRequest fails with an IllegalStateException (a 500) otherwise.
 */
export function requireBody(req: RestRequest): string {
  const raw = req.body ?? req.params.get('source') ?? undefined;
  if (raw === undefined || raw.trim() === '') {
    throw new OpenSearchError(400, 'parse_exception', 'request body or source parameter is required');
  }
  if (req.body === undefined) {
    const type = req.params.get('source_content_type');
    if (type === null) {
      throw new OpenSearchError(
        500,
        'illegal_state_exception',
        'source and source_content_type parameters are required',
      );
    }
    if (!xContentType(type))
      throw new OpenSearchError(
        500,
        'illegal_state_exception',
        `Unknown value for source_content_type [${type}]`,
      );
  }
  return raw;
}

/**
 * Finds the first syntax error (or duplicate key, which OpenSearch's strict parser refuses) in a JSON text.
 * V8's own messages often carry no position, and Jackson's carry line and column.
 */
function findJsonFault(raw: string): { pos: number; message?: string } | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < raw.length && ' \t\n\r'.includes(raw[i]!)) i++;
  };
  const fail = (message?: string): never => {
    throw { pos: i, message };
  };
  const string = (): string => {
    const start = ++i;
    while (i < raw.length && raw[i] !== '"') {
      if (raw[i] === '\\') i++;
      else if (raw.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= raw.length) fail();
    return raw.slice(start, i++);
  };
  const value = (): void => {
    ws();
    const ch = raw[i];
    if (ch === '{') {
      i++;
      ws();
      const keys = new Set<string>();
      if (raw[i] === '}') return void i++;
      for (;;) {
        ws();
        if (raw[i] !== '"') fail('was expecting double-quote to start field name');
        const keyAt = i;
        const key = string();
        if (keys.has(key)) {
          i = keyAt;
          fail(`Duplicate field '${key}'`);
        }
        keys.add(key);
        ws();
        if (raw[i] !== ':') fail('was expecting a colon to separate field name and value');
        i++;
        value();
        ws();
        if (raw[i] === ',') i++;
        else if (raw[i] === '}') return void i++;
        else fail('was expecting comma to separate Object entries');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (raw[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (raw[i] === ',') i++;
        else if (raw[i] === ']') return void i++;
        else fail('was expecting comma to separate Array entries');
      }
    }
    if (ch === '"') return void string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      raw.slice(i, i + 400),
    );
    if (!literal)
      fail("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    i += literal![0].length;
  };
  try {
    value();
    ws();
    if (i < raw.length) fail('expected end of input');
    return undefined;
  } catch (e) {
    return e as { pos: number; message?: string };
  }
}

/** Parses JSON, failing with Jackson-style `json_parse_exception` and the line and column of the fault. */
export function parseJson(raw: string): unknown {
  const fault = findJsonFault(raw);
  if (!fault) return JSON.parse(raw);
  const { pos } = fault;
  const before = raw.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const what = fault.message?.startsWith('Duplicate field')
    ? fault.message
    : pos >= raw.length
      ? 'Unexpected end-of-input'
      : `Unexpected character ('${raw[pos]}' (code ${raw.charCodeAt(pos)}))${fault.message ? `: ${fault.message}` : ''}`;
  const preview = raw.length > 500 ? `${raw.slice(0, 500)}"[truncated ${raw.length - 500} chars]` : `${raw}"`;
  throw new OpenSearchError(
    400,
    'json_parse_exception',
    `${what}\n at [Source: (byte[])"${preview}; line: ${line}, column: ${column}]`,
  );
}

export function rejectBody(req: RestRequest): void {
  if (req.body !== undefined) {
    throw illegalArgument(`request [${req.method} ${req.path}] does not support having a body`);
  }
}

/**
 * A `filter_path` pattern's segments, split on dots; `\.` is a dot inside a segment, so that a flat key such as
 * `plugins.ml_commons.ml_task_timeout_in_seconds` can be named (OpenSearch's FilterPath.parse).
 */
function filterSegments(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && pattern[i + 1] === '.') {
      current += '.';
      i++;
    } else if (ch === '.') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Keeps only the paths `filter_path` names (`*` one level, `**` any depth, `-` to exclude). */
export function applyFilterPath(value: unknown, filterPath: string | null): unknown {
  if (!filterPath) return value;
  const patterns = filterPath
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const includes = patterns.filter((p) => !p.startsWith('-')).map(filterSegments);
  const excludes = patterns.filter((p) => p.startsWith('-')).map((p) => filterSegments(p.slice(1)));
  const segMatch = (pattern: string, key: string): boolean =>
    pattern === '*' ||
    new RegExp(
      `^${pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(key);
  // Returns the patterns still open after consuming `key`; an empty pattern means "matched fully".
  const advance = (list: string[][], key: string): string[][] =>
    list.flatMap((p) => {
      if (p.length === 0) return [p];
      if (p[0] === '**') return [p, ...(p.length > 1 && segMatch(p[1]!, key) ? [p.slice(2)] : [])];
      return segMatch(p[0]!, key) ? [p.slice(1)] : [];
    });
  const walk = (v: unknown, inc: string[][], exc: string[][]): unknown => {
    if (exc.some((p) => p.length === 0)) return undefined;
    if (includes.length > 0 && inc.length === 0) return undefined;
    const fullyIncluded = includes.length === 0 || inc.some((p) => p.length === 0);
    if (Array.isArray(v)) {
      const items = v.map((item) => walk(item, inc, exc)).filter((item) => item !== undefined);
      return items.length || fullyIncluded ? items : undefined;
    }
    if (typeof v !== 'object' || v === null) return fullyIncluded ? v : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const r = walk(child, fullyIncluded ? [[]] : advance(inc, k), advance(exc, k));
      if (r !== undefined) out[k] = r;
    }
    return Object.keys(out).length || fullyIncluded ? out : undefined;
  };
  return walk(value, includes, excludes) ?? {};
}

export function sendJson(
  req: RestRequest,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const format = req.params.get('format');
  if (format && format !== 'json') {
    const err = notSupportedByStandin(`the response format [${format}]`);
    return sendJson({ ...req, params: new URLSearchParams() }, res, err.status, err.toBody());
  }
  const filtered = applyFilterPath(body, req.params.get('filter_path'));
  const pretty = req.params.has('pretty') && req.params.get('pretty') !== 'false';
  const text = pretty ? `${JSON.stringify(filtered, null, 2)}\n` : JSON.stringify(filtered);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

export function sendError(req: RestRequest, res: ServerResponse, err: unknown): void {
  if (err instanceof OpenSearchError) return sendJson(req, res, err.status, err.toBody());
  if (err instanceof PlainHttpError) {
    if (typeof err.body === 'string') {
      res.writeHead(err.status, { 'content-type': 'text/plain; charset=UTF-8', ...err.headers });
      res.end(err.body);
      return;
    }
    return sendJson(req, res, err.status, err.body, err.headers);
  }
  // Anything else is a bug in the stand-in: answer like a node that hit an unexpected exception.
  const failure = new OpenSearchError(500, 'exception', (err as Error)?.message ?? String(err));
  return sendJson(req, res, 500, failure.toBody());
}
