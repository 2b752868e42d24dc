// "Ask the provider now" for a remote batch prediction: the one place the console sends GET for such a task, which
// makes ML Commons call the provider (OpenAI, Bedrock, SageMaker) and write its answer into the task. Explicit, and
// at most once per 30 s per task, so an open drawer never costs money or trips the provider's rate limits.
import { useState } from 'react';
import { EuiButton, EuiCallOut, EuiFlexGroup, EuiFlexItem, EuiSpacer, EuiText } from '@elastic/eui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getTask } from '../api/ml';
import type { MlTask } from '../../shared/ml-types';
import { RequestErrorCallOut } from '../lib/request-error-callout';
import { useNow } from '../lib/use-now';
import { providerStatus } from './task-fields';
import { taskKeys } from './task-queries';

/** The least time between two questions to the provider about one task. */
export const ASK_PROVIDER_INTERVAL_MS = 30_000;

// Kept for the page's life, not the drawer's: closing and reopening the drawer does not reset the wait.
const lastAsked = new Map<string, number>();

export function AskProvider({ taskId }: { taskId: string }) {
  const queryClient = useQueryClient();
  const now = useNow(1000);
  const [askedAt, setAskedAt] = useState(() => lastAsked.get(taskId));
  const ask = useMutation({
    mutationFn: () => getTask(taskId),
    onMutate: () => {
      const at = Date.now();
      lastAsked.set(taskId, at);
      setAskedAt(at);
    },
    onSuccess: (task: MlTask) => {
      // GET wrote the provider's answer into the task: the drawer and the lists show it from now on.
      queryClient.setQueryData(taskKeys.detail(taskId), task);
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: taskKeys.allCounts() });
    },
  });
  // `now` ticks once a second and may be up to a second old: the wait never reads longer than the interval.
  const waitMs =
    askedAt === undefined
      ? 0
      : Math.min(ASK_PROVIDER_INTERVAL_MS, Math.max(0, askedAt + ASK_PROVIDER_INTERVAL_MS - now));
  const answer = ask.data;
  const status = answer ? providerStatus(answer) : undefined;

  return (
    <>
      <EuiFlexGroup gutterSize="s" alignItems="center" responsive={false} wrap>
        <EuiFlexItem grow={false}>
          <EuiButton
            size="s"
            iconType="refresh"
            isLoading={ask.isPending}
            isDisabled={ask.isPending || waitMs > 0}
            onClick={() => ask.mutate()}
            data-test-subj="askProvider"
          >
            Ask the provider now
          </EuiButton>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiText size="xs" color="subdued">
            <span data-test-subj="askProviderNote">
              {waitMs > 0
                ? `Asked; again in ${Math.ceil(waitMs / 1000)} s.`
                : 'The drawer reads this task without calling its provider; this asks the provider for the job’s status (it may cost a request at the provider).'}
            </span>
          </EuiText>
        </EuiFlexItem>
      </EuiFlexGroup>
      {ask.isError && (
        <>
          <EuiSpacer size="s" />
          <RequestErrorCallOut title="The provider could not be asked" error={ask.error} />
        </>
      )}
      {answer && (
        <>
          <EuiSpacer size="s" />
          <EuiCallOut
            size="s"
            color="success"
            iconType="check"
            title={`The provider says: ${status ?? 'no status given'}; the task is ${answer.state ?? 'without a state'}`}
            data-test-subj="askProviderAnswer"
          />
        </>
      )}
      <EuiSpacer size="m" />
    </>
  );
}
