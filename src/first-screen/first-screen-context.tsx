// What the gateway's first screen was drawn with, for the components whose first render must draw the same on the
// server and in the browser's hydration: the time of its answers (relative times) and whether it named nodes.
import type { ReactNode } from 'react';
import type { FirstPageData } from '../../shared/first-page';
import { FirstRenderTimeContext } from '../lib/use-now';
import { NamesOnFirstScreen } from '../nodes/use-node-names';

export function FirstScreenContext({
  data,
  children,
}: {
  data: FirstPageData | undefined;
  children: ReactNode;
}) {
  return (
    <FirstRenderTimeContext.Provider value={data?.fetchedAt}>
      <NamesOnFirstScreen.Provider
        value={data !== undefined && data.page !== 'tasks' && data.nodes !== undefined}
      >
        {children}
      </NamesOnFirstScreen.Provider>
    </FirstRenderTimeContext.Provider>
  );
}
