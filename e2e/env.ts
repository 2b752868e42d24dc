// Addresses of the servers the end-to-end run starts (see playwright.config.ts), shared with the specs.
export const STANDIN_PORT = 9251;
export const STANDIN_URL = `http://127.0.0.1:${STANDIN_PORT}`;
export const APP_PORT = 5251;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

/** A second console whose cluster the journeys themselves start and stop (the cluster going away and back). */
export const VOLATILE_STANDIN_PORT = 9252;
export const VOLATILE_APP_URL = 'http://127.0.0.1:5252';

/**
 * The operator journeys run again against the built console and a stand-in at each of these older releases (the
 * newest is the Vite-served run above), from one server process: e2e/version-servers.ts.
 */
export const OLDER_RELEASES = ['2.4.0', '2.11.0', '2.19.3'] as const;

export function releaseServers(index: number): { standinUrl: string; appUrl: string } {
  return { standinUrl: `http://127.0.0.1:${9261 + index}`, appUrl: `http://127.0.0.1:${5261 + index}` };
}
