// The gateway's render workers: first screens are rendered on worker threads, so that forwarding never waits
// behind a render. A render that hangs is cut off and its worker replaced; a worker that dies is replaced.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ServerRequest } from '../../shared/first-page';
import type { FirstPageData } from '../../shared/first-page';
import type { RenderedFirstPage } from '../../src/first-screen/prerender';
import type { RenderJob, RenderWorkerMessage } from './render-worker';

/** One worker per core but the one the gateway's event loop runs on, and at least one. */
export const DEFAULT_RENDER_WORKERS = Math.max(1, availableParallelism() - 1);
/** A render that takes longer is abandoned (its worker replaced): the page goes out plain. */
export const RENDER_TIMEOUT_MS = 3_000;
/** A worker's first render runs before the JIT has compiled anything and while lazy modules load: far slower. */
const FIRST_RENDER_TIMEOUT_MS = 30_000;

/**
 * The worker's entry: run from the sources (this module is TypeScript: tests, development), the tsx launcher; in
 * the build, the compiled worker next to this module's chunk. Named by a variable so that the build leaves it be.
 */
const fromSources = import.meta.url.endsWith('.ts');
const WORKER_FILE = fromSources ? './render-worker-source.mjs' : './render-worker.js';

export interface RenderPool {
  /** How many workers render at once. */
  size: number;
  /** Settles when every worker has loaded the renderer; rejects when one could not. */
  ready: Promise<void>;
  render(request: ServerRequest, data: FirstPageData): Promise<RenderedFirstPage>;
  close(): Promise<void>;
}

interface Job extends RenderJob {
  resolve(page: RenderedFirstPage): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  rendered: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export function createRenderPool(
  options: {
    size?: number;
    timeoutMs?: number;
    /** Only from the sources: another worker module for the launcher to load (a test's). */
    module?: string;
  } = {},
): RenderPool {
  const size = options.size ?? DEFAULT_RENDER_WORKERS;
  const timeoutMs = options.timeoutMs ?? RENDER_TIMEOUT_MS;
  if (options.module && !fromSources)
    throw new Error('a render worker module can only be named from the sources');
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  function dispatch(): void {
    // Every worker gone, and none could be started again: nothing would ever take these.
    if (!slots.size) for (const job of queue.splice(0)) job.reject(new Error('no render worker is running'));
    for (const slot of slots) {
      if (!queue.length) return;
      if (!slot.ready || slot.job) continue;
      const job = queue.shift()!;
      slot.job = job;
      const limit = slot.rendered ? timeoutMs : Math.max(timeoutMs, FIRST_RENDER_TIMEOUT_MS);
      slot.timer = setTimeout(() => {
        // Its event loop is stuck in the render: only terminating the thread stops it.
        finish(slot)?.reject(new Error(`the render took longer than ${limit} ms`));
        replace(slot);
      }, limit);
      slot.worker.postMessage({ id: job.id, request: job.request, data: job.data } satisfies RenderJob);
    }
  }

  function replace(slot: Slot): void {
    slots.delete(slot);
    void slot.worker.terminate();
    if (!closed) void spawn().catch(() => {}); // a worker that loaded once loads again; if not, one fewer
  }

  /** Starts a worker; settles when it has loaded the renderer, or failed to. */
  function spawn(): Promise<void> {
    const worker = new Worker(new URL(WORKER_FILE, import.meta.url), {
      workerData: options.module ? { module: options.module } : undefined,
    });
    const slot: Slot = { worker, ready: false, rendered: false };
    slots.add(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: RenderWorkerMessage) => {
        if ('ready' in message) {
          slot.ready = true;
          resolve();
        } else if (slot.job?.id === message.id) {
          const job = finish(slot)!;
          slot.rendered = true;
          if ('page' in message) job.resolve(message.page);
          else job.reject(new Error(message.error));
        }
        dispatch();
      });
      const gone = (why: Error): void => {
        if (!slots.has(slot)) return;
        finish(slot)?.reject(why);
        if (slot.ready) replace(slot);
        else {
          slots.delete(slot);
          reject(why);
        }
        dispatch();
      };
      worker.on('error', gone);
      worker.on('exit', (code) => gone(new Error(`the render worker stopped (exit code ${code})`)));
    });
  }

  const ready = Promise.all(Array.from({ length: size }, spawn)).then(() => undefined);
  // A worker that fails to load stops the others: the gateway then serves plain pages.
  ready.catch(() => void close());

  async function close(): Promise<void> {
    closed = true;
    for (const job of queue.splice(0)) job.reject(new Error('the gateway is closing'));
    const all = [...slots];
    slots.clear();
    for (const slot of all) finish(slot)?.reject(new Error('the gateway is closing'));
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  return {
    size,
    ready,
    render(request, data) {
      if (closed) return Promise.reject(new Error('the gateway is closing'));
      return new Promise<RenderedFirstPage>((resolve, reject) => {
        queue.push({ id: nextId++, request, data, resolve, reject });
        dispatch();
      });
    },
    close,
  };
}

let shared: { pool: RenderPool; users: number } | undefined;

/**
 * The process's render pool, started by its first gateway and stopped with its last: each worker costs a React and
 * an EUI loaded (seconds, and tens of MB), and a process has one gateway (tests start several).
 */
export function acquireRenderPool(): { pool: RenderPool; release(): void } {
  if (!shared) shared = { pool: createRenderPool(), users: 0 };
  const held = shared;
  held.users++;
  let released = false;
  return {
    pool: held.pool,
    release() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (shared === held) shared = undefined;
      void held.pool.close();
    },
  };
}
