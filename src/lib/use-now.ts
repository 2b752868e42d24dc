// The current time as state, ticking at a given pace, for relative times ("3 min ago") that move on by themselves.
import { createContext, useContext, useEffect, useState } from 'react';
import { useHydrated } from './use-hydrated';

/**
 * The time the gateway drew the first screen's relative times from: the server's render and the browser's hydration
 * of it use it, so both write the same words. The clock moves on from there.
 */
export const FirstRenderTimeContext = createContext<number | undefined>(undefined);

export function useNow(intervalMs: number): number {
  const firstRenderTime = useContext(FirstRenderTimeContext);
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return !hydrated && firstRenderTime !== undefined ? firstRenderTime : now;
}
