// The names of the cluster's nodes, for every view that shows a node id: ids until the app owns the page (the tasks
// page's first screen, rendered by the gateway without `_nodes`, shows ids, and hydration must draw the same), unless
// that first screen brought the list; names once `_nodes` has answered.
import { createContext, useContext, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { explainError } from '../lib/request-error-callout';
import { useHydrated } from '../lib/use-hydrated';
import type { NodeNames } from './cluster-nodes';
import { nodesQueryOptions } from './node-queries';

const PENDING: NodeNames = { status: 'pending' };

/**
 * Whether the gateway's first screen named nodes (its page brought the node list: the nodes and failures pages): the
 * server's render and the browser's hydration then both draw names. Else both draw ids, whatever the browser knows.
 */
export const NamesOnFirstScreen = createContext(false);

/** Why the node list could not be read, in one sentence. */
export function whyNoNames(error: unknown): string {
  // An older gateway answers a path it does not forward with a 404, or (a dev server) with the app's page.
  if (
    error instanceof ApiError &&
    (error.status === 404 || error.status === 405 || error.type === 'invalid_response')
  ) {
    return 'The console’s server does not forward GET /_nodes (an older gateway?).';
  }
  return `GET /_nodes failed. ${explainError(error).headline}`;
}

export function useNodeNames(): NodeNames {
  const hydrated = useHydrated();
  const namedOnFirstScreen = useContext(NamesOnFirstScreen);
  const { data, error } = useQuery(nodesQueryOptions);
  return useMemo((): NodeNames => {
    if (!hydrated && !namedOnFirstScreen) return PENDING;
    if (data) return { status: 'ready', nodes: data };
    if (error) return { status: 'unavailable', reason: `Node names are not shown. ${whyNoNames(error)}` };
    return PENDING;
  }, [hydrated, namedOnFirstScreen, data, error]);
}
