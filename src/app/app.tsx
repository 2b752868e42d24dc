// The app's root: the shell and its routes (the task list, a model and its tasks, the failures by cause, the nodes, and a page for unknown
// paths).
import { Suspense, lazy, memo, type ComponentType } from 'react';
import { EuiEmptyPrompt, EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import { fixedPageOf } from '../../shared/routes';
import { AppLink, usePathname } from '../lib/router';
import { TasksPage } from '../tasks/tasks-page';
import { AppShell } from './app-shell';

/**
 * A page whose code loads when it is first visited, or before with `preload()`. Once loaded it draws at once: React
 * takes a thenable that calls back synchronously as already resolved, so the gateway's renderer and a hydration of
 * the gateway's markup never meet the loading fallback.
 */
function routePage<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | undefined;
  const preload = () => load().then((page) => (loaded = page));
  const Page = lazy((): Promise<{ default: ComponentType<P> }> =>
    loaded
      ? ({
          then: (resolve: (m: { default: ComponentType<P> }) => void) => resolve({ default: loaded! }),
        } as never)
      : preload().then((page) => ({ default: page })),
  );
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
 * time) does not render it again: a page the gateway rendered hydrates inside its Suspense boundary after the shell,
 * and a synchronous update reaching that boundary first (the shell's cluster report, say) made React throw the
 * gateway's markup away and draw the page again (React error 421). A change of a context above it still reaches it.
 */
const Route = memo(function Route() {
  const pathname = usePathname();
  const page = fixedPageOf(pathname);
  if (page === 'tasks') return <TasksPage />;
  if (page === 'failures') {
    return (
      <Suspense fallback={LOADING}>
        <FailuresPage />
      </Suspense>
    );
  }
  if (page === 'nodes') {
    return (
      <Suspense fallback={LOADING}>
        <NodesPage />
      </Suspense>
    );
  }
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
