// The cluster going away and coming back: the console explains the outage, keeps working, and recovers on retry.
import { expect, test } from '@playwright/test';
import { createStandin, type Standin } from '../server/standin/server';
import { generateTasks } from '../server/standin/seed';
import { VOLATILE_APP_URL, VOLATILE_STANDIN_PORT } from './env';

const tasks = generateTasks(120, 11, Date.now());

async function startCluster(): Promise<Standin> {
  const standin = createStandin({ tasks: structuredClone(tasks) });
  await standin.listen(VOLATILE_STANDIN_PORT, '127.0.0.1');
  return standin;
}

test('the cluster goes down and comes back', async ({ page }) => {
  let cluster = await startCluster();
  try {
    await page.goto(VOLATILE_APP_URL);
    await expect(page.getByTestId('tasksTotal')).toHaveText('120 tasks');
    const firstIds = await page.getByTestId('taskId').allTextContents();

    await cluster.close();
    await page.getByTestId('refreshNow').click();
    const callout = page.getByTestId('requestErrorCallOut');
    await expect(callout).toContainText('The cluster is unreachable.');
    // The last rows stay on screen and the rest of the page keeps working.
    await expect(page.getByTestId('taskId')).toHaveText(firstIds);
    await page.getByTestId('themeSwitch').click();
    await page.getByTestId('themeSwitch').click();

    cluster = await startCluster();
    await callout.getByTestId('retryButton').click();
    await expect(page.getByTestId('requestErrorCallOut')).toHaveCount(0);
    await expect(page.getByTestId('tasksTotal')).toHaveText('120 tasks');
  } finally {
    await cluster.close();
  }
});
