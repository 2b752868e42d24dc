// A row-sized trend: a few bars drawn as SVG, with the counts said in words for screen readers and on hover.
import { useEuiTheme } from '@elastic/eui';

export interface TrendBarsProps {
  /** Counts per equal slice of time, oldest first. */
  counts: number[];
  /** What the bars count, said before the numbers. */
  label: string;
  width?: number;
  height?: number;
}

export function TrendBars({ counts, label, width = 72, height = 20 }: TrendBarsProps) {
  const { euiTheme } = useEuiTheme();
  const max = Math.max(1, ...counts);
  const slot = width / Math.max(1, counts.length);
  const words = `${label}, oldest to newest: ${counts.join(', ')}`;
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={words}
      data-test-subj="trendBars"
      style={{ display: 'block' }}
    >
      <title>{words}</title>
      {counts.map((count, i) => {
        const h = count === 0 ? 1 : Math.max(2, (count / max) * height);
        return (
          <rect
            key={i}
            x={i * slot + 0.5}
            y={height - h}
            width={Math.max(1, slot - 1)}
            height={h}
            fill={count === 0 ? euiTheme.colors.lightShade : euiTheme.colors.danger}
          />
        );
      })}
    </svg>
  );
}
