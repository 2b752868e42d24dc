// The console's own settings, served by its server at /console/config (read-only mode, for now).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { requestJson } from '../api/http';

export interface ConsoleConfig {
  /** The server refuses every destructive call: the console hides its delete actions. */
  readOnly: boolean;
}

const DEFAULTS: ConsoleConfig = { readOnly: false };

export const consoleConfigQueryOptions = queryOptions({
  queryKey: ['console', 'config'] as const,
  queryFn: async ({ signal }): Promise<ConsoleConfig> => {
    try {
      const config = await requestJson<Partial<ConsoleConfig>>('GET', '/console/config', { signal });
      return { readOnly: config.readOnly === true };
    } catch {
      // A server without the endpoint (an older one, a bare proxy) has no restrictions to announce; the
      // cluster's own answer still stops what it forbids.
      return DEFAULTS;
    }
  },
  staleTime: Infinity,
  retry: false,
});

/** Until the server has said, destructive actions stay hidden: showing them and then taking them away is worse. */
const UNTIL_KNOWN: ConsoleConfig = { readOnly: true };

export function useConsoleConfig(): ConsoleConfig {
  return useQuery(consoleConfigQueryOptions).data ?? UNTIL_KNOWN;
}
