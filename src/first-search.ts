// A second, tiny entry point: starts the first page's task search as soon as the page loads, while the app's
// code (React and EUI) is still downloading; the app takes the answer over when it asks for the same body.
// When the gateway already put the first page into the HTML there is nothing to ask.
import { startEarlySearch } from './api/ml';
import { FIRST_PAGE_ELEMENT_ID, firstPageSearchBody } from './tasks/first-page';

const body = firstPageSearchBody(window.location.pathname, window.location.search);
if (body && !document.getElementById(FIRST_PAGE_ELEMENT_ID)) startEarlySearch(body);
