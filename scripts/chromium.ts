// Which Chromium the browser tests and the benchmark drive, and how: one answer for both.
import { existsSync } from 'node:fs';

/**
 * `npx playwright install` cannot download here: an explicit path first, then Debian's Chromium, then (undefined)
 * Playwright's own browser on machines that have one.
 */
export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/** The machine has no internet: without these Chromium stalls on update, sync and other background requests. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
