// What the stand-in says about its cluster, shaped as OpenSearch says it: `GET /`, `_cat/plugins`, `_nodes` and
// `_nodes/plugins`, for the release it answers as (ML Commons X.Y.Z.0 ships with OpenSearch core X.Y.Z).

import { createHash } from 'node:crypto';
import { formatRelease, isAtLeast } from '../../shared/ml-releases';
import type { Release } from '../../shared/ml-releases';
import { clusterNodes } from './seed';

export const DEFAULT_CLUSTER_NAME = 'opensearch-ml-standin';

export interface PluginInfo {
  name: string;
  version: string;
  opensearch_version: string;
  java_version: string;
  description: string;
  classname: string;
  custom_foldername: string;
  extended_plugins: string[];
  has_native_controller: boolean;
}

export interface NodeInfo {
  id: string;
  name: string;
  ip: string;
  roles: string[];
}

export interface ClusterInfo {
  readonly clusterName: string;
  readonly clusterUuid: string;
  /** The core version, `X.Y.Z`. */
  readonly number: string;
  readonly nodes: readonly NodeInfo[];
  /** The node that answers `GET /`. */
  readonly local: NodeInfo;
  readonly plugins: readonly PluginInfo[];
  readonly modules: readonly PluginInfo[];
}

/** The release's build date: its ml-commons release tag's date (the plugin is built with the core release). */
const BUILD_DATES: ReadonlyArray<readonly [string, string]> = [
  ['2.4.0', '2022-11-08T20:40:55Z'],
  ['2.4.1', '2022-12-07T02:39:58Z'],
  ['2.5.0', '2023-01-11T03:42:04Z'],
  ['2.6.0', '2023-02-23T23:43:30Z'],
  ['2.7.0', '2023-04-19T18:07:17Z'],
  ['2.8.0', '2023-06-03T05:50:16Z'],
  ['2.9.0', '2023-07-17T19:07:35Z'],
  ['2.10.0', '2023-09-13T21:18:52Z'],
  ['2.11.0', '2023-10-11T23:47:28Z'],
  ['2.11.1', '2023-11-15T01:28:04Z'],
  ['2.12.0', '2024-02-19T20:25:32Z'],
  ['2.13.0', '2024-03-27T23:38:35Z'],
  ['2.14.0', '2024-05-08T20:17:45Z'],
  ['2.15.0', '2024-06-20T03:12:01Z'],
  ['2.16.0', '2024-07-30T22:50:16Z'],
  ['2.17.0', '2024-09-10T22:43:20Z'],
  ['2.17.1', '2024-09-26T00:00:21Z'],
  ['2.18.0', '2024-10-29T20:10:14Z'],
  ['2.19.0', '2025-02-04T00:02:16Z'],
  ['2.19.1', '2025-02-21T14:58:50Z'],
  ['2.19.2', '2025-04-26T15:37:11Z'],
  ['2.19.3', '2025-07-21T20:44:18Z'],
  ['2.19.4', '2025-11-01T01:41:36Z'],
  ['2.19.5', '2026-03-03T23:41:19Z'],
  ['2.19.6', '2026-06-30T22:26:59Z'],
  ['3.0.0', '2025-05-01T18:01:54Z'],
  ['3.1.0', '2025-06-20T21:16:57Z'],
  ['3.2.0', '2025-08-14T03:08:51Z'],
  ['3.3.0', '2025-10-11T03:31:27Z'],
  ['3.3.2', '2025-10-29T07:46:24Z'],
  ['3.4.0', '2025-12-09T01:22:58Z'],
  ['3.5.0', '2026-02-07T00:19:34Z'],
  ['3.6.0', '2026-04-04T04:47:49Z'],
  ['3.7.0', '2026-05-28T19:47:21Z'],
  ['3.8.0', '2026-07-31T21:30:25Z'],
];

/**
 * The Lucene each core release ships (from OpenSearch's release notes as remembered, not read from its source here:
 * a console has no reason to read it, only the shape matters).
 */
const LUCENE: ReadonlyArray<readonly [string, string]> = [
  ['2.4.0', '9.4.1'],
  ['2.4.1', '9.4.2'],
  ['2.6.0', '9.5.0'],
  ['2.8.0', '9.6.0'],
  ['2.9.0', '9.7.0'],
  ['2.12.0', '9.9.2'],
  ['2.13.0', '9.10.0'],
  ['2.16.0', '9.11.1'],
  ['2.18.0', '9.12.0'],
  ['2.19.0', '9.12.1'],
  ['3.0.0', '10.1.0'],
  ['3.1.0', '10.2.1'],
  ['3.2.0', '10.2.2'],
  ['3.3.0', '10.3.1'],
];

function latest(r: Release, rows: ReadonlyArray<readonly [string, string]>): string {
  let value = rows[0]![1];
  for (const [from, v] of rows) if (isAtLeast(r, from)) value = v;
  return value;
}

/** A release without a known date: the newest known one's date plus six weeks per minor release after it. */
function buildDate(r: Release): string {
  const exact = BUILD_DATES.find(([v]) => v === formatRelease(r));
  if (exact) return exact[1];
  const [base, date] = BUILD_DATES.filter(([v]) => isAtLeast(r, v)).at(-1)!;
  const [bMajor, bMinor] = base.split('.').map(Number) as [number, number];
  const steps = r.major === bMajor ? r.minor - bMinor + r.patch / 4 : 1 + r.minor + r.patch / 4;
  return new Date(Date.parse(date) + Math.round(steps * 42) * 86_400_000).toISOString().replace('.000Z', 'Z');
}

/** Deterministic hex or base64url text from a seed string, for hashes and uuids that must not change between runs. */
function digest(seed: string, encoding: 'hex' | 'base64url', length: number): string {
  return createHash('sha256').update(seed).digest(encoding).slice(0, length);
}

const plugin = (
  r: Release,
  name: string,
  version: string,
  description: string,
  classname: string,
  extended: string[] = [],
): PluginInfo => ({
  name,
  version,
  opensearch_version: formatRelease(r),
  // 2.x plugins target Java 11, 3.x Java 21 (ml-commons' build.gradle).
  java_version: isAtLeast(r, '3.0.0') ? '21' : '11',
  description,
  classname,
  custom_foldername: '',
  extended_plugins: extended,
  has_native_controller: false,
});

/** The cluster of release `r`: the seed's nodes, ML nodes first, with their plugins. */
export function clusterInfo(
  r: Release,
  options: { clusterName?: string; withSecurity?: boolean } = {},
): ClusterInfo {
  const number = formatRelease(r);
  const clusterName = options.clusterName ?? DEFAULT_CLUSTER_NAME;
  let ml = 0;
  let data = 0;
  const nodes = clusterNodes().map(({ id, ml: isMl }): NodeInfo => {
    const n = isMl ? ++ml : ++data;
    return {
      id,
      name: isMl ? `opensearch-ml-${n}` : `opensearch-data-${n}`,
      // The seed's deploy errors name opensearch-ml-2 at 10.0.3.12.
      ip: isMl ? `10.0.3.${10 + n}` : `10.0.2.${10 + n}`,
      roles: isMl
        ? ['ml', 'remote_cluster_client']
        : ['cluster_manager', 'data', 'ingest', 'remote_cluster_client'],
    };
  });
  const pluginVersion = `${number}.0`;
  // ml-commons' plugin/build.gradle: extendedPlugins from 2.19, the optional security plugin from 3.3, transport-grpc 3.8.
  const mlExtends = isAtLeast(r, '3.8.0')
    ? ['opensearch-job-scheduler', 'opensearch-security', 'transport-grpc']
    : isAtLeast(r, '3.3.0')
      ? ['opensearch-job-scheduler', 'opensearch-security']
      : isAtLeast(r, '2.19.0')
        ? ['opensearch-job-scheduler']
        : [];
  const plugins = [
    plugin(
      r,
      'opensearch-job-scheduler',
      pluginVersion,
      'OpenSearch Job Scheduler plugin',
      'org.opensearch.jobscheduler.JobSchedulerPlugin',
    ),
    plugin(
      r,
      'opensearch-knn',
      pluginVersion,
      'OpenSearch k-NN plugin',
      'org.opensearch.knn.plugin.KNNPlugin',
    ),
    plugin(
      r,
      'opensearch-ml',
      pluginVersion,
      'machine learning plugin for opensearch',
      'org.opensearch.ml.plugin.MachineLearningPlugin',
      mlExtends,
    ),
    ...(options.withSecurity
      ? [
          plugin(
            r,
            'opensearch-security',
            pluginVersion,
            'Provide access control related features for OpenSearch',
            'org.opensearch.security.OpenSearchSecurityPlugin',
          ),
        ]
      : []),
  ];
  const modules = [
    plugin(
      r,
      'analysis-common',
      number,
      'Adds "built in" analyzers to OpenSearch.',
      'org.opensearch.analysis.common.CommonAnalysisPlugin',
    ),
    plugin(
      r,
      'lang-painless',
      number,
      'An easy, safe and fast scripting language for OpenSearch',
      'org.opensearch.painless.PainlessModulePlugin',
    ),
    plugin(
      r,
      'transport-netty4',
      number,
      'Netty 4 based transport implementation',
      'org.opensearch.transport.Netty4ModulePlugin',
    ),
  ];
  return {
    clusterName,
    clusterUuid: digest(`cluster ${clusterName}`, 'base64url', 22),
    number,
    nodes,
    local: nodes.find((n) => n.roles.includes('data')) ?? nodes[0]!,
    plugins,
    modules,
  };
}

/** `GET /`. */
export function rootBody(c: ClusterInfo, r: Release): Record<string, unknown> {
  const three = isAtLeast(r, '3.0.0');
  return {
    name: c.local.name,
    cluster_name: c.clusterName,
    cluster_uuid: c.clusterUuid,
    version: {
      distribution: 'opensearch',
      number: c.number,
      build_type: 'tar',
      build_hash: digest(`opensearch ${c.number}`, 'hex', 40),
      build_date: buildDate(r),
      build_snapshot: false,
      lucene_version: latest(r, LUCENE),
      // A major talks to the previous major's last minor and reads its indices.
      minimum_wire_compatibility_version: three ? '2.19.0' : '7.10.0',
      minimum_index_compatibility_version: three ? '2.0.0' : '7.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  };
}

/** `GET /_cat/plugins` rows: one per node and plugin. */
export function pluginRows(c: ClusterInfo): Array<Record<string, string>> {
  return c.nodes.flatMap((n) =>
    c.plugins.map((p) => ({
      id: n.id,
      name: n.name,
      component: p.name,
      version: p.version,
      description: p.description,
    })),
  );
}

/** The metrics `_nodes` knows, and those the stand-in answers. */
export const NODE_METRICS = [
  'settings',
  'os',
  'process',
  'jvm',
  'thread_pool',
  'transport',
  'http',
  'plugins',
  'ingest',
  'aggregations',
  'indices',
  'search_pipelines',
];

/** The nodes a `_nodes` node filter names: `_all`, `_local`, ids or names (with `*`). */
export function selectNodes(c: ClusterInfo, filter: string | undefined): NodeInfo[] {
  if (filter === undefined || filter === '_all') return [...c.nodes];
  const parts = filter.split(',').map((p) => p.trim());
  return c.nodes.filter((n) =>
    parts.some((p) => {
      if (p === '_all') return true;
      if (p === '_local' || p === '_cluster_manager' || p === '_master') return n === c.local;
      const re = new RegExp(
        `^${p
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      return re.test(n.id) || re.test(n.name);
    }),
  );
}

/** `GET /_nodes`: the nodes' basic information, with their plugins and modules when `withPlugins`. */
export function nodesBody(c: ClusterInfo, nodes: NodeInfo[], withPlugins: boolean): Record<string, unknown> {
  const buildHash = digest(`opensearch ${c.number}`, 'hex', 40);
  return {
    _nodes: { total: nodes.length, successful: nodes.length, failed: 0 },
    cluster_name: c.clusterName,
    nodes: Object.fromEntries(
      nodes.map((n) => [
        n.id,
        {
          name: n.name,
          transport_address: `${n.ip}:9300`,
          host: n.ip,
          ip: n.ip,
          version: c.number,
          build_type: 'tar',
          build_hash: buildHash,
          total_indexing_buffer: 53687091,
          roles: n.roles,
          attributes: { shard_indexing_pressure_enabled: 'true' },
          ...(withPlugins ? { plugins: c.plugins, modules: c.modules } : {}),
        },
      ]),
    ),
  };
}
