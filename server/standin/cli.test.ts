// Tests of the stand-in as a command: flags, data files, the listening line, clean shutdown.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEWEST_RELEASE } from '../../shared/ml-releases';
import { parseCli } from './cli-options';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'server', 'standin', 'cli.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `onListening` runs once it prints its address, then the process gets SIGTERM. */
function runCli(args: string[], onListening?: (url: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const m = /stand-in listening on (http:\/\/\S+)/.exec(stdout);
      if (m && !started) {
        started = true;
        (onListening ? onListening(m[1]!) : Promise.resolve()).then(
          () => child.kill('SIGTERM'),
          (err) => {
            child.kill('SIGKILL');
            reject(err);
          },
        );
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function searchTotal(url: string): Promise<{ status: number; total: number }> {
  const res = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"size":0,"track_total_hits":true}',
  });
  const body = (await res.json()) as { hits: { total: { value: number } }; _shards: { total: number } };
  return { status: res.status, total: body._shards.total === 0 ? -1 : body.hits.total.value };
}

describe('option parsing', () => {
  it('has defaults and validates numbers and users', () => {
    expect(parseCli([])).toMatchObject({
      host: '127.0.0.1',
      port: 9200,
      tasks: 2000,
      seed: 1,
      live: false,
      restartEvery: 4,
      users: [],
    });
    expect(parseCli(['--live', '--restart-every', '0'])).toMatchObject({ live: true, restartEvery: 0 });
    expect(() => parseCli(['--restart-every', 'soon'])).toThrow(/--restart-every must be an integer/);
    expect(
      parseCli(['--port', '0', '--tasks', '0', '--live', '--user', 'a:b', '--reader', 'r:p:q']),
    ).toMatchObject({
      port: 0,
      tasks: 0,
      live: true,
      users: [
        { username: 'a', password: 'b', role: 'ml_full_access' },
        { username: 'r', password: 'p:q', role: 'ml_read_access' },
      ],
    });
    expect(() => parseCli(['--port', 'http'])).toThrow(
      '--port must be an integer from 0 to 65535, got "http"',
    );
    expect(() => parseCli(['--tasks=-5'])).toThrow(/--tasks must be an integer/);
    expect(() => parseCli(['--user', 'nopassword'])).toThrow(
      '--user must be name:password, got "nopassword"',
    );
    expect(() => parseCli(['--nope'])).toThrow(/Unknown option '--nope'/);
  });

  it('answers as the newest release unless --version names another from 2.4 on', () => {
    expect(parseCli([])).toMatchObject({ version: NEWEST_RELEASE, hidePlugins: false, proxy: false });
    expect(parseCli(['--proxy'])).toMatchObject({ proxy: true });
    expect(parseCli(['--version', '2.11'])).toMatchObject({ version: '2.11.0' });
    expect(parseCli(['--version', '2.19.3.0', '--hide-plugins', '--cluster-name', 'prod'])).toMatchObject({
      version: '2.19.3',
      hidePlugins: true,
      clusterName: 'prod',
    });
    expect(() => parseCli(['--version', '2.3.0'])).toThrow(
      '--version 2.3.0 is older than 2.4.0, the oldest ML Commons release supported',
    );
    expect(() => parseCli(['--version', 'latest'])).toThrow(
      /^--version must be an ML Commons release such as .* not "latest"$/,
    );
    expect(() => parseCli(['--cluster-name', 'a b'])).toThrow(/--cluster-name must be a name/);
  });
});

describe('the command', () => {
  it('prints its address once it accepts requests and stops cleanly on SIGTERM', async () => {
    let total = 0;
    const run = await runCli(['--port', '0', '--tasks', '50', '--seed', '3'], async (url) => {
      total = (await searchTotal(url)).total;
    });
    expect(total).toBe(50);
    expect(run.stdout).toMatch(/^stand-in listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(run.stdout).toContain('stand-in stopped (SIGTERM)');
    expect(run.code).toBe(0);
  }, 30_000);

  it('with --tasks 0 there is no task index at all', async () => {
    let result = { status: 0, total: 0 };
    await runCli(['--port', '0', '--tasks', '0'], async (url) => {
      result = await searchTotal(url);
    });
    expect(result).toEqual({ status: 200, total: -1 });
  }, 30_000);

  it('loads exactly the documents of --data and --models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-'));
    const tasks = join(dir, 'tasks.ndjson');
    const models = join(dir, 'models.ndjson');
    writeFileSync(
      tasks,
      '{"_id":"a","_source":{"state":"FAILED","task_type":"REGISTER_MODEL"}}\n\n{"_id":"b","_source":{"state":"RUNNING"}}\n',
    );
    writeFileSync(models, '{"_id":"m","_source":{"name":"x","model_state":"DEPLOYED"}}\n');
    let task: any;
    let model: any;
    let total = 0;
    await runCli(['--port', '0', '--data', tasks, '--models', models], async (url) => {
      total = (await searchTotal(url)).total;
      task = await (await fetch(`${url}/_plugins/_ml/tasks/a`)).json();
      model = await (await fetch(`${url}/_plugins/_ml/models/m`)).json();
    });
    expect(total).toBe(2);
    expect(task).toEqual({ state: 'FAILED', task_type: 'REGISTER_MODEL', is_async: false });
    expect(model).toEqual({ name: 'x', model_state: 'DEPLOYED' });
  }, 30_000);

  it('a malformed data file names the file and line and exits non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-'));
    const tasks = join(dir, 'tasks.ndjson');
    writeFileSync(tasks, '{"_id":"a","_source":{}}\n{"_id":"b","_source":{}\n');
    const run = await runCli(['--port', '0', '--data', tasks]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${tasks}:2:`);
    expect(run.stdout).not.toContain('listening');
  }, 30_000);

  it('answers as the release --version names, with data of that release', async () => {
    let root: any;
    let plugins = 0;
    let types: string[] = [];
    const run = await runCli(
      ['--port', '0', '--tasks', '300', '--version', '2.6.0', '--hide-plugins', '--cluster-name', 'old'],
      async (url) => {
        root = await (await fetch(`${url}/`)).json();
        plugins = (await fetch(`${url}/_cat/plugins`)).status;
        const res = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"size":0,"aggs":{"t":{"terms":{"field":"task_type"}}}}',
        });
        types = ((await res.json()) as any).aggregations.t.buckets.map((b: any) => b.key);
      },
    );
    expect(root).toMatchObject({ cluster_name: 'old', version: { number: '2.6.0' } });
    expect(plugins).toBe(403);
    expect(types).toContain('LOAD_MODEL');
    expect(types).not.toContain('DEPLOY_MODEL');
    expect(run.stdout).toContain('stand-in: ML Commons 2.6.0, 300 tasks');
  }, 30_000);

  it('a version older than 2.4 stops start-up, naming the option', async () => {
    const run = await runCli(['--port', '0', '--version', '2.3.0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--version 2.3.0 is older than 2.4.0');
    expect(run.stdout).not.toContain('listening');
  }, 30_000);

  it('an unreadable data file and a bad flag fail clearly', async () => {
    const missing = await runCli(['--port', '0', '--data', '/nonexistent/tasks.ndjson']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/tasks.ndjson');
    const bad = await runCli(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('usage: npm run standin');
  }, 30_000);
});
