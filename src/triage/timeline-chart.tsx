// The timeline's chart: tasks per bar stacked by state (@elastic/charts, themed from EUI), the states as buttons that
// filter, a brush that sets the time range, and the same bars as a table for keyboards and screen readers.
import { memo, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  Axis,
  BarSeries,
  Chart,
  DARK_THEME,
  LIGHT_THEME,
  Position,
  ScaleType,
  Settings,
  Tooltip,
  niceTimeFormatter,
  type BrushEndListener,
  type ElementClickListener,
} from '@elastic/charts';
import lightChartStyles from '@elastic/charts/dist/theme_only_light.css?inline';
import darkChartStyles from '@elastic/charts/dist/theme_only_dark.css?inline';
import {
  EuiButtonEmpty,
  EuiButtonIcon,
  EuiFlexGroup,
  EuiFlexItem,
  EuiIcon,
  EuiScreenReaderOnly,
  EuiTable,
  EuiTableBody,
  EuiTableHeader,
  EuiTableHeaderCell,
  EuiTableRow,
  EuiTableRowCell,
  shadeOrTint,
  useEuiTheme,
  type EuiThemeComputed,
} from '@elastic/eui';
import { formatNumber, formatTimestamp } from '../lib/format';
import { useNumberLocale } from '../lib/server-request';
import { stateHealthColor } from '../tasks/task-state-badge';
import { stateTotals, type TimelineBucket } from '../../shared/timeline-results';

/** The chart's height: TimelinePlaceholder keeps the same. */
export const CHART_HEIGHT = 170;

/**
 * Each state's colour: the colour of its badge (task-state-badge.tsx), and where states share a badge colour (FAILED
 * and UNREACHABLE, three greys), shades of it apart enough to tell the stacked bars apart.
 */
const STATE_SHADES: Record<string, number> = {
  CANCELLED: 0.3,
  EXPIRED: 0.55,
  UNREACHABLE: 0.4,
  CANCELLING: 0.35,
};

export function stateColor(state: string, theme: EuiThemeComputed, colorMode: string): string {
  const { colors } = theme;
  const base: Record<string, string> = {
    success: colors.textSuccess,
    primary: colors.textPrimary,
    warning: colors.textWarning,
    danger: colors.textDanger,
    subdued: colors.textSubdued,
  };
  const known = stateHealthColor(state) !== 'subdued' || state in STATE_SHADES || state === 'CREATED';
  const color = known ? base[stateHealthColor(state)]! : colors.mediumShade;
  const shade = STATE_SHADES[state];
  return shade === undefined ? color : shadeOrTint(color, shade, colorMode === 'DARK' ? 'DARK' : 'LIGHT');
}

const TIME_FIELD_WORDS = { create_time: 'created', last_update_time: 'last updated' } as const;

export interface TimelineChartProps {
  buckets: TimelineBucket[];
  /** Most frequent first: the stacking order, bottom up, and the legend's. */
  states: string[];
  /** One bar's length, the shortest for calendar intervals. */
  intervalMs: number;
  intervalLabel: string;
  timeField: keyof typeof TIME_FIELD_WORDS;
  /** States the query bar includes: their legend buttons show as pressed. */
  selectedStates: readonly string[];
  /** A brushed span, or one bar from the table: the range to show, snapped to whole bars by the caller. */
  onBrush: (x0: number, x1: number) => void;
  onSelectState: (state: string) => void;
}

/** Re-renders only when what it draws changes: the view passes stable callbacks and bars compared by content. */
export const TimelineChart = memo(function TimelineChart({
  buckets,
  states,
  intervalMs,
  intervalLabel,
  timeField,
  selectedStates,
  onBrush,
  onSelectState,
}: TimelineChartProps) {
  const { euiTheme, colorMode } = useEuiTheme();
  const locale = useNumberLocale();
  const [asTable, setAsTable] = useState(false);
  const summaryId = useId();
  const colors = useMemo(
    () => Object.fromEntries(states.map((s) => [s, stateColor(s, euiTheme, colorMode)])),
    [states, euiTheme, colorMode],
  );
  const totals = useMemo(() => stateTotals(buckets), [buckets]);
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  const data = useMemo(() => buckets.map((b) => ({ x: b.start, ...b.counts })), [buckets]);
  const first = buckets[0]?.start ?? 0;
  const last = buckets[buckets.length - 1]?.start ?? 0;
  const formatTick = useMemo(() => niceTimeFormatter([first, last + intervalMs]), [first, last, intervalMs]);
  const busiest = buckets.reduce<{ start: number; n: number } | undefined>((best, b) => {
    const n = Object.values(b.counts).reduce((x, y) => x + y, 0);
    return n > (best?.n ?? 0) ? { start: b.start, n } : best;
  }, undefined);
  const fmt = (n: number) => formatNumber(n, locale);
  const words = TIME_FIELD_WORDS[timeField];
  const summary =
    buckets.length === 0
      ? `No tasks ${words} in this range.`
      : `${fmt(total)} ${total === 1 ? 'task' : 'tasks'} ${words} from ${formatTimestamp(first)} to ${formatTimestamp(
          last + intervalMs,
        )}, one bar per ${intervalLabel}: ${states.map((s) => `${s} ${fmt(totals[s] ?? 0)}`).join(', ')}.` +
        (busiest ? ` Most in the bar from ${formatTimestamp(busiest.start)}: ${fmt(busiest.n)}.` : '');

  const onBrushEnd: BrushEndListener = (event) => {
    // A time axis brushes in epoch milliseconds; a heatmap's brush (strings) never comes from this chart.
    if ('x' in event && event.x && typeof event.x[0] === 'number' && typeof event.x[1] === 'number') {
      onBrush(event.x[0], event.x[1]);
    }
  };
  const onElementClick: ElementClickListener = (elements) => {
    const [element] = elements;
    if (Array.isArray(element) && element.length === 2) {
      const series = element[1] as { specId?: unknown };
      if (typeof series.specId === 'string') onSelectState(series.specId);
    }
  };

  return (
    <div data-test-subj="timelineChart">
      <EuiFlexGroup gutterSize="xs" wrap responsive={false} alignItems="center">
        <EuiFlexItem grow={true}>
          <EuiFlexGroup
            gutterSize="none"
            wrap
            responsive={false}
            role="group"
            aria-label="Filter by state"
            data-test-subj="timelineLegend"
          >
            {states.map((state) => {
              const pressed = selectedStates.includes(state);
              return (
                <EuiFlexItem grow={false} key={state}>
                  <EuiButtonEmpty
                    size="xs"
                    color="text"
                    aria-pressed={pressed}
                    isSelected={pressed}
                    onClick={() => onSelectState(state)}
                    data-test-subj={`timelineState-${state}`}
                    style={pressed ? { fontWeight: 700, textDecoration: 'underline' } : undefined}
                  >
                    <EuiIcon type="dot" color={colors[state]} aria-hidden /> {state} {fmt(totals[state] ?? 0)}
                  </EuiButtonEmpty>
                </EuiFlexItem>
              );
            })}
          </EuiFlexGroup>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButtonIcon
            iconType={asTable ? 'visBarVertical' : 'table'}
            aria-label={asTable ? 'Show the timeline as a chart' : 'Show the timeline as a table'}
            aria-pressed={asTable}
            onClick={() => setAsTable(!asTable)}
            data-test-subj="timelineAsTable"
          />
        </EuiFlexItem>
      </EuiFlexGroup>
      <EuiScreenReaderOnly>
        <p id={summaryId} data-test-subj="timelineSummary">
          {summary}
        </p>
      </EuiScreenReaderOnly>
      {asTable ? (
        <TimelineTable
          buckets={buckets}
          states={states}
          onZoom={(start) => onBrush(start, start)}
          format={fmt}
        />
      ) : (
        <>
          {/* The charts' own styles (tooltip, layout), in the EUI colour mode: both are a few kB in this lazy chunk. */}
          <style>{colorMode === 'DARK' ? darkChartStyles : lightChartStyles}</style>
          <OwnRoot height={CHART_HEIGHT}>
            <Chart size={{ height: CHART_HEIGHT }}>
              <Settings
                baseTheme={colorMode === 'DARK' ? DARK_THEME : LIGHT_THEME}
                theme={{ background: { color: 'transparent' } }}
                showLegend={false}
                onBrushEnd={onBrushEnd}
                onElementClick={onElementClick}
                xDomain={{ min: first, max: last, minInterval: intervalMs }}
                ariaLabel={`Tasks ${words} per ${intervalLabel}, by state`}
                ariaDescribedBy={summaryId}
                ariaUseDefaultSummary={false}
                locale={locale ?? 'en-US'}
              />
              <Tooltip />
              <Axis id="time" position={Position.Bottom} tickFormat={formatTick} />
              <Axis
                id="count"
                position={Position.Left}
                ticks={4}
                maximumFractionDigits={0}
                tickFormat={(n: number) => fmt(n)}
              />
              {states.map((state) => (
                <BarSeries
                  key={state}
                  id={state}
                  name={state}
                  xScaleType={ScaleType.Time}
                  yScaleType={ScaleType.Linear}
                  xAccessor="x"
                  yAccessors={[state]}
                  stackAccessors={['x']}
                  color={colors[state]}
                  data={data}
                />
              ))}
            </Chart>
          </OwnRoot>
        </>
      )}
    </div>
  );
});

/**
 * Renders its children in a React root of their own, outside the app's StrictMode. @elastic/charts subscribes its
 * Chart to its store in the constructor and lets go in componentWillUnmount: StrictMode's mount, unmount and mount
 * again in development leaves it deaf, and brushing and clicks call nothing (elastic/elastic-charts#2171, #2572).
 * In production, where StrictMode does nothing, the chart behaves the same here as it would inline.
 */
function OwnRoot({ children, height }: { children: ReactNode; height: number }) {
  const container = useRef<HTMLDivElement>(null);
  const root = useRef<Root | null>(null);
  useEffect(() => {
    // A fresh element per root: StrictMode's second mount comes before the first root has gone.
    const element = document.createElement('div');
    container.current!.appendChild(element);
    const own = createRoot(element);
    root.current = own;
    return () => {
      root.current = null;
      // Not during this root's commit: React refuses to unmount a root synchronously while it renders another.
      setTimeout(() => {
        own.unmount();
        element.remove();
      });
    };
  }, []);
  useEffect(() => {
    root.current?.render(children);
  });
  return <div ref={container} style={{ height }} />;
}

function TimelineTable({
  buckets,
  states,
  onZoom,
  format,
}: {
  buckets: TimelineBucket[];
  states: string[];
  onZoom: (start: number) => void;
  format: (n: number) => string;
}) {
  const rows = buckets.filter((b) => Object.values(b.counts).some((n) => n > 0));
  return (
    <div
      style={{ height: CHART_HEIGHT, overflowY: 'auto' }}
      tabIndex={0}
      role="region"
      aria-label="Tasks per bar"
    >
      <EuiTable compressed data-test-subj="timelineTable">
        <EuiTableHeader>
          <EuiTableHeaderCell>Bar from</EuiTableHeaderCell>
          {states.map((s) => (
            <EuiTableHeaderCell key={s} align="right">
              {s}
            </EuiTableHeaderCell>
          ))}
          <EuiTableHeaderCell>
            <EuiScreenReaderOnly>
              <span>Show</span>
            </EuiScreenReaderOnly>
          </EuiTableHeaderCell>
        </EuiTableHeader>
        <EuiTableBody>
          {rows.map((b) => (
            <EuiTableRow key={b.start}>
              <EuiTableRowCell>{formatTimestamp(b.start)}</EuiTableRowCell>
              {states.map((s) => (
                <EuiTableRowCell key={s} align="right">
                  {format(b.counts[s] ?? 0)}
                </EuiTableRowCell>
              ))}
              <EuiTableRowCell>
                <EuiButtonIcon
                  iconType="magnifyPlus"
                  aria-label={`Show the tasks of the bar from ${formatTimestamp(b.start)}`}
                  onClick={() => onZoom(b.start)}
                  data-test-subj="timelineZoom"
                />
              </EuiTableRowCell>
            </EuiTableRow>
          ))}
        </EuiTableBody>
      </EuiTable>
    </div>
  );
}
