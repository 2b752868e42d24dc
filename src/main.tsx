// Browser entry point: adopts the first page the gateway rendered (or takes over the first task search), then mounts
// the app with its providers.
import { appendIconComponentCache } from '@elastic/eui/es/components/icon/icon';
import { notifyManager } from '@tanstack/react-query';
import { StrictMode, useEffect, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App, preloadRenderedPage } from './app/app';
import { AppProviders } from './app/app-providers';
import { FIRST_SCREEN_ICONS } from './first-screen/icons';
import { createQueryClient, seedFirstPage } from './app/query-client';
import { replayEarlyInput, takeEarlyInput } from './first-screen/early-input';
import { clusterQueryOptions } from './lib/cluster-report';
import { consoleConfigQueryOptions } from './lib/console-config';
import { FirstScreenContext } from './first-screen/first-screen-context';
import { startEarlyPageRequest } from './first-screen/early-requests';
import {
  ROOT_ELEMENT_ID,
  answersRequest,
  readFirstPage,
  renderedPageRequest,
  type FirstPageData,
} from '../shared/first-page';
import { taskListQueryOptions } from './tasks/task-queries';

/**
 * How long the first render may wait for the first page's rows. first-search.ts sent the search while this code
 * was loading, so the answer is usually here already: rendering once with the rows beats rendering a loading table
 * and then the whole page again. A slow cluster does not hold the page back for longer than this.
 */
const FIRST_ROWS_WAIT_MS = 300;

// React Query tells the views of an answer in a task of its own (setTimeout 0) by default, which waits behind any
// frame the browser draws first; as soon as the answer has been read, in the same task, the rows render a frame sooner.
notifyManager.setScheduler(queueMicrotask);

// Marks for the benchmark and the browser's performance panel: the app's code has run, the app owns the page.
performance.mark('ml:app-code-ran');
appendIconComponentCache(FIRST_SCREEN_ICONS);
const container = document.getElementById(ROOT_ELEMENT_ID);
if (!container) throw new Error(`index.html has no #${ROOT_ELEMENT_ID} element`);
const queryClient = createQueryClient();
const rendered = readFirstPage(document);
/** Whether the gateway answered what this page would ask first of the cluster it rendered it for. */
const adoptable =
  rendered !== undefined &&
  answersRequest(
    rendered,
    renderedPageRequest(
      window.location.pathname,
      window.location.search,
      rendered.cluster?.capabilities,
      document.cookie,
    ),
  );

/**
 * Runs `run` once React has committed the tree: the first render is on screen and owns the page. It wraps the app
 * instead of standing beside it: a sibling would move the app in React's tree, and with it every `useId`, which
 * must match the server's markup.
 */
function AfterCommit({ run, children }: { run: () => void; children: ReactNode }) {
  useEffect(() => {
    // Out of React's commit, so that the steps of `run` can flush their own updates at once.
    queueMicrotask(run);
  }, [run]);
  return children;
}

const app = (firstScreen?: FirstPageData, afterCommit?: () => void) => (
  <StrictMode>
    <FirstScreenContext data={firstScreen}>
      <AppProviders queryClient={queryClient}>
        {afterCommit ? (
          <AfterCommit run={afterCommit}>
            <App />
          </AfterCommit>
        ) : (
          <App />
        )}
      </AppProviders>
    </FirstScreenContext>
  </StrictMode>
);

/**
 * What the user did to the gateway's markup before the app owned it (early-recorder.ts recorded it): taken now, and
 * replayed once on the app's markup (StrictMode runs effects twice in development).
 */
function carryOver(): () => void {
  const early = takeEarlyInput(document, container!);
  let replayed = false;
  return () => {
    if (replayed) return;
    replayed = true;
    performance.mark('ml:app-owns-page');
    replayEarlyInput(container!, early, flushSync);
  };
}

if (rendered && adoptable) {
  // The gateway rendered this very first screen: the app starts from its answer and adopts its markup (hydrates
  // it) instead of drawing the page again, with relative times drawn from the gateway's clock until then.
  seedFirstPage(queryClient, rendered, window.location.search);
  const hydrate = () => hydrateRoot(container, app(rendered, carryOver()));
  // A page whose code loads apart is hydrated once it has: its markup stays as the gateway drew it until then.
  if (rendered.page === 'tasks') hydrate();
  else void preloadRenderedPage(rendered.page).then(hydrate, hydrate);
} else {
  // The search does not need React: ask for it as soon as the cluster's capabilities are known, with exactly the
  // body the task view will ask for (first-search.ts has already sent it, if the cluster takes the usual body).
  const config = queryClient.prefetchQuery(consoleConfigQueryOptions);
  const firstRows = queryClient.fetchQuery(clusterQueryOptions).then((cluster) => {
    const { pathname, search } = window.location;
    const first = renderedPageRequest(pathname, search, cluster.capabilities, document.cookie);
    if (first?.page === 'tasks') return queryClient.prefetchQuery(taskListQueryOptions(first.body));
    // Another page's first request starts now (first-search.ts has started it already, unless the gateway meant to
    // render the page and then sent it plain): the page takes it over, and the first render does not wait for it.
    if (first) startEarlyPageRequest(first);
    return undefined;
  });
  const ready = Promise.race([
    Promise.all([firstRows, config]),
    new Promise((r) => setTimeout(r, FIRST_ROWS_WAIT_MS)),
  ]);
  // Over an empty page, or markup the gateway rendered for another search (the cluster changed under it): drawn
  // in one commit, so nothing flashes, and what the user did to the markup is carried over to the app's.
  const takeOver = () => {
    const replay = carryOver();
    flushSync(() => createRoot(container).render(app()));
    replay();
  };
  void ready.then(takeOver, takeOver);
}
