// Benchmark child: a stand-in with N generated tasks (no live activity, so every run sees the same data).
// Usage: node --import tsx bench/serve-standin.ts --tasks 10000 [--seed 1]
import { parseArgs } from 'node:util';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin } from '../server/standin/server';
import { announceReady, stopWithParent } from './lib/child-main';

const { values } = parseArgs({ options: { tasks: { type: 'string' }, seed: { type: 'string' } } });
const count = Number(values.tasks ?? 10_000);
const seed = Number(values.seed ?? 1);
if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--tasks must be a positive integer`);

const t0 = performance.now();
const now = Date.now();
const tasks = generateTasks(count, seed, now);
const standin = createStandin({ tasks, models: generateModels(tasks, seed, now) });
tasks.length = 0;
const generateMs = Math.round(performance.now() - t0);
const url = await standin.listen(0, '127.0.0.1');
stopWithParent(() => standin.close());
announceReady({ url, tasks: standin.tasks.size, generate_ms: generateMs });
