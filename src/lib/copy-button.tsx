// A copy button light enough for every row of a table: no tooltip component per instance (EuiCopy has one).
// Its icon and label say for a moment whether the copy worked.
import { useEffect, useState } from 'react';
import { EuiButtonIcon, copyToClipboard } from '@elastic/eui';

const SHOWN_MS = 1500;

export function CopyButton({ text, what }: { text: string; /** e.g. "task id t1" */ what: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!result) return;
    const timer = window.setTimeout(() => setResult(null), SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [result]);
  const label =
    result === 'copied'
      ? `Copied ${what}`
      : result === 'failed'
        ? `Could not copy ${what}: the browser refused`
        : `Copy ${what}`;
  return (
    <EuiButtonIcon
      iconType={result === 'copied' ? 'check' : result === 'failed' ? 'warning' : 'copy'}
      size="xs"
      color={result === 'copied' ? 'success' : result === 'failed' ? 'danger' : 'text'}
      onClick={() => setResult(copyToClipboard(text) ? 'copied' : 'failed')}
      aria-label={label}
      title={label}
    />
  );
}
