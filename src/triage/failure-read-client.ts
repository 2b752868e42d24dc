// The page's side of the failure-reading worker: one worker for the page's life, a promise per reading, and a reading
// the page no longer wants (a new view, the page left) cancelled in the worker. Where there is no Worker (the server's
// renderer, the unit tests' DOM) the reading runs in the page.
import type { FailureGroupsResult } from '../../shared/failure-groups';
import type { FailureScope } from '../../shared/failure-scope';
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

/**
 * A reading started before the app has loaded (first-search.ts, on the failures page), for the page's first
 * reading of the same scope to take over; any other first reading drops it.
 */
let early: { key: string; id: number; result: Promise<FailureGroupsResult> } | null | undefined;

export function startEarlyFailureRead(scope: FailureScope): void {
  if (early !== undefined || !readsInWorker()) return;
  const id = nextId++;
  const result = send(id, scope);
  // Whoever takes it over handles a failure; until then it must not count as unhandled.
  result.catch(() => {});
  early = { key: JSON.stringify(scope), id, result };
}

function takeEarlyRead(
  scope: FailureScope,
): { id: number; result: Promise<FailureGroupsResult> } | undefined {
  const taken = early;
  early = null;
  if (!taken) return undefined;
  if (taken.key === JSON.stringify(scope)) return taken;
  cancel(taken.id);
  return undefined;
}

function send(id: number, scope: FailureScope): Promise<FailureGroupsResult> {
  const w = theWorker();
  return new Promise<FailureGroupsResult>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ kind: 'read', id, scope } satisfies FailureReadRequest);
  });
}

const cancelled = (): DOMException => new DOMException('The reading was cancelled', 'AbortError');

function cancel(id: number): void {
  const pending = waiting.get(id);
  if (!pending) return;
  waiting.delete(id);
  worker?.postMessage({ kind: 'cancel', id } satisfies FailureReadRequest);
  pending.reject(cancelled());
}

export function readFailureGroupsInWorker(
  scope: FailureScope,
  signal?: AbortSignal,
): Promise<FailureGroupsResult> {
  if (signal?.aborted) return Promise.reject(cancelled());
  const taken = takeEarlyRead(scope);
  const id = taken?.id ?? nextId++;
  const result = taken?.result ?? send(id, scope);
  signal?.addEventListener('abort', () => cancel(id), { once: true });
  return result;
}
