// The tasks page: the console's home, every task of the cluster with its filters, summary and drawer.
import { EuiPageTemplate } from '@elastic/eui';
import { TasksView } from './tasks-view';

export function TasksPage() {
  return (
    <>
      <EuiPageTemplate.Header pageTitle="Tasks" description="ML Commons tasks on the cluster." />
      <EuiPageTemplate.Section>
        <TasksView />
      </EuiPageTemplate.Section>
    </>
  );
}
