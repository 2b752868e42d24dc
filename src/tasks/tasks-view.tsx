// The task view: URL state -> one search (page, total and facet counts together) -> filters, summary and table,
// plus the task drawer and deletion. The tasks page shows it whole; the model page shows it for one model.
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  EuiButton,
  EuiCallOut,
  EuiEmptyPrompt,
  EuiFlexGroup,
  EuiFlexItem,
  EuiSpacer,
  EuiText,
} from '@elastic/eui';
import { useQuery } from '@tanstack/react-query';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { useCapabilities } from '../lib/cluster-report';
import { useConsoleConfig } from '../lib/console-config';
import { formatNumber, workerNodeList } from '../lib/format';
import { useNumberLocale } from '../lib/server-request';
import { useNow } from '../lib/use-now';
import { currentLocation } from '../lib/router';
import { useHydrated } from '../lib/use-hydrated';
import { useHiddenColumns } from './column-picker';
import { useKeyboardShortcuts } from './keyboard-shortcuts';
import { FiltersRow, SummaryRow, TableBar } from './view-rows';
import { facetCountsQueryOptions, taskListQueryOptions } from './task-queries';
import {
  emptyTaskQuery,
  formatTaskQuery,
  isEmptyQuery,
  setFieldSelection,
  toggleValue,
  type FilterField,
  type TaskQuery,
} from '../../shared/task-query';
import { lastReachablePage, matchesBeyondWindow } from '../../shared/result-window';
import { buildCountSearches, buildTaskSearchBody, readFacets } from '../../shared/task-search-body';
import { QueryBar } from './task-toolbar';
import { TasksTable, type TaskHit } from './tasks-table';
import { useTaskDeletion } from './use-task-deletion';
import { scopeToModel, useTaskView } from './use-task-view';
import type { TaskViewState } from '../../shared/task-view-state';
import { TimeRangePlaceholder } from './time-range-placeholder';
import { useStaleState } from '../triage/stale-context';
import {
  staleCountBody as countBodyOf,
  staleCountQueryOptions,
  useStaleFindings,
} from '../triage/stale-queries';
import { findStale } from '../../shared/stale-rules';
import type { MlTask } from '../../shared/ml-types';
import { useTriageContext } from '../triage/triage-context';
import { TimelinePanel, useTimelineOpen } from '../triage/timeline-panel';

// Only what the first rows need loads with the page: the drawer and the dialogs load when first opened, and the
// time range (EUI's date picker is the heaviest control) right after the first render.
const TaskFlyout = lazy(() => import('./task-flyout').then((m) => ({ default: m.TaskFlyout })));
const DeleteTasksModal = lazy(() => import('./task-deletion').then((m) => ({ default: m.DeleteTasksModal })));
const ShortcutsHelp = lazy(() => import('./shortcuts-help').then((m) => ({ default: m.ShortcutsHelp })));
const TimeRange = lazy(() => import('./time-range').then((m) => ({ default: m.TimeRange })));

export interface TasksViewProps {
  /** The model page shows only this model's tasks: a filter the user cannot remove. */
  modelId?: string;
}

const NO_SELECTION: TaskHit[] = [];
const NO_STATES: string[] = [];

/** The worker nodes named on this page: without aggregations, the only nodes the console can know to count. */
function nodesOf(hits: TaskHit[]): string[] {
  return [...new Set(hits.flatMap((h) => workerNodeList(h._source.worker_node)))].sort();
}

/** Relative times in the table move on at this pace; "updated N s ago" keeps its own, faster clock. */
const TABLE_CLOCK_MS = 15_000;

export function TasksView({ modelId }: TasksViewProps) {
  const { view, parsed, setView } = useTaskView({ modelId });
  const { readOnly } = useConsoleConfig();
  const now = useNow(TABLE_CLOCK_MS);
  const locale = useNumberLocale();
  const queryBarRef = useRef<HTMLInputElement>(null);
  const [hiddenColumns, setHiddenColumns] = useHiddenColumns();

  const [toDelete, setToDelete] = useState<string[] | null>(null);
  const [showHelp, setShowHelp] = useState(false);

  const query: TaskQuery | undefined = parsed.ok ? parsed.query : undefined;
  const effectiveQuery = useMemo(() => (query ? scopeToModel(query, modelId) : undefined), [query, modelId]);
  const capabilities = useCapabilities();
  const stale = useStaleState(view.refresh);
  const triage = useTriageContext(view, effectiveQuery, capabilities, stale);
  // A malformed query sends nothing, nothing goes out before the cluster's capabilities are known, and `is:stale` or
  // `failure:` wait for what they need (the stale rules' facts, the failure groups' task ids).
  const [timelineOpen, setTimelineOpen] = useTimelineOpen();
  // The timeline belongs to the tasks page; its bars come with the view's search while its panel is open.
  const withTimeline = timelineOpen && !modelId;
  const body = useMemo(
    () =>
      effectiveQuery && capabilities && triage.ready
        ? buildTaskSearchBody(view, effectiveQuery, capabilities, triage.context, { timeline: withTimeline })
        : undefined,
    [view, effectiveQuery, capabilities, triage, withTimeline],
  );
  const list = useQuery(taskListQueryOptions(body, view.refresh));
  // Activity shows once the app owns the page: the server's markup, which hydration must match, shows none.
  const hydrated = useHydrated();
  const fetching = hydrated && list.isFetching;

  const hits = useMemo(() => list.data?.hits.hits ?? [], [list.data]);
  const total = list.data?.hits.total?.value ?? 0;
  const staleFindings = useStaleFindings(hits, stale.context, stale.caps, now);
  const staleCountBody = useMemo(
    () => (body && stale.context && stale.caps ? countBodyOf(body, stale.context, stale.caps) : undefined),
    [body, stale.context, stale.caps],
  );
  const staleCount = useQuery(staleCountQueryOptions(staleCountBody, view.refresh));
  const staleOf = useCallback(
    (taskId: string, task: MlTask) =>
      stale.context && stale.caps
        ? findStale(taskId, task, { ...stale.context, now: Date.now() }, stale.caps)
        : undefined,
    [stale.context, stale.caps],
  );
  const slowCounts = capabilities !== undefined && !capabilities.aggregationsInSearch;
  // The page's nodes as one string, so that a new page naming the same nodes asks for no new counts; none until the
  // page is in, so that the counts go out once.
  const pageNodes = list.data ? nodesOf(hits).join('\n') : undefined;
  const countSearches = useMemo(
    () =>
      slowCounts && effectiveQuery && capabilities && pageNodes !== undefined
        ? buildCountSearches(view, effectiveQuery, {
            state: capabilities.states,
            type: capabilities.types,
            function: capabilities.functions,
            node: pageNodes === '' ? [] : pageNodes.split('\n'),
          })
        : undefined,
    [slowCounts, view, effectiveQuery, capabilities, pageNodes],
  );
  const counts = useQuery(facetCountsQueryOptions(countSearches, view.refresh));
  const counting = hydrated && counts.isFetching;
  const aggregations = slowCounts ? counts.data : list.data?.aggregations;
  const facets = useMemo(() => readFacets(aggregations, effectiveQuery), [aggregations, effectiveQuery]);

  // Clamp the page when the total shrinks (deletions, new filters on a refresh).
  useEffect(() => {
    if (!list.data || list.isPlaceholderData) return;
    const lastPage = lastReachablePage(total, view.size);
    if (view.page > lastPage) setView({ page: lastPage }, { replace: true });
  }, [list.data, list.isPlaceholderData, total, view.page, view.size, setView]);

  // Selection and the keyboard's row belong to one page of results: a new request starts them afresh.
  const pageKey = JSON.stringify(body);
  const [selected, setSelected] = useState<{ key: string; hits: TaskHit[] }>({ key: '', hits: [] });
  const selection = selected.key === pageKey ? selected.hits : NO_SELECTION;
  const pageKeyRef = useRef(pageKey);
  useEffect(() => {
    pageKeyRef.current = pageKey;
  }, [pageKey]);
  const setSelection = useCallback(
    (next: TaskHit[]) => setSelected({ key: pageKeyRef.current, hits: next }),
    [],
  );
  // Deleted tasks leave the selection, and the drawer when it shows one of them.
  const deletion = useTaskDeletion((ids) => {
    setSelected((current) => ({ ...current, hits: current.hits.filter((h) => !ids.includes(h._id)) }));
    const open = new URLSearchParams(currentLocation().search).get('task');
    if (open && ids.includes(open)) setView({ task: null }, { replace: true });
  });
  const [activeRow, setActiveRow] = useState({ key: '', index: 0 });
  const activeIndex = activeRow.key === pageKey ? activeRow.index : 0;

  // Stable callbacks: the controls above the table are memoised and re-render only when what they show changes.
  const onSubmitQuery = useCallback((q: string) => setView({ q }), [setView]);
  const onFiltersChange = useCallback(
    (field: FilterField, include: string[], exclude: string[]) => {
      if (query) setView({ q: formatTaskQuery(setFieldSelection(query, field, include, exclude)) });
    },
    [query, setView],
  );
  const onSelectState = useCallback(
    (state: string) => {
      if (!query) return;
      const next = toggleValue(
        query,
        'state',
        state,
        query.include.state.includes(state) ? 'off' : 'include',
      );
      setView({ q: formatTaskQuery(next) });
    },
    [query, setView],
  );
  const staleShown = query?.is.include.includes('stale') ?? false;
  const onShowStale = useCallback(() => {
    if (query)
      setView({
        q: formatTaskQuery({ ...query, is: { include: staleShown ? [] : ['stale'], exclude: [] } }),
      });
  }, [query, staleShown, setView]);
  const { refetch } = list;
  const { refetch: refetchCounts } = counts;
  const canSearch = body !== undefined;
  const onRefresh = useCallback(() => {
    // A view that sends nothing has nothing to refresh: refetch() would run its skipped query, which fails.
    if (!canSearch) return;
    void refetch();
    if (slowCounts) void refetchCounts();
  }, [canSearch, refetch, refetchCounts, slowCounts]);
  // A span brushed on the timeline: absolute bounds, which the time range shows as they are.
  const onTimelineRange = useCallback((from: string, to: string) => setView({ from, to }), [setView]);
  const onIntervalChange = useCallback(
    (refresh: TaskViewState['refresh']) => setView({ refresh }),
    [setView],
  );
  // "Filter by this value" from the drawer: a malformed query bar starts over from this one filter.
  const onFilter = (field: FilterField, value: string) => {
    const next = toggleValue(query ?? emptyTaskQuery(), field, value, 'include');
    setView({ q: formatTaskQuery(next), task: null });
  };

  const openIndex = hits.findIndex((h) => h._id === view.task);
  const openTask = useCallback((id: string) => setView({ task: id }), [setView]);
  const active = hits[Math.min(activeIndex, hits.length - 1)];

  // Keep the keyboard's row in sight, vertically only.
  const moveActive = (delta: number) => {
    const next = Math.max(0, Math.min(activeIndex + delta, hits.length - 1));
    setActiveRow({ key: pageKey, index: next });
    const row =
      hits[next] && document.querySelector(`[data-test-subj="taskRow-${CSS.escape(hits[next]._id)}"]`);
    row?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  };

  useKeyboardShortcuts(
    {
      '/': () => queryBarRef.current?.focus(),
      j: () => moveActive(1),
      k: () => moveActive(-1),
      Enter: () => active && openTask(active._id),
      r: onRefresh,
      '?': () => setShowHelp(true),
    },
    !view.task && !toDelete && !showHelp,
  );

  const onDeleteSelected = useCallback(() => setToDelete(selection.map((h) => h._id)), [selection]);
  const onShowShortcuts = useCallback(() => setShowHelp(true), []);
  // Memoised as one object: the summary row re-renders only when the stale count or its settings change.
  const staleProps = useMemo(
    () =>
      hydrated
        ? {
            count: staleCount.data,
            active: staleShown,
            onShow: onShowStale,
            thresholds: stale.thresholds,
            edits: stale.edits,
            onEdit: stale.setEdits,
            sources: stale.sources,
          }
        : undefined,
    [
      hydrated,
      staleCount.data,
      staleShown,
      onShowStale,
      stale.thresholds,
      stale.edits,
      stale.setEdits,
      stale.sources,
    ],
  );

  const filtersActive = Boolean(query && !isEmptyQuery(query)) || Boolean(view.from || view.to);
  // Memoised, like the table's other inputs: the table re-renders only when something it shows has changed.
  const emptyState: 'invalid' | 'loading' | 'error' | 'noMatch' | 'noTasks' = !parsed.ok
    ? 'invalid'
    : list.isPending
      ? 'loading'
      : list.error
        ? 'error'
        : filtersActive
          ? 'noMatch'
          : 'noTasks';
  const noItemsMessage = useMemo(
    () =>
      emptyState === 'invalid' ? (
        'Fix the query above to see tasks.'
      ) : emptyState === 'loading' ? (
        'Loading tasks…'
      ) : emptyState === 'error' ? (
        'Tasks could not be loaded.'
      ) : emptyState === 'noMatch' ? (
        <EuiEmptyPrompt
          iconType="search"
          titleSize="xs"
          title={<h3>No tasks match</h3>}
          body="No task matches these filters and this time range."
          actions={
            <EuiButton
              size="s"
              onClick={() => setView({ q: '', from: '', to: '' })}
              data-test-subj="clearFilters"
            >
              Clear filters
            </EuiButton>
          }
          data-test-subj="noMatch"
        />
      ) : (
        <EuiEmptyPrompt
          iconType="table"
          titleSize="xs"
          title={<h3>No tasks {modelId ? 'for this model' : 'yet'}</h3>}
          body="ML Commons creates a task when a model is registered, deployed or trained, and for batch ingest, batch prediction and agent runs."
          data-test-subj="noTasks"
        />
      ),
    [emptyState, modelId, setView],
  );

  return (
    <>
      <EuiFlexGroup gutterSize="m" alignItems="flexStart" wrap responsive={false}>
        <EuiFlexItem grow={3} style={{ minWidth: 320 }}>
          <QueryBar ref={queryBarRef} value={view.q} parsed={parsed} onSubmit={onSubmitQuery} />
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          {/* The placeholder is what the server draws and hydration adopts; the date picker loads once the app owns
              the page (a boundary still waiting for its code when the page hydrates would be redrawn from scratch). */}
          {hydrated ? (
            <Suspense fallback={<TimeRangePlaceholder view={view} />}>
              <TimeRange view={view} onChange={setView} />
            </Suspense>
          ) : (
            <TimeRangePlaceholder view={view} />
          )}
        </EuiFlexItem>
      </EuiFlexGroup>
      <EuiSpacer size="s" />
      <FiltersRow
        query={query}
        facets={facets}
        fetching={fetching}
        onFiltersChange={onFiltersChange}
        onGoToTask={modelId ? undefined : openTask}
        refresh={view.refresh}
        updatedAt={list.dataUpdatedAt}
        onIntervalChange={onIntervalChange}
        onRefresh={onRefresh}
      />
      <EuiSpacer size="s" />
      {query && (
        <SummaryRow
          counts={facets.state}
          selectedStates={query.include.state}
          onSelectState={onSelectState}
          stale={staleProps}
        />
      )}
      {triage.error && (
        <>
          <EuiSpacer size="s" />
          <RequestErrorCallOut
            title="Could not read the failure groups this query names"
            error={triage.error}
            onRetry={triage.retry}
          />
        </>
      )}
      {slowCounts && capabilities && (
        <EuiText size="xs" color="subdued" data-test-subj="slowCounts">
          <p>
            ML Commons {capabilities.release} never answers a task search that carries aggregations, so the
            counts come the slow way: one search per value ({countSearches?.length ?? 0} searches
            {counting ? ', counting…' : ''}). Worker nodes are counted for the nodes on this page only.
          </p>
        </EuiText>
      )}
      {counts.error && (
        <>
          <EuiSpacer size="s" />
          <RequestErrorCallOut
            title="Could not count tasks per value"
            error={counts.error}
            onRetry={() => void refetchCounts()}
          />
        </>
      )}
      {list.error && (
        <>
          <EuiSpacer size="s" />
          <RequestErrorCallOut
            title="Could not search tasks"
            error={list.error}
            onRetry={() => void list.refetch()}
          />
        </>
      )}
      {matchesBeyondWindow(total, view) && (
        <>
          <EuiSpacer size="s" />
          <EuiCallOut
            size="s"
            iconType="info"
            title="The cluster pages through the first 10,000 matches only"
            data-test-subj="windowLimit"
          >
            <p>
              {formatNumber(total, locale)} tasks match. Narrow the filters or the time range, or reverse the
              sort order, to see the others.
            </p>
          </EuiCallOut>
        </>
      )}
      {!modelId && (
        <>
          <EuiSpacer size="s" />
          <TimelinePanel
            open={timelineOpen}
            onOpenChange={setTimelineOpen}
            aggregations={slowCounts ? undefined : list.data?.aggregations}
            viewBody={body}
            viewSearching={list.isFetching}
            timeField={view.timeField}
            from={view.from}
            to={view.to}
            refresh={view.refresh}
            capabilities={capabilities}
            selectedStates={query?.include.state ?? NO_STATES}
            onSelectState={onSelectState}
            onRangeChange={onTimelineRange}
          />
        </>
      )}
      <EuiSpacer size="s" />
      <TableBar
        totalText={list.data ? `${formatNumber(total, locale)} ${total === 1 ? 'task' : 'tasks'}` : undefined}
        selected={readOnly ? 0 : selection.length}
        onDeleteSelected={onDeleteSelected}
        onShowShortcuts={onShowShortcuts}
        hiddenColumns={hiddenColumns}
        onHiddenColumnsChange={setHiddenColumns}
      />
      <TasksTable
        hits={hits}
        total={total}
        view={view}
        now={now}
        isLoading={fetching && !list.data}
        hiddenColumns={hiddenColumns}
        noItemsMessage={noItemsMessage}
        selection={selection}
        onSelectionChange={readOnly ? undefined : setSelection}
        onOpen={openTask}
        staleFindings={staleFindings}
        activeId={active?._id}
        onTableChange={setView}
      />
      {view.task && (
        <Suspense fallback={null}>
          <TaskFlyout
            key={view.task}
            taskId={view.task}
            staleOf={staleOf}
            onClose={() => setView({ task: null })}
            onPrevious={openIndex > 0 ? () => openTask(hits[openIndex - 1]!._id) : undefined}
            onNext={
              openIndex >= 0 && openIndex < hits.length - 1
                ? () => openTask(hits[openIndex + 1]!._id)
                : undefined
            }
            onFilter={(field, value) => {
              onFilter(field, value);
            }}
            onDelete={
              readOnly
                ? undefined
                : (id) => {
                    // The drawer asked for confirmation itself: the deletion starts with this click.
                    deletion.mutate([id]);
                    setToDelete([id]);
                  }
            }
          />
        </Suspense>
      )}
      {toDelete && (
        <Suspense fallback={null}>
          <DeleteTasksModal
            ids={toDelete}
            deletion={deletion}
            onClose={() => {
              setToDelete(null);
              deletion.reset();
            }}
          />
        </Suspense>
      )}
      {showHelp && (
        <Suspense fallback={null}>
          <ShortcutsHelp onClose={() => setShowHelp(false)} />
        </Suspense>
      )}
    </>
  );
}
