// The servers of the journeys at older releases: for each, a stand-in answering as that release (with the data it
// could hold) and the built console's gateway in front of it. One process, started by Playwright (see its config).
import { ensureBuild, repoRoot } from '../server/build';
import { loadConfig } from '../server/gateway/config';
import { startGateway } from '../server/gateway/server';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin } from '../server/standin/server';
import { OLDER_RELEASES, releaseServers } from './env';

ensureBuild(`${repoRoot}/dist`);
const now = Date.now();
const closers: Array<() => Promise<void>> = [];
for (const [index, version] of OLDER_RELEASES.entries()) {
  const { standinUrl, appUrl } = releaseServers(index);
  // The same data as the newest release's run (300 tasks, seed 7), as this release would have written it.
  const tasks = generateTasks(300, 7, now, version);
  const standin = createStandin({ tasks, models: generateModels(tasks, 7, now, version), version });
  await standin.listen(Number(new URL(standinUrl).port), '127.0.0.1');
  const config = loadConfig(
    { PORT: new URL(appUrl).port, OPENSEARCH_URL: standinUrl },
    { distDir: `${repoRoot}/dist` },
  );
  const gateway = await startGateway({ ...config, opensearchUrl: new URL(standinUrl) }, () => {});
  closers.push(
    () => gateway.close(),
    () => standin.close(),
  );
  console.log(`ML Commons ${version}: stand-in ${standinUrl}, console ${appUrl}`);
}

const stop = () => void Promise.all(closers.map((close) => close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
