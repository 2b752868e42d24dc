// Helpers the browser journeys share: the page's background colour, and holding the app's code back.
import { expect, type Page, type Request } from '@playwright/test';

/** The page's background colour: EUI paints it on <html>, or on <body> when <html> is transparent. */
export function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const html = getComputedStyle(document.documentElement).backgroundColor;
    return html === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.body).backgroundColor : html;
  });
}

/**
 * Holds the app's code (the built entry, `index-*.js`) back, as a slow network would, so the page shows the
 * gateway's markup alone until the returned function lets it through.
 */
export async function holdAppCode(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/**
 * Resolves once no task search is in flight: on a release whose counts come one search per value, the page goes on
 * searching for a while after its rows show.
 */
export async function searchesSettled(page: Page): Promise<void> {
  const inFlight = new Set<Request>();
  const isSearch = (r: Request) => r.url().includes('/_plugins/_ml/tasks/_search');
  page.on('request', (r) => isSearch(r) && inFlight.add(r));
  const done = (r: Request) => inFlight.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  // Requests sent before the listeners: the count note, on releases that count one by one, says when it has finished.
  const note = page.getByTestId('slowCounts');
  if ((await note.count()) > 0) await expect(note).not.toContainText('counting');
  await expect.poll(() => inFlight.size).toBe(0);
}
