// Which cores the browser and the servers run on: apart, as on a real deployment where the gateway is not on the
// operator's laptop, so that rendering a page and answering its requests do not take turns on one core.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface CoreSplit {
  /**
   * Cores for Chromium and every process it starts, and for this run itself, the client side: it drives the browser
   * (and mostly waits while a page loads) and sends the gateway's HTTP load.
   */
  browser: number[];
  /** Cores for the stand-ins and the gateway. */
  servers: number[];
}

/** Parses a kernel CPU list ("0-3,6"). */
export function parseCpuList(list: string): number[] {
  const cores: number[] = [];
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a CPU list: "${list}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) cores.push(c);
  }
  return cores;
}

/** The cores a process may run on (Cpus_allowed_list in /proc), or undefined where /proc does not tell. */
export function coresOf(pid: number | 'self'): number[] | undefined {
  try {
    const m = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? parseCpuList(m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

export function formatCores(cores: readonly number[]): string {
  return cores.join(',');
}

function tasksetPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The split of this process's cores: the browser gets the first half (rounded up: Chromium runs several busy
 * processes), the servers the rest. Undefined, with the reason, when there is one core or no `taskset`.
 */
export function planCoreSplit(): { split: CoreSplit; taskset: string } | { reason: string } {
  const taskset = tasksetPath();
  if (!taskset) return { reason: 'taskset (util-linux) is not installed' };
  const allowed = coresOf('self');
  if (!allowed) return { reason: '/proc does not say which cores this process may use' };
  if (allowed.length < 2) return { reason: `only one core (${formatCores(allowed)}) is available` };
  const half = Math.ceil(allowed.length / 2);
  return { split: { browser: allowed.slice(0, half), servers: allowed.slice(half) }, taskset };
}

/**
 * Moves every thread of this process to `cores`, and so every child it starts from now on (Chromium and its zygote
 * included) unless started through taskset itself.
 */
export function pinThisProcess(taskset: string, cores: readonly number[]): void {
  execFileSync(taskset, ['--all-tasks', '--cpu-list', '--pid', formatCores(cores), String(process.pid)], {
    stdio: 'ignore',
  });
  const now = coresOf('self');
  if (now && formatCores(now) !== formatCores(cores)) {
    throw new Error(`taskset left this process on cores ${formatCores(now)}, not ${formatCores(cores)}`);
  }
}

/** The ids of the processes descended from `root` (not `root` itself), from /proc. */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in parentheses may hold spaces: the parent id is the second field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Where this run's processes may actually run, read back from /proc: for each kind (the browser's processes, the
 * children that serve, this process), the cores allowed, or several lists when they disagree.
 */
export function observedCores(serverPids: readonly number[]): Record<string, string> {
  const describe = (pids: number[]): string => {
    const lists = new Set(pids.map((p) => coresOf(p)).flatMap((c) => (c ? [formatCores(c)] : [])));
    return lists.size === 0 ? 'unknown' : [...lists].join(' | ');
  };
  const browserPids = descendantsOf(process.pid).filter((p) => /chrom/i.test(commandOf(p)));
  return {
    browser: `${describe(browserPids)} (${browserPids.length} processes)`,
    servers: `${describe([...serverPids])} (${serverPids.length} processes)`,
    runner: describe([process.pid]),
  };
}
