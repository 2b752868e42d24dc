// The nodes page: every node of the cluster and every node id tasks name, with the tasks touching it, its failures,
// its active tasks, its last activity, whether it is still in the cluster, and its ML stats.
import { useMemo } from 'react';
import {
  EuiButton,
  EuiCallOut,
  EuiHealth,
  EuiInMemoryTable,
  EuiPageTemplate,
  EuiScreenReaderOnly,
  EuiSpacer,
  EuiText,
  EuiTextColor,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { useCapabilities } from '../lib/cluster-report';
import { formatNumber, formatRelative, formatTimestamp, toDate } from '../lib/format';
import { explainError, RequestErrorCallOut } from '../lib/request-error-callout';
import { AppLink, useLocation } from '../lib/router';
import { useNumberLocale } from '../lib/server-request';
import { useHydrated } from '../lib/use-hydrated';
import { useNow } from '../lib/use-now';
import type { NodeNames } from './cluster-nodes';
import { NodeNameOf } from './node-name';
import { buildNodeRows, type NodeRow, type NodeStats } from './node-rows';
import {
  mlStatsQueryOptions,
  nodeTaskCountsQueryOptions,
  nodesQueryOptions,
  type NodeCountPlan,
} from './node-queries';
import { DISCOVERY_SAMPLE, nodeTasksHref } from './node-task-counts';
import {
  stateGroupsOf,
  countScopeOf,
  type CountScope,
  type StateGroups,
} from '../../shared/node-count-search';
import { useNodeNames, whyNoNames } from './use-node-names';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** An empty cell that says why, on hover and to screen readers. */
function Missing({ why }: { why: string }) {
  return (
    <EuiTextColor color="subdued" title={why}>
      <span aria-hidden>—</span>
      <EuiScreenReaderOnly>
        <span>{why}</span>
      </EuiScreenReaderOnly>
    </EuiTextColor>
  );
}

/** A count that opens the tasks page on exactly the tasks it counts. */
function CountLink({
  value,
  href,
  label,
  color,
  locale,
}: {
  value: number;
  href: string;
  label: string;
  color?: 'danger';
  locale: string | undefined;
}) {
  const text = formatNumber(value, locale);
  return (
    <AppLink to={href} aria-label={label}>
      {color && value > 0 ? <EuiTextColor color={color}>{text}</EuiTextColor> : text}
    </AppLink>
  );
}

/** The sentence that says which tasks the counts cover. */
function scopeText(scope: CountScope): string {
  const field = scope.timeField === 'create_time' ? 'created' : 'last updated';
  if (scope.from === '' && scope.to === '') return 'Counts cover every task, of all time.';
  if (scope.to === '') return `Counts cover the tasks ${field} since ${scope.from}.`;
  if (scope.from === '') return `Counts cover the tasks ${field} until ${scope.to}.`;
  return `Counts cover the tasks ${field} from ${scope.from} to ${scope.to}.`;
}

function statColumn(
  key: keyof NodeStats,
  name: string,
  description: string,
  statsUnavailable: string | undefined,
  locale: string | undefined,
  format: (n: number) => string = (n) => formatNumber(n, locale),
): EuiBasicTableColumn<NodeRow> {
  return {
    name,
    nameTooltip: { content: description },
    align: 'right',
    sortable: (row: NodeRow) => row.stats?.[key] ?? -1,
    render: (row: NodeRow) => {
      const value = row.stats?.[key];
      if (value !== undefined) return <span style={NOWRAP}>{format(value)}</span>;
      if (statsUnavailable) return <Missing why={statsUnavailable} />;
      if (row.inCluster === false) return <Missing why="Not in the cluster: no ML stats" />;
      return <Missing why="The node reported no ML stats" />;
    },
    'data-test-subj': `nodeStat-${key}`,
  };
}

function columns(
  names: NodeNames,
  groups: StateGroups,
  scope: CountScope,
  now: number,
  locale: string | undefined,
  countsUnavailable: string | undefined,
  statsUnavailable: string | undefined,
): Array<EuiBasicTableColumn<NodeRow>> {
  const count = (
    name: string,
    description: string,
    pick: 'tasks' | 'failures' | 'active',
    group: 'all' | 'failed' | 'active',
    color?: 'danger',
  ): EuiBasicTableColumn<NodeRow> => ({
    name,
    nameTooltip: { content: description },
    align: 'right',
    sortable: (row: NodeRow) => row.counts?.[pick] ?? -1,
    render: (row: NodeRow) => {
      if (!row.counts) return <Missing why={countsUnavailable ?? 'Not counted yet'} />;
      const value = row.counts[pick];
      const task = value === 1 ? 'task' : 'tasks';
      const what = pick === 'tasks' ? task : pick === 'failures' ? `failed ${task}` : `active ${task}`;
      return (
        <CountLink
          value={value}
          href={nodeTasksHref(row.counts.values, group, groups, scope)}
          label={`${formatNumber(value, locale)} ${what} on ${row.name}: show them`}
          locale={locale}
          {...(color ? { color } : {})}
        />
      );
    },
    'data-test-subj': `nodeCount-${pick}`,
  });
  return [
    {
      field: 'name',
      name: 'Node',
      sortable: true,
      render: (_name: string, row: NodeRow) => <NodeNameOf id={row.id} names={names} />,
      'data-test-subj': 'nodeColumn-name',
    },
    {
      name: 'Roles',
      // Each role stays whole; a list wraps between roles.
      render: (row: NodeRow) =>
        row.roles.length > 0 ? (
          <span>
            {row.roles.map((role, i) => (
              <span key={role}>
                <span style={NOWRAP}>{role}</span>
                {i < row.roles.length - 1 ? ', ' : ''}
              </span>
            ))}
          </span>
        ) : (
          <Missing why="Roles not known" />
        ),
    },
    {
      name: 'In the cluster',
      sortable: (row: NodeRow) => (row.inCluster === true ? 1 : row.inCluster === false ? 0 : -1),
      render: (row: NodeRow) =>
        row.inCluster === true ? (
          <EuiHealth color="success" textSize="xs">
            Yes
          </EuiHealth>
        ) : row.inCluster === false ? (
          <EuiHealth
            color="warning"
            textSize="xs"
            title="Tasks name this node, but the cluster does not list it now"
          >
            No: left it
          </EuiHealth>
        ) : (
          <Missing why="Not known: the cluster’s node list could not be read" />
        ),
      'data-test-subj': 'nodeColumn-inCluster',
    },
    count('Tasks', 'Tasks whose worker nodes include this node', 'tasks', 'all'),
    count('Failed', `Tasks in state ${groups.failed.join(', ')}`, 'failures', 'failed', 'danger'),
    count('Active', `Tasks in state ${groups.active.join(', ')}`, 'active', 'active'),
    {
      name: 'Last activity',
      nameTooltip: { content: 'The newest last update of a task on this node' },
      sortable: (row: NodeRow) => row.counts?.lastActivity ?? -1,
      render: (row: NodeRow) => {
        const last = row.counts?.lastActivity;
        if (last === undefined)
          return (
            <Missing
              why={row.counts ? 'No task names this node' : (countsUnavailable ?? 'Not counted yet')}
            />
          );
        return (
          <time dateTime={toDate(last)?.toISOString()} title={formatTimestamp(last)} style={NOWRAP}>
            {formatRelative(last, now)}
          </time>
        );
      },
    },
    statColumn(
      'executingTasks',
      'Executing',
      'ML tasks the node is executing now (ML stats)',
      statsUnavailable,
      locale,
    ),
    statColumn(
      'failures',
      'ML failures',
      'Failed ML requests on the node since it started (ML stats)',
      statsUnavailable,
      locale,
    ),
    statColumn(
      'deployedModels',
      'Deployed models',
      'Models deployed on the node (ML stats)',
      statsUnavailable,
      locale,
    ),
    statColumn(
      'circuitBreakerTrips',
      'Breaker trips',
      'Times an ML circuit breaker (memory, disk, native memory) refused work on the node (ML stats)',
      statsUnavailable,
      locale,
    ),
    statColumn(
      'heapPercent',
      'JVM heap',
      'JVM heap in use on the node (ML stats)',
      statsUnavailable,
      locale,
      (n) => `${n}%`,
    ),
  ];
}

export function NodesPage() {
  const { search } = useLocation();
  const scope = useMemo(() => countScopeOf(search), [search]);
  const capabilities = useCapabilities();
  const locale = useNumberLocale();
  const now = useNow(15_000);
  const hydrated = useHydrated();
  const nodes = useQuery(nodesQueryOptions);
  // The page's own node list names its rows, from the first render on: the gateway draws this page with the list
  // (and the hydration has the same), where other views show ids until the app owns the page (useNodeNames).
  const shared = useNodeNames();
  const names = useMemo(
    (): NodeNames => (nodes.data ? { status: 'ready', nodes: nodes.data } : shared),
    [nodes.data, shared],
  );
  const stats = useQuery(mlStatsQueryOptions);
  const groups = useMemo(
    () => (capabilities ? stateGroupsOf(capabilities.states) : undefined),
    [capabilities],
  );
  const nodesSettled = !nodes.isPending;
  const clusterIds = useMemo(() => [...(nodes.data?.byId.keys() ?? [])], [nodes.data]);
  const plan = useMemo((): NodeCountPlan | undefined => {
    if (!capabilities || !groups) return undefined;
    if (capabilities.aggregationsInSearch) return { mode: 'aggregations', scope, groups };
    // Counted one node at a time: the cluster's nodes first, so wait for its list (or its failure).
    if (!nodesSettled) return undefined;
    return { mode: 'searches', scope, groups, clusterIds };
  }, [capabilities, groups, scope, nodesSettled, clusterIds]);
  const counts = useQuery(nodeTaskCountsQueryOptions(plan));

  const rows = useMemo(
    () => buildNodeRows({ nodes: nodes.data, counts: counts.data?.counts, stats: stats.data }),
    [nodes.data, counts.data, stats.data],
  );
  const statsUnavailable = stats.error
    ? `ML stats not shown: ${explainError(stats.error).headline}`
    : undefined;
  const countsUnavailable = counts.error ? 'The tasks could not be counted' : undefined;
  const loading = nodes.isPending || (plan !== undefined && counts.isPending) || !capabilities;
  const fetching = hydrated && (nodes.isFetching || stats.isFetching || counts.isFetching);

  const refresh = () => {
    void nodes.refetch();
    void stats.refetch();
    if (plan) void counts.refetch();
  };

  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="Nodes"
        description="The cluster’s nodes and every node the tasks name, with their tasks and ML stats."
        rightSideItems={[
          <EuiButton
            key="refresh"
            iconType="refresh"
            size="s"
            onClick={refresh}
            isLoading={fetching}
            data-test-subj="refreshNodes"
          >
            Refresh
          </EuiButton>,
        ]}
      />
      <EuiPageTemplate.Section>
        <EuiText size="s" color="subdued" data-test-subj="nodesScope">
          <p>
            {scopeText(scope)}{' '}
            {(scope.from !== '' || scope.to !== '') && (
              <AppLink to="/nodes">Count every task instead</AppLink>
            )}
          </p>
        </EuiText>
        {capabilities && !capabilities.aggregationsInSearch && (
          <EuiText size="xs" color="subdued" data-test-subj="slowNodeCounts">
            <p>
              ML Commons {capabilities.release} never answers a task search that carries aggregations, so each
              node is counted with searches of its own, and nodes that have left the cluster are found among
              the newest {formatNumber(counts.data?.sample?.read ?? DISCOVERY_SAMPLE, locale)} tasks
              {counts.data?.sample && !counts.data.sample.more ? ' (every task)' : ''} only.
            </p>
          </EuiText>
        )}
        {counts.data && counts.data.uncountedTasks > 0 && (
          <EuiText size="xs" color="subdued">
            <p>
              {formatNumber(counts.data.uncountedTasks, locale)} more task–node pairs are on nodes past the
              first {formatNumber(counts.data.counts.length, locale)} listed.
            </p>
          </EuiText>
        )}
        <EuiSpacer size="s" />
        {nodes.error && (
          <>
            <EuiCallOut
              title="The cluster’s node list could not be read"
              color="warning"
              iconType="warning"
              size="s"
              data-test-subj="nodesUnavailable"
            >
              <p>
                {whyNoNames(nodes.error)} Nodes are shown by id, as the tasks name them; whether each is still
                in the cluster is not known.
              </p>
            </EuiCallOut>
            <EuiSpacer size="s" />
          </>
        )}
        {statsUnavailable && (
          <>
            <EuiCallOut
              title="ML stats could not be read"
              color="warning"
              iconType="warning"
              size="s"
              data-test-subj="statsUnavailable"
            >
              <p>
                {explainError(stats.error).headline} The ML stats columns stay empty; the task counts do not
                depend on them.
              </p>
            </EuiCallOut>
            <EuiSpacer size="s" />
          </>
        )}
        {counts.error && (
          <>
            <RequestErrorCallOut
              title="Could not count the tasks per node"
              error={counts.error}
              onRetry={() => void counts.refetch()}
            />
            <EuiSpacer size="s" />
          </>
        )}
        {groups && (
          <EuiInMemoryTable<NodeRow>
            tableCaption="Nodes, their tasks and their ML stats"
            items={rows}
            itemId="id"
            columns={columns(names, groups, scope, now, locale, countsUnavailable, statsUnavailable)}
            sorting
            loading={loading && rows.length === 0}
            tableLayout="auto"
            compressed
            // The gateway cannot know the window's width: it draws the desktop table, and so does the hydration;
            // a narrow window gets the stacked layout from the next render on.
            responsiveBreakpoint={hydrated ? 'm' : false}
            noItemsMessage={
              loading ? (
                'Loading nodes…'
              ) : (
                <span data-test-subj="noNodes">
                  {nodes.error && counts.error
                    ? 'Nodes could not be loaded.'
                    : 'No nodes: the cluster lists none, and no task names one.'}
                </span>
              )
            }
            rowProps={(row) => ({ 'data-test-subj': `nodeRow-${row.id}` })}
            data-test-subj="nodesTable"
          />
        )}
      </EuiPageTemplate.Section>
    </>
  );
}
