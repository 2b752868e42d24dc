// Reading a request's body: up to a limit, and dropping the rest of one that was refused.
import type { IncomingMessage } from 'node:http';

/** Largest request body forwarded (a search body is a few kB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the refused body is read and dropped before the connection is cut. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Reads the body up to `limit` bytes; 'too-large' as soon as it is known to be bigger (nothing more kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve('too-large');
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | 'too-large' | 'aborted'): void => {
      if (done) return;
      done = true;
      chunks = [];
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish('too-large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(Buffer.concat(chunks, size)));
    req.once('error', () => finish('aborted'));
    req.once('close', () => finish(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
  });
}

/** Reads and drops the rest of a refused body, up to a limit, so the 413 can still reach the client. */
export function discardBody(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}
