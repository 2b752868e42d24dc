// What the gateway lets a client hold: connections, request bodies being read, and how long a request may take to
// arrive. Without these, 2,000 clients each sending most of a 1 MB body and then nothing took a gateway from 504 MB
// to 1.98 GB and a normal request from 2 ms to 1.58 s.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** Open connections; one more is answered 503 and closed. */
  maxConnections: number;
  /** Bytes of request bodies held while they are read, all requests together; a body beyond is answered 503. */
  maxBufferedBytes: number;
  /** From a connection's first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** From a request's first byte to the end of its body (not its answer, which may take the cluster's time). */
  requestTimeoutMs: number;
  /** The longest pause in the middle of a body. */
  bodyIdleMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 1024,
  // Thirty-two bodies of the 1 MB maximum, or thousands of real searches (a few kB each).
  maxBufferedBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyIdleMs: 10_000,
};

/** A browser keeps a connection for its next request this long (Node's default; longer only holds sockets). */
const KEEP_ALIVE_MS = 5_000;

/** The budget for request bodies being read, shared by every request. */
export interface BodyBudget {
  /** Counts `bytes` more as held; false (and nothing counted) when that would go over the budget. */
  take(bytes: number): boolean;
  give(bytes: number): void;
  held(): number;
}

export function createBodyBudget(maxBytes: number): BodyBudget {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > maxBytes) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      held -= bytes;
    },
    held: () => held,
  };
}

/** The server options for the timeouts; Node checks them every `connectionsCheckingInterval`, here often enough. */
export function serverTimeouts(limits: ServerLimits): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    // Node refuses a headers timeout longer than the request's (the headers are part of the request).
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_MS,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2, limits.requestTimeoutMs / 2),
  };
}

/**
 * Counts the server's connections and answers one beyond `maxConnections` with `refuse` (a raw 503) before it is
 * closed. Returns the current count.
 */
export function capConnections(
  server: Server,
  maxConnections: number,
  refuse: (socket: Socket) => void,
): () => number {
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= maxConnections) {
      refuse(socket);
      return;
    }
    open++;
    socket.once('close', () => open--);
  });
  return () => open;
}
