// What the first screen's context tells the components that must draw the same on the server and in hydration.
import { renderHook } from '@testing-library/react';
import { useContext, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { FirstPageData } from '../../shared/first-page';
import { FirstRenderTimeContext } from '../lib/use-now';
import { NamesOnFirstScreen } from '../nodes/use-node-names';
import { FirstScreenContext } from './first-screen-context';

const COMMON = { fetchedAt: 1_700_000_000_000, readOnly: false };
const EMPTY = {
  took: 1,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { total: { value: 0, relation: 'eq' as const }, max_score: null, hits: [] },
};
const NODES = { nodes: { n1: { name: 'ml-1', roles: ['ml'] } } };
const SCOPE = { filter: {}, states: ['FAILED'] };
const NO_GROUPS = { groups: [], read: 0, total: 0, span: undefined };

function read(data: FirstPageData | undefined) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <FirstScreenContext data={data}>{children}</FirstScreenContext>
  );
  return renderHook(
    () => ({ time: useContext(FirstRenderTimeContext), named: useContext(NamesOnFirstScreen) }),
    { wrapper },
  ).result.current;
}

describe('FirstScreenContext', () => {
  it.each<[string, FirstPageData | undefined, boolean]>([
    ['no first screen', undefined, false],
    ['the tasks page (no node list)', { ...COMMON, page: 'tasks', body: {}, response: EMPTY }, false],
    ['the nodes page', { ...COMMON, page: 'nodes', body: {}, response: EMPTY, nodes: NODES }, true],
    [
      'the failures page with the node list',
      { ...COMMON, page: 'failures', scope: SCOPE, result: NO_GROUPS, nodes: NODES },
      true,
    ],
    [
      'the failures page without it (refused)',
      { ...COMMON, page: 'failures', scope: SCOPE, result: NO_GROUPS },
      false,
    ],
  ])('%s: names nodes on the first screen: %s', (_, data, named) => {
    expect(read(data)).toEqual({ time: data?.fetchedAt, named });
  });
});
