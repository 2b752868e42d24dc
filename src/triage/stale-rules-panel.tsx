// The stale rules' thresholds, editable, with where each came from and which rules are off for want of an answer.
import { EuiButtonEmpty, EuiCallOut, EuiDescribedFormGroup, EuiFieldNumber, EuiFormRow } from '@elastic/eui';
import { DEFAULT_THRESHOLDS, type StaleThresholds } from '../../shared/stale-rules';
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

export interface StaleRulesPanelProps {
  thresholds: StaleThresholds;
  edits: ThresholdEdits;
  onEdit: (edits: ThresholdEdits) => void;
  sources: StaleSources;
}

export function StaleRulesPanel({ thresholds, edits, onEdit, sources }: StaleRulesPanelProps) {
  const unknown = [sources.nodes, sources.profile, sources.settings].filter(Boolean) as string[];
  return (
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
  );
}
