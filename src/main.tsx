// Browser entry point: starts the first task search, then mounts the app with its providers.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AppProviders } from './app/app-providers';
import { createQueryClient } from './app/query-client';
import { consoleConfigQueryOptions } from './lib/console-config';
import { taskListQueryOptions } from './tasks/task-queries';
import { parseTaskQuery } from './tasks/task-query';
import { buildTaskSearchBody } from './tasks/task-search-body';
import { viewFromSearch } from './tasks/task-view-state';

const queryClient = createQueryClient();
void queryClient.prefetchQuery(consoleConfigQueryOptions);

// The search does not need React: ask for it now, with exactly the body the task view will ask for, so it runs
// while the first render happens (first-search.ts has usually started it already, and this takes it over).
if (window.location.pathname === '/') {
  const view = viewFromSearch(window.location.search);
  const parsed = parseTaskQuery(view.q);
  if (parsed.ok)
    void queryClient.prefetchQuery(
      taskListQueryOptions(buildTaskSearchBody(view, parsed.query), view.refresh),
    );
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <App />
    </AppProviders>
  </StrictMode>,
);
