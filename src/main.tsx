// Browser entry point: starts the first task search, then mounts the app with its providers.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AppProviders } from './app/app-providers';
import { createQueryClient } from './app/query-client';
import { taskListQueryOptions } from './tasks/task-queries';
import { DEFAULT_TASK_LIST_PARAMS } from './tasks/task-search-body';

const queryClient = createQueryClient();
// The search does not need React: start it now so it runs while EUI's modules evaluate and the first render happens.
void queryClient.prefetchQuery(taskListQueryOptions(DEFAULT_TASK_LIST_PARAMS));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <App />
    </AppProviders>
  </StrictMode>,
);
