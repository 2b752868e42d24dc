// The app's root: the shell and, for now, its one page.
import { EuiPageTemplate } from '@elastic/eui';
import { TasksPage } from '../tasks/tasks-page';
import { AppShell } from './app-shell';

export function App() {
  return (
    <AppShell>
      <EuiPageTemplate.Header
        pageTitle="Tasks"
        description="ML Commons tasks on the cluster, newest first."
      />
      <EuiPageTemplate.Section>
        <TasksPage />
      </EuiPageTemplate.Section>
    </AppShell>
  );
}
