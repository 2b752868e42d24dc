// `npm start`: runs the built server (dist-server/start.js), the same JavaScript a deployment runs. In a source
// checkout it first builds the console and the server when either is missing or older than its sources.
import { existsSync } from 'node:fs';

const builder = new URL('../server/build.ts', import.meta.url);
if (existsSync(builder)) {
  // Only a source checkout has the sources, and tsx with its dev dependencies.
  const { tsImport } = await import('tsx/esm/api');
  const { ensureBuild, ensureServerBuild, repoRoot } = await tsImport(builder.href, import.meta.url);
  ensureBuild(`${repoRoot}/dist`);
  ensureServerBuild();
}
await import('../dist-server/start.js');
