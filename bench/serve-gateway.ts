// Benchmark child: the production gateway serving a build directory in front of a cluster, on a free loopback port.
// Usage: node --import tsx bench/serve-gateway.ts --upstream http://127.0.0.1:PORT --dist DIR
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/gateway/config';
import { startGateway } from '../server/gateway/server';
import { announceReady, stopWithParent } from './lib/child-main';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, dist: { type: 'string' } } });
if (!values.upstream || !values.dist) throw new Error('--upstream and --dist are required');

// A fixed environment: credentials or settings in the caller's shell must not change what is measured.
const config = loadConfig(
  { HOST: '127.0.0.1', PORT: '0', OPENSEARCH_URL: values.upstream },
  { distDir: values.dist },
);
const opensearchUrl = config.opensearchUrl!;
// One line per request would cost more than the proxying it measures: keep failures and non-request lines only.
const gateway = await startGateway({ ...config, opensearchUrl }, (line) => {
  const request = /^\S+ \S+ (\d{3}|-) \d+ms/.exec(line);
  // The load generator hangs up on its requests still in flight when its time is up: not a gateway failure.
  const hungUp = request?.[1] === '-' && line.includes('connection closed before the response was complete');
  if (request ? !/^[23]/.test(request[1]!) && !hungUp : !line.startsWith('forwarding ')) {
    process.stderr.write(`gateway: ${line}\n`);
  }
});
stopWithParent(() => gateway.close());
announceReady({ url: gateway.url });
