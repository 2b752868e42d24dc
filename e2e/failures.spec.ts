// The failures page in Chromium: failures of three causes, each occurring with different ids, numbers and nodes, make
// exactly three groups with the right counts, and a click on a group shows exactly its tasks.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Source, StoredDoc } from '../server/standin/index-store';
import { clusterNodes } from '../server/standin/seed';
import { ownCluster } from './own-cluster';
import { projectCapabilities } from './standin-client';

const HOUR = 3_600_000;

/** Causes, each with how many tasks fail of it and how one such failure reads. */
const CAUSES = [
  {
    count: 9,
    template: 'Failed to find connector with the provided connector id: <id>',
    task: (i: number, nodes: string[]) => ({
      task_type: 'REGISTER_MODEL',
      function_name: 'REMOTE',
      state: 'FAILED',
      worker_node: [nodes[i % nodes.length]!],
      error: `Failed to find connector with the provided connector id: Wn1LhJABvW3x${String(i).padStart(4, '0')}aK0F`,
    }),
  },
  {
    count: 6,
    template: 'Native Memory Circuit Breaker is open, please check your resources!',
    task: (i: number, nodes: string[]) => ({
      task_type: 'DEPLOY_MODEL',
      function_name: 'TEXT_EMBEDDING',
      state: i % 2 ? 'FAILED' : 'COMPLETED_WITH_ERROR',
      worker_node: nodes.slice(0, 2),
      model_id: `model-${i % 2}`,
      error: JSON.stringify({
        [nodes[i % 2]!]: 'Native Memory Circuit Breaker is open, please check your resources!',
      }),
    }),
  },
  {
    count: 4,
    template: 'timeout after <n> seconds',
    task: (i: number, nodes: string[]) => ({
      task_type: 'TRAINING',
      function_name: 'KMEANS',
      state: 'FAILED',
      worker_node: [nodes[2]!],
      error: `timeout after ${600 + i * 60} seconds`,
    }),
  },
];

ownCluster({
  tasks: 0,
  seed: 4101,
  extra: (now) => {
    const nodes = clusterNodes().map((n) => n.id);
    const tasks: Array<StoredDoc<Source>> = [];
    CAUSES.forEach((cause, c) => {
      for (let i = 0; i < cause.count; i++) {
        const created = now - (c * 10 + i + 1) * HOUR;
        tasks.push({
          _id: `failure-${c}-${i}`,
          _source: {
            ...cause.task(i, nodes),
            create_time: created,
            last_update_time: created + 60_000,
            is_async: true,
          },
        });
      }
    });
    for (let i = 0; i < 12; i++) {
      const created = now - (i + 1) * 2 * HOUR;
      tasks.push({
        _id: `fine-${i}`,
        _source: {
          task_type: 'TRAINING',
          function_name: 'KMEANS',
          state: 'COMPLETED',
          worker_node: [nodes[0]!],
          create_time: created,
          last_update_time: created + 30_000,
          is_async: true,
        },
      });
    }
    return { tasks, models: [] };
  },
});

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
  ).toEqual([]);
}

test('failures of three causes make three groups; a click shows exactly each group’s tasks', async ({
  page,
}) => {
  // COMPLETED_WITH_ERROR exists from 2.5 on; on older releases those deploys are the FAILED ones only.
  const states = projectCapabilities().states;
  const counted = CAUSES.map((c, i) =>
    i === 1 && !states.includes('COMPLETED_WITH_ERROR') ? Math.ceil(c.count / 2) : c.count,
  );
  await page.goto('/failures');
  const rows = page.locator('[data-test-subj^="failureGroup-"]');
  await expect(rows).toHaveCount(3);
  const total = counted.reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('failureGroupsSummary')).toContainText(
    `3 causes among ${total} failed tasks`,
  );

  for (const [i, cause] of CAUSES.entries()) {
    const row = rows.filter({ has: page.getByText(cause.template, { exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('failureGroupCount')).toContainText(String(counted[i]));
  }
  // Node ids show as the nodes' names.
  await expect(page.getByTestId('nodeName').first()).not.toHaveText(clusterNodes()[0]!.id);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/failures-page.png', fullPage: true });

  for (const [i, cause] of CAUSES.entries()) {
    await page.goto('/failures');
    const row = rows.filter({ has: page.getByText(cause.template, { exact: true }) });
    await row.getByTestId('failureGroupShowTasks').click();
    await expect(page).toHaveURL(/[?&]q=failure(:|%3A)[0-9a-f]{12}/);
    await expect(page.getByTestId('tasksTotal')).toHaveText(`${counted[i]} tasks`);
    const ids = await page.getByTestId('taskId').allTextContents();
    expect(ids.every((id) => id.startsWith(`failure-${i}-`))).toBe(true);
    expect(ids).toHaveLength(counted[i]!);
  }
});

test('the failures page keeps the view’s time range and says when nothing failed', async ({ page }) => {
  // Only the newest cause's tasks are in the last 10 hours; the range travels from the tasks page with the tab.
  await page.goto('/?from=now-10h');
  await expect(page.getByTestId('taskId').first()).toBeVisible();
  await page.getByTestId('nav-failures').click();
  await expect(page).toHaveURL(/\/failures\?from=now-10h$/);
  await expect(page.locator('[data-test-subj^="failureGroup-"]')).toHaveCount(1);
  await page.goto('/failures?q=state:COMPLETED');
  await expect(page.getByText('No failed task matches this view.')).toBeVisible();
});

test('the failures page is accessible in the dark theme', async ({ page }) => {
  await page.goto('/failures');
  await expect(page.locator('[data-test-subj^="failureGroup-"]')).toHaveCount(3);
  await page.getByTestId('themeSwitch').click();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/failures-page-dark.png', fullPage: true });
  await page.getByTestId('themeSwitch').click();
});
