// Browser entry point: takes over the first task search, then mounts the app with its providers.
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

/**
 * How long the first render may wait for the first page's rows. first-search.ts sent the search while this code
 * was loading, so the answer is usually here already: rendering once with the rows beats rendering a loading table
 * and then the whole page again. A slow cluster does not hold the page back for longer than this.
 */
const FIRST_ROWS_WAIT_MS = 300;

const queryClient = createQueryClient();
const config = queryClient.prefetchQuery(consoleConfigQueryOptions);

// The search does not need React: ask for it now, with exactly the body the task view will ask for.
let firstRows: Promise<unknown> = Promise.resolve();
if (window.location.pathname === '/') {
  const view = viewFromSearch(window.location.search);
  const parsed = parseTaskQuery(view.q);
  if (parsed.ok) {
    firstRows = queryClient.prefetchQuery(
      taskListQueryOptions(buildTaskSearchBody(view, parsed.query), view.refresh),
    );
  }
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
const render = () =>
  root.render(
    <StrictMode>
      <AppProviders queryClient={queryClient}>
        <App />
      </AppProviders>
    </StrictMode>,
  );

void Promise.race([
  Promise.all([firstRows, config]),
  new Promise((r) => setTimeout(r, FIRST_ROWS_WAIT_MS)),
]).then(render, render);
