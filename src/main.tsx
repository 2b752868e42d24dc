// Browser entry point: takes over the first task search (or the first page the gateway rendered), then mounts the
// app with its providers.
import { appendIconComponentCache } from '@elastic/eui/es/components/icon/icon';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AppProviders } from './app/app-providers';
import { FIRST_SCREEN_ICONS } from './app/first-screen-icons';
import { createQueryClient, seedFirstPage } from './app/query-client';
import { replayEarlyInput, takeEarlyInput } from './lib/early-input';
import { clusterQueryOptions } from './lib/cluster-report';
import { consoleConfigQueryOptions } from './lib/console-config';
import { ROOT_ELEMENT_ID, firstPageSearchBody, readFirstPage } from '../shared/first-page';
import { taskListQueryOptions } from './tasks/task-queries';
import type { SearchCapabilities } from '../shared/task-search-body';

/**
 * How long the first render may wait for the first page's rows. first-search.ts sent the search while this code
 * was loading, so the answer is usually here already: rendering once with the rows beats rendering a loading table
 * and then the whole page again. A slow cluster does not hold the page back for longer than this.
 */
const FIRST_ROWS_WAIT_MS = 300;

appendIconComponentCache(FIRST_SCREEN_ICONS);
const container = document.getElementById(ROOT_ELEMENT_ID);
if (!container) throw new Error(`index.html has no #${ROOT_ELEMENT_ID} element`);
const queryClient = createQueryClient();
const rendered = readFirstPage(document);
const bodyFor = (capabilities?: SearchCapabilities) =>
  firstPageSearchBody(window.location.pathname, window.location.search, capabilities);
const renderedBody = rendered && bodyFor(rendered.cluster?.capabilities);

let ready: Promise<unknown> | undefined;
if (rendered && renderedBody && JSON.stringify(rendered.body) === JSON.stringify(renderedBody)) {
  // The gateway rendered the first screen with this answer: the app starts from it, so its first render shows
  // what is already on screen and asks the cluster nothing.
  seedFirstPage(queryClient, rendered);
} else {
  // The search does not need React: ask for it as soon as the cluster's capabilities are known, with exactly the
  // body the task view will ask for (first-search.ts has already sent it, if the cluster takes the usual body).
  const config = queryClient.prefetchQuery(consoleConfigQueryOptions);
  const firstRows = queryClient.fetchQuery(clusterQueryOptions).then((cluster) => {
    const body = bodyFor(cluster.capabilities);
    return body ? queryClient.prefetchQuery(taskListQueryOptions(body)) : undefined;
  });
  ready = Promise.race([
    Promise.all([firstRows, config]),
    new Promise((r) => setTimeout(r, FIRST_ROWS_WAIT_MS)),
  ]);
}

const root = createRoot(container);
const render = () =>
  root.render(
    <StrictMode>
      <AppProviders queryClient={queryClient}>
        <App />
      </AppProviders>
    </StrictMode>,
  );

/**
 * Over the gateway's markup: replaced in one commit, so nothing flashes, and what the user did to it until now
 * (first-search.ts recorded it) is carried over to the app's.
 */
const takeOver = () => {
  const early = takeEarlyInput(document, container);
  flushSync(render);
  replayEarlyInput(container, early, flushSync);
};

if (ready) void ready.then(takeOver, takeOver);
// At once, so the markup's buttons (dead until the app owns them) work before the page's load event.
else takeOver();
