// The first page the gateway rendered seeds the cache the app reads: rows, console settings, cluster.
import { QueryClientProvider } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstPageSearchBody, type FirstPageData } from '../../shared/first-page';
import { useConsoleConfig } from '../lib/console-config';
import { taskListQueryOptions } from '../tasks/task-queries';
import { failureGroupsQueryOptions } from '../triage/failure-groups-query';
import { nodesQueryOptions } from '../nodes/node-queries';
import { readClusterNodes } from '../nodes/cluster-nodes';
import { createQueryClient, seedFirstPage } from './query-client';
import { ASSUMED_CAPABILITIES } from '../../shared/cluster-capabilities';
import { failureScopeOf } from '../../shared/failure-scope';
import { parseTaskQuery } from '../../shared/task-query';
import { viewFromSearch } from '../../shared/task-view-state';

afterEach(() => vi.unstubAllGlobals());

function firstPage(readOnly: boolean): Extract<FirstPageData, { page: 'tasks' }> {
  return {
    page: 'tasks',
    body: firstPageSearchBody('/', '')!,
    response: {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
    },
    fetchedAt: 1_700_000_000_000,
    readOnly,
  };
}

describe('seedFirstPage', () => {
  it.each([true, false])(
    'hands read-only %s to the console settings the view reads, asking nothing',
    (readOnly) => {
      const fetch = vi.fn(() => Promise.reject(new Error('the seeded app asked the server')));
      vi.stubGlobal('fetch', fetch);
      const queryClient = createQueryClient();
      const data = firstPage(readOnly);
      seedFirstPage(queryClient, data, '');

      const { result } = renderHook(() => useConsoleConfig(), {
        wrapper: ({ children }: { children: ReactNode }) => (
          <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
        ),
      });
      expect(result.current).toEqual({ readOnly });
      expect(queryClient.getQueryData(taskListQueryOptions(data.body).queryKey)).toEqual(data.response);
      expect(fetch).not.toHaveBeenCalled();
    },
  );

  it('puts the failures page’s groups under the scope the page reads, and the node names, asking nothing', () => {
    const fetch = vi.fn(() => Promise.reject(new Error('the seeded app asked the server')));
    vi.stubGlobal('fetch', fetch);
    const queryClient = createQueryClient();
    const capabilities = { ...ASSUMED_CAPABILITIES };
    const view = viewFromSearch('?q=function:REMOTE');
    const parsed = parseTaskQuery(view.q);
    if (!parsed.ok) throw new Error('the query parses');
    const scope = failureScopeOf(view, parsed.query, capabilities)!;
    const result = { groups: [], read: 0, total: 0, span: undefined };
    const nodes = { nodes: { n1: { name: 'ml-node-1', roles: ['ml'] } } };
    seedFirstPage(
      queryClient,
      { page: 'failures', scope, result, nodes, fetchedAt: 1_700_000_000_000, readOnly: false },
      '',
    );
    // The page's own scope, built as the page builds it from its URL, finds the gateway's groups.
    const pageScope = failureScopeOf(view, parsed.query, capabilities);
    expect(queryClient.getQueryData(failureGroupsQueryOptions(pageScope).queryKey)).toBe(result);
    expect(queryClient.getQueryData(nodesQueryOptions.queryKey)).toEqual(readClusterNodes(nodes));
    expect(fetch).not.toHaveBeenCalled();
  });
});
