// Tests for the time range's placeholder: it shows what the date picker will show, and cannot be used meanwhile.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';
import { TimeRangePlaceholder } from './time-range-placeholder';
import { timeRangeLabel } from './time-range-options';

describe('timeRangeLabel', () => {
  it('names a commonly used range by its label, an empty range as all time', () => {
    expect(timeRangeLabel('', '')).toBe('All time');
    expect(timeRangeLabel('now-100y', 'now')).toBe('All time');
    expect(timeRangeLabel('now-24h', '')).toBe('Last 24 hours');
    expect(timeRangeLabel('now/d', 'now')).toBe('Today');
  });

  it('words other relative ranges as the date picker does, and shows absolute ones as written', () => {
    expect(timeRangeLabel('now-3h', 'now')).toBe('Last 3 hours');
    expect(timeRangeLabel('now-1M', '')).toBe('Last 1 month');
    expect(timeRangeLabel('2026-12-01T00:00:00Z', 'now-1d')).toBe('2026-12-01T00:00:00Z → now-1d');
  });
});

describe('TimeRangePlaceholder', () => {
  function renderPlaceholder(view: {
    timeField: 'create_time' | 'last_update_time';
    from: string;
    to: string;
  }) {
    return render(
      <AppProviders queryClient={createQueryClient()}>
        <TimeRangePlaceholder view={view} />
      </AppProviders>,
    );
  }

  it('shows the time field and the range the picker will show, and says it is loading', () => {
    renderPlaceholder({ timeField: 'last_update_time', from: 'now-7d', to: '' });
    const group = screen.getByRole('group', { name: 'Loading the time range' });
    expect(group).toHaveAttribute('aria-busy', 'true');
    expect(group).toHaveTextContent('Last 7 days');
    expect(group.querySelector('select')).toHaveValue('last_update_time');
  });

  it('cannot be focused or used until the real control replaces it', () => {
    renderPlaceholder({ timeField: 'create_time', from: '', to: '' });
    const group = screen.getByRole('group', { name: 'Loading the time range' });
    expect(group.firstElementChild).toHaveAttribute('inert', '');
    for (const control of group.querySelectorAll('select, button'))
      expect(control).toHaveAttribute('tabindex', '-1');
  });
});
