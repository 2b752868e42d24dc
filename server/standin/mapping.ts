// Field mappings of the two ML Commons system indices the stand-in serves, as ML Commons creates them.

export type FieldType =
  'keyword' | 'text' | 'date' | 'boolean' | 'float' | 'long' | 'integer' | 'flat_object' | 'nested';

export interface IndexMapping {
  fields: Record<string, FieldType>;
  /** Multi-fields such as `name.keyword`: the sub-field's path mapped to its type and parent. */
  subFields: Record<string, { parent: string; type: FieldType }>;
}

export const TASK_MAPPING: IndexMapping = {
  fields: {
    model_id: 'keyword',
    task_type: 'keyword',
    function_name: 'keyword',
    state: 'keyword',
    input_type: 'keyword',
    progress: 'float',
    output_index: 'keyword',
    worker_node: 'keyword',
    create_time: 'date',
    last_update_time: 'date',
    error: 'text',
    is_async: 'boolean',
    remote_job: 'flat_object',
    response: 'flat_object',
    tenant_id: 'keyword',
    user: 'nested',
  },
  subFields: {},
};

export const MODEL_MAPPING: IndexMapping = {
  fields: {
    name: 'text',
    model_group_id: 'keyword',
    algorithm: 'keyword',
    model_version: 'keyword',
    model_format: 'keyword',
    model_state: 'keyword',
    model_content_size_in_bytes: 'long',
    model_content_hash_value: 'keyword',
    model_config: 'flat_object',
    created_time: 'date',
    last_updated_time: 'date',
    last_registered_time: 'date',
    last_deployed_time: 'date',
    last_undeployed_time: 'date',
    planning_worker_node_count: 'integer',
    current_worker_node_count: 'integer',
    planning_worker_nodes: 'keyword',
    deploy_to_all_nodes: 'boolean',
    description: 'text',
    connector_id: 'keyword',
    is_hidden: 'boolean',
    chunk_number: 'long',
    total_chunks: 'integer',
    model_id: 'keyword',
    tenant_id: 'keyword',
  },
  subFields: { 'name.keyword': { parent: 'name', type: 'keyword' } },
};

/**
 * The flat_object field a dot path reaches into (`remote_job` for `remote_job.request_counts.total`), or undefined
 * when the path is a mapped field or leads nowhere. OpenSearch answers such a path with a keyword-like field of its own.
 */
export function flatObjectRoot(mapping: IndexMapping, field: string): string | undefined {
  if (mapping.fields[field] || mapping.subFields[field]) return undefined;
  const dot = field.indexOf('.');
  if (dot <= 0) return undefined;
  const root = field.slice(0, dot);
  return mapping.fields[root] === 'flat_object' ? root : undefined;
}

/** Types with per-document values in columns: these can be sorted and aggregated. */
export function isColumnar(type: FieldType): boolean {
  return type !== 'text' && type !== 'flat_object' && type !== 'nested';
}
