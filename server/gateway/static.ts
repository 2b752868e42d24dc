// Serves the built console from its dist directory: long-cached hashed assets, precompressed variants,
// the client-route fallback to index.html, and no way out of the directory.
//
// Not sirv (3.x, weighed for issue 13): it would replace only sendFile's ~60 lines, and with it a symlink inside
// dist that leads out of it is served (its start-up file list follows links) and `Accept-Encoding: br;q=0` still
// gets brotli (it matches the substring), both refused by static.test.ts; If-None-Match with a list or `*` gets no
// 304, and it overwrites the Vary the first screen sets. Its file list is also fixed at start, so a console built
// after the gateway started stays missing. The method, API-path and JSON-error checks here would stay either way.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendJson } from './responses';
import { printable } from './routes';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Vite names built assets `<name>-<hash>.<ext>` with an 8-character base64url hash. */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Whether an Accept-Encoding header accepts a coding (q > 0), explicitly or through `*`. */
export function acceptsEncoding(header: string | undefined, coding: string): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === coding) return accepted;
    if (name === '*') wildcard = accepted;
  }
  return wildcard;
}

async function fileStat(path: string): Promise<Stats | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

function notFound(res: ServerResponse, path: string): void {
  sendJson(res, 404, { error: `No such file: [${printable(path)}]`, status: 404 });
}

export interface StaticFiles {
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createStaticFiles(distDir: string): StaticFiles {
  const root = resolve(distDir);
  let realRoot: string | undefined;

  async function inside(file: string): Promise<boolean> {
    // Symlinks inside dist must not lead out of it.
    try {
      realRoot ??= await realpath(root);
      const real = await realpath(file);
      return real.startsWith(realRoot + sep);
    } catch {
      return false;
    }
  }

  async function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    info: Stats,
    cacheControl: string,
  ): Promise<void> {
    const headers: OutgoingHttpHeaders = {
      'content-type': contentTypeOf(file),
      'cache-control': cacheControl,
    };
    let served = file;
    let servedInfo = info;
    let encoding: string | undefined;
    const accept = req.headers['accept-encoding'];
    const variants = [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const;
    let hasVariant = false;
    for (const [coding, suffix] of variants) {
      const variant = await fileStat(file + suffix);
      if (!variant) continue;
      hasVariant = true;
      if (!encoding && acceptsEncoding(accept, coding) && (await inside(file + suffix))) {
        served = file + suffix;
        servedInfo = variant;
        encoding = coding;
      }
    }
    // Added to what the response varies on already (the tasks page also varies on what its first screen reads).
    if (hasVariant) headers.vary = addVary(res.getHeader('vary'), 'Accept-Encoding');
    if (encoding) headers['content-encoding'] = encoding;
    const etag = `W/"${servedInfo.size.toString(16)}-${Math.floor(servedInfo.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    headers.etag = etag;
    headers['last-modified'] = servedInfo.mtime.toUTCString();
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers['content-length'] = servedInfo.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(served);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const method = req.method ?? 'GET';
    if (!rawUrl.startsWith('/')) {
      sendJson(res, 400, {
        error: `The request target must be a path, not [${printable(rawUrl)}]`,
        status: 400,
      });
      return;
    }
    const rawPath = rawUrl.split(/[?#]/, 1)[0]!;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      sendJson(res, 400, {
        error: `The path [${printable(rawPath)}] is not valid percent-encoding`,
        status: 400,
      });
      return;
    }
    // OpenSearch API paths (`/_cluster/...`, `/.plugins-ml-task/...`) are never pages: say so in JSON.
    if (/^\/[_.]/.test(rawPath) || /^\/[_.]/.test(path)) {
      sendJson(res, 404, {
        error: `The console's gateway does not forward [${printable(method, 20)} ${printable(rawPath)}]: not one of the calls the console makes`,
        status: 404,
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(
        res,
        405,
        {
          error: `Incorrect HTTP method [${printable(method, 20)}] for a page of the console, allowed: [GET, HEAD]`,
          status: 405,
        },
        { allow: 'GET, HEAD' },
      );
      return;
    }
    // No dot segments, hidden files, backslashes or NULs, decoded or not: nothing outside dist is reachable.
    const segments = path.split('/');
    if (segments.some((s) => s.startsWith('.')) || /[\\\0]/.test(path) || rawPath.includes('//')) {
      notFound(res, rawPath);
      return;
    }
    const file = resolve(root, `.${path}`);
    if (file.startsWith(root + sep) && !path.endsWith('/')) {
      const info = await fileStat(file);
      if (info && (await inside(file))) {
        const cache = HASHED_ASSET.test(path) ? IMMUTABLE : 'no-cache';
        await sendFile(req, res, file, info, cache);
        return;
      }
    }
    if (path.startsWith('/assets/')) {
      notFound(res, rawPath);
      return;
    }
    // A client route: the app's router decides what to show.
    const index = resolve(root, 'index.html');
    const info = await fileStat(index);
    if (!info) {
      sendJson(res, 503, {
        error: 'The console is not built yet: its index.html is missing (run npm run build)',
        status: 503,
      });
      return;
    }
    await sendFile(req, res, index, info, 'no-cache');
  }

  return { serve };
}

/** A Vary header with `name` added to the one already set, once. */
export function addVary(current: number | string | string[] | undefined, name: string): string {
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.some((n) => n.toLowerCase() === name.toLowerCase())
    ? names.join(', ')
    : [...names, name].join(', ');
}
