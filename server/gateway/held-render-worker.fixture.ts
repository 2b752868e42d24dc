// A render worker for tests: a page requested with the `hold-render` cookie is held on the worker's thread (as a
// long synchronous React render would hold it) until the test lets it go; other pages render at once.
import { BroadcastChannel, parentPort } from 'node:worker_threads';
import type { RenderJob, RenderWorkerMessage } from './render-worker';

const port = parentPort!;
// The test hears here that a render has started, with the gate that releases it.
const channel = new BroadcastChannel('ml-tasks-console:held-render');
channel.unref();

port.on('message', (job: RenderJob) => {
  if (job.request.cookies.includes('hold-render=1')) {
    const gate = new Int32Array(new SharedArrayBuffer(4));
    channel.postMessage({ holding: job.request.href, gate });
    Atomics.wait(gate, 0, 0); // blocks this thread until the test stores 1 and notifies
  }
  const rows =
    job.data.page === 'failures' ? job.data.result.groups.length : job.data.response.hits.hits.length;
  port.postMessage({
    id: job.id,
    page: { html: `<p>rendered ${rows} rows</p>`, styles: '' },
  } satisfies RenderWorkerMessage);
});
port.postMessage({ ready: true } satisfies RenderWorkerMessage);
