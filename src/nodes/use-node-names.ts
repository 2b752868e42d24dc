// The names of the cluster's nodes, for every view that shows a node id: ids until the app owns the page (the
// server's first screen shows ids, and hydration must draw the same), names once `_nodes` has answered.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { explainError } from '../lib/request-error-callout';
import { useHydrated } from '../lib/use-hydrated';
import type { NodeNames } from './cluster-nodes';
import { nodesQueryOptions } from './node-queries';

const PENDING: NodeNames = { status: 'pending' };

/** Why node names are not shown, in one sentence for a title. */
export function whyNoNames(error: unknown): string {
  if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
    return 'Node names are not shown: the console’s server does not forward GET /_nodes (an older gateway?).';
  }
  return `Node names are not shown: GET /_nodes failed. ${explainError(error).headline}`;
}

export function useNodeNames(): NodeNames {
  const hydrated = useHydrated();
  const { data, error } = useQuery(nodesQueryOptions);
  return useMemo((): NodeNames => {
    if (!hydrated) return PENDING;
    if (data) return { status: 'ready', nodes: data };
    if (error) return { status: 'unavailable', reason: whyNoNames(error) };
    return PENDING;
  }, [hydrated, data, error]);
}
