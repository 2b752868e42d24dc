// `npm test`: runs every test (Vitest unit and integration tests, the production check, then Playwright in
// Chromium) and sums them up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });
const vitestJson = `${out}/vitest.json`;
const playwrightJson = `${out}/playwright.json`;
const productionJson = `${out}/production.json`;
for (const report of [vitestJson, playwrightJson, productionJson]) rmSync(report, { force: true });

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests but still fails the run.
  if (vitestStatus !== 0 && v.numFailedTests === 0)
    problems.push('vitest exited with an error (a test file failed to load?)');
} else problems.push('vitest produced no report');

// The deployment recipe: build, a copy installed without dev dependencies, started with plain Node. Each check counts.
const productionStatus = run('npx', ['tsx', 'scripts/check-production.ts', '--report', productionJson]);
const prod = readJson(productionJson);
if (prod) {
  totals.passed += prod.passed;
  totals.failed += prod.failed;
  if (productionStatus !== 0 && prod.failed === 0) problems.push('the production check exited with an error');
} else problems.push('the production check produced no report');

const e2eStatus = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
const p = existsSync(playwrightJson) ? readJson(playwrightJson) : undefined;
if (p?.stats) {
  totals.passed += p.stats.expected + p.stats.flaky;
  totals.failed += p.stats.unexpected;
  totals.skipped += p.stats.skipped;
  if (e2eStatus !== 0 && p.stats.unexpected === 0)
    problems.push('playwright exited with an error (web server failed to start?)');
  for (const title of flakyTitles(p.suites ?? [])) console.warn(`flaky (passed on retry): ${title}`);
} else problems.push('playwright produced no report');

/** The titles of the tests Playwright reports as flaky: failed, then passed on a retry. */
function flakyTitles(suites, path = []) {
  return suites.flatMap((suite) => [
    ...flakyTitles(suite.suites ?? [], [...path, suite.title]),
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.some((t) => t.status === 'flaky')
        ? [[...path, suite.title, spec.title].filter(Boolean).join(' › ')]
        : [],
    ),
  ]);
}

for (const problem of problems) console.error(`test run problem: ${problem}`);
const failed = totals.failed + problems.length;
console.log(
  `\n${totals.passed} passed, ${failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(failed > 0 ? 1 : 0);
