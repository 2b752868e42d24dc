// Small pieces the detail views share for showing one value: a copy button and a timestamp with its age.
import { EuiButtonIcon, EuiCopy } from '@elastic/eui';
import { formatIso, formatRelative, formatTimestamp } from './format';

export interface CopyButtonProps {
  value: string;
  /** What is copied, for the accessible name: "Copy task ID". */
  label: string;
}

export function CopyButton({ value, label }: CopyButtonProps) {
  return (
    <EuiCopy textToCopy={value} beforeMessage={`Copy ${label}`} afterMessage="Copied">
      {(copy) => (
        <EuiButtonIcon iconType="copy" size="xs" color="text" aria-label={`Copy ${label}`} onClick={copy} />
      )}
    </EuiCopy>
  );
}

export interface TimeValueProps {
  value: unknown;
  /** The moment "ago" is measured from (epoch millis). */
  now: number;
}

/** `2025-01-10 12:00:00 (3 hours ago)`, with the ISO form in the `datetime` and tooltip; a non-date shows as itself. */
export function TimeValue({ value, now }: TimeValueProps) {
  const absolute = formatTimestamp(value);
  if (absolute === undefined) return <span>{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
  const iso = formatIso(value);
  const relative = formatRelative(value, now);
  return (
    <span>
      <time dateTime={iso} title={iso}>
        {absolute}
      </time>
      {relative !== undefined && <span className="eui-textSubdued"> ({relative})</span>}
    </span>
  );
}
