// The app's root: the shell and its routes (the task list, a model and its tasks, the failures by cause, the nodes, and a page for unknown
// paths).
import { Suspense, lazy, memo, useState, type ComponentType } from 'react';
import { EuiEmptyPrompt, EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import { fixedPageOf } from '../../shared/routes';
import { AppLink, usePathname } from '../lib/router';
import { TasksPage } from '../tasks/tasks-page';
import { AppShell } from './app-shell';

/**
 * A page whose code loads when it is first visited, or before with `preload()`. A page whose code is here when it
 * mounts (the gateway's renderer, a hydration of the gateway's markup, a second visit) is drawn without a Suspense
 * boundary. React hydrates a boundary in a pass of its own after the rest of the page, and a synchronous update that
 * reached it before then made React throw the gateway's markup away and draw the page again (error 421: 2 of 10
 * failures-page journeys). Without a boundary the page hydrates with the shell, in one pass.
 */
function routePage(load: () => Promise<ComponentType>) {
  let loaded: ComponentType | undefined;
  const preload = () => load().then((page) => (loaded = page));
  const Lazy = lazy(() => preload().then((page) => ({ default: page })));
  function Page() {
    // Decided once for this page's life: a boundary that went away would take the page's state with it.
    const [Loaded] = useState(() => loaded);
    if (Loaded) return <Loaded />;
    return (
      <Suspense fallback={LOADING}>
        <Lazy />
      </Suspense>
    );
  }
  return { Page, preload };
}

// Routes other than the tasks page load when they are first visited.
const ModelPage = lazy(() => import('../models/model-page').then((m) => ({ default: m.ModelPage })));
const nodesRoute = routePage(() => import('../nodes/nodes-page').then((m) => m.NodesPage));
const NodesPage = nodesRoute.Page;
const failuresRoute = routePage(() => import('../triage/failures-page').then((m) => m.FailuresPage));
const FailuresPage = failuresRoute.Page;

/** The pages the gateway may render whose code loads apart (the tasks page is in the app's own bundle). */
const RENDERED_ROUTES = { nodes: nodesRoute, failures: failuresRoute };

/** Loads the code of a page the gateway rendered, before the app adopts its markup. */
export function preloadRenderedPage(page: 'tasks' | keyof typeof RENDERED_ROUTES): Promise<unknown> {
  return page === 'tasks' ? Promise.resolve() : RENDERED_ROUTES[page].preload();
}

/** Loads the code of every page the gateway may render (its renderer draws them at once, never a fallback). */
export function preloadRenderedPages(): Promise<unknown> {
  return Promise.all(Object.values(RENDERED_ROUTES).map((route) => route.preload()));
}

const LOADING = <EuiEmptyPrompt icon={<EuiLoadingSpinner size="l" />} title={<h2>Loading…</h2>} />;

function NotFound({ path }: { path: string }) {
  return (
    <EuiPageTemplate.EmptyPrompt
      iconType="question"
      title={<h1>No such page</h1>}
      body={
        <p>
          The console has no page at <code>{path}</code>.
        </p>
      }
      actions={<AppLink to="/">Go to the tasks</AppLink>}
    />
  );
}

/**
 * The page for the current path. Memoised, so that a render of the shell (whose template clones its children each
 * time; its cluster report, say) does not render the whole page again.
 */
const Route = memo(function Route() {
  const pathname = usePathname();
  const page = fixedPageOf(pathname);
  if (page === 'tasks') return <TasksPage />;
  if (page === 'failures') return <FailuresPage />;
  if (page === 'nodes') return <NodesPage />;
  const model = /^\/models\/([^/]+)\/?$/.exec(pathname);
  if (model) {
    let id: string;
    try {
      id = decodeURIComponent(model[1]!);
    } catch {
      return <NotFound path={pathname} />;
    }
    return (
      <Suspense fallback={LOADING}>
        <ModelPage modelId={id} />
      </Suspense>
    );
  }
  return <NotFound path={pathname} />;
});

export function App() {
  return (
    <AppShell>
      <Route />
    </AppShell>
  );
}
