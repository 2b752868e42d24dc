// A danger callout that explains a failed request: what happened in plain words (cluster down, credentials,
// a missing permission, a timeout…), then OpenSearch's own error type, reason and root causes.
import { EuiButton, EuiCallOut, EuiSpacer, EuiText } from '@elastic/eui';
import { ApiError, NetworkError } from '../api/http';

export interface RequestErrorCallOutProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/** What an operator should understand from a failure, before the technical details. */
export function explainError(error: unknown): { headline: string; hint?: string } {
  if (error instanceof NetworkError) {
    if (error.where === 'proxy') {
      return {
        headline: 'The console’s server cannot be reached.',
        hint: 'Check that it is running, then try again.',
      };
    }
    if (error.status === 504)
      return { headline: 'The cluster did not answer in time.', hint: 'It may be overloaded; try again.' };
    return {
      headline: 'The cluster is unreachable.',
      hint: 'The console’s server could not connect to OpenSearch.',
    };
  }
  if (!(error instanceof ApiError)) return { headline: 'Something went wrong.' };
  // One meaning whatever the release's form (a 2.8 cluster's 500 "Fail to find task" is a not-found too).
  const { meaning, permission } = error.classified;
  switch (meaning) {
    case 'unauthorized':
      return {
        headline: 'The cluster refused the console’s credentials (401).',
        hint: 'The credentials are configured on the console’s server (OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD, or OPENSEARCH_AUTH_HEADER).',
      };
    case 'no-permission':
      return {
        headline: permission
          ? `The console’s user lacks the permission ${permission} (${error.status}).`
          : `The cluster forbids this request (${error.status}).`,
        hint: permission
          ? 'Map the user to a role that grants it: ml_read_access covers get and search, ml_full_access covers deleting too.'
          : undefined,
      };
    case 'not-found':
      return { headline: `Not found (${error.status}).` };
    case 'nothing-indexed':
      return { headline: 'The cluster has no tasks yet: its task index does not exist.' };
    case 'task-running':
      return {
        headline: 'The cluster refuses to delete a running task.',
        hint: 'Try again once it has finished.',
      };
    case 'not-a-batch-job':
      return { headline: 'Only a batch prediction on a remote model can be cancelled.' };
    case 'unsupported':
      return { headline: 'This cluster’s ML Commons release cannot answer this request.' };
    case 'timeout':
      return error.status === 408
        ? {
            headline: 'The search timed out on the cluster (408).',
            hint: 'Narrow the time range or the filters, then try again.',
          }
        : { headline: 'The cluster did not answer in time.', hint: 'It may be overloaded; try again.' };
    case 'overloaded':
      return {
        headline: `The cluster is rejecting requests: it is overloaded (${error.status}).`,
        hint: 'Wait a moment and try again.',
      };
    case 'bad-request':
      return { headline: `The cluster rejected the request (HTTP ${error.status}).` };
    case 'cluster-error':
      return { headline: `The cluster failed to answer (HTTP ${error.status}).` };
  }
}

function ErrorDetails({ error }: { error: unknown }) {
  if (error instanceof ApiError) {
    // The top-level reason is often generic ("all shards failed"); the root causes say what was wrong.
    const causes = error.rootCause.filter((c) => c.type !== error.type || c.reason !== error.reason);
    return (
      <>
        <p>
          <strong data-test-subj="errorType">{error.type}</strong> (HTTP {error.status}):{' '}
          <span data-test-subj="errorReason">{error.reason}</span>
        </p>
        {causes.length > 0 && (
          <ul>
            {causes.map((cause, index) => (
              <li key={index}>
                <strong>{cause.type}</strong>: {cause.reason}
              </li>
            ))}
          </ul>
        )}
        {error.causedBy && causes.length === 0 && (
          <p>
            Caused by <strong>{error.causedBy.type}</strong>: {error.causedBy.reason}
          </p>
        )}
      </>
    );
  }
  if (error instanceof NetworkError) {
    return <p>{error.message}</p>;
  }
  return <p>{error instanceof Error ? error.message : String(error)}</p>;
}

export function RequestErrorCallOut({ title, error, onRetry }: RequestErrorCallOutProps) {
  const { headline, hint } = explainError(error);
  return (
    <EuiCallOut
      title={title}
      color="danger"
      iconType="error"
      role="alert"
      data-test-subj="requestErrorCallOut"
    >
      <EuiText size="s">
        <p data-test-subj="errorHeadline">
          <strong>{headline}</strong>
          {hint ? ` ${hint}` : ''}
        </p>
        <ErrorDetails error={error} />
      </EuiText>
      {onRetry && (
        <>
          <EuiSpacer size="s" />
          <EuiButton size="s" color="danger" onClick={onRetry} data-test-subj="retryButton">
            Try again
          </EuiButton>
        </>
      )}
    </EuiCallOut>
  );
}
