// A danger callout that explains a failed request: OpenSearch's error type and reason, its root causes, or which hop is down.
import { EuiButton, EuiCallOut, EuiSpacer, EuiText } from '@elastic/eui';
import { ApiError, NetworkError } from '../api/http';

export interface RequestErrorCallOutProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
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
  return (
    <EuiCallOut
      title={title}
      color="danger"
      iconType="error"
      role="alert"
      data-test-subj="requestErrorCallOut"
    >
      <EuiText size="s">
        <ErrorDetails error={error} />
      </EuiText>
      {onRetry && (
        <>
          <EuiSpacer size="s" />
          <EuiButton size="s" color="danger" onClick={onRetry}>
            Try again
          </EuiButton>
        </>
      )}
    </EuiCallOut>
  );
}
