// Server entry point: renders the tasks page's first screen to HTML with its styles, so the gateway can send rows
// before the browser has loaded any of the app's code. The browser's first render then replaces it (main.tsx):
// EUI's class components draw random element ids and some of its renders read browser globals, so hydrating
// the markup would not match; a replacement always does.
import createCache from '@emotion/cache';
import createEmotionServer from '@emotion/server/create-instance';
import { appendIconComponentCache } from '@elastic/eui/lib/components/icon/icon';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { App } from './app/app';
import { AppProviders } from './app/app-providers';
import { FIRST_SCREEN_ICONS } from './app/first-screen-icons';
import { createQueryClient, seedFirstPage } from './app/query-client';
import { ServerRequestContext } from './lib/server-request';
import type { FirstPageData, ServerRequest } from '../shared/first-page';

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

/** Renders the page the request asks for, with the first page's data. */
export function renderFirstPage(request: ServerRequest, data: FirstPageData): RenderedFirstPage {
  const queryClient = createQueryClient();
  seedFirstPage(queryClient, data);
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
          <AppProviders queryClient={queryClient} emotionCache={cache}>
            <App />
          </AppProviders>
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
