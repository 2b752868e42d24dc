// Reading a request's body: up to a limit, within the budget all bodies share, and dropping the rest of one that was
// refused.
import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './load-limits.ts';

/** Largest request body forwarded (a search body is a few kB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the refused body is read and dropped before the connection is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export type BodyRead = Buffer | 'too-large' | 'busy' | 'idle' | 'aborted';

/**
 * Reads the body up to `limit` bytes, counting what it holds against the shared `budget` until it is done:
 * 'too-large' as soon as it is known to be bigger, 'busy' when the budget has no room for the next chunk, 'idle'
 * when no chunk came for `idleMs`. Nothing more is kept after any of those. A body read whole stays counted: the
 * caller gives its bytes back once it is done with it (the call forwarded and answered).
 */
export function readBody(
  req: IncomingMessage,
  options: { limit: number; budget: BodyBudget; idleMs: number },
): Promise<BodyRead> {
  const { limit, budget, idleMs } = options;
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve('too-large');
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const waitForMore = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => finish('idle'), idleMs);
    };
    const finish = (result: BodyRead): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      if (!Buffer.isBuffer(result)) budget.give(size);
      chunks = [];
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit) return finish('too-large');
      if (!budget.take(chunk.length)) return finish('busy');
      size += chunk.length;
      chunks.push(chunk);
      waitForMore();
    };
    waitForMore();
    req.on('data', onData);
    req.once('end', () => finish(Buffer.concat(chunks, size)));
    req.once('error', () => finish('aborted'));
    req.once('close', () => finish(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
  });
}

/** Reads and drops the rest of a refused body, up to a limit, so the refusal can still reach the client. */
export function discardBody(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}
