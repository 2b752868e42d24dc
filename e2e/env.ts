// Addresses of the servers the end-to-end run uses (see playwright.config.ts), shared with the specs.
//
// Each spec owns its data. The consoles are long-lived servers that Playwright starts once (the Vite dev server for
// the newest release, the built gateway for each older one), each forwarding to a fixed cluster port; no cluster
// runs there until a spec starts its own stand-in on it, with its own seed, for the spec's duration
// (e2e/own-cluster.ts). Specs run one at a time (one worker), so one spec's deletions never reach another's counts; a
// second worker would find the port taken and fail at once rather than share a cluster.

/** Where the cluster behind the newest release's console listens: each spec's own stand-in, in turn. */
const STANDIN_PORT = 9251;
export const STANDIN_URL = `http://127.0.0.1:${STANDIN_PORT}`;
/** The newest release's console: the Vite dev server, forwarding to STANDIN_URL. */
export const APP_PORT = 5251;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

/**
 * The operator journeys run again against the built console and a stand-in at each of these older releases (the
 * newest is the Vite-served run above). The consoles (e2e/version-servers.ts) outlive the specs; the stand-ins are
 * the specs' own.
 */
export const OLDER_RELEASES = ['2.4.0', '2.11.0', '2.19.3'] as const;

export function releaseServers(index: number): { standinUrl: string; appUrl: string } {
  return { standinUrl: `http://127.0.0.1:${9261 + index}`, appUrl: `http://127.0.0.1:${5261 + index}` };
}
