// Playwright: end-to-end specs in Chromium against the Vite dev server (newest release), and the operator journeys
// again against older releases through the built gateway.
//
// Each spec owns its data. The consoles below are started once and outlive the specs; the clusters behind them are
// not: each spec starts its own stand-in with its own seed on the port its project's console forwards to, and stops it
// when it ends (e2e/own-cluster.ts; gateway.spec.ts and releases.spec.ts start console and cluster both). With one
// worker the specs take turns on that port, so one spec's deletions cannot move another's counts.
import { defineConfig, devices } from '@playwright/test';
import { APP_PORT, APP_URL, OLDER_RELEASES, STANDIN_URL, releaseServers } from './e2e/env';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium';

const executablePath = chromiumPath();

const browser = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1440, height: 900 },
  launchOptions: {
    ...(executablePath ? { executablePath } : {}),
    args: CHROMIUM_ARGS,
  },
};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  // One: the specs take turns on their project's cluster port (see above).
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  // One retry in CI, where a loaded machine can stretch a timing; a test that needed it is listed as flaky in the
  // summary (scripts/test-all.mjs), to be fixed, not forgotten.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  // Caps, not speed checks: on a loaded two-core machine the dev server's first page of a spec can take 20 s and a
  // re-render seconds; every wait is for a condition, so a generous cap costs nothing when things are quick.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: APP_URL,
    // EUI and the app mark elements with data-test-subj.
    testIdAttribute: 'data-test-subj',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // Every journey, against the newest release, through the Vite dev server.
      name: 'chromium',
      use: browser,
    },
    // The operator journeys and the triage journeys, unchanged, against each older release, through the
    // built console's gateway.
    ...OLDER_RELEASES.map((release, index) => ({
      name: `ml-commons-${release}`,
      testMatch: /(console|tasks-table|failures|stale|triage)\.spec\.ts$/,
      use: { ...browser, baseURL: releaseServers(index).appUrl },
      metadata: { release, standinUrl: releaseServers(index).standinUrl },
    })),
  ],
  webServer: [
    {
      // The newest release's console; the cluster behind it is each spec's own (nothing listens there in between).
      command: `npx vite --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: `${APP_URL}/`,
      env: { OPENSEARCH_URL: STANDIN_URL },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'npx tsx e2e/version-servers.ts',
      // Its last console answers once every release's console is up (it builds the console first, when stale).
      url: `${releaseServers(OLDER_RELEASES.length - 1).appUrl}/console/config`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
