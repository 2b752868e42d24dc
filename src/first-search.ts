// A second, tiny entry point: starts the first page's task search as soon as the page loads, while the app's
// code (React and EUI) is still downloading; the app takes the answer over when it asks for the same body.
import { startEarlySearch } from './api/ml';
import { parseTaskQuery } from './tasks/task-query';
import { buildTaskSearchBody } from './tasks/task-search-body';
import { viewFromSearch } from './tasks/task-view-state';

if (window.location.pathname === '/') {
  const view = viewFromSearch(window.location.search);
  const parsed = parseTaskQuery(view.q);
  if (parsed.ok) startEarlySearch(buildTaskSearchBody(view, parsed.query));
}
