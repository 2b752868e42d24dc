// What the stale rules need to know, gathered in the browser: the live nodes (`GET /_nodes`, shared with node names),
// the tasks the nodes hold (`GET /_plugins/_ml/profile/tasks`), the cluster's task timeout (`GET /_cluster/settings`)
// and the thresholds the user edited. A source that cannot be read leaves its rule out and says why, never guesses.
import { useMemo } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getClusterSettings, getTaskProfile } from '../api/ml';
import { useCapabilities } from '../lib/cluster-report';
import { explainError } from '../lib/request-error-callout';
import { useHydrated } from '../lib/use-hydrated';
import { useStoredState } from '../lib/use-stored-state';
import { nodesQueryOptions } from '../nodes/node-queries';
import {
  DEFAULT_THRESHOLDS,
  heldTaskIdsFromProfile,
  staleCapabilitiesOf,
  thresholdsFromClusterSettings,
  type StaleCapabilities,
  type StaleContext,
  type StaleThresholds,
} from '../../shared/stale-rules';

export const triageKeys = {
  all: ['triage'] as const,
  profile: () => [...triageKeys.all, 'task-profile'] as const,
  settings: () => [...triageKeys.all, 'cluster-settings'] as const,
};

/** The profile changes as tasks start and end: read it with every refresh of the view, never older than 10 s. */
export function taskProfileQueryOptions(refreshMs = 0) {
  return queryOptions({
    queryKey: triageKeys.profile(),
    queryFn: async ({ signal }) => heldTaskIdsFromProfile(await getTaskProfile(signal)) ?? null,
    staleTime: 10_000,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    refetchIntervalInBackground: false,
    retry: 1,
  });
}

/** Settings change rarely; the user edits thresholds in the console. */
export const clusterSettingsQueryOptions = queryOptions({
  queryKey: triageKeys.settings(),
  queryFn: async ({ signal }) => thresholdsFromClusterSettings(await getClusterSettings(signal)),
  staleTime: 5 * 60_000,
  retry: 1,
});

/** The thresholds a user set, per field; the rest come from the cluster or the defaults. */
export type ThresholdEdits = Partial<StaleThresholds>;

function isThresholdEdits(value: unknown): value is ThresholdEdits {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, v]) => key in DEFAULT_THRESHOLDS && typeof v === 'number' && Number.isFinite(v) && v >= 0,
  );
}

export const THRESHOLDS_KEY = 'ml-console-stale-thresholds';

export function useThresholdEdits(): [ThresholdEdits, (edits: ThresholdEdits) => void] {
  return useStoredState<ThresholdEdits>(THRESHOLDS_KEY, {}, isThresholdEdits);
}

/** Where each piece the rules use came from, for the page to say. */
export interface StaleSources {
  /** Why node membership is unknown (the worker-left rule is off), if it is. */
  nodes?: string;
  /** Why the held tasks are unknown (the held-by-no-node rule is off), if they are. */
  profile?: string;
  /** Why the cluster's task timeout is unknown (the default is used), if it is. */
  settings?: string;
  /** The thresholds that came from the cluster's settings. */
  fromCluster: Partial<StaleThresholds>;
}

export interface StaleState {
  /** Undefined until every source has answered or failed: a rule must not run on half its facts. */
  context: Omit<StaleContext, 'now'> | undefined;
  caps: StaleCapabilities | undefined;
  thresholds: StaleThresholds;
  edits: ThresholdEdits;
  setEdits: (edits: ThresholdEdits) => void;
  sources: StaleSources;
}

function reason(what: string, error: unknown): string {
  return `${what}: ${explainError(error).headline}`;
}

/**
 * The stale rules' facts for the current moment. Nothing is read on the server's first screen (the views show no
 * stale marks until the app owns the page), and each source is read once however many views use it.
 */
export function useStaleState(refreshMs = 0): StaleState {
  const hydrated = useHydrated();
  const capabilities = useCapabilities();
  const nodes = useQuery({ ...nodesQueryOptions, enabled: hydrated });
  const profile = useQuery({ ...taskProfileQueryOptions(refreshMs), enabled: hydrated });
  const settings = useQuery({ ...clusterSettingsQueryOptions, enabled: hydrated });
  const [edits, setEdits] = useThresholdEdits();

  const fromCluster = settings.data;
  const thresholds = useMemo(
    () => ({ ...DEFAULT_THRESHOLDS, ...fromCluster, ...edits }),
    [fromCluster, edits],
  );
  const settled = (q: { isPending: boolean; isError: boolean }) => !q.isPending || q.isError;
  const ready = hydrated && settled(nodes) && settled(profile) && settled(settings);

  const liveNodeIds = useMemo(
    () => (nodes.data && nodes.data.complete ? [...nodes.data.byId.keys()] : undefined),
    [nodes.data],
  );
  const heldTaskIds = profile.data ?? undefined;
  const context = useMemo(
    () => (ready ? { thresholds, liveNodeIds, heldTaskIds } : undefined),
    [ready, thresholds, liveNodeIds, heldTaskIds],
  );
  const caps = useMemo(() => (capabilities ? staleCapabilitiesOf(capabilities) : undefined), [capabilities]);

  // Memoised: the stale summary beside the table is memo'd, and a new object on every render would redraw it.
  const sources = useMemo(
    (): StaleSources => ({
      fromCluster: fromCluster ?? {},
      ...(nodes.error
        ? { nodes: reason('GET /_nodes failed', nodes.error) }
        : nodes.data && !nodes.data.complete
          ? { nodes: 'some nodes did not answer GET /_nodes' }
          : {}),
      ...(profile.error
        ? { profile: reason('GET /_plugins/_ml/profile/tasks failed', profile.error) }
        : profile.data === null
          ? { profile: 'the task profile had an unknown shape' }
          : {}),
      ...(settings.error ? { settings: reason('GET /_cluster/settings failed', settings.error) } : {}),
    }),
    [fromCluster, nodes.error, nodes.data, profile.error, profile.data, settings.error],
  );
  return { context, caps, thresholds, edits, setEdits, sources };
}
