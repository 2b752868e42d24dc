// A render worker started from the TypeScript sources (tests, development, the benchmark): through tsx, as the
// app's modules import EUI's files by path and in forms only tsx resolves the same way everywhere. The built
// gateway starts the compiled render-worker.js instead. `workerData.module` may name another renderer module.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData?.module ?? './render-worker.ts', import.meta.url);
