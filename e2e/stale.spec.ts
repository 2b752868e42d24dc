// Stale tasks in Chromium: tasks stranded by a node that left, a batch job nobody polls and an agent run that never
// ended show as stale with their rule; a node restart strands what it held, and the console then says so.
import { expect, test } from '@playwright/test';
import type { Source, StoredDoc } from '../server/standin/index-store';
import { clusterNodes, departedNodeId } from '../server/standin/seed';
import { ownCluster } from './own-cluster';
import { staleCapabilitiesOf } from '../shared/stale-rules';
import { projectCapabilities } from './standin-client';

const MINUTE = 60_000;

const cluster = ownCluster({
  tasks: 0,
  seed: 4202,
  extra: (now) => {
    const [a, b] = clusterNodes().map((n) => n.id);
    const task = (id: string, minutesAgo: number, source: Record<string, unknown>): StoredDoc<Source> => ({
      _id: id,
      _source: {
        is_async: true,
        create_time: now - minutesAgo * MINUTE,
        last_update_time: now - minutesAgo * MINUTE + 1_000,
        ...source,
      },
    });
    return {
      tasks: [
        // Running on node a a few minutes: held, fine until a restarts.
        task('on-a-running', 3, {
          task_type: 'REGISTER_MODEL',
          function_name: 'TEXT_EMBEDDING',
          state: 'RUNNING',
          worker_node: [a],
        }),
        task('on-a-created', 4, {
          task_type: 'TRAINING',
          function_name: 'KMEANS',
          state: 'CREATED',
          worker_node: [a],
        }),
        task('on-b-running', 3, {
          task_type: 'REGISTER_MODEL',
          function_name: 'TEXT_EMBEDDING',
          state: 'RUNNING',
          worker_node: [b],
        }),
        // Its only worker left the cluster.
        task('on-departed', 90, {
          task_type: 'TRAINING',
          function_name: 'KMEANS',
          state: 'RUNNING',
          worker_node: [departedNodeId()],
        }),
        // Finished tasks are never stale.
        task('done', 120, {
          task_type: 'TRAINING',
          function_name: 'KMEANS',
          state: 'COMPLETED',
          worker_node: [a],
        }),
      ],
      models: [],
    };
  },
});

const staleRows = (page: import('@playwright/test').Page) =>
  page.locator('[data-test-subj^="taskRow-"]').filter({ has: page.getByTestId('staleBadge') });

test('a task whose worker left shows as stale with that reason; is:stale shows only the stale', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('staleCount')).toHaveText('1 stale task: will never finish');
  const row = page.getByTestId('taskRow-on-departed');
  await expect(row.getByTestId('staleBadge')).toHaveAttribute('data-rule', 'worker-left');
  await expect(row.getByTestId('staleBadge')).toContainText('Worker left the cluster');
  await expect(staleRows(page)).toHaveCount(1);

  await page.getByTestId('staleCount').click();
  await expect(page).toHaveURL(/[?&]q=is(:|%3A)stale/);
  await expect(page.getByTestId('tasksTotal')).toHaveText('1 task');
  await expect(page.getByTestId('taskId')).toHaveText(['on-departed']);
});

test('a node restart strands what it held: held by no node, explained in the drawer', async ({ page }) => {
  const stranded = cluster.standin.restartNode(clusterNodes()[0]!.id).sort();
  expect(stranded).toEqual(['on-a-created', 'on-a-running']);

  await page.goto('/?q=is:stale');
  await expect(page.getByTestId('tasksTotal')).toHaveText('3 tasks');
  for (const id of stranded) {
    await expect(page.getByTestId(`taskRow-${id}`).getByTestId('staleBadge')).toHaveAttribute(
      'data-rule',
      'held-by-no-node',
    );
  }
  await expect(page.getByTestId('taskRow-on-b-running')).toHaveCount(0);

  await page.getByTestId('taskRow-on-a-running').getByTestId('taskId').click();
  const explanation = page.getByTestId('staleExplanation');
  await expect(explanation).toContainText('Held by no node');
  // RUNNING: DELETE refuses it (2.6+), and the next step says what then.
  if (projectCapabilities().runningDeleteRefused) {
    await expect(page.getByTestId('staleNextStep')).toContainText(/running/i);
  }
  await page.screenshot({ path: 'test-results/stale-drawer.png' });
});

test('the rules’ thresholds can be edited, and the cluster’s sources are named', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('staleCount')).toBeEnabled();
  await page.getByTestId('staleRules').click();
  const timeout = page.getByTestId('staleThreshold-taskTimeoutSeconds');
  // The stand-in's cluster answers its own timeout (600 s by default); 2.4 has no such setting, so the default rules.
  await expect(timeout).toHaveValue('600');
  const hasTimeout = staleCapabilitiesOf(projectCapabilities()).taskTimeout;
  await expect(
    page.getByText(hasTimeout ? 'From the cluster’s settings.' : 'ML Commons’ default.').first(),
  ).toBeVisible();
  await page.keyboard.press('Escape');
});
