// Journeys through the production gateway: the built console on a secured cluster, read-only mode, and the cluster
// going away and coming back. Gateway and stand-in run in this process, on ports of their own.
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ClusterReport } from '../shared/cluster-capabilities';
import { readFailureGroupsWith } from '../shared/failure-scope';
import { renderedPageRequest } from '../shared/first-page';
import { ensureBuild, repoRoot } from '../server/build';
import { loadConfig } from '../server/gateway/config';
import { startGateway, type Gateway } from '../server/gateway/server';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin, type Standin } from '../server/standin/server';
import { holdAppCode, pageBackground } from './page-helpers';

const NOW = Date.now();
const TASKS = generateTasks(150, 21, NOW);
const MODELS = generateModels(TASKS, 21, NOW);
const USER = { username: 'console', password: 'Gateway-Secret-42', role: 'ml_full_access' as const };

async function startCluster(port = 0): Promise<{ standin: Standin; url: string }> {
  const standin = createStandin({ tasks: structuredClone(TASKS), models: MODELS, users: [USER] });
  const url = await standin.listen(port, '127.0.0.1');
  return { standin, url };
}

async function startConsole(clusterUrl: string, env: Record<string, string> = {}): Promise<Gateway> {
  const config = loadConfig(
    {
      PORT: '0',
      OPENSEARCH_URL: clusterUrl,
      OPENSEARCH_USERNAME: USER.username,
      OPENSEARCH_PASSWORD: USER.password,
      ...env,
    },
    { distDir: `${repoRoot}/dist` },
  );
  return startGateway({ ...config, opensearchUrl: new URL(clusterUrl) });
}

test.beforeAll(() => {
  test.setTimeout(120_000);
  ensureBuild(`${repoRoot}/dist`);
});

/** The stale count the tasks page sends beside its view's search (src/triage/stale-queries.ts): no hits, a total. */
function isStaleCount(body: string | null): boolean {
  return body !== null && body.includes('"size":0,"track_total_hits":true');
}

test('the built console works through the gateway on a secured cluster; no credential reaches the browser', async ({
  page,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  try {
    const bodies: string[] = [];
    page.on('response', async (r) => {
      bodies.push(JSON.stringify(r.headers()));
      if (r.url().includes('/_plugins/_ml/')) bodies.push(await r.text().catch(() => ''));
    });
    await page.goto(gateway.url);
    await expect(page.getByTestId('tasksTotal')).toHaveText('150 tasks');
    await page.getByTestId('taskId').first().click();
    await expect(page.getByRole('dialog')).toBeVisible();
    // Every request reached the cluster with the gateway's credentials, none with the browser's.
    const forwarded = standin.requestLog.filter((r) => r.uri.startsWith('/_plugins/_ml/'));
    expect(forwarded.length).toBeGreaterThan(1);
    const basic = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
    expect(new Set(forwarded.map((r) => r.authorization))).toEqual(new Set([basic]));
    for (const text of bodies) {
      expect(text).not.toContain(USER.password);
      expect(text).not.toContain(basic.slice(6));
    }
    // The page is served with the security headers.
    const response = await page.request.get(gateway.url);
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('read-only mode hides deletion and the gateway refuses it', async ({ page }) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url, { CONSOLE_READ_ONLY: 'true' });
  try {
    const finished = TASKS.find((t) => t._source.state === 'COMPLETED')!;
    await page.goto(`${gateway.url}/?task=${finished._id}`);
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(finished._id);
    await expect(dialog.getByRole('button', { name: /Delete/ })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    const refused = await page.request.delete(`${gateway.url}/_plugins/_ml/tasks/${finished._id}`, {
      headers: { 'X-Console-Request': '1' },
    });
    expect(refused.status()).toBe(403);
    expect(standin.requestLog.some((r) => r.method === 'DELETE')).toBe(false);
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('the cluster goes away behind the gateway and comes back', async ({ page }) => {
  let cluster = await startCluster();
  const port = Number(new URL(cluster.url).port);
  // The browser's own first search, without a first screen from the gateway (its journey is the next one).
  const gateway = await startConsole(cluster.url, { CONSOLE_PRERENDER: 'false' });
  try {
    let searches = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/_plugins/_ml/tasks/_search') && !isStaleCount(r.postData())) searches += 1;
    });
    await page.goto(gateway.url);
    await expect(page.getByTestId('tasksTotal')).toHaveText('150 tasks');
    // One search for the page, whichever of the early search and the app's code ran first; the refresh below must
    // ask the cluster again, not get that first answer back.
    expect(searches).toBe(1);
    await cluster.standin.close();
    await page.getByTestId('refreshNow').click();
    const callout = page.getByTestId('requestErrorCallOut');
    // Said once the app's own retries of a cluster it cannot reach (a growing pause before each) are over.
    await expect(callout).toContainText('The cluster is unreachable.', { timeout: 30_000 });
    await expect(page.getByTestId('taskId').first()).toBeVisible();
    cluster = await startCluster(port);
    await callout.getByTestId('retryButton').click();
    await expect(page.getByTestId('requestErrorCallOut')).toHaveCount(0);
    await expect(page.getByTestId('tasksTotal')).toHaveText('150 tasks');
  } finally {
    await gateway.close();
    await cluster.standin.close();
  }
});

/** What a page asks of the cluster (its ML and node calls) from now on, and the errors it reports. */
function watchPage(page: Page): { asked: string[]; errors: string[] } {
  const asked: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/_plugins/') || r.url().includes('/_nodes')) asked.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { asked, errors };
}

/** Opens `url` in a browser that runs no script: what the gateway's page holds by itself. */
async function withoutScript(browser: Browser, url: string, check: (page: Page) => Promise<void>) {
  const still = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = await still.newPage();
    await page.goto(url);
    await check(page);
  } finally {
    await still.close();
  }
}

test('the first screen comes rendered in the page, and the app takes it over without asking again', async ({
  page,
  browser,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  await gateway.firstPages?.ready;
  const rows = (p: typeof page) => p.locator('tr[data-test-subj^="taskRow-"]');
  try {
    // Without any script, the page itself holds the rows, styled.
    const still = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1440, height: 900 },
    });
    const stillPage = await still.newPage();
    await stillPage.goto(gateway.url);
    await expect(stillPage.getByTestId('tasksTotal')).toHaveText('150 tasks');
    await expect(rows(stillPage)).toHaveCount(25);
    await expect(stillPage.getByTestId('column-state').first()).toBeVisible();
    await stillPage.screenshot({ path: 'test-results/first-screen-without-script.png' });
    await still.close();

    // With scripts, the app starts from the page's answer: no search of its own, no error, and it works at once.
    const searches: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/_plugins/_ml/tasks/_search') && !isStaleCount(r.postData()))
        searches.push(r.postData() ?? '');
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const searchesBefore = standin.requestLog.filter((r) => r.uri.includes('/_search')).length;
    await page.goto(gateway.url);
    await expect(rows(page)).toHaveCount(25);
    // The gateway searched for the page; the page itself did not (its stale count aside, which is not the view's).
    expect(standin.requestLog.filter((r) => r.uri.includes('/_search')).length).toBeGreaterThan(
      searchesBefore,
    );
    expect(searches).toEqual([]);
    const firstId = await page.getByTestId('taskId').first().textContent();
    await page.getByTestId('taskId').first().click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    // The only search is the drawer's read of its task (by id: GET would call a batch job's provider).
    expect(searches).toEqual([JSON.stringify({ query: { ids: { values: [firstId] } }, size: 1 })]);

    // A column hidden in the browser stays hidden in the next page the gateway renders.
    await expect(page.getByTestId('column-error').first()).toBeVisible();
    await page.getByTestId('columnPicker').click();
    await page.getByLabel('Error', { exact: true }).uncheck();
    await expect(page.getByTestId('column-error')).toHaveCount(0);
    const next = await page.request.get(gateway.url);
    const html = await next.text();
    expect(html).toContain('data-test-subj="taskRow-');
    expect(html).not.toContain('data-test-subj="column-error"');
    await page.reload();
    await expect(rows(page)).toHaveCount(25);
    await expect(page.getByTestId('column-error')).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('the nodes page comes rendered with its counts, and the app takes it over without asking again', async ({
  page,
  browser,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  await gateway.firstPages?.ready;
  const counted = (p: typeof page) =>
    p.locator('td[data-test-subj="nodeCount-tasks"] a[aria-label*=" on "]').first();
  try {
    // Without any script, the page itself holds every node with its counts.
    await withoutScript(browser, `${gateway.url}/nodes`, async (stillPage) => {
      await expect(stillPage.locator('tr[data-test-subj^="nodeRow-"]').first()).toBeVisible();
      await expect(counted(stillPage)).toHaveText(/\d/);
      // Named from the node list the gateway read with the counts.
      await expect(stillPage.getByTestId('nodeName').first()).toHaveText(/opensearch-/);
      await stillPage.screenshot({ path: 'test-results/nodes-first-screen-without-script.png' });
    });

    // With scripts: no request of the page's own (the node list, the stats, the counts), no error; then names.
    const { asked, errors } = watchPage(page);
    await page.goto(`${gateway.url}/nodes`);
    await expect(counted(page)).toHaveText(/\d/);
    // Nothing was asked for that the page already held.
    await expect(page.getByTestId('nodeName').first()).toHaveText(/opensearch-/);
    await page.waitForFunction(() => performance.getEntriesByName('ml:app-owns-page').length > 0);
    expect(asked).toEqual([]);
    // Refresh asks the cluster again.
    await page.getByTestId('refreshNodes').click();
    await expect.poll(() => asked.some((u) => u.includes('/_nodes'))).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('the failures page comes rendered with its groups, and the app takes it over without asking again', async ({
  page,
  browser,
  request,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  await gateway.firstPages?.ready;
  const rows = (p: Page) => p.locator('tr[data-test-subj^="failureGroup-"]');
  try {
    // The groups as the page itself reads them from the cluster.
    const report = (await (await request.get(`${gateway.url}/console/cluster`)).json()) as ClusterReport;
    const first = renderedPageRequest('/failures', '', report.capabilities);
    if (first?.page !== 'failures') throw new Error('the failures page has no reading on this cluster');
    const authorization = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
    const expected = await readFailureGroupsWith(async (body) => {
      const answer = await request.post(`${url}/_plugins/_ml/tasks/_search`, {
        data: body,
        headers: { authorization },
      });
      expect(answer.status()).toBe(200);
      return (await answer.json()) as never;
    }, first.scope);
    const largest = expected.groups[0]!;
    expect(expected.groups.length).toBeGreaterThan(1);

    // Without any script, the page itself holds the groups, largest first, with their counts and node names.
    await withoutScript(browser, `${gateway.url}/failures`, async (stillPage) => {
      await expect(rows(stillPage)).toHaveCount(Math.min(25, expected.groups.length));
      await expect(rows(stillPage).first()).toHaveAttribute(
        'data-test-subj',
        `failureGroup-${largest.fingerprint}`,
      );
      await expect(stillPage.getByTestId('failureGroupCount').first()).toContainText(String(largest.count));
      await expect(stillPage.getByTestId('failureGroupsSummary')).toContainText(
        `${expected.groups.length} causes among ${expected.read} failed tasks`,
      );
      // Named from the node list the gateway read with the failures (a node that has left shows its id).
      await expect(
        stillPage
          .getByTestId('nodeName')
          .filter({ hasText: /^opensearch-/ })
          .first(),
      ).toBeVisible();
      await stillPage.screenshot({
        path: 'test-results/failures-first-screen-without-script.png',
        fullPage: true,
      });
    });

    // With scripts: the app adopts the groups and reads nothing again, without an error.
    const { asked, errors } = watchPage(page);
    await page.goto(`${gateway.url}/failures`);
    await expect(rows(page).first()).toBeVisible();
    await page.waitForFunction(() => performance.getEntriesByName('ml:app-owns-page').length > 0);
    expect(asked).toEqual([]);
    // The group's tasks, from the ids the gateway read: exactly its tasks on the tasks page.
    await page.getByTestId('failureGroupShowTasks').first().click();
    await expect(page.getByTestId('tasksTotal')).toHaveText(
      `${largest.count} ${largest.count === 1 ? 'task' : 'tasks'}`,
    );
    // The address bar follows the page once its frame is painted; Back leaves from there.
    await expect(page).toHaveURL(/[?&]q=/);
    await page.goBack();
    // Refresh reads the failures again.
    const before = asked.length;
    await page.getByTestId('failureGroupsRefresh').click();
    await expect.poll(() => asked.slice(before).some((u) => u.includes('/_search'))).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('what the user does to the first screen before the app takes it over is carried over', async ({
  page,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  await gateway.firstPages?.ready;
  try {
    // The app's code held back: the page shows the gateway's markup meanwhile.
    const release = await holdAppCode(page);
    const background = () => pageBackground(page);
    await page.goto(gateway.url, { waitUntil: 'commit' });
    await expect(page.getByTestId('tasksTotal')).toHaveText('150 tasks');
    await page.waitForFunction(() => window.__mlEarlyInput !== undefined);
    const light = await background();
    await page.getByTestId('themeSwitch').click();
    await page.getByTestId('queryBar').fill('state:FAILED');
    await page.getByTestId('queryBar').press('Enter');
    // Nothing left the page: the native form submission was held for the app.
    expect(new URL(page.url()).search).toBe('');
    release();
    const failed = TASKS.filter((t) => t._source.state === 'FAILED').length;
    await expect(page.getByTestId('tasksTotal')).toHaveText(`${failed} tasks`);
    await expect(page).toHaveURL(/[?&]q=state(:|%3A)FAILED/);
    await expect(page.getByTestId('queryBar')).toHaveValue('state:FAILED');
    await expect(page.getByTestId('queryBar')).toBeFocused();
    expect(await background()).not.toBe(light);
  } finally {
    await gateway.close();
    await standin.close();
  }
});

test('a first visit from a dark system gets a dark first screen, not one that turns dark', async ({
  playwright,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url);
  await gateway.firstPages?.ready;
  // A system in dark mode, as Chromium sees it (Playwright's own colour-scheme emulation does not reach the hint).
  const launch = test.info().project.use.launchOptions ?? {};
  const browser = await playwright.chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), '--force-dark-mode'],
  });
  try {
    const context = await browser.newContext({ colorScheme: null, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // The app's code held back: what shows is the gateway's markup alone.
    const release = await holdAppCode(page);
    const background = () => pageBackground(page);
    const lightness = (rgb: string) =>
      (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, c) => sum + Number(c), 0) / 3;
    await page.goto(gateway.url, { waitUntil: 'commit' });
    await expect(page.getByTestId('tasksTotal')).toHaveText('150 tasks');
    await expect(page.getByRole('button', { name: 'Switch to the light theme' })).toBeVisible();
    const served = await background();
    expect(lightness(served)).toBeLessThan(100);
    await page.screenshot({ path: 'test-results/first-screen-dark-system.png' });
    release();
    await expect.poll(() => page.evaluate(() => window.__mlEarlyInput)).toBeNull();
    expect(await background()).toBe(served);
  } finally {
    await browser.close();
    await gateway.close();
    await standin.close();
  }
});

test('a cluster that refuses the gateway after the page has started: the app asks and explains', async ({
  page,
}) => {
  const { standin, url } = await startCluster();
  const gateway = await startConsole(url, { OPENSEARCH_PASSWORD: 'Wrong-Secret-1' });
  await gateway.firstPages?.ready;
  try {
    await page.goto(gateway.url);
    // The gateway sent the head before its search was refused, then the plain page: the app searched itself.
    await expect(page.locator('meta[name="ml-first-screen"]')).toHaveCount(1);
    await expect(page.getByTestId('requestErrorCallOut')).toContainText(
      'refused the console’s credentials (401)',
    );
    // Its buttons work: nothing holds their clicks any more.
    await page.getByTestId('themeSwitch').click();
    await expect(page.getByTestId('themeSwitch')).toHaveAttribute('aria-label', 'Switch to the light theme');
  } finally {
    await gateway.close();
    await standin.close();
  }
});
