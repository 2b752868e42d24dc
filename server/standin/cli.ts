// `npm run standin`: starts the stand-in ML Commons cluster on loopback with generated or loaded data.

import { createStandin } from './server';
import { USAGE, UsageError, parseCli } from './cli-options';
import type { CliOptions } from './cli-options';
import { generateModels, generateTasks } from './seed';
import { loadNdjson } from './ndjson';
import { startLiveActivity } from './live';

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(`stand-in: ${e.message}`);
      console.error(USAGE);
      process.exit(e.message ? 2 : 0);
    }
    throw e;
  }
  const now = Date.now();
  const tasks = opts.data
    ? await loadNdjson(opts.data, 'task')
    : generateTasks(opts.tasks, opts.seed, now, opts.version);
  const models = opts.models
    ? await loadNdjson(opts.models, 'model')
    : opts.data
      ? []
      : generateModels(tasks as never, opts.seed, now, opts.version);
  const standin = createStandin({
    tasks,
    models,
    users: opts.users,
    ...(opts.proxy ? { proxy: {} } : {}),
    version: opts.version,
    clusterName: opts.clusterName,
    hidePlugins: opts.hidePlugins,
  });
  const url = await standin.listen(opts.port, opts.host);
  const stopLive = opts.live
    ? startLiveActivity(standin.tasks, {
        seed: opts.seed,
        models: standin.models,
        version: opts.version,
        cluster: standin,
        restartEveryMs: opts.restartEvery * 60_000,
        onRestart: (node, stranded) =>
          console.log(`stand-in: node ${node} restarted, stranding ${stranded.length} task(s)`),
      })
    : undefined;
  console.log(
    `stand-in: ML Commons ${opts.version}, ${standin.tasks.size} tasks, ${standin.models.size} models${opts.live ? ', live activity on' : ''}`,
  );
  console.log(`stand-in listening on ${url}`);
  const stop = (signal: string): void => {
    stopLive?.();
    void standin.close().then(() => {
      console.log(`stand-in stopped (${signal})`);
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') console.error(`stand-in: port already in use (${err.message})`);
  else console.error(`stand-in: ${err.message ?? String(e)}`);
  process.exit(1);
});
