// Playwright: end-to-end specs in Chromium against the Vite dev server (proxying to a seeded stand-in at the newest
// release), and the operator journeys again against stand-ins at older releases through the built gateway.
import { defineConfig, devices } from '@playwright/test';
import {
  APP_PORT,
  APP_URL,
  OLDER_RELEASES,
  STANDIN_PORT,
  STANDIN_URL,
  VOLATILE_APP_URL,
  VOLATILE_STANDIN_PORT,
  releaseServers,
} from './e2e/env';
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
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  // One retry in CI, where a loaded machine can stretch a timing; a test that needed it is listed as flaky in the
  // summary (scripts/test-all.mjs), to be fixed, not forgotten.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
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
    // The operator journeys, unchanged, against each older release, through the built console's gateway.
    ...OLDER_RELEASES.map((release, index) => ({
      name: `ml-commons-${release}`,
      testMatch: /(console|tasks-table)\.spec\.ts$/,
      use: { ...browser, baseURL: releaseServers(index).appUrl },
      metadata: { release, standinUrl: releaseServers(index).standinUrl },
    })),
  ],
  webServer: [
    {
      command: `npm run standin -- --host 127.0.0.1 --port ${STANDIN_PORT} --tasks 300 --seed 7`,
      // Not a URL: a GET on _search without a body is a 400, which Playwright would not count as ready.
      port: STANDIN_PORT,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      command: `npx vite --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: `${APP_URL}/`,
      env: { OPENSEARCH_URL: STANDIN_URL },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx vite --host 127.0.0.1 --port ${new URL(VOLATILE_APP_URL).port} --strictPort`,
      url: `${VOLATILE_APP_URL}/`,
      env: { OPENSEARCH_URL: `http://127.0.0.1:${VOLATILE_STANDIN_PORT}` },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'npx tsx e2e/version-servers.ts',
      // Its last console answers once every release's servers are up (it builds the console first, when stale).
      url: `${releaseServers(OLDER_RELEASES.length - 1).appUrl}/console/config`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
