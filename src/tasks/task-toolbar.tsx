// The controls above the table: the query bar, the time range, auto-refresh and "go to task id".
import { forwardRef, useState, type FormEvent } from 'react';
import {
  EuiButton,
  EuiButtonIcon,
  EuiFieldSearch,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormRow,
  EuiIcon,
  EuiSelect,
  EuiSuperDatePicker,
  EuiText,
  EuiToolTip,
  type OnTimeChangeProps,
} from '@elastic/eui';
import { useNow } from '../lib/use-now';
import type { ParseResult } from './task-query';
import { REFRESH_INTERVALS, type TaskViewState, type TimeField } from './task-view-state';

export interface QueryBarProps {
  value: string;
  parsed: ParseResult;
  onSubmit: (text: string) => void;
}

/**
 * Free text and `field:value` filters; nothing is sent while the text does not parse. The draft starts from the
 * URL's query: give the bar `key={value}` so that a new query from elsewhere (a filter, back) starts a new draft.
 */
export const QueryBar = forwardRef<HTMLInputElement, QueryBarProps>(function QueryBar(
  { value, parsed, onSubmit },
  ref,
) {
  const [draft, setDraft] = useState(value);
  const error = parsed.ok ? undefined : parsed.message;
  const dirty = draft !== value;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    onSubmit(draft.trim());
  };
  return (
    <form onSubmit={submit} role="search" aria-label="Search tasks">
      <EuiFormRow
        fullWidth
        isInvalid={Boolean(error) && !dirty}
        error={error && !dirty ? error : undefined}
        helpText={dirty ? 'Press Enter to search' : undefined}
      >
        <EuiFieldSearch
          inputRef={(el) => {
            if (typeof ref === 'function') ref(el);
            else if (ref) ref.current = el;
          }}
          fullWidth
          value={draft}
          isInvalid={Boolean(error) && !dirty}
          onChange={(e) => setDraft(e.target.value)}
          onSearch={(text) => onSubmit(text.trim())}
          incremental={false}
          placeholder="state:FAILED function:TEXT_EMBEDDING -type:DEPLOY_MODEL model:<id> or text in ids and errors"
          aria-label="Query: filters such as state:FAILED, and free text (press / to focus)"
          aria-keyshortcuts="/"
          data-test-subj="queryBar"
        />
      </EuiFormRow>
    </form>
  );
});

/** EuiSuperDatePicker needs a start; "all time" is shown as a range reaching far back. */
const ALL_TIME_START = 'now-100y';

const TIME_FIELD_OPTIONS = [
  { value: 'create_time', text: 'Created' },
  { value: 'last_update_time', text: 'Last updated' },
];

export interface TimeRangeProps {
  view: TaskViewState;
  onChange: (patch: Partial<TaskViewState>) => void;
}

export function TimeRange({ view, onChange }: TimeRangeProps) {
  const onTimeChange = ({ start, end }: OnTimeChangeProps) => {
    const allTime = start === ALL_TIME_START && end === 'now';
    onChange({ from: allTime ? '' : start, to: allTime ? '' : end });
  };
  return (
    <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
      <EuiFlexItem grow={false}>
        <EuiSelect
          compressed
          options={TIME_FIELD_OPTIONS}
          value={view.timeField}
          onChange={(e) => onChange({ timeField: e.target.value as TimeField })}
          aria-label="Time field of the range"
          data-test-subj="timeField"
        />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiSuperDatePicker
          compressed
          start={view.from || ALL_TIME_START}
          end={view.to || 'now'}
          onTimeChange={onTimeChange}
          showUpdateButton={false}
          commonlyUsedRanges={[
            { start: ALL_TIME_START, end: 'now', label: 'All time' },
            { start: 'now-15m', end: 'now', label: 'Last 15 minutes' },
            { start: 'now-1h', end: 'now', label: 'Last hour' },
            { start: 'now-24h', end: 'now', label: 'Last 24 hours' },
            { start: 'now-7d', end: 'now', label: 'Last 7 days' },
            { start: 'now-30d', end: 'now', label: 'Last 30 days' },
            { start: 'now/d', end: 'now', label: 'Today' },
          ]}
          data-test-subj="timeRange"
        />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

function intervalLabel(ms: number): string {
  if (ms === 0) return 'Auto-refresh off';
  return `Every ${ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`}`;
}

export interface RefreshControlsProps {
  refresh: TaskViewState['refresh'];
  updatedAt: number;
  isFetching: boolean;
  onIntervalChange: (refresh: TaskViewState['refresh']) => void;
  onRefresh: () => void;
}

export function RefreshControls({
  refresh,
  updatedAt,
  isFetching,
  onIntervalChange,
  onRefresh,
}: RefreshControlsProps) {
  const now = useNow(1000);
  const ago = updatedAt ? Math.max(0, Math.round((now - updatedAt) / 1000)) : undefined;
  return (
    <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
      <EuiFlexItem grow={false}>
        <EuiText size="xs" color="subdued" aria-live="polite" data-test-subj="updatedAgo">
          {ago === undefined ? '' : ago < 2 ? 'updated just now' : `updated ${ago} s ago`}
        </EuiText>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiSelect
          compressed
          prepend={<EuiIcon type="clock" aria-hidden />}
          options={REFRESH_INTERVALS.map((ms: number) => ({ value: String(ms), text: intervalLabel(ms) }))}
          value={String(refresh)}
          onChange={(e) => onIntervalChange(Number(e.target.value) as TaskViewState['refresh'])}
          aria-label="Auto-refresh interval"
          data-test-subj="refreshInterval"
        />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiToolTip content="Refresh now">
          <EuiButtonIcon
            iconType="refresh"
            display="base"
            size="s"
            isLoading={isFetching}
            onClick={onRefresh}
            aria-label="Refresh now"
            data-test-subj="refreshNow"
          />
        </EuiToolTip>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

export function GoToTask({ onGo }: { onGo: (taskId: string) => void }) {
  const [id, setId] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = id.trim();
        if (trimmed) onGo(trimmed);
      }}
    >
      <EuiFlexGroup gutterSize="xs" responsive={false} alignItems="center">
        <EuiFlexItem grow={false}>
          <EuiFieldText
            compressed
            value={id}
            onChange={(e) => setId(e.target.value)}
            placeholder="Task id"
            aria-label="Go to task id"
            data-test-subj="goToTaskId"
          />
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButton size="s" type="submit" isDisabled={!id.trim()} data-test-subj="goToTaskButton">
            Open
          </EuiButton>
        </EuiFlexItem>
      </EuiFlexGroup>
    </form>
  );
}
