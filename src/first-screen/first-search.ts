// A second, tiny entry point, loaded first, for a page the gateway has not rendered: it starts the first page's task
// search at once, while the app's code (React and EUI) is still downloading, once the console's server has said what
// the cluster takes; the app takes both answers over when it asks for the same. (On a rendered page the rows are in
// the HTML, and early-recorder.ts keeps what the user does to them.)
import { startEarlySearch } from '../api/ml';
import { startEarlyClusterRead } from '../api/cluster';
import { firstPageSearchBody, gatewayRendersFirstScreen } from '../../shared/first-page';
import { prewarmFailureReader } from '../triage/failure-read-client';

// The failures page reads in a worker: it boots now, beside the app's code, instead of once the page has rendered.
if (/^\/failures\/?$/.test(window.location.pathname)) prewarmFailureReader();

if (!gatewayRendersFirstScreen(document)) {
  // The search's form depends on the cluster (no aggregations on 2.19.2 – 2.19.6): the console's server, which
  // knows it, answers from memory, and the app takes that answer over too.
  void startEarlyClusterRead()?.then(({ capabilities }) => {
    const body = firstPageSearchBody(
      window.location.pathname,
      window.location.search,
      capabilities,
      document.cookie,
    );
    if (body) startEarlySearch(body);
  });
}
