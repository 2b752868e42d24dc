// The console's server: serves the built console through the gateway, in front of OPENSEARCH_URL or, with none set,
// of an embedded stand-in with demo data and live activity. `npm run build` compiles it to dist-server/start.js,
// which `npm start` (scripts/start.mjs) and a deployment run.
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './gateway/config';
import { startGateway } from './gateway/server';
import { generateModels, generateTasks } from './standin/seed';
import { createStandin } from './standin/server';
import { DEFAULT_RESTART_EVERY_MS, startLiveActivity } from './standin/live';

const DEMO_TASKS = 5000;
/** The folder holding dist/: one up from this file, whether it runs as server/start.ts or dist-server/start.js. */
const distDir = fileURLToPath(new URL('../dist', import.meta.url));

async function main(): Promise<void> {
  // The gateway's render workers run React: its production build, not its checks for development. Set before they
  // start (each takes a copy of the environment).
  process.env.NODE_ENV ??= 'production';
  let config;
  try {
    config = loadConfig(process.env, { distDir });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }

  const stops: Array<() => Promise<void> | void> = [];
  let opensearchUrl = config.opensearchUrl;
  if (!opensearchUrl) {
    const now = Date.now();
    // STANDIN_VERSION (checked by loadConfig): the ML Commons release the stand-in answers as, and its data.
    const version = config.standinVersion;
    const tasks = generateTasks(DEMO_TASKS, 1, now, version);
    const standin = createStandin({ tasks, models: generateModels(tasks, 1, now, version), version });
    const url = await standin.listen(Number(process.env.STANDIN_PORT ?? 0), '127.0.0.1');
    // Nodes restart now and then, stranding what they held, so the stale view has something real to find.
    const stopLive = startLiveActivity(standin.tasks, {
      seed: 1,
      models: standin.models,
      version,
      cluster: standin,
      restartEveryMs: DEFAULT_RESTART_EVERY_MS,
      onRestart: (node, stranded) =>
        console.log(`stand-in: node ${node} restarted, stranding ${stranded.length} task(s)`),
    });
    stops.push(stopLive, () => standin.close());
    opensearchUrl = new URL(url);
    console.log(
      `No OPENSEARCH_URL: using the stand-in at ${url} (ML Commons ${standin.profile.version}, ${DEMO_TASKS} demo tasks, live activity).`,
    );
  }
  const gateway = await startGateway({ ...config, opensearchUrl }, (line) => console.log(line));
  stops.unshift(() => gateway.close());
  console.log(`ML Tasks Console on ${gateway.url}${config.readOnly ? ' (read-only)' : ''}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})…`);
    void Promise.all(stops.map((s) => s())).then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err.code === 'EADDRINUSE'
      ? `The port is already in use: ${err.message}`
      : `Start-up failed: ${err.message ?? String(e)}`,
  );
  process.exit(1);
});
