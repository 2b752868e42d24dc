// Writes the benchmark's baseline page into the console's build, so that the very gateway process serves both: the
// page at /baseline/index.html, its scripts (React's and ReactDOM's UMD production builds as npm ships them, and
// bench/baseline/page.js) under /assets/ with content hashes, long-cached and precompressed as the console's are.
// Nothing is bundled or transformed.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { repoRoot } from './paths';

/** The search bodies the page sends: the console's first page, and the console's view of each state alone. */
export interface BaselineSearches {
  all: unknown;
  byState: Record<string, unknown>;
  /** The aggregation whose buckets are the state counts. */
  stateAggregation: string;
}

export const BASELINE_PATH = '/baseline/index.html';

const require = createRequire(import.meta.url);

/** A file of a package's own tree: React 18 does not export its umd/ folder, so it is found from package.json. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The UMD builds must exist (react 18 ships them; 19 does not): say which file is missing and why it matters. */
function readUmd(pkg: string, file: string): Buffer {
  const path = packageFile(pkg, file);
  try {
    return readFileSync(path);
  } catch {
    const version = (require(`${pkg}/package.json`) as { version: string }).version;
    throw new Error(
      `the baseline needs ${pkg}'s UMD build, ${path}, which ${pkg}@${version} does not ship (React 18 does)`,
    );
  }
}

/** Writes the file and, as the console's build does, its brotli and gzip siblings (the gateway serves those). */
function writeCompressed(path: string, data: Buffer | string): void {
  const bytes = Buffer.from(data);
  writeFileSync(path, bytes);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}

/** Writes `data` as /assets/baseline-<name>-<hash>.js and returns its URL path. */
function writeAsset(distDir: string, name: string, data: Buffer): string {
  const hash = createHash('sha256').update(data).digest('base64url').slice(0, 10);
  const file = `baseline-${name}-${hash}.js`;
  writeCompressed(join(distDir, 'assets', file), data);
  return `/assets/${file}`;
}

/**
 * Writes the baseline page into `distDir` (a console build) and returns its URL path. Its scripts go beside the
 * console's in /assets/, where the gateway serves hashed names as immutable: call this after sizing the console's
 * bundle, which counts every script there.
 */
export function writeBaselinePage(distDir: string, searches: BaselineSearches): string {
  const react = writeAsset(distDir, 'react', readUmd('react', 'umd/react.production.min.js'));
  const reactDom = writeAsset(distDir, 'react-dom', readUmd('react-dom', 'umd/react-dom.production.min.js'));
  const page = writeAsset(distDir, 'page', readFileSync(join(repoRoot, 'bench', 'baseline', 'page.js')));
  // JSON in a data block: not run as a script, so the gateway's CSP (no inline scripts) allows it. `<` is escaped
  // so that no value can close the element.
  const json = JSON.stringify(searches).replace(/</g, '\\u003c');
  const fill: Record<string, string> = {
    '%PAGE%': page,
    '%REACT%': react,
    '%REACT_DOM%': reactDom,
    '%SEARCHES%': json,
  };
  const template = readFileSync(join(repoRoot, 'bench', 'baseline', 'index.html'), 'utf8');
  const html = template
    .replace(/%[A-Z_]+%/g, (key) => {
      const value = fill[key];
      if (value === undefined) throw new Error(`bench/baseline/index.html: unknown placeholder ${key}`);
      return value;
    })
    .replace(/^\s*<!--.*-->\n/gm, '');
  mkdirSync(join(distDir, 'baseline'), { recursive: true });
  writeCompressed(join(distDir, 'baseline', 'index.html'), html);
  return BASELINE_PATH;
}
