// Every release, from the console's side: on an empty cluster of each, the table reads as empty, a missing task and a
// missing model read as missing, a model the user may not read as forbidden, whatever form the release answers in.
import { expect, test } from '@playwright/test';
import { ensureBuild, repoRoot } from '../server/build';
import { loadConfig } from '../server/gateway/config';
import { startGateway, type Gateway } from '../server/gateway/server';
import { createStandin, type Standin } from '../server/standin/server';
import { NEWEST_RELEASE, isAtLeast, parseRelease } from '../shared/ml-releases';
import { OLDER_RELEASES } from './env';

const RELEASES = [...OLDER_RELEASES, NEWEST_RELEASE];

test.beforeAll(() => {
  test.setTimeout(120_000);
  ensureBuild(`${repoRoot}/dist`);
});

for (const release of RELEASES) {
  test.describe(`ML Commons ${release}`, () => {
    let standin: Standin;
    let gateway: Gateway;

    test.beforeAll(async () => {
      // No task has ever been written (no task index); one model, hidden from the console's user.
      standin = createStandin({
        version: release,
        tasks: [],
        models: [{ _id: 'hidden-model', _source: { name: 'Private model', is_hidden: true } }],
      });
      const url = await standin.listen(0, '127.0.0.1');
      const config = loadConfig({ PORT: '0', OPENSEARCH_URL: url }, { distDir: `${repoRoot}/dist` });
      gateway = await startGateway({ ...config, opensearchUrl: new URL(url) }, () => {});
    });

    test.afterAll(async () => {
      await gateway.close();
      await standin.close();
    });

    test('an empty cluster reads as empty; missing things as missing', async ({ page }) => {
      await page.goto(gateway.url);
      await expect(page.getByTestId('clusterBadge')).toContainText(`ML Commons ${release}`);
      await expect(
        page.getByRole('heading', { name: /^No tasks (yet|for this model)$/ }).first(),
      ).toBeVisible();
      await expect(page.getByTestId('requestErrorCallOut')).toHaveCount(0);

      await page.goto(`${gateway.url}/?task=no-such-task`);
      await expect(page.getByRole('dialog')).toContainText('Task no-such-task was not found');

      await page.goto(`${gateway.url}/models/no-such-model`);
      await expect(page.getByTestId('modelNotFound')).toContainText('no longer exists');
      await expect(
        page.getByRole('heading', { name: /^No tasks (yet|for this model)$/ }).first(),
      ).toBeVisible();
    });

    test('a model the user may not read says so', async ({ page }) => {
      await page.goto(`${gateway.url}/models/hidden-model`);
      // Before 2.8 ML Commons had no model access control: every model could be read.
      if (isAtLeast(parseRelease(release)!, '2.8.0')) {
        await expect(page.getByTestId('modelForbidden')).toContainText('cannot be shown');
      } else {
        await expect(page.getByTestId('modelName')).toHaveText('Private model');
      }
    });
  });
}
