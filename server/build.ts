// The console's production build: made with Vite when missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BUILD_INPUTS = [
  'src',
  'shared',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'scripts/vite-precompress.ts',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stats.mtimeMs);
}

/** Builds with Vite when dist/index.html is missing or older than anything it is built from. */
export function ensureBuild(distDir: string): void {
  const builtAt = newestMtime(join(distDir, 'index.html'));
  const sourcesAt = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(repoRoot, p))));
  if (builtAt > sourcesAt) return;
  console.log(builtAt ? 'The console changed since its last build: building…' : 'Building the console…');
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
    // Test runners set NODE_ENV=test, which would give React's and Emotion's development builds.
    // Vite 8 warns about config imports a future loader will not resolve; they resolve with today's.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (result.status !== 0) throw new Error('the console build failed (see above)');
}
