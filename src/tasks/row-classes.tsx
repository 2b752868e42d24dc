// The task table's body cells and their small parts, drawn as plain elements with EUI's own styles.
//
// A page has up to 100 rows of 12 cells. EuiTableRowCell costs four components and two style serialisations a
// cell, EuiTextColor, EuiScreenReaderOnly and EuiIcon one or more each, and together they were most of the time a
// new page of rows took to render (bench/README.md, "filter to rows"). The same styles, from EUI's theme and
// mixins, are made into class names once per render of the table instead, and the rows use plain elements.
import type { ReactNode } from 'react';
import {
  euiScreenReaderOnly,
  euiTextBreakWord,
  logicalCSS,
  useEuiMemoizedStyles,
  type UseEuiTheme,
} from '@elastic/eui';
import { ClassNames, css, type SerializedStyles } from '@emotion/react';

/** The colours a row draws text and state dots in (EuiTextColor's and EuiIcon's names). */
export type RowColor = 'primary' | 'success' | 'warning' | 'danger' | 'subdued';
const COLORS: readonly RowColor[] = ['primary', 'success', 'warning', 'danger', 'subdued'];

export interface RowClasses {
  /** A body cell and its content, as EuiTableRowCell draws them in a desktop table. */
  cell: string;
  content: string;
  /** The selection cell, as EuiTableRowCellCheckbox draws it. */
  checkbox: string;
  /** Text in a colour, as EuiTextColor draws it. */
  text: Record<RowColor, string>;
  /** A state's dot, as EuiIcon's `dot` in that colour. */
  dot: Record<RowColor, string>;
  /** Read by screen readers only, as EuiScreenReaderOnly. */
  srOnly: string;
}

const rowStyles = ({ euiTheme }: UseEuiTheme) => {
  const border = logicalCSS('border-vertical', euiTheme.border.thin);
  const colors: Record<RowColor, string> = {
    primary: euiTheme.colors.textPrimary,
    success: euiTheme.colors.textSuccess,
    warning: euiTheme.colors.textWarning,
    danger: euiTheme.colors.textDanger,
    subdued: euiTheme.colors.textSubdued,
  };
  const byColor = (style: (color: string) => SerializedStyles) =>
    Object.fromEntries(COLORS.map((c) => [c, style(colors[c])])) as Record<RowColor, SerializedStyles>;
  return {
    cell: css`
      color: ${euiTheme.colors.textParagraph};
      vertical-align: middle;
      ${border}
    `,
    content: css`
      display: flex;
      align-items: center;
      ${euiTextBreakWord()}
    `,
    checkbox: css`
      ${logicalCSS('width', euiTheme.size.xl)}
      vertical-align: middle;
      ${border}
    `,
    text: byColor(
      (color) => css`
        color: ${color};
      `,
    ),
    // EuiIcon's dot: a circle of half the icon's size, centred in a box of the icon's size.
    dot: byColor(
      (color) => css`
        display: inline-flex;
        align-items: center;
        justify-content: center;
        flex-shrink: 0;
        ${logicalCSS('width', euiTheme.size.base)}
        ${logicalCSS('height', euiTheme.size.base)}
        &::before {
          content: '';
          ${logicalCSS('width', euiTheme.size.s)}
          ${logicalCSS('height', euiTheme.size.s)}
          border-radius: 50%;
          background-color: ${color};
        }
      `,
    ),
    srOnly: css`
      ${euiScreenReaderOnly()}
    `,
  };
};

let last: { key: string; classes: RowClasses } | undefined;

/**
 * The same object while the class names are the same, so that memoised rows given it do not render again. The names
 * are a function of the theme's styles alone.
 */
function stable(classes: RowClasses): RowClasses {
  const key = JSON.stringify(classes);
  if (last?.key !== key) last = { key, classes };
  return last.classes;
}

/** Gives its children the row classes of the current theme (and inserts their styles, on the server too). */
export function RowClassNames({ children }: { children: (classes: RowClasses) => ReactNode }) {
  const styles = useEuiMemoizedStyles(rowStyles);
  return (
    <ClassNames>
      {({ css: name }) => {
        const byColor = (s: Record<RowColor, SerializedStyles>) =>
          Object.fromEntries(COLORS.map((c) => [c, name(s[c])])) as Record<RowColor, string>;
        return children(
          stable({
            cell: `euiTableRowCell ${name(styles.cell)}`,
            content: `euiTableCellContent ${name(styles.content)}`,
            checkbox: `euiTableRowCellCheckbox ${name(styles.checkbox)}`,
            text: byColor(styles.text),
            dot: byColor(styles.dot),
            srOnly: name(styles.srOnly),
          }),
        );
      }}
    </ClassNames>
  );
}
