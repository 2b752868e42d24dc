// A render worker: loads the app's server renderer (React and EUI) and renders first screens on request, so that
// a render never holds the gateway's event loop, where every forwarded request waits its turn.
import { parentPort } from 'node:worker_threads';
import type { ServerRequest } from '../../shared/first-page';
import type { FirstPageData } from '../../shared/first-page';
import { loadRenderer, renderFirstPage, type RenderedFirstPage } from '../../src/first-screen/prerender';

export interface RenderJob {
  id: number;
  request: ServerRequest;
  data: FirstPageData;
}

export type RenderWorkerMessage =
  { ready: true } | { id: number; page: RenderedFirstPage } | { id: number; error: string };

if (!parentPort) throw new Error('render-worker runs as a worker thread of the gateway');
const port = parentPort;

/** Why the pages that load apart cannot be rendered (their code did not load), once known. */
let notLoaded: string | undefined;

port.on('message', (job: RenderJob) => {
  let answer: RenderWorkerMessage;
  try {
    if (job.data.page !== 'tasks' && notLoaded !== undefined) throw new Error(notLoaded);
    answer = { id: job.id, page: renderFirstPage(job.request, job.data) };
  } catch (err) {
    answer = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(answer);
});
// Ready once the pages that load apart are loaded too; without them, the tasks page still renders.
void loadRenderer()
  .catch((err: unknown) => {
    notLoaded = `the page's code did not load: ${err instanceof Error ? err.message : String(err)}`;
  })
  .then(() => port.postMessage({ ready: true } satisfies RenderWorkerMessage));
