// The app's root: the shell and its routes (the task list, a model and its tasks, and a page for unknown paths).
import { Suspense, lazy } from 'react';
import { EuiEmptyPrompt, EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import { AppLink, useLocation } from '../lib/router';
import { TasksPage } from '../tasks/tasks-page';
import { AppShell } from './app-shell';

// The model view is a second route: it loads when it is first visited.
const ModelPage = lazy(() => import('../models/model-page').then((m) => ({ default: m.ModelPage })));

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
  const { pathname } = useLocation();
  if (pathname === '/' || pathname === '/index.html') return <TasksPage />;
  const model = /^\/models\/([^/]+)\/?$/.exec(pathname);
  if (model) {
    let id: string;
    try {
      id = decodeURIComponent(model[1]!);
    } catch {
      return <NotFound path={pathname} />;
    }
    return (
      <Suspense fallback={<EuiEmptyPrompt icon={<EuiLoadingSpinner size="l" />} title={<h2>Loading…</h2>} />}>
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
