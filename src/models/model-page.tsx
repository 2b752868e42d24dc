// The model page: a model's details from `GET /_plugins/_ml/models/<id>`, then the tasks of that model.
import { EuiPageTemplate, EuiSpacer } from '@elastic/eui';
import { AppLink } from '../lib/router';
import { TasksView } from '../tasks/tasks-view';
import { ModelDetails } from './model-details';

export function ModelPage({ modelId }: { modelId: string }) {
  return (
    <>
      <EuiPageTemplate.Header
        pageTitle={`Model ${modelId}`}
        breadcrumbs={[{ text: <AppLink to="/">Tasks</AppLink> }, { text: modelId }]}
      />
      <EuiPageTemplate.Section>
        <ModelDetails modelId={modelId} />
        <EuiSpacer />
        <TasksView modelId={modelId} />
      </EuiPageTemplate.Section>
    </>
  );
}
