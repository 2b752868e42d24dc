// The state summary bar: how many tasks are in each state under the current filters; a click filters by it.
import { memo } from 'react';
import { EuiButtonEmpty, EuiFlexGroup, EuiFlexItem, EuiHealth } from '@elastic/eui';
import { formatNumber } from '../lib/format';
import { useNumberLocale } from '../lib/server-request';
import type { FacetCount } from '../../shared/task-search-body';
import { stateHealthColor } from './task-state-badge';

export interface StateSummaryProps {
  counts: FacetCount[];
  selected: string[];
  onSelect: (state: string) => void;
}

export const StateSummary = memo(function StateSummary({ counts, selected, onSelect }: StateSummaryProps) {
  const locale = useNumberLocale();
  if (counts.length === 0) return null;
  return (
    <EuiFlexGroup
      gutterSize="xs"
      wrap
      responsive={false}
      role="group"
      aria-label="Tasks per state"
      data-test-subj="stateSummary"
    >
      {counts.map(({ value, count }) => {
        const isSelected = selected.includes(value);
        return (
          <EuiFlexItem grow={false} key={value}>
            <EuiButtonEmpty
              size="s"
              color="text"
              isSelected={isSelected}
              aria-pressed={isSelected}
              onClick={() => onSelect(value)}
              data-test-subj={`stateSummary-${value}`}
              style={isSelected ? { fontWeight: 700, textDecoration: 'underline' } : undefined}
            >
              <EuiHealth color={stateHealthColor(value)} textSize="s">
                {value} <strong>{formatNumber(count, locale)}</strong>
              </EuiHealth>
            </EuiButtonEmpty>
          </EuiFlexItem>
        );
      })}
    </EuiFlexGroup>
  );
});
