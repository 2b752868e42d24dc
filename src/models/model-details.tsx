// The model a task belongs to: its name, state, sizes and times, or why it cannot be shown (deleted, hidden, cluster error).
import type { ReactNode } from 'react';
import {
  EuiBadge,
  EuiCallOut,
  EuiCodeBlock,
  EuiDescriptionList,
  EuiFlexGroup,
  EuiFlexItem,
  EuiPanel,
  EuiSkeletonText,
  EuiSkeletonTitle,
  EuiSpacer,
  EuiText,
  EuiTitle,
  type EuiDescriptionListProps,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import type { MlModel } from '../../shared/ml-types';
import { NodeName } from '../nodes/node-name';
import { CopyButton, TimeValue } from '../lib/field-values';
import { formatBytes } from '../lib/format';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { modelDetailQueryOptions } from './model-queries';

/** Settled and healthy is green, failed is red, on its way is blue; partial deployments need a look. */
export function modelStateColor(state: string): string {
  if (state === 'DEPLOYED' || state === 'LOADED') return 'success';
  if (state.endsWith('_FAILED')) return 'danger';
  if (state === 'DEPLOYING' || state === 'REGISTERING' || state === 'LOADING' || state === 'UPLOADING') {
    return 'primary';
  }
  if (state.startsWith('PARTIALLY_')) return 'warning';
  return 'default';
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

function Copyable({ value, label, children }: { value: string; label: string; children?: ReactNode }) {
  return (
    <EuiFlexGroup gutterSize="xs" alignItems="center" responsive={false} wrap>
      <EuiFlexItem grow={false} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children ?? <span>{value}</span>}
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <CopyButton value={value} label={label} />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

function nodeCountText(model: MlModel): string | undefined {
  const { current_worker_node_count: current, planning_worker_node_count: planned } = model;
  if (typeof current === 'number' && typeof planned === 'number')
    return `deployed on ${current} of ${planned}`;
  if (typeof planned === 'number') return `${planned} planned`;
  return undefined;
}

function ModelFields({ modelId, model, now }: { modelId: string; model: MlModel; now: number }) {
  const items: NonNullable<EuiDescriptionListProps['listItems']> = [];
  const add = (title: string, description: ReactNode) => {
    items.push({ title, description: <div data-test-subj={`modelField-${title}`}>{description}</div> });
  };
  const text = (title: string, value: unknown) => {
    if (isPresent(value)) add(title, <span>{asText(value)}</span>);
  };
  const time = (title: string, value: unknown) => {
    if (isPresent(value)) add(title, <TimeValue value={value} now={now} />);
  };

  add('Model ID', <Copyable value={modelId} label="model ID" />);
  if (isPresent(model.model_state)) {
    const state = asText(model.model_state);
    add('State', <EuiBadge color={modelStateColor(state)}>{state}</EuiBadge>);
  }
  text('Algorithm', model.algorithm);
  text('Version', model.model_version);
  text('Format', model.model_format);
  if (isPresent(model.model_group_id)) {
    add('Model group ID', <Copyable value={asText(model.model_group_id)} label="model group ID" />);
  }
  if (typeof model.model_content_size_in_bytes === 'number') {
    add('Size', <span>{formatBytes(model.model_content_size_in_bytes)}</span>);
  }
  time('Created', model.created_time);
  time('Registered', model.last_registered_time);
  time('Deployed', model.last_deployed_time);
  time('Undeployed', model.last_undeployed_time);
  time('Updated', model.last_updated_time);

  const nodes = Array.isArray(model.planning_worker_nodes) ? model.planning_worker_nodes.map(asText) : [];
  const counts = nodeCountText(model);
  if (nodes.length > 0 || counts) {
    add(
      'Planning worker nodes',
      <>
        {counts && <div className="eui-textSubdued">{counts}</div>}
        {nodes.length > 0 && (
          <ul aria-label="Planning worker nodes">
            {nodes.map((node, index) => (
              <li key={`${index}-${node}`}>
                <Copyable value={node} label="worker node">
                  <NodeName id={node} />
                </Copyable>
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  }
  if (model.deploy_to_all_nodes !== undefined)
    text('Deploy to all nodes', model.deploy_to_all_nodes ? 'Yes' : 'No');
  if (isPresent(model.connector_id)) {
    add('Connector ID', <Copyable value={asText(model.connector_id)} label="connector ID" />);
  }
  if (isPresent(model.description)) {
    add('Description', <span style={{ whiteSpace: 'pre-wrap' }}>{asText(model.description)}</span>);
  }
  if (isPresent(model.model_content_hash_value)) {
    add('Content hash', <Copyable value={asText(model.model_content_hash_value)} label="content hash" />);
  }

  return (
    <EuiDescriptionList
      type="column"
      compressed
      columnWidths={[1, 3]}
      listItems={items}
      data-test-subj="modelFields"
    />
  );
}

export function ModelDetails({ modelId }: { modelId: string }) {
  const { data: model, error, refetch, dataUpdatedAt } = useQuery(modelDetailQueryOptions(modelId));

  // Classified, so a 2.8 cluster's 500 "User Doesn't have privilege" and a 2.6 one's 500 "Fail to find model" read
  // the same as 3.x's 403 and 404.
  const meaning = error instanceof ApiError ? error.classified.meaning : undefined;
  if (meaning === 'not-found') {
    return (
      <EuiCallOut
        title={`Model ${modelId} no longer exists`}
        color="warning"
        iconType="warning"
        data-test-subj="modelNotFound"
      >
        <p>
          The cluster has no model with this ID: it was deleted. A model&apos;s tasks outlive it, so its tasks
          are still listed below.
        </p>
      </EuiCallOut>
    );
  }
  if (error instanceof ApiError && meaning === 'no-permission') {
    return (
      <EuiCallOut
        title={`Model ${modelId} cannot be shown`}
        color="warning"
        iconType="lock"
        data-test-subj="modelForbidden"
      >
        <p>
          The cluster answered: <span data-test-subj="modelForbiddenReason">{error.reason}</span>
        </p>
        <p>Its tasks are still listed below.</p>
      </EuiCallOut>
    );
  }
  if (error) {
    return (
      <RequestErrorCallOut
        title={`Could not load model ${modelId}`}
        error={error}
        onRetry={() => void refetch()}
      />
    );
  }

  if (model === undefined) {
    return (
      <EuiPanel hasBorder paddingSize="l" aria-busy="true" data-test-subj="modelDetailsLoading">
        <EuiSkeletonTitle size="m" />
        <EuiSpacer size="m" />
        <EuiSkeletonText lines={6} />
      </EuiPanel>
    );
  }

  return (
    <EuiPanel hasBorder paddingSize="l" data-test-subj="modelDetails">
      <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false} wrap>
        <EuiFlexItem grow={false} style={{ minWidth: 0 }}>
          <EuiTitle size="m">
            <h2 style={{ overflowWrap: 'anywhere' }} data-test-subj="modelName">
              {isPresent(model.name) ? asText(model.name) : modelId}
            </h2>
          </EuiTitle>
        </EuiFlexItem>
        {isPresent(model.model_state) && (
          <EuiFlexItem grow={false}>
            <EuiBadge color={modelStateColor(asText(model.model_state))}>
              {asText(model.model_state)}
            </EuiBadge>
          </EuiFlexItem>
        )}
      </EuiFlexGroup>
      <EuiSpacer size="m" />
      <ModelFields modelId={modelId} model={model} now={dataUpdatedAt} />
      {isPresent(model.model_config) && (
        <>
          <EuiSpacer size="m" />
          <EuiText size="s">
            <h3>Model configuration</h3>
          </EuiText>
          <EuiSpacer size="xs" />
          <EuiCodeBlock language="json" isCopyable paddingSize="s" fontSize="s" data-test-subj="modelConfig">
            {JSON.stringify(model.model_config, null, 2)}
          </EuiCodeBlock>
        </>
      )}
    </EuiPanel>
  );
}
