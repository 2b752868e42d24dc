// The app's root: the shell and its routes (the task list, a model and its tasks, the failures by cause, the nodes, and a page for unknown
// paths).
import { Suspense, lazy } from 'react';
import { EuiEmptyPrompt, EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import { fixedPageOf } from '../../shared/routes';
import { AppLink, usePathname } from '../lib/router';
import { TasksPage } from '../tasks/tasks-page';
import { AppShell } from './app-shell';

// Routes other than the tasks page load when they are first visited.
const ModelPage = lazy(() => import('../models/model-page').then((m) => ({ default: m.ModelPage })));
const NodesPage = lazy(() => import('../nodes/nodes-page').then((m) => ({ default: m.NodesPage })));
const FailuresPage = lazy(() => import('../triage/failures-page').then((m) => ({ default: m.FailuresPage })));

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

function Route() {
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
}

export function App() {
  return (
    <AppShell>
      <Route />
    </AppShell>
  );
}
