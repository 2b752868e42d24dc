// A second, tiny entry point, loaded first. When the gateway renders the first page into the HTML, it records what
// the user does to that page until the app takes it over. Otherwise it starts the first page's task search at once,
// while the app's code (React and EUI) is still downloading, once the console's server has said what the cluster
// takes; the app takes both answers over when it asks for the same.
import { startEarlySearch } from './api/ml';
import { startEarlyClusterRead } from './api/cluster';
import { recordEarlyInput } from './lib/early-input';
import { ROOT_ELEMENT_ID, firstPageSearchBody, gatewayRendersFirstScreen } from '../shared/first-page';

if (gatewayRendersFirstScreen(document)) {
  recordEarlyInput(document, ROOT_ELEMENT_ID);
} else {
  // The search's form depends on the cluster (no aggregations on 2.19.2 – 2.19.6): the console's server, which
  // knows it, answers from memory, and the app takes that answer over too.
  void startEarlyClusterRead()?.then(({ capabilities }) => {
    const body = firstPageSearchBody(window.location.pathname, window.location.search, capabilities);
    if (body) startEarlySearch(body);
  });
}
