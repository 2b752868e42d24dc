// The cluster going away and coming back: the console explains the outage, keeps working, and recovers on retry.
import { expect, test } from '@playwright/test';
import { ownCluster } from './own-cluster';

const cluster = ownCluster({ tasks: 120, seed: 11 });

test('the cluster goes down and comes back', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('tasksTotal')).toHaveText('120 tasks');
  const firstIds = await page.getByTestId('taskId').allTextContents();

  await cluster.stop();
  await page.getByTestId('refreshNow').click();
  const callout = page.getByTestId('requestErrorCallOut');
  // Said once the app's own retries of a cluster it cannot reach (React Query's, a growing pause before each) are over.
  await expect(callout).toContainText('The cluster is unreachable.', { timeout: 30_000 });
  // The last rows stay on screen and the rest of the page keeps working.
  await expect(page.getByTestId('taskId')).toHaveText(firstIds);
  await page.getByTestId('themeSwitch').click();
  await page.getByTestId('themeSwitch').click();

  await cluster.start();
  await callout.getByTestId('retryButton').click();
  await expect(page.getByTestId('requestErrorCallOut')).toHaveCount(0);
  await expect(page.getByTestId('tasksTotal')).toHaveText('120 tasks');
});
