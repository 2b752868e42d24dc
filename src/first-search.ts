// A second, tiny entry point, loaded first. When the gateway renders the first page into the HTML, it records what
// the user does to that page until the app takes it over. Otherwise it starts the first page's task search at once,
// while the app's code (React and EUI) is still downloading; the app takes the answer over when it asks for the
// same body.
import { startEarlySearch } from './api/ml';
import { recordEarlyInput } from './lib/early-input';
import { ROOT_ELEMENT_ID, firstPageSearchBody, gatewayRendersFirstScreen } from './tasks/first-page';

if (gatewayRendersFirstScreen(document)) {
  recordEarlyInput(document, ROOT_ELEMENT_ID);
} else {
  const body = firstPageSearchBody(window.location.pathname, window.location.search);
  if (body) startEarlySearch(body);
}
