// The tasks page in Chromium shows the stand-in's newest tasks, in the cluster's order.
import { expect, test } from '@playwright/test';
import type { MlTask, SearchResponse } from '../shared/ml-types';
import { ownCluster } from './own-cluster';
import { standinUrl } from './standin-client';

const TASKS = 280;
ownCluster({ tasks: TASKS, seed: 8 });

const FIRST_PAGE_BODY = { size: 25, sort: [{ create_time: { order: 'desc' } }], track_total_hits: true };

test('the task table lists the cluster’s newest tasks in order', async ({ page, request }) => {
  const response = await request.post(`${standinUrl()}/_plugins/_ml/tasks/_search`, {
    data: FIRST_PAGE_BODY,
  });
  expect(response.status()).toBe(200);
  const search = (await response.json()) as SearchResponse<MlTask>;
  const expectedIds = search.hits.hits.map((hit) => hit._id);
  expect(expectedIds).toHaveLength(25);
  // The spec's own cluster: every task it was given is there.
  const total = search.hits.total!.value;
  expect(total).toBe(TASKS);

  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await page.goto('/');
  await expect(page.getByRole('link', { name: 'ML Tasks Console' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();

  const table = page.getByTestId('tasksTable');
  const idCells = table.getByTestId('taskId');
  await expect(idCells).toHaveText(expectedIds);
  await expect(page.getByTestId('tasksTotal')).toHaveText(`${total} tasks`);

  // The first row shows the first hit's fields, not just its id.
  const first = search.hits.hits[0]!._source;
  const firstRow = table.locator('tbody tr').first();
  for (const value of [first.task_type, first.state]) {
    if (typeof value === 'string') await expect(firstRow).toContainText(value);
  }

  await expect(page.getByTestId('requestErrorCallOut')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
