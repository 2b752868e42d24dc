// What the app knows when the gateway renders it on the server (src/first-screen/prerender.tsx): the page's path and query
// string, the request's cookies and its language. In the browser there is none, and the app reads the window.
import { createContext, useContext } from 'react';
import type { ServerRequest } from '../../shared/first-page';

export const ServerRequestContext = createContext<ServerRequest | undefined>(undefined);

export function useServerRequest(): ServerRequest | undefined {
  return useContext(ServerRequestContext);
}

/**
 * The locale numbers are formatted in: the browser's own (undefined), or on the server the request's language, so
 * that "1,234 tasks" does not become "1.234 tasks" when the app takes the page over.
 */
export function useNumberLocale(): string | undefined {
  return useServerRequest()?.locale;
}
