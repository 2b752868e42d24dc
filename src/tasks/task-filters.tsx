// The facet filters: one multi-select per field, each value with its count under the other filters, and a way
// to exclude a value as well as to include it.
import { Suspense, createContext, lazy, memo, useContext, useState } from 'react';
import { EuiFilterButton, EuiFilterGroup, EuiLoadingSpinner, type EuiSelectableOption } from '@elastic/eui';
import { formatNumber } from '../lib/format';
import { DeferredPopover } from '../lib/deferred-popover';
import { useNumberLocale } from '../lib/server-request';
import { NOT_IN_CLUSTER, nodeLabel, type NodeNames } from '../nodes/cluster-nodes';
import { useNodeNames } from '../nodes/use-node-names';
import { FILTER_FIELDS, type FilterField, type TaskQuery } from '../../shared/task-query';
import type { FacetCount } from '../../shared/task-search-body';

/** The facet popover's width, the same while its list loads and once it has. */
const FACET_POPOVER_WIDTH = 320;

// The value list (EUI's selectable, with its virtualised list) loads when a filter is first opened.
const FacetSelectable = lazy(() =>
  import('./facet-selectable').then((m) => ({ default: m.FacetSelectable })),
);

/** Whether the counts are being read again: only an open value list shows it, so the buttons do not re-render. */
const CountsLoading = createContext(false);

export interface FacetFilterProps {
  field: FilterField;
  counts: FacetCount[];
  include: string[];
  exclude: string[];
  onChange: (field: FilterField, include: string[], exclude: string[]) => void;
}

const sameValues = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const sameCounts = (a: FacetCount[], b: FacetCount[]): boolean =>
  a.length === b.length && a.every((c, i) => c.value === b[i]!.value && c.count === b[i]!.count);

/**
 * One filter re-renders only when what it shows changes: a click on a state leaves the other three alone, and a
 * search that answers the same counts changes nothing. The callback is not compared: the bar passes a stable one.
 */
const FacetFilter = memo(
  FacetFilterView,
  (a, b) =>
    a.field === b.field &&
    sameValues(a.include, b.include) &&
    sameValues(a.exclude, b.exclude) &&
    sameCounts(a.counts, b.counts),
);

function FacetFilterView({ field, counts, include, exclude, onChange }: FacetFilterProps) {
  const [open, setOpen] = useState(false);
  const locale = useNumberLocale();
  const { label } = FILTER_FIELDS[field];
  const active = include.length + exclude.length;
  const popoverId = `facet-${field}`;
  return (
    <DeferredPopover
      id={popoverId}
      aria-label={`${label} filter`}
      isOpen={open}
      closePopover={() => setOpen(false)}
      panelPaddingSize="none"
      button={
        <EuiFilterButton
          iconType="chevronSingleDown"
          onClick={() => setOpen((o) => !o)}
          isSelected={open}
          hasActiveFilters={active > 0}
          numActiveFilters={active || undefined}
          numFilters={counts.length}
          data-test-subj={`filter-${field}`}
          aria-label={`Filter by ${label.toLowerCase()}`}
        >
          {label}
        </EuiFilterButton>
      }
    >
      {/* The fallback is as wide as the list: EUI re-centres a popover whose width changes, and a list that widened it
          as it loaded moved away under a click already on its way (a click that then selected nothing). */}
      <Suspense
        fallback={
          <div style={{ width: FACET_POPOVER_WIDTH, padding: 16 }}>
            <EuiLoadingSpinner size="m" aria-label="Loading values" />
          </div>
        }
      >
        <FacetOptions
          field={field}
          label={label}
          counts={counts}
          include={include}
          exclude={exclude}
          locale={locale}
          onChange={(i, e) => onChange(field, i, e)}
        />
      </Suspense>
    </DeferredPopover>
  );
}

/** A node shows as its name, is found by name or id, and one not in the cluster says so. */
function nodeOption(names: NodeNames, id: string): Pick<EuiSelectableOption, 'label' | 'searchableLabel'> {
  const node = nodeLabel(names, id);
  if (node.named) return { label: node.text, searchableLabel: `${node.text} ${id}` };
  return { label: node.inCluster === false ? `${id} (${NOT_IN_CLUSTER})` : id, searchableLabel: id };
}

/** The value list's options: built only once the popover has been opened, not on every render of the bar. */
function FacetOptions({
  field,
  label,
  counts,
  include,
  exclude,
  locale,
  onChange,
}: {
  field: FilterField;
  label: string;
  counts: FacetCount[];
  include: string[];
  exclude: string[];
  locale: string | undefined;
  onChange: (include: string[], exclude: string[]) => void;
}) {
  const nodeNames = useNodeNames();
  const isLoading = useContext(CountsLoading);
  const options: EuiSelectableOption[] = counts.map(({ value, count }) => ({
    // The key is the value filtered on (a node's id); the label is what shows (its name, once known).
    ...(field === 'node' ? nodeOption(nodeNames, value) : { label: value }),
    key: value,
    checked: include.includes(value) ? 'on' : exclude.includes(value) ? 'off' : undefined,
    append: <span aria-label={`${count} tasks`}>{formatNumber(count, locale)}</span>,
    'data-test-subj': `facet-${field}-${value}`,
  }));
  return (
    <FacetSelectable
      label={label}
      options={options}
      isLoading={isLoading}
      onChange={onChange}
      width={FACET_POPOVER_WIDTH}
    />
  );
}

export interface TaskFiltersProps {
  facets: Partial<Record<FilterField, FacetCount[]>>;
  query: TaskQuery;
  onChange: (field: FilterField, include: string[], exclude: string[]) => void;
  isLoading: boolean;
}

const FIELDS: FilterField[] = ['state', 'function', 'type', 'node'];
const NO_COUNTS: FacetCount[] = [];

export const TaskFilters = memo(function TaskFilters({
  facets,
  query,
  onChange,
  isLoading,
}: TaskFiltersProps) {
  return (
    <CountsLoading.Provider value={isLoading}>
      <EuiFilterGroup compressed aria-label="Task filters">
        {FIELDS.map((field) => (
          <FacetFilter
            key={field}
            field={field}
            counts={facets[field] ?? NO_COUNTS}
            include={query.include[field]}
            exclude={query.exclude[field]}
            onChange={onChange}
          />
        ))}
      </EuiFilterGroup>
    </CountsLoading.Provider>
  );
});
