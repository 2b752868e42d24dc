// A second, tiny entry point, loaded first, for a page the gateway has not rendered: it starts the page's first
// requests at once, while the app's code (React and EUI) is still downloading, once the console's server has said
// what the cluster takes; the app takes the answers over when it asks for the same. (On a rendered page the rows are
// in the HTML, and early-recorder.ts keeps what the user does to them.)
// - the tasks page: its first page's search;
// - the failures page: the reading of its failures, in the worker that groups them;
// - the nodes page: its count of tasks per node, where the cluster aggregates in a search.
import { startEarlyClusterRead } from '../api/cluster';
import { gatewayRendersFirstScreen, renderedPageRequest } from '../../shared/first-page';
import { fixedPageOf } from '../../shared/routes';
import { prewarmFailureReader } from '../triage/failure-read-client';
import { startEarlyPageRequest } from './early-requests';

const { pathname, search } = window.location;
const page = fixedPageOf(pathname);

if (page && !gatewayRendersFirstScreen(document)) {
  // The failures page reads in a worker: it boots now, beside the app's code, instead of once the page has rendered.
  if (page === 'failures') prewarmFailureReader();
  // The requests' form depends on the cluster (no aggregations on 2.19.2 – 2.19.6, its failed states): the console's
  // server, which knows it, answers from memory, and the app takes that answer over too.
  void startEarlyClusterRead()?.then(({ capabilities }) => {
    const first = renderedPageRequest(pathname, search, capabilities, document.cookie);
    if (first) startEarlyPageRequest(first);
  });
}
