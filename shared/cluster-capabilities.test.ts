import { describe, expect, it } from 'vitest';
import { ASSUMED_CAPABILITIES, capabilitiesOf } from './cluster-capabilities';
import { NEWEST_RELEASE } from './ml-releases';

describe('capabilitiesOf', () => {
  it('reads the ML Commons release from the plugin list first', () => {
    const caps = capabilitiesOf({ source: 'plugins', mlVersion: '2.19.3.0', version: '2.19.3' });
    expect(caps).toMatchObject({
      release: '2.19.3',
      releaseKnown: true,
      aggregationsInSearch: false,
      cancelPath: '_cancel',
      missingTaskIndex: 'empty',
      agentResponses: false,
    });
    expect(caps.types).not.toContain('AGENT_EXECUTION');
  });

  it('falls back to the core version, which ML Commons shares', () => {
    expect(capabilitiesOf({ source: 'core-version', version: '2.11.0' })).toMatchObject({
      release: '2.11.0',
      aggregationsInSearch: true,
      cancelPath: null,
      missingTaskIndex: 'index_not_found',
      runningDeleteRefused: true,
      remoteBatchGetCallsProvider: false,
    });
    expect(capabilitiesOf({ source: 'core-version', version: '2.17.0' }).cancelPath).toBe('_cancel_batch');
    expect(capabilitiesOf({ source: 'core-version', version: '2.4.0' }).runningDeleteRefused).toBe(false);
  });

  it('assumes the newest release where the version could not be read, and lets a probe decide aggregations', () => {
    expect(capabilitiesOf({ source: 'probe', probe: { aggregationsAnswered: false } })).toMatchObject({
      release: NEWEST_RELEASE,
      releaseKnown: false,
      aggregationsInSearch: false,
    });
    expect(ASSUMED_CAPABILITIES).toMatchObject({ releaseKnown: false, aggregationsInSearch: true });
  });
});
