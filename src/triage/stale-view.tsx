// Stale tasks on screen: the count beside the state summary (one click shows them), the rules' thresholds the user
// may edit, the mark in a task's row and the explanation with the next step in its drawer.
import { memo, useState } from 'react';
import {
  EuiBadge,
  EuiButtonEmpty,
  EuiCallOut,
  EuiDescribedFormGroup,
  EuiFieldNumber,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFormRow,
  EuiPopover,
  EuiPopoverTitle,
  EuiText,
  EuiToolTip,
} from '@elastic/eui';
import { DEFAULT_THRESHOLDS, type StaleFinding, type StaleThresholds } from '../../shared/stale-rules';
import { useNumberLocale } from '../lib/server-request';
import type { StaleSources, ThresholdEdits } from './stale-context';

/** The thresholds a user may edit, in the unit they are edited in. */
const EDITABLE: Array<{ field: keyof StaleThresholds; label: string; unit: string; help: string }> = [
  {
    field: 'taskTimeoutSeconds',
    label: 'Task timeout',
    unit: 's',
    help: 'plugins.ml_commons.ml_task_timeout_in_seconds: ML Commons fails a cached task older than this, unless its node lost it.',
  },
  {
    field: 'batchPollMinutes',
    label: 'Batch job not polled after',
    unit: 'min',
    help: 'The batch poller updates running batch predictions every minute; one not updated for this long is not being polled.',
  },
  {
    field: 'agentRunMinutes',
    label: 'Agent run given up after',
    unit: 'min',
    help: 'Agent runs have no timeout: one still running after this long has most likely died with its node.',
  },
  {
    field: 'newTaskGraceSeconds',
    label: 'Ignore tasks younger than',
    unit: 's',
    help: 'A task this new may not be in the node list or the profile yet.',
  },
];

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
  const unknown = [sources.nodes, sources.profile, sources.settings].filter(Boolean) as string[];
  return (
    <EuiFlexGroup gutterSize="xs" responsive={false} alignItems="center" data-test-subj="staleSummary">
      <EuiFlexItem grow={false}>
        <EuiButtonEmpty
          size="s"
          color={count ? 'warning' : 'text'}
          iconType={count ? 'warning' : 'checkInCircleFilled'}
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
              : `${count.toLocaleString(locale)} stale task${count === 1 ? '' : 's'}: will never finish`}
        </EuiButtonEmpty>
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiPopover
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
          <div style={{ width: 440 }}>
            {unknown.length > 0 && (
              <EuiCallOut
                size="s"
                color="warning"
                iconType="warning"
                title="Some rules are off: the console could not read what they need"
                data-test-subj="staleSourcesUnknown"
              >
                <ul>
                  {unknown.map((why) => (
                    <li key={why}>{why}</li>
                  ))}
                </ul>
              </EuiCallOut>
            )}
            {EDITABLE.map(({ field, label, unit, help }) => {
              const fromCluster = sources.fromCluster[field];
              const base = fromCluster ?? DEFAULT_THRESHOLDS[field];
              const edited = edits[field] !== undefined;
              return (
                <EuiDescribedFormGroup
                  key={field}
                  title={<h3>{label}</h3>}
                  titleSize="xxxs"
                  description={help}
                  fullWidth
                >
                  <EuiFormRow
                    label={`${label} (${unit})`}
                    helpText={
                      edited
                        ? `Edited; ${fromCluster !== undefined ? 'the cluster says' : 'the default is'} ${base} ${unit}.`
                        : fromCluster !== undefined
                          ? 'From the cluster’s settings.'
                          : 'ML Commons’ default.'
                    }
                  >
                    <EuiFieldNumber
                      compressed
                      min={0}
                      value={thresholds[field]}
                      onChange={(e) => {
                        const value = e.target.valueAsNumber;
                        const next = { ...edits };
                        if (Number.isFinite(value) && value >= 0 && value !== base) next[field] = value;
                        else delete next[field];
                        onEdit(next);
                      }}
                      append={unit}
                      data-test-subj={`staleThreshold-${field}`}
                    />
                  </EuiFormRow>
                </EuiDescribedFormGroup>
              );
            })}
            <EuiButtonEmpty
              size="xs"
              isDisabled={Object.keys(edits).length === 0}
              onClick={() => onEdit({})}
              data-test-subj="staleThresholdsReset"
            >
              Back to the cluster’s values
            </EuiButtonEmpty>
          </div>
        </EuiPopover>
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
