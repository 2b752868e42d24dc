// Tests that a failed request is explained with OpenSearch's own words and the hop that is down.
import { EuiProvider } from '@elastic/eui';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { NetworkError, parseErrorResponse } from '../api/http';
import { RequestErrorCallOut } from './request-error-callout';

function renderCallOut(error: unknown, onRetry?: () => void) {
  return render(
    <EuiProvider colorMode="light">
      <RequestErrorCallOut title="Could not search tasks" error={error} {...(onRetry ? { onRetry } : {})} />
    </EuiProvider>,
  );
}

describe('RequestErrorCallOut', () => {
  it('shows the type, reason, status and the root causes that differ from the top-level error', () => {
    const error = parseErrorResponse(
      400,
      JSON.stringify({
        error: {
          root_cause: [{ type: 'illegal_argument_exception', reason: 'Result window is too large' }],
          type: 'search_phase_execution_exception',
          reason: 'all shards failed',
        },
        status: 400,
      }),
    );
    renderCallOut(error);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Could not search tasks');
    expect(screen.getByTestId('errorType')).toHaveTextContent('search_phase_execution_exception');
    expect(screen.getByTestId('errorReason')).toHaveTextContent('all shards failed');
    expect(alert).toHaveTextContent('HTTP 400');
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'illegal_argument_exception: Result window is too large',
    );
  });

  it('explains a network failure and retries on request', async () => {
    const onRetry = vi.fn();
    renderCallOut(
      new NetworkError('OpenSearch could not be reached through the proxy: ECONNREFUSED', 'cluster'),
      onRetry,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('ECONNREFUSED');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
