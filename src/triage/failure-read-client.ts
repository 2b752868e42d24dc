// The page's side of the failure-reading worker: one worker for the page's life, a promise per reading, and a reading
// the page no longer wants (a new view, the page left) cancelled in the worker. Where there is no Worker (the server's
// renderer, the unit tests' DOM) the reading runs in the page.
import type { FailureGroupsResult } from '../../shared/failure-groups';
import type { FailureScope } from './failure-read';
import { fromWire, type FailureReadReply, type FailureReadRequest } from './failure-read-wire';

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: FailureGroupsResult) => void; reject: (e: Error) => void }>();

function theWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./failure-read.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FailureReadReply>) => {
      const reply = event.data;
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(fromWire(reply.error));
    };
    // A worker that cannot start or dies fails every reading in flight, which the page shows with "Try again".
    worker.onerror = (event) => {
      event.preventDefault();
      for (const [, pending] of waiting)
        pending.reject(new Error(`The failures could not be read: ${event.message}`));
      waiting.clear();
      worker?.terminate();
      worker = undefined;
    };
  }
  return worker;
}

/**
 * Starts the worker before the first reading: its scripts load and compile while the page's own code does (the
 * failures page asks for it first thing, see first-search.ts), not after the page has rendered and asked.
 */
export function prewarmFailureReader(): void {
  if (readsInWorker()) theWorker();
}

/** Whether readings run in a worker here (a browser) or in the page (the server, jsdom). */
export const readsInWorker = (): boolean => typeof Worker !== 'undefined';

export function readFailureGroupsInWorker(
  scope: FailureScope,
  signal?: AbortSignal,
): Promise<FailureGroupsResult> {
  const w = theWorker();
  const id = nextId++;
  const send = (m: FailureReadRequest) => w.postMessage(m);
  return new Promise<FailureGroupsResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The reading was cancelled', 'AbortError'));
      return;
    }
    waiting.set(id, { resolve, reject });
    signal?.addEventListener(
      'abort',
      () => {
        if (!waiting.delete(id)) return;
        send({ kind: 'cancel', id });
        reject(new DOMException('The reading was cancelled', 'AbortError'));
      },
      { once: true },
    );
    send({ kind: 'read', id, scope });
  });
}
