// Sizes of the built console: what the first route loads (index.html's script, modulepreloads and styles) versus
// what loads lazily, raw, gzip and brotli. Used by the bundle budget check and by `npm run bench`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Sizes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BundleReport {
  firstRoute: { js: Sizes; css: Sizes; files: string[] };
  lazy: { js: Sizes; css: Sizes };
}

/**
 * The JavaScript budget of the first route, gzip bytes. 400 kB until the triage views: what the tasks page needs of
 * them at once (node names, the stale rules behind `is:stale` and the rows' marks, failure groups behind `failure:`,
 * the timeline's aggregation and placeholder) measured 421 kB with the charts, the thresholds' form and the pages of
 * their own loaded lazily; 404.6 kB once the task table was composed from EUI's table parts (EuiBasicTable now loads
 * with the pages that use it).
 */
export const FIRST_ROUTE_JS_GZIP_BUDGET = 410 * 1024;

const empty = (): Sizes => ({ files: 0, raw: 0, gzip: 0, brotli: 0 });

function add(sizes: Sizes, path: string): void {
  const data = readFileSync(path);
  sizes.files++;
  sizes.raw += data.length;
  // The build writes precompressed siblings for files worth compressing; smaller ones travel as they are.
  sizes.gzip += existsSync(`${path}.gz`)
    ? readFileSync(`${path}.gz`).length
    : gzipSync(data, { level: 9 }).length;
  sizes.brotli += existsSync(`${path}.br`)
    ? readFileSync(`${path}.br`).length
    : brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

/** The assets index.html loads before anything renders: its module script, modulepreloads and stylesheets. */
export function firstRouteAssets(distDir: string): string[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+\.(?:js|css))"/g),
  ].map((m) => m[1]!);
  return [...new Set(refs)];
}

export function bundleReport(distDir: string): BundleReport {
  const first = firstRouteAssets(distDir);
  const report: BundleReport = {
    firstRoute: { js: empty(), css: empty(), files: first },
    lazy: { js: empty(), css: empty() },
  };
  for (const ref of first)
    add(ref.endsWith('.css') ? report.firstRoute.css : report.firstRoute.js, join(distDir, ref));
  const firstSet = new Set(first.map((r) => r.replace(/^\/assets\//, '')));
  for (const name of readdirSync(join(distDir, 'assets'))) {
    if (!/\.(js|css)$/.test(name) || firstSet.has(name)) continue;
    add(name.endsWith('.css') ? report.lazy.css : report.lazy.js, join(distDir, 'assets', name));
  }
  return report;
}

export function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}
