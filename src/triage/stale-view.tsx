// Stale tasks on screen: the count beside the state summary (one click shows them), the rules' thresholds the user
// may edit, the mark in a task's row and the explanation with the next step in its drawer.
import { formatNumber } from '../lib/format';
import { DeferredPopover } from '../lib/deferred-popover';
import { Suspense, lazy, memo, useState } from 'react';
import {
  EuiBadge,
  EuiButtonEmpty,
  EuiCallOut,
  EuiFlexGroup,
  EuiFlexItem,
  EuiLoadingSpinner,
  EuiPopoverTitle,
  EuiText,
  EuiToolTip,
} from '@elastic/eui';
import type { StaleFinding, StaleThresholds } from '../../shared/stale-rules';
import { useNumberLocale } from '../lib/server-request';
import type { StaleSources, ThresholdEdits } from './stale-context';

// The thresholds' form loads when the popover first opens: few users edit them, and its fields weigh on the first page.
const StaleRulesPanel = lazy(() =>
  import('./stale-rules-panel').then((m) => ({ default: m.StaleRulesPanel })),
);

export interface StaleSummaryProps {
  /** Stale tasks under the current filters; undefined while counting or when the facts are not known yet. */
  count: number | undefined;
  /** The query bar already shows only stale tasks. */
  active: boolean;
  onShow: () => void;
  thresholds: StaleThresholds;
  edits: ThresholdEdits;
  onEdit: (edits: ThresholdEdits) => void;
  sources: StaleSources;
}

/** "12 tasks will never finish", a click to show them, and the rules' settings. */
export const StaleSummary = memo(function StaleSummary({
  count,
  active,
  onShow,
  thresholds,
  edits,
  onEdit,
  sources,
}: StaleSummaryProps) {
  const locale = useNumberLocale();
  const [open, setOpen] = useState(false);
  return (
    <EuiFlexGroup gutterSize="xs" responsive={false} alignItems="center" data-test-subj="staleSummary">
      <EuiFlexItem grow={false}>
        <EuiButtonEmpty
          size="s"
          color={count ? 'warning' : 'text'}
          iconType={count ? 'warning' : 'checkCircleFill'}
          isDisabled={count === undefined}
          isSelected={active}
          aria-pressed={active}
          onClick={onShow}
          data-test-subj="staleCount"
        >
          {count === undefined
            ? 'Checking for stale tasks…'
            : count === 0
              ? 'No stale tasks'
              : `${formatNumber(count, locale)} stale task${count === 1 ? '' : 's'}: will never finish`}
        </EuiButtonEmpty>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <DeferredPopover
          isOpen={open}
          closePopover={() => setOpen(false)}
          anchorPosition="downLeft"
          aria-label="Stale task rules"
          button={
            <EuiButtonEmpty
              size="s"
              iconType="gear"
              onClick={() => setOpen(!open)}
              aria-expanded={open}
              data-test-subj="staleRules"
            >
              Stale rules
            </EuiButtonEmpty>
          }
        >
          <EuiPopoverTitle>Stale task rules</EuiPopoverTitle>
          {open && (
            <Suspense fallback={<EuiLoadingSpinner size="m" />}>
              <StaleRulesPanel thresholds={thresholds} edits={edits} onEdit={onEdit} sources={sources} />
            </Suspense>
          )}
        </DeferredPopover>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
});

/** The mark in a task's row: which rule, with why on hover and for screen readers. */
export function StaleBadge({ finding }: { finding: StaleFinding }) {
  return (
    <EuiToolTip title={finding.title} content={finding.why}>
      <EuiBadge
        color="warning"
        iconType="warning"
        tabIndex={0}
        data-test-subj="staleBadge"
        data-rule={finding.rule}
      >
        Stale: {finding.title}
      </EuiBadge>
    </EuiToolTip>
  );
}

/** The drawer's explanation: which rule, why, and what the operator can do next. */
export function StaleExplanation({ finding }: { finding: StaleFinding }) {
  return (
    <EuiCallOut
      color="warning"
      iconType="warning"
      title={`This task will never finish: ${finding.title}`}
      data-test-subj="staleExplanation"
      data-rule={finding.rule}
    >
      <EuiText size="s">
        <p data-test-subj="staleWhy">{finding.why}</p>
        <p data-test-subj="staleNextStep">
          <strong>What to do: </strong>
          {finding.nextStep.text}
        </p>
      </EuiText>
    </EuiCallOut>
  );
}
