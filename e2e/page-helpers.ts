// Helpers the browser journeys share: the page's background colour, and holding the app's code back.
import type { Page } from '@playwright/test';

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
