// Server entry point: renders the tasks page's first screen to HTML with its styles, so the gateway can send rows
// before the browser has loaded any of the app's code. The browser then hydrates it (main.tsx): its first render
// must draw exactly this, so relative times are drawn from the answer's time on both sides (FirstScreenContext)
// and activity shows only once hydrated (useHydrated). EUI's class components draw random element ids: hydration
// keeps the server's, in pairs (a label and its field) drawn together.
import createCache from '@emotion/cache';
import createEmotionServer from '@emotion/server/create-instance';
import { appendIconComponentCache } from '@elastic/eui/lib/components/icon/icon';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { App, preloadRenderedPages } from '../app/app';
import { AppProviders } from '../app/app-providers';
import { FIRST_SCREEN_ICONS } from './icons';
import { createQueryClient, seedFirstPage } from '../app/query-client';
import { ServerRequestContext } from '../lib/server-request';
import { FirstScreenContext } from './first-screen-context';
import type { FirstPageData, ServerRequest } from '../../shared/first-page';

// Node loads EUI's CommonJS build: its icon cache is this one.
appendIconComponentCache(FIRST_SCREEN_ICONS);

/** EuiPopover's render asks `button instanceof HTMLElement`: on the server nothing is one. Only while rendering. */
class NoElement {}

export interface RenderedFirstPage {
  /** The markup of the app, for inside #root. */
  html: string;
  /** The styles that markup uses, as <style> elements for the head; Emotion in the browser takes them over. */
  styles: string;
}

/** Loads the code of every page the gateway renders: a render draws them at once, never their loading fallback. */
export function loadRenderer(): Promise<unknown> {
  return preloadRenderedPages();
}

/** Renders the page the request asks for, with the first page's data. */
export function renderFirstPage(request: ServerRequest, data: FirstPageData): RenderedFirstPage {
  const queryClient = createQueryClient();
  const q = request.href.indexOf('?');
  seedFirstPage(queryClient, data, q === -1 ? '' : request.href.slice(q));
  // The browser's default Emotion cache has this key: it finds these styles in the head and does not add them again.
  const cache = createCache({ key: 'css' });
  const emotion = createEmotionServer(cache);
  const globals = globalThis as { HTMLElement?: unknown };
  const hadElement = 'HTMLElement' in globals;
  globals.HTMLElement ??= NoElement;
  let html: string;
  try {
    html = renderToString(
      <StrictMode>
        <ServerRequestContext.Provider value={request}>
          <FirstScreenContext data={data}>
            <AppProviders queryClient={queryClient} emotionCache={cache}>
              <App />
            </AppProviders>
          </FirstScreenContext>
        </ServerRequestContext.Provider>
      </StrictMode>,
    );
  } finally {
    // A synchronous render: nothing else ran while the stand-in class was there.
    if (!hadElement) delete globals.HTMLElement;
    queryClient.clear();
  }
  const chunks = emotion.extractCriticalToChunks(html);
  return { html, styles: emotion.constructStyleTagsFromChunks(chunks) };
}
