// The console's two builds, made with Vite when missing or older than their sources: the browser's (dist/) and the
// server's (dist-server/: the gateway, the stand-in and the server renderer as plain JavaScript).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const COMMON_INPUTS = ['src', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json'];
const CLIENT_INPUTS = [
  ...COMMON_INPUTS,
  'public',
  'index.html',
  'scripts/vite-precompress.ts',
  'scripts/vite-early-search.ts',
];
const SERVER_INPUTS = [...COMMON_INPUTS, 'server'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stats.mtimeMs);
}

/** Runs `vite build` with `args` when `output` is missing or older than any of `inputs`. */
function buildWhenStale(output: string, inputs: string[], args: string[], what: string): void {
  const builtAt = newestMtime(output);
  const sourcesAt = Math.max(...inputs.map((p) => newestMtime(join(repoRoot, p))));
  if (builtAt > sourcesAt) return;
  console.log(builtAt ? `The ${what} changed since its last build: building…` : `Building the ${what}…`);
  const result = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'vite'),
    ['build', ...args, '--logLevel', 'warn'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      // Test runners set NODE_ENV=test, which would give React's and Emotion's development builds.
      // Vite 8 warns about config imports a future loader will not resolve; they resolve with today's.
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  if (result.status !== 0) throw new Error(`the ${what} build failed (see above)`);
}

/** Builds the browser's console when dist/index.html is missing or older than anything it is built from. */
export function ensureBuild(distDir: string): void {
  buildWhenStale(join(distDir, 'index.html'), CLIENT_INPUTS, [], 'console');
}

/** Builds the server (dist-server/start.js) when missing or older than anything it is built from. */
export function ensureServerBuild(): void {
  buildWhenStale(join(repoRoot, 'dist-server', 'start.js'), SERVER_INPUTS, ['--ssr'], 'server');
}
