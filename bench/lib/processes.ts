// Child processes of a benchmark run: started with a deadline, tracked, and all stopped at the end, even on failure.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  pid: number;
  /** The `{"ready":true,...}` line the child printed. */
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

const running = new Set<Child>();

/** `taskset --cpu-list <cores>` before every child from now on, or nothing. */
let pinning: string[] = [];

/** Starts every child from now on on `cores` (through `taskset`, which execs it: the child keeps its pid). */
export function startChildrenOn(taskset: string, cores: readonly number[]): void {
  pinning = [taskset, '--cpu-list', cores.join(',')];
}

function waitForExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  if (await waitForExit(proc, 5000)) return;
  proc.kill('SIGKILL');
  await waitForExit(proc, 2000);
}

/** Starts `node --import tsx <script>` (pinned, see startChildrenOn) and registers it, so that every child is stopped at the end. */
function spawnTracked(
  name: string,
  script: string,
  args: string[],
  options: { cwd: string; nodeArgs?: string[] },
  stdin: 'pipe' | 'ignore',
): { proc: ReturnType<typeof spawn>; child: Child } {
  const command = [process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args];
  const [file, ...rest] = [...pinning, ...command];
  const proc = spawn(file!, rest, {
    cwd: options.cwd,
    stdio: [stdin, 'pipe', 'inherit'],
  });
  const child: Child = {
    name,
    pid: proc.pid ?? -1,
    info: {},
    async stop() {
      running.delete(child);
      await terminate(proc);
    },
  };
  running.add(child);
  return { proc, child };
}

/**
 * Runs `node --import tsx <script> ...args` and resolves once it prints its ready line. A child that exits
 * first, prints something else on stdout, or is not ready within `timeoutMs` is killed and rejects.
 */
export function startChild(
  name: string,
  script: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; nodeArgs?: string[] },
): Promise<Child> {
  // stdin stays open: the child exits when it closes (see child-main.ts).
  const { proc, child } = spawnTracked(name, script, args, options, 'pipe');
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      void child.stop().then(() => reject(new Error(`${name}: ${message}`)));
    };
    const timer = setTimeout(() => fail(`not ready after ${options.timeoutMs} ms`), options.timeoutMs);
    proc.once('error', (e) => fail(e.message));
    proc.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    const lines = createInterface({ input: proc.stdout! });
    lines.once('line', (line) => {
      let info: Record<string, unknown> | undefined;
      try {
        info = JSON.parse(line) as Record<string, unknown>;
      } catch {
        info = undefined;
      }
      if (!info?.ready) {
        fail(`expected a ready line, got: ${line.slice(0, 300)}`);
        return;
      }
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      child.info = info;
      // Anything else it prints goes on to our stderr, never into the report on stdout.
      lines.on('line', (l) => process.stderr.write(`${name}: ${l}\n`));
      resolve(child);
    });
  });
}

/** Stops every child still running; for `finally` blocks and signal handlers. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop()));
}

/**
 * Runs a script to completion and returns its last stdout line parsed as JSON; rejects (after killing it)
 * when it fails or takes longer than `timeoutMs`.
 */
export function runJsonScript(
  name: string,
  script: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; nodeArgs?: string[] },
): Promise<unknown> {
  const { proc, child } = spawnTracked(name, script, args, options, 'ignore');
  let out = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.stop().then(() => reject(new Error(`${name}: took longer than ${options.timeoutMs} ms`)));
    }, options.timeoutMs);
    proc.once('error', (e) => {
      clearTimeout(timer);
      void child.stop().then(() => reject(new Error(`${name}: ${e.message}`)));
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${name}: exited with ${signal ?? `code ${code}`}`));
        return;
      }
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${name}: its last line is not JSON: ${last.slice(0, 300)}`));
      }
    });
  });
}
