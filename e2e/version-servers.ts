// The consoles of the journeys at older releases: for each release, the built console's gateway, forwarding to that
// release's cluster port, where each spec starts its own stand-in at that release (e2e/own-cluster.ts). One process,
// started by Playwright (see its config).
import { ensureBuild, repoRoot } from '../server/build';
import { loadConfig } from '../server/gateway/config';
import { startGateway } from '../server/gateway/server';
import { OLDER_RELEASES, releaseServers } from './env';

ensureBuild(`${repoRoot}/dist`);
const closers: Array<() => Promise<void>> = [];
for (const [index, version] of OLDER_RELEASES.entries()) {
  const { standinUrl, appUrl } = releaseServers(index);
  const config = loadConfig(
    { PORT: new URL(appUrl).port, OPENSEARCH_URL: standinUrl },
    { distDir: `${repoRoot}/dist` },
  );
  // No cluster there yet: the gateway learns who it is when a spec's stand-in answers.
  const gateway = await startGateway({ ...config, opensearchUrl: new URL(standinUrl) }, () => {});
  closers.push(() => gateway.close());
  console.log(`ML Commons ${version}: console ${appUrl}, for the specs' stand-ins at ${standinUrl}`);
}

const stop = () => void Promise.all(closers.map((close) => close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
