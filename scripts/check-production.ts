// The deployment recipe, checked: build, copy the build with package.json and the lockfile to an empty folder,
// `npm ci --omit=dev` there, start the built server with plain Node and use it, against its embedded stand-in and
// against a cluster URL. Each check counts as a test in `npm test` (scripts/test-all.mjs).
// Usage: npx tsx scripts/check-production.ts [--report test-results/production.json]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuild, ensureServerBuild, repoRoot } from '../server/build';

const { values } = parseArgs({ options: { report: { type: 'string' } } });
const STARTUP_MS = 120_000;

interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}
const checks: Check[] = [];

async function check(name: string, run: () => Promise<void> | void): Promise<boolean> {
  try {
    await run();
    checks.push({ name, ok: true });
    console.log(`  ✓ ${name}`);
    return true;
  } catch (e) {
    const detail = (e as Error).message;
    checks.push({ name, ok: false, detail });
    console.log(`  ✗ ${name}\n      ${detail.replace(/\n/g, '\n      ')}`);
    return false;
  }
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The environment of a fresh deployment: none of the caller's cluster settings, no NODE_ENV, no dev tooling. */
function deploymentEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) env[name] = process.env[name];
  return { ...env, HOST: '127.0.0.1', PORT: '0', ...extra };
}

interface Running {
  url: string;
  standinUrl: string | undefined;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `node dist-server/start.js` in `dir`; resolves with its URL once it says where it serves. */
function startServer(dir: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const proc: ChildProcess = spawn(process.execPath, ['dist-server/start.js'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 10_000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`not serving after ${STARTUP_MS} ms:\n${output}`));
    }, STARTUP_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const served = /ML Tasks Console on (http:\/\/\S+)/.exec(output);
      if (!served) return;
      clearTimeout(timer);
      resolve({
        url: served[1]!,
        standinUrl: /using the stand-in at (http:\/\/\S+)/.exec(output)?.[1],
        output: () => output,
        stop,
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (code ${code}) before serving:\n${output}`));
    });
  });
}

/** Waits until the gateway's renderer has loaded (its health says so), or the deadline. */
async function renderingReady(base: string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  let last = '';
  while (Date.now() < deadline) {
    const health = (await (await fetch(`${base}/console/health`)).json()) as {
      gateway: { firstScreen: string };
    };
    last = health.gateway.firstScreen;
    if (last === 'ready') return;
    if (last === 'failed') break;
    await new Promise((r) => setTimeout(r, 250)); // polling the condition, not a fixed wait
  }
  throw new Error(`the first screen is "${last}", not "ready"`);
}

/** The checks every started server passes: its first screen, a forwarded search, a refused path. */
async function checkServer(label: string, base: string): Promise<void> {
  await check(`${label}: the renderer loads`, () => renderingReady(base));
  await check(`${label}: / sends the first screen with task rows`, async () => {
    const res = await fetch(`${base}/`, {
      headers: { 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' },
    });
    const html = await res.text();
    expect(res.status === 200, `GET / answered ${res.status}`);
    expect(/data-test-subj="taskRow-[^"]+"/.test(html), 'the page has no task rows');
    expect(html.includes('id="ml-first-page"'), 'the page carries no first-page data');
  });
  await check(`${label}: a task search is forwarded to the cluster`, async () => {
    const res = await fetch(`${base}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-console-request': '1' },
      body: '{"size":3,"query":{"match_all":{}}}',
    });
    const body = (await res.json()) as { hits?: { hits?: unknown[] } };
    expect(res.status === 200, `the search answered ${res.status}: ${JSON.stringify(body)}`);
    expect(body.hits?.hits?.length === 3, `the search gave ${body.hits?.hits?.length} hits, not 3`);
  });
  await check(`${label}: a path outside the console's calls is refused`, async () => {
    const res = await fetch(`${base}/_cluster/state`);
    await res.text();
    expect(res.status === 404, `GET /_cluster/state answered ${res.status}`);
  });
}

async function main(): Promise<number> {
  console.log('production check: build, copy, npm ci --omit=dev, start with node');
  const built = await check('the console and the server build', () => {
    ensureBuild(join(repoRoot, 'dist'));
    ensureServerBuild();
  });
  const dir = mkdtempSync(join(tmpdir(), 'ml-console-production-'));
  const running: Running[] = [];
  try {
    const installed =
      built &&
      (await check('a copy installs with npm ci --omit=dev', () => {
        for (const path of ['package.json', 'package-lock.json', 'dist', 'dist-server']) {
          cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
        }
        const npm = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NODE_ENV: 'production' },
        });
        expect(npm.status === 0, `npm ci failed:\n${npm.stdout}\n${npm.stderr}`);
      }));
    if (installed) {
      let standinUrl: string | undefined;
      await check('node dist-server/start.js serves (with its stand-in)', async () => {
        const server = await startServer(dir, deploymentEnv({}));
        running.push(server);
        standinUrl = server.standinUrl;
        expect(standinUrl !== undefined, `it names no stand-in:\n${server.output()}`);
      });
      if (running[0]) await checkServer('with its stand-in', running[0].url);
      if (standinUrl) {
        const url = standinUrl;
        const serving = await check('node dist-server/start.js serves (OPENSEARCH_URL set)', async () => {
          running.push(await startServer(dir, deploymentEnv({ OPENSEARCH_URL: url })));
        });
        if (serving) await checkServer('with OPENSEARCH_URL', running[1]!.url);
      }
    }
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok).length;
  const summary = { passed: checks.length - failed, failed, checks };
  if (values.report) {
    mkdirSync(dirname(values.report), { recursive: true });
    writeFileSync(values.report, JSON.stringify(summary, null, 2));
  }
  console.log(`production check: ${summary.passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
