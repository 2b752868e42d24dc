// The rows of controls around the task table, each memoised: a click on a filter re-renders the rows whose content
// it changes (the query bar, the state summary), not every button, group and spacer of the page.
import { memo } from 'react';
import { EuiButton, EuiButtonEmpty, EuiFlexGroup, EuiFlexItem, EuiText } from '@elastic/eui';
import { ColumnPicker } from './column-picker';
import { StateSummary } from './state-summary';
import { TaskFilters } from './task-filters';
import { GoToTask, RefreshControls } from './task-toolbar';
import { StaleSummary, type StaleSummaryProps } from '../triage/stale-view';
import type { FilterField, TaskQuery } from '../../shared/task-query';
import type { FacetCount } from '../../shared/task-search-body';
import type { TaskViewState } from '../../shared/task-view-state';

export interface FiltersRowProps {
  query: TaskQuery | undefined;
  facets: Partial<Record<FilterField, FacetCount[]>>;
  fetching: boolean;
  onFiltersChange: (field: FilterField, include: string[], exclude: string[]) => void;
  /** Undefined on a model's page, which shows one model's tasks: no "go to task". */
  onGoToTask: ((taskId: string) => void) | undefined;
  refresh: TaskViewState['refresh'];
  updatedAt: number;
  onIntervalChange: (refresh: TaskViewState['refresh']) => void;
  onRefresh: () => void;
}

/** The facet filters, "go to task" and auto-refresh. */
export const FiltersRow = memo(function FiltersRow(props: FiltersRowProps) {
  return (
    <EuiFlexGroup gutterSize="m" alignItems="center" justifyContent="spaceBetween" wrap responsive={false}>
      <EuiFlexItem grow={false}>
        {props.query && (
          <TaskFilters
            facets={props.facets}
            query={props.query}
            isLoading={props.fetching}
            onChange={props.onFiltersChange}
          />
        )}
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiFlexGroup gutterSize="m" alignItems="center" responsive={false} wrap>
          {props.onGoToTask && (
            <EuiFlexItem grow={false}>
              <GoToTask onGo={props.onGoToTask} />
            </EuiFlexItem>
          )}
          <EuiFlexItem grow={false}>
            <RefreshControls
              refresh={props.refresh}
              updatedAt={props.updatedAt}
              isFetching={props.fetching}
              onIntervalChange={props.onIntervalChange}
              onRefresh={props.onRefresh}
            />
          </EuiFlexItem>
        </EuiFlexGroup>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
});

export interface SummaryRowProps {
  counts: FacetCount[];
  selectedStates: string[];
  onSelectState: (state: string) => void;
  /** Undefined until the app owns the page: the stale count is not part of the server's first screen. */
  stale: StaleSummaryProps | undefined;
}

/** How many tasks are in each state, and how many are stale. */
export const SummaryRow = memo(function SummaryRow({
  counts,
  selectedStates,
  onSelectState,
  stale,
}: SummaryRowProps) {
  return (
    <EuiFlexGroup gutterSize="s" alignItems="center" justifyContent="spaceBetween" wrap responsive={false}>
      <EuiFlexItem grow={false}>
        <StateSummary counts={counts} selected={selectedStates} onSelect={onSelectState} />
      </EuiFlexItem>
      {stale && (
        <EuiFlexItem grow={false}>
          <StaleSummary {...stale} />
        </EuiFlexItem>
      )}
    </EuiFlexGroup>
  );
});

export interface TableBarProps {
  /** The total as shown ("1,024 tasks"); undefined before the first answer. */
  totalText: string | undefined;
  /** Tasks selected for deletion; 0 hides the button (so does a read-only console, which selects nothing). */
  selected: number;
  onDeleteSelected: () => void;
  onShowShortcuts: () => void;
  hiddenColumns: string[];
  onHiddenColumnsChange: (hidden: string[]) => void;
}

/** Above the table: the total, deletion of the selected tasks, the shortcuts and the columns. */
export const TableBar = memo(function TableBar(props: TableBarProps) {
  return (
    <EuiFlexGroup justifyContent="spaceBetween" alignItems="center" responsive={false}>
      <EuiFlexItem grow={false}>
        <EuiText size="s" color="subdued" data-test-subj="tasksTotal" aria-live="polite">
          {props.totalText ?? '\u00a0'}
        </EuiText>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false}>
          {props.selected > 0 && (
            <EuiFlexItem grow={false}>
              <EuiButton
                size="s"
                color="danger"
                iconType="trash"
                onClick={props.onDeleteSelected}
                data-test-subj="deleteSelected"
              >
                Delete {props.selected} {props.selected === 1 ? 'task' : 'tasks'}
              </EuiButton>
            </EuiFlexItem>
          )}
          <EuiFlexItem grow={false}>
            <EuiButtonEmpty
              size="s"
              iconType="keyboard"
              onClick={props.onShowShortcuts}
              aria-label="Keyboard shortcuts"
              data-test-subj="showShortcuts"
            >
              Shortcuts
            </EuiButtonEmpty>
          </EuiFlexItem>
          <EuiFlexItem grow={false}>
            <ColumnPicker hidden={props.hiddenColumns} onChange={props.onHiddenColumnsChange} />
          </EuiFlexItem>
        </EuiFlexGroup>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
});
