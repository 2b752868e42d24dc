// The failure groups' reading, off the page's thread: up to five searches of a thousand failures, each answer parsed
// (about 600 kB of JSON) and grouped here, so that the page only renders the groups (issue 10: "in the gateway or a
// worker, never blocking the page"). The page talks to it through failure-read-client.ts.
import type { FailureScope } from '../../shared/failure-scope';
import { readFailureGroups } from './failure-read';
import { toWire, type FailureReadReply, type FailureReadRequest } from './failure-read-wire';

const running = new Map<number, AbortController>();

self.onmessage = (event: MessageEvent<FailureReadRequest>) => {
  const message = event.data;
  if (message.kind === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  const reply = (r: FailureReadReply) => self.postMessage(r);
  readFailureGroups(message.scope as FailureScope, controller.signal)
    .then((result) => reply({ id: message.id, ok: true, result }))
    .catch((error: unknown) => reply({ id: message.id, ok: false, error: toWire(error) }))
    .finally(() => running.delete(message.id));
};
