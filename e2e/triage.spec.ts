// The timeline and the nodes in Chromium: brushing the timeline sets the time range and the URL, a state in its
// legend filters, node names replace ids, the nodes page counts what the cluster holds; axe in light and dark.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { clusterNodes, departedNodeId } from '../server/standin/seed';
import { ownCluster } from './own-cluster';
import { allTasks, projectCapabilities } from './standin-client';

ownCluster({ tasks: 600, seed: 4303 });

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
  ).toEqual([]);
}

/** The timeline open (it remembers its state in a cookie), its chart drawn. */
async function openTimeline(page: Page) {
  const toggle = page.getByTestId('timelineToggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(page.getByTestId('timelineChart').locator('canvas').first()).toBeVisible();
}

test('brushing the timeline sets the time range and the URL; a state in its legend filters', async ({
  page,
}) => {
  test.skip(!projectCapabilities().aggregationsInSearch, 'this release cannot count tasks over time');
  await page.goto('/?from=now-7d');
  await openTimeline(page);
  const canvas = page.getByTestId('timelineChart').locator('canvas').first();
  const box = (await canvas.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 8 });
  await page.mouse.up();
  // Absolute bounds, snapped to whole bars, inside the week shown.
  await expect(page).toHaveURL(/[?&]from=\d{4}-\d{2}-\d{2}T[^&]+&to=\d{4}-\d{2}-\d{2}T/);
  const url = new URL(page.url());
  const from = Date.parse(url.searchParams.get('from')!);
  const to = Date.parse(url.searchParams.get('to')!);
  expect(to).toBeGreaterThan(from);
  expect(from).toBeGreaterThan(Date.now() - 7 * 86_400_000 - 3_600_000);
  expect(to).toBeLessThanOrEqual(Date.now() + 3_600_000);

  await page.getByTestId('timelineState-FAILED').click();
  await expect(page).toHaveURL(/[?&]q=state(:|%3A)FAILED/);
  await expect(page.getByTestId('timelineState-FAILED')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: 'test-results/timeline.png' });
});

test('durations per task type are read from the newest finished tasks', async ({ page }) => {
  await page.goto('/');
  await openTimeline(page).catch(() => undefined);
  const durations = page.getByTestId('durations');
  await expect(durations).toBeVisible();
  await expect(page.getByTestId('durationsSample')).toContainText(/finished tasks/i);
});

test('node names replace node ids in the table and the drawer, with the id on hover', async ({
  page,
  request,
}) => {
  const tasks = await allTasks(request);
  // A task whose first worker is in the cluster (2.4's tasks ran on nodes since replaced: none may be).
  const current = new Set(clusterNodes().map((n) => n.id));
  const firstWorker = (t: (typeof tasks)[number]) => {
    const w = t._source.worker_node;
    return (Array.isArray(w) ? w : typeof w === 'string' ? w.split(',') : [])[0];
  };
  const onANode = tasks.find((t) => current.has(firstWorker(t) ?? ''));
  test.skip(!onANode, 'no task of this release’s data ran on a node still in the cluster');
  const nodeId = firstWorker(onANode!)!;
  // Quoted: an id may start with "-", which the query bar reads as "not".
  await page.goto(`/?q=${encodeURIComponent(`"${onANode!._id}"`)}`);
  const cell = page.getByTestId(`taskRow-${onANode!._id}`).getByTestId('workerNodes');
  // The name shows; the id is on hover (title) and for screen readers.
  await expect(cell).toContainText(/^opensearch-/, { timeout: 15_000 });
  // A deploy's workers may be one comma-joined string (2.4): then the names come first and the ids, in order, after.
  await expect(cell).toHaveAttribute('title', new RegExp(`^opensearch-[^(]+ \\(${nodeId}[,)]`));
  await page.getByTestId(`taskRow-${onANode!._id}`).getByTestId('taskId').click();
  const name = page.getByTestId('taskFlyout').getByTestId('nodeName').first();
  await expect(name).toHaveAttribute('data-node-id', nodeId);
  await expect(name).not.toHaveText(nodeId);
});

test('the nodes page counts each node’s tasks and marks the node that left', async ({ page, request }) => {
  const tasks = await allTasks(request);
  const node = clusterNodes()[0]!.id;
  const touching = tasks.filter((t) => {
    const w = t._source.worker_node;
    return (Array.isArray(w) ? w : typeof w === 'string' ? w.split(',') : []).includes(node);
  }).length;
  await page.goto('/nodes');
  const row = page.getByTestId(`nodeRow-${node}`);
  await expect(row.getByTestId('nodeCount-tasks')).toContainText(touching.toLocaleString('en-US'));
  const departed = departedNodeId();
  if (tasks.some((t) => JSON.stringify(t._source.worker_node ?? '').includes(departed))) {
    await expect(page.getByTestId(`nodeRow-${departed}`).getByTestId('nodeColumn-inCluster')).toContainText(
      /no/i,
    );
  }
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: 'test-results/nodes-page.png', fullPage: true });
  // One click from a count to exactly those tasks.
  await row.getByTestId('nodeCount-tasks').getByRole('link').click();
  await expect(page.getByTestId('tasksTotal')).toHaveText(`${touching} tasks`);
});

/** Each triage view, loaded to the point where its content is on screen. */
const VIEWS: Array<[string, (page: Page) => Promise<void>]> = [
  [
    '/?from=now-7d',
    async (page) => {
      await expect(page.getByTestId('taskId').first()).toBeVisible();
      await openTimeline(page).catch(() => undefined);
    },
  ],
  [
    '/failures',
    // Up to a thousand failures read and grouped: on a loaded machine, more than the default wait.
    (page) =>
      expect(page.getByTestId('failureGroupsSummary')).not.toContainText('Reading', { timeout: 30_000 }),
  ],
  ['/nodes', (page) => expect(page.locator('[data-test-subj^="nodeRow-"]').first()).toBeVisible()],
];

for (const dark of [false, true]) {
  test(`the triage views are accessible in the ${dark ? 'dark' : 'light'} theme`, async ({ page }) => {
    test.setTimeout(180_000);
    if (dark) {
      await page.goto('/nodes');
      await page.getByTestId('themeSwitch').click();
    }
    for (const [path, ready] of VIEWS) {
      await page.goto(path);
      await ready(page);
      await expectNoSeriousA11yViolations(page);
    }
    await page.goto('/?from=now-7d');
    await VIEWS[0]![1](page);
    await page.screenshot({ path: `test-results/timeline-${dark ? 'dark' : 'light'}.png` });
    if (dark) await page.getByTestId('themeSwitch').click();
  });
}
