// `GET /_cluster/settings` as OpenSearch answers it: persistent and transient values, and with `include_defaults`
// the defaults of the settings the release knows (the ML Commons ones read from MLCommonsSettings per release tag).

import { isAtLeast } from '../../shared/ml-releases';
import type { Release } from '../../shared/ml-releases';

/** A setting's value as OpenSearch prints it: settings are strings, list settings arrays of strings. */
export type SettingValue = string | string[];

/** An ML Commons setting: its name, and its default from the first release in `defaults` that `r` has reached. */
interface MlSetting {
  name: string;
  /** Ascending (first release, default) rows; before the first row the setting does not exist. */
  defaults: ReadonlyArray<readonly [string, SettingValue]>;
  /** The first release without it (the pre-2.7 upload/load names). */
  until?: string;
}

const ML = 'plugins.ml_commons.';

/**
 * The ML Commons settings the stand-in reports, read from MLCommonsSettings.java at each release tag (2.4.0.0 …
 * 3.8.0.0): the ones about tasks, nodes and the features the console meets, not all ~60. The batch limits were 10
 * from 2.18 and became 100 in 3.4 (ml-commons-versions.md says 100: that is 3.4 on).
 */
const ML_SETTINGS: readonly MlSetting[] = [
  { name: `${ML}ml_task_timeout_in_seconds`, defaults: [['2.5.0', '600']] },
  {
    name: `${ML}max_batch_inference_tasks`,
    defaults: [
      ['2.18.0', '10'],
      ['3.4.0', '100'],
    ],
  },
  {
    name: `${ML}max_batch_ingestion_tasks`,
    defaults: [
      ['2.18.0', '10'],
      ['3.4.0', '100'],
    ],
  },
  { name: `${ML}batch_ingestion_bulk_size`, defaults: [['2.18.0', '500']] },
  { name: `${ML}max_ml_task_per_node`, defaults: [['2.4.0', '10']] },
  { name: `${ML}max_model_on_node`, defaults: [['2.4.0', '10']] },
  { name: `${ML}max_upload_model_tasks_per_node`, defaults: [['2.4.0', '10']], until: '2.7.0' },
  { name: `${ML}max_load_model_tasks_per_node`, defaults: [['2.4.0', '10']], until: '2.7.0' },
  { name: `${ML}max_register_model_tasks_per_node`, defaults: [['2.7.0', '10']] },
  { name: `${ML}max_deploy_model_tasks_per_node`, defaults: [['2.7.0', '10']] },
  {
    name: `${ML}only_run_on_ml_node`,
    defaults: [
      ['2.4.0', 'false'],
      ['2.5.0', 'true'],
    ],
  },
  {
    name: `${ML}sync_up_job_interval_in_seconds`,
    defaults: [
      ['2.4.0', '10'],
      ['2.6.0', '3'],
      ['2.9.0', '10'],
    ],
  },
  { name: `${ML}monitoring_request_count`, defaults: [['2.4.0', '100']] },
  { name: `${ML}native_memory_threshold`, defaults: [['2.5.0', '90']] },
  { name: `${ML}jvm_heap_memory_threshold`, defaults: [['2.9.0', '85']] },
  {
    name: `${ML}model_auto_redeploy.enable`,
    defaults: [
      ['2.7.0', 'false'],
      ['2.12.0', 'true'],
    ],
  },
  { name: `${ML}model_auto_redeploy.lifetime_retry_times`, defaults: [['2.7.0', '3']] },
  { name: `${ML}model_access_control_enabled`, defaults: [['2.8.0', 'false']] },
  { name: `${ML}remote_inference.enabled`, defaults: [['2.10.0', 'true']] },
  {
    name: `${ML}agent_framework_enabled`,
    defaults: [
      ['2.12.0', 'false'],
      ['2.13.0', 'true'],
    ],
  },
  { name: `${ML}local_model.enabled`, defaults: [['2.13.0', 'true']] },
  { name: `${ML}offline_batch_inference_enabled`, defaults: [['2.17.1', 'true']] },
  { name: `${ML}offline_batch_ingestion_enabled`, defaults: [['2.17.1', 'true']] },
  { name: `${ML}multi_tenancy_enabled`, defaults: [['2.19.0', 'false']] },
];

/** The ML Commons settings of release `r` with their defaults, in the order above. */
export function mlSettingDefaults(r: Release): Array<readonly [string, SettingValue]> {
  const out: Array<readonly [string, SettingValue]> = [];
  for (const s of ML_SETTINGS) {
    if (s.until && isAtLeast(r, s.until)) continue;
    let value: SettingValue | undefined;
    for (const [from, v] of s.defaults) if (isAtLeast(r, from)) value = v;
    if (value !== undefined) out.push([s.name, value]);
  }
  return out;
}

/** A few core defaults, so that `defaults` looks like a cluster's and not like ML Commons alone. */
function coreDefaults(clusterName: string, nodeName: string): Array<readonly [string, SettingValue]> {
  return [
    ['action.auto_create_index', 'true'],
    ['action.destructive_requires_name', 'false'],
    ['cluster.name', clusterName],
    ['cluster.routing.allocation.enable', 'all'],
    ['indices.breaker.total.limit', '95%'],
    ['node.name', nodeName],
    ['search.default_search_timeout', '-1'],
    ['search.max_buckets', '65535'],
  ];
}

/** The value OpenSearch stores for a setting given in a request: numbers and booleans become strings. */
export function settingValue(value: unknown): SettingValue {
  if (Array.isArray(value)) return value.map((v) => String(v));
  return String(value);
}

/** Flat keys as a nested object (`a.b.c` → `{a:{b:{c}}}`), keys sorted as OpenSearch's settings are. */
function nest(flat: ReadonlyArray<readonly [string, SettingValue]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of [...flat].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (
        typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[part] = {})
      ) as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return out;
}

function flat(entries: ReadonlyArray<readonly [string, SettingValue]>): Record<string, SettingValue> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface SettingsScopes {
  persistent: ReadonlyMap<string, SettingValue>;
  transient: ReadonlyMap<string, SettingValue>;
}

/**
 * The body of `GET /_cluster/settings`: persistent and transient always (empty objects when nothing is set), and
 * `defaults` with `include_defaults`, leaving out what either scope sets (as OpenSearch does). Nested unless
 * `flatSettings`.
 */
export function clusterSettingsBody(
  r: Release,
  scopes: SettingsScopes,
  options: { includeDefaults: boolean; flatSettings: boolean; clusterName: string; nodeName: string },
): Record<string, unknown> {
  const shape = options.flatSettings ? flat : nest;
  const body: Record<string, unknown> = {
    persistent: shape([...scopes.persistent]),
    transient: shape([...scopes.transient]),
  };
  if (options.includeDefaults) {
    const set = new Set([...scopes.persistent.keys(), ...scopes.transient.keys()]);
    const defaults = [...coreDefaults(options.clusterName, options.nodeName), ...mlSettingDefaults(r)].filter(
      ([k]) => !set.has(k),
    );
    body.defaults = shape(defaults);
  }
  return body;
}

/**
 * The value in force: transient over persistent over the default (undefined when the release has no such
 * setting).
 */
export function effectiveSetting(r: Release, scopes: SettingsScopes, name: string): SettingValue | undefined {
  return (
    scopes.transient.get(name) ??
    scopes.persistent.get(name) ??
    mlSettingDefaults(r).find(([k]) => k === name)?.[1]
  );
}
