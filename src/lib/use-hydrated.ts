// Whether the app has taken over the page: false while the server renders and while the browser hydrates the
// server's markup (its first render must draw exactly what the server drew), true from then on and in every render
// that hydrates nothing.
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
