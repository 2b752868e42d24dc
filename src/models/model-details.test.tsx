// Tests for the model panel against the in-process stand-in: a model's fields, a deleted model and a hidden one.
import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStandin, type Standin } from '../../server/standin/server';
import type { MlModel } from '../../shared/ml-types';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { formatTimestamp } from '../lib/format';
import { ModelDetails, modelStateColor } from './model-details';

const T0 = Date.UTC(2025, 0, 10, 9, 30, 0);

const MODEL: MlModel = {
  name: 'huggingface/sentence-transformers/all-MiniLM-L6-v2',
  model_group_id: 'group-1',
  algorithm: 'TEXT_EMBEDDING',
  model_version: '3',
  model_format: 'TORCH_SCRIPT',
  model_state: 'DEPLOYED',
  model_content_size_in_bytes: 91_790_008,
  model_config: { model_type: 'bert', embedding_dimension: 384, framework_type: 'sentence_transformers' },
  created_time: T0,
  last_registered_time: T0 + 60_000,
  last_deployed_time: T0 + 120_000,
  last_updated_time: T0 + 120_000,
  planning_worker_node_count: 2,
  current_worker_node_count: 2,
  planning_worker_nodes: ['node-a', 'node-b'],
  description: 'Maps sentences to a 384-dimensional vector. <img src=x onerror=alert(1)>',
};

let standin: Standin | undefined;

afterEach(async () => {
  vi.unstubAllGlobals();
  await standin?.close();
  standin = undefined;
});

async function startStandin(models: Record<string, MlModel>): Promise<Standin> {
  standin = createStandin({ models: Object.entries(models).map(([_id, _source]) => ({ _id, _source })) });
  const baseUrl = await standin.listen(0, '127.0.0.1');
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(new URL(String(input), baseUrl), init),
  );
  return standin;
}

function renderDetails(modelId: string) {
  render(
    <AppProviders queryClient={createQueryClient()}>
      <ModelDetails modelId={modelId} />
    </AppProviders>,
  );
}

const field = (title: string) => screen.getByTestId(`modelField-${title}`);

describe('ModelDetails', () => {
  it('shows the model’s name, state and fields', async () => {
    await startStandin({ 'model-1': MODEL });
    renderDetails('model-1');

    expect(await screen.findByRole('heading', { name: MODEL.name })).toBeInTheDocument();
    expect(field('Model ID')).toHaveTextContent('model-1');
    expect(field('State')).toHaveTextContent('DEPLOYED');
    expect(field('Algorithm')).toHaveTextContent('TEXT_EMBEDDING');
    expect(field('Version')).toHaveTextContent('3');
    expect(field('Format')).toHaveTextContent('TORCH_SCRIPT');
    expect(field('Model group ID')).toHaveTextContent('group-1');
    expect(field('Size')).toHaveTextContent(/\d/);
    expect(field('Created')).toHaveTextContent(formatTimestamp(T0)!);
    expect(field('Registered')).toHaveTextContent(formatTimestamp(T0 + 60_000)!);
    expect(field('Deployed')).toHaveTextContent(formatTimestamp(T0 + 120_000)!);
    expect(field('Updated')).toHaveTextContent(formatTimestamp(T0 + 120_000)!);
    const nodes = within(field('Planning worker nodes'));
    // Neither id is a node of the stand-in's cluster: once `_nodes` has answered, each says so.
    await nodes.findAllByTestId('nodeNotInCluster');
    expect(nodes.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'node-a (not in the cluster)',
      'node-b (not in the cluster)',
    ]);
    expect(nodes.getByText('deployed on 2 of 2')).toBeInTheDocument();
    expect(field('Description')).toHaveTextContent(MODEL.description!);
    expect(document.querySelector('img')).toBeNull();
    expect(screen.queryByTestId('modelField-Connector ID')).not.toBeInTheDocument();

    const config = JSON.parse(screen.getByTestId('modelConfig').textContent!);
    expect(config).toEqual(MODEL.model_config);
  });

  it('says a deleted model no longer exists, at once', async () => {
    const cluster = await startStandin({ 'model-1': MODEL });
    renderDetails('model-gone');
    const callout = await screen.findByTestId('modelNotFound');
    expect(callout).toHaveTextContent('Model model-gone no longer exists');
    expect(callout).toHaveTextContent('its tasks are still listed below');
    expect(cluster.requestLog.filter((r) => r.uri === '/_plugins/_ml/models/model-gone')).toHaveLength(1);
  });

  it('shows the cluster’s message for a hidden model', async () => {
    await startStandin({ 'model-h': { ...MODEL, is_hidden: true } });
    renderDetails('model-h');
    const callout = await screen.findByTestId('modelForbidden');
    expect(within(callout).getByTestId('modelForbiddenReason')).toHaveTextContent(
      "User doesn't have privilege to perform this operation on this model, model ID model-h",
    );
  });

  it('colours model states by what they mean', () => {
    expect(modelStateColor('DEPLOYED')).toBe('success');
    expect(modelStateColor('DEPLOY_FAILED')).toBe('danger');
    expect(modelStateColor('LOAD_FAILED')).toBe('danger');
    expect(modelStateColor('DEPLOYING')).toBe('primary');
    expect(modelStateColor('REGISTERING')).toBe('primary');
    expect(modelStateColor('LOADING')).toBe('primary');
    expect(modelStateColor('REGISTERED')).toBe('default');
    expect(modelStateColor('SOMETHING_NEW')).toBe('default');
  });
});
