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
  const permission = /no permissions for \[([^\]]+)\]/.exec(error.reason)?.[1];
  switch (true) {
    case error.status === 401:
      return {
        headline: 'The cluster refused the console’s credentials (401).',
        hint: 'The credentials are configured on the console’s server (OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD, or OPENSEARCH_AUTH_HEADER).',
      };
    case error.status === 403:
      return {
        headline: permission
          ? `The console’s user lacks the permission ${permission} (403).`
          : 'The cluster forbids this request (403).',
        hint: permission
          ? 'Map the user to a role that grants it: ml_read_access covers get and search, ml_full_access covers deleting too.'
          : undefined,
      };
    case error.status === 404:
      return { headline: 'Not found (404).' };
    case error.status === 408:
      return {
        headline: 'The search timed out on the cluster (408).',
        hint: 'Narrow the time range or the filters, then try again.',
      };
    case error.status === 429:
      return {
        headline: 'The cluster is rejecting requests: too many at once (429).',
        hint: 'Wait a moment and try again.',
      };
    case error.status >= 500:
      return { headline: `The cluster failed to answer (HTTP ${error.status}).` };
    default:
      return { headline: `The cluster rejected the request (HTTP ${error.status}).` };
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
