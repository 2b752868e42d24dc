// The facet filters: one multi-select per field, each value with its count under the other filters, and a way
// to exclude a value as well as to include it.
import { useState } from 'react';
import {
  EuiFilterButton,
  EuiFilterGroup,
  EuiPopover,
  EuiPopoverTitle,
  EuiSelectable,
  type EuiSelectableOption,
} from '@elastic/eui';
import { FILTER_FIELDS, type FilterField, type TaskQuery } from './task-query';
import type { FacetCount } from './task-search-body';

export interface FacetFilterProps {
  field: FilterField;
  counts: FacetCount[];
  query: TaskQuery;
  onChange: (include: string[], exclude: string[]) => void;
  isLoading: boolean;
}

function FacetFilter({ field, counts, query, onChange, isLoading }: FacetFilterProps) {
  const [open, setOpen] = useState(false);
  const { label } = FILTER_FIELDS[field];
  const include = query.include[field];
  const exclude = query.exclude[field];
  const active = include.length + exclude.length;
  const options: EuiSelectableOption[] = counts.map(({ value, count }) => ({
    label: value,
    key: value,
    checked: include.includes(value) ? 'on' : exclude.includes(value) ? 'off' : undefined,
    append: <span aria-label={`${count} tasks`}>{count.toLocaleString()}</span>,
    'data-test-subj': `facet-${field}-${value}`,
  }));
  const popoverId = `facet-${field}`;
  return (
    <EuiPopover
      id={popoverId}
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
      <EuiSelectable
        aria-label={`${label} values`}
        searchable
        searchProps={{ placeholder: `Find a ${label.toLowerCase()}`, compressed: true }}
        options={options}
        allowExclusions
        isLoading={isLoading && counts.length === 0}
        emptyMessage={`No ${label.toLowerCase()} values for these tasks`}
        listProps={{ showIcons: true }}
        onChange={(next) => {
          onChange(
            next.filter((o) => o.checked === 'on').map((o) => o.label),
            next.filter((o) => o.checked === 'off').map((o) => o.label),
          );
        }}
      >
        {(list, search) => (
          <div style={{ width: 320 }}>
            <EuiPopoverTitle paddingSize="s">{search}</EuiPopoverTitle>
            {list}
          </div>
        )}
      </EuiSelectable>
    </EuiPopover>
  );
}

export interface TaskFiltersProps {
  facets: Partial<Record<FilterField, FacetCount[]>>;
  query: TaskQuery;
  onChange: (field: FilterField, include: string[], exclude: string[]) => void;
  isLoading: boolean;
}

const FIELDS: FilterField[] = ['state', 'function', 'type', 'node'];

export function TaskFilters({ facets, query, onChange, isLoading }: TaskFiltersProps) {
  return (
    <EuiFilterGroup compressed aria-label="Task filters">
      {FIELDS.map((field) => (
        <FacetFilter
          key={field}
          field={field}
          counts={facets[field] ?? []}
          query={query}
          isLoading={isLoading}
          onChange={(include, exclude) => onChange(field, include, exclude)}
        />
      ))}
    </EuiFilterGroup>
  );
}
