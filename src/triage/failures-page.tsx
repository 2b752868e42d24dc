// The failures page: the view's failed tasks grouped by cause, largest group first, each with its count and share,
// when it was first and last seen, the models and nodes it touched, a small trend and one click to its tasks.
import {
  Suspense,
  lazy,
  useCallback,
  useDeferredValue,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  EuiBasicTable,
  EuiButton,
  EuiCallOut,
  EuiEmptyPrompt,
  EuiFlexGroup,
  EuiFlexItem,
  EuiPageTemplate,
  EuiSpacer,
  EuiText,
  EuiToolTip,
  useEuiTheme,
  type Criteria,
  type EuiBasicTableColumn,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { FAILURE_READ_CAP, type FailureGroup } from '../../shared/failure-groups';
import { formatTaskQuery, type TaskQuery } from '../../shared/task-query';
import { viewToSearch, type TaskViewState } from '../../shared/task-view-state';
import { useCapabilities } from '../lib/cluster-report';
import { formatNumber, formatRelative, formatTimestamp } from '../lib/format';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { AppLink, modelPath } from '../lib/router';
import { useNumberLocale } from '../lib/server-request';
import { useNow } from '../lib/use-now';
import { useHydrated } from '../lib/use-hydrated';
import { NodeNameOf } from '../nodes/node-name';
import { useNodeNames } from '../nodes/use-node-names';
import { QueryBar } from '../tasks/task-toolbar';
import { TimeRangePlaceholder } from '../tasks/time-range-placeholder';
import { useTaskView } from '../tasks/use-task-view';
import { failureGroupsQueryOptions } from './failure-groups-query';
import { TrendBars } from './trend-bars';
import { failureScopeOf, withFailureGroup } from '../../shared/failure-scope';

const TimeRange = lazy(() => import('../tasks/time-range').then((m) => ({ default: m.TimeRange })));

const ONE_LINE = {
  display: 'inline-block',
  maxWidth: '100%',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  verticalAlign: 'bottom',
} as const;

/** How many groups a page of the table shows: the render of every row at once held the page for seconds. */
const GROUPS_PER_PAGE = 25;
const NO_GROUPS: FailureGroup[] = [];

/** The group's share as a thin bar: a plain element, as cheap as the number beside it. */
function ShareBar({ share, label }: { share: number; label: string }) {
  const { euiTheme } = useEuiTheme();
  return (
    <div
      role="img"
      aria-label={label}
      style={{ height: 4, background: euiTheme.colors.lightShade, borderRadius: 2 }}
    >
      <div
        style={{
          width: `${Math.min(100, share * 100)}%`,
          height: 4,
          background: euiTheme.colors.danger,
          borderRadius: 2,
        }}
      />
    </div>
  );
}

/** How many model ids and nodes a row lists before it says "and N more". */
const LISTED = 3;

/** The tasks page showing exactly one group's tasks, in the same time range. */
export function groupTasksPath(view: TaskViewState, query: TaskQuery, fingerprint: string): string {
  return `/${viewToSearch({ ...view, q: formatTaskQuery(withFailureGroup(query, fingerprint)), page: 0, task: null })}`;
}

function Listed<T>({ items, render, none }: { items: T[]; render: (item: T) => ReactNode; none: string }) {
  if (items.length === 0)
    return (
      <EuiText size="xs" color="subdued">
        {none}
      </EuiText>
    );
  return (
    <EuiFlexGroup gutterSize="xs" wrap responsive={false} direction="column">
      {items.slice(0, LISTED).map((item, i) => (
        <EuiFlexItem grow={false} key={i}>
          {render(item)}
        </EuiFlexItem>
      ))}
      {items.length > LISTED && (
        <EuiFlexItem grow={false}>
          <EuiText size="xs" color="subdued">
            and {items.length - LISTED} more
          </EuiText>
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
}

export function FailuresPage() {
  const { view, parsed, setView } = useTaskView({ list: false });
  const capabilities = useCapabilities();
  const locale = useNumberLocale();
  const now = useNow(15_000);
  const names = useNodeNames();
  const queryBarRef = useRef<HTMLInputElement>(null);
  const query = parsed.ok ? parsed.query : undefined;

  const scope = useMemo(
    () => (capabilities ? failureScopeOf(view, query, capabilities) : undefined),
    [view, query, capabilities],
  );
  const groups = useQuery(failureGroupsQueryOptions(scope, view.refresh));
  // The gateway may have drawn the page (with no reading in flight): the first render here must draw the same.
  const hydrated = useHydrated();
  const fetching = hydrated && groups.isFetching;
  const onSubmitQuery = useCallback((q: string) => setView({ q }), [setView]);
  const onTimeChange = useCallback((patch: Partial<TaskViewState>) => setView(patch), [setView]);

  const number = (n: number) => formatNumber(n, locale);
  const percent = (share: number) =>
    formatNumber(share, locale, { style: 'percent', maximumFractionDigits: share < 0.1 ? 1 : 0 });

  const columns: Array<EuiBasicTableColumn<FailureGroup>> = [
    {
      // The rest of the width: the other columns' are fixed, in units of text (EUI warns of percentages).
      name: 'Cause',
      render: (g: FailureGroup) => (
        <div>
          <EuiText size="s">
            {/* Task text is always text: React escapes it. */}
            <span data-test-subj="failureGroupTemplate" style={{ overflowWrap: 'anywhere' }}>
              {g.template}
            </span>
          </EuiText>
          <EuiSpacer size="xs" />
          {/* Plain text, not badges: a badge measures its own text on every render, which adds up over the rows. */}
          <EuiText size="xs" color="subdued">
            <span>
              {g.taskType} · {g.functionName} ·{' '}
            </span>
            <EuiToolTip content={<span style={{ overflowWrap: 'anywhere' }}>{g.example}</span>}>
              <span tabIndex={0} style={{ textDecoration: 'underline dotted' }}>
                newest message
              </span>
            </EuiToolTip>
          </EuiText>
        </div>
      ),
    },
    {
      name: 'Tasks',
      width: '9em',
      render: (g: FailureGroup) => (
        <div data-test-subj="failureGroupCount">
          <EuiText size="s">
            <strong>{number(g.count)}</strong> <span>({percent(g.share)})</span>
          </EuiText>
          <ShareBar share={g.share} label={`${percent(g.share)} of the failures read`} />
        </div>
      ),
    },
    {
      name: 'Seen',
      width: '11em',
      render: (g: FailureGroup) => (
        <EuiText size="xs">
          <div title={formatTimestamp(g.lastSeen)}>last {formatRelative(g.lastSeen, now) ?? '—'}</div>
          <div title={formatTimestamp(g.firstSeen)}>first {formatRelative(g.firstSeen, now) ?? '—'}</div>
        </EuiText>
      ),
    },
    {
      name: 'Trend',
      width: '7em',
      render: (g: FailureGroup) => (
        <TrendBars counts={g.trend} label={`Failures of this cause over the span read`} />
      ),
    },
    {
      name: 'Models',
      width: '14em',
      render: (g: FailureGroup) => (
        <Listed
          items={g.modelIds}
          none="no model"
          render={(id) => (
            // One line per id, cut with an ellipsis: the whole id is its title and the link's target.
            <AppLink to={modelPath(id)}>
              <span title={id} style={ONE_LINE}>
                {id}
              </span>
            </AppLink>
          )}
        />
      ),
    },
    {
      name: 'Nodes',
      width: '13em',
      render: (g: FailureGroup) => (
        <Listed items={g.nodeIds} none="no node" render={(id) => <NodeNameOf id={id} names={names} />} />
      ),
    },
    {
      name: 'Actions',
      width: '8em',
      render: (g: FailureGroup) =>
        query ? (
          <AppLink to={groupTasksPath(view, query, g.fingerprint)} data-test-subj="failureGroupShowTasks">
            Show {number(g.count)} task{g.count === 1 ? '' : 's'}
          </AppLink>
        ) : null,
    },
  ];

  // The groups render in the background (a deferred value renders in slices, between which the page stays
  // responsive): their rows are the page's heaviest render, and a new reading must not hold the thread while it lands.
  const result = useDeferredValue(groups.data);
  const allGroups = result?.groups ?? NO_GROUPS;
  // A new reading starts at its largest groups.
  const [pageOf, setPageOf] = useState<{ of: unknown; index: number }>({ of: undefined, index: 0 });
  const page = pageOf.of === allGroups ? pageOf.index : 0;
  const setPage = (index: number) => setPageOf({ of: allGroups, index });
  const shownGroups = useMemo(
    () => allGroups.slice(page * GROUPS_PER_PAGE, (page + 1) * GROUPS_PER_PAGE),
    [allGroups, page],
  );
  const capped = result !== undefined && result.total > result.read;
  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="Failures"
        description="Failed tasks grouped by cause: the message, with ids, numbers, addresses, names and stack frames set aside, for each task type and function."
      />
      <EuiPageTemplate.Section>
        <EuiFlexGroup gutterSize="m" alignItems="flexStart" wrap>
          <EuiFlexItem grow={3} style={{ minWidth: 320 }}>
            <QueryBar ref={queryBarRef} value={view.q} parsed={parsed} onSubmit={onSubmitQuery} />
          </EuiFlexItem>
          <EuiFlexItem grow={false}>
            {/* As on the tasks page: the placeholder is what the gateway draws and hydration adopts; the date picker
                loads once the app owns the page. */}
            {hydrated ? (
              <Suspense fallback={<TimeRangePlaceholder view={view} />}>
                <TimeRange view={view} onChange={onTimeChange} />
              </Suspense>
            ) : (
              <TimeRangePlaceholder view={view} />
            )}
          </EuiFlexItem>
          <EuiFlexItem grow={false}>
            <EuiButton
              iconType="refresh"
              size="s"
              onClick={() => void groups.refetch()}
              isLoading={fetching}
              isDisabled={!scope}
              data-test-subj="failureGroupsRefresh"
            >
              Refresh
            </EuiButton>
          </EuiFlexItem>
        </EuiFlexGroup>
        <EuiSpacer size="m" />
        {groups.error ? (
          <RequestErrorCallOut
            title="The failures could not be read"
            error={groups.error}
            onRetry={() => void groups.refetch()}
          />
        ) : (
          <>
            <EuiText size="s" data-test-subj="failureGroupsSummary" aria-live="polite">
              {result ? (
                result.read === 0 ? (
                  <p>No failed task matches this view.</p>
                ) : (
                  <p>
                    <strong>{number(result.groups.length)}</strong> cause
                    {result.groups.length === 1 ? '' : 's'} among{' '}
                    {capped ? (
                      <>
                        the newest <strong>{number(result.read)}</strong> of {number(result.total)} failed
                        tasks
                      </>
                    ) : (
                      <>
                        <strong>{number(result.read)}</strong> failed task{result.read === 1 ? '' : 's'}
                      </>
                    )}
                    {capped && ` (groups are built from the newest ${number(FAILURE_READ_CAP)} failures)`}.
                  </p>
                )
              ) : (
                <p>Reading the newest failures…</p>
              )}
            </EuiText>
            {capped && (
              <>
                <EuiSpacer size="s" />
                <EuiCallOut
                  size="s"
                  iconType="info"
                  title={`From the newest ${number(result.read)} failures: narrow the time range to see older causes.`}
                  data-test-subj="failureGroupsCapped"
                />
              </>
            )}
            <EuiSpacer size="m" />
            {result && result.read === 0 ? (
              <EuiEmptyPrompt
                iconType="checkCircleFill"
                title={<h2>No failures</h2>}
                body={<p>Nothing failed in this view.</p>}
              />
            ) : (
              <EuiBasicTable
                tableCaption="Failure groups, largest first"
                items={shownGroups}
                columns={columns}
                pagination={{
                  pageIndex: page,
                  pageSize: GROUPS_PER_PAGE,
                  totalItemCount: allGroups.length,
                  showPerPageOptions: false,
                }}
                onChange={({ page: next }: Criteria<FailureGroup>) => next && setPage(next.index)}
                loading={fetching}
                // The gateway cannot know the window's width: it draws the desktop table, and so does the hydration;
                // a narrow window gets the stacked layout from the next render on.
                responsiveBreakpoint={hydrated ? 'm' : false}
                noItemsMessage={result ? 'No failures' : 'Reading the newest failures…'}
                rowProps={(g) => ({ 'data-test-subj': `failureGroup-${g.fingerprint}` })}
                data-test-subj="failureGroups"
              />
            )}
          </>
        )}
      </EuiPageTemplate.Section>
    </>
  );
}
