// Benchmark child: the production gateway serving a build directory in front of a cluster, on a free loopback port.
// Usage: node --import tsx bench/serve-gateway.ts --upstream http://127.0.0.1:PORT --dist DIR
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/gateway/config';
import { startGateway } from '../server/gateway/server';
import { announceReady, stopWithParent } from './lib/child-main';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, dist: { type: 'string' } } });
if (!values.upstream || !values.dist) throw new Error('--upstream and --dist are required');

// A fixed environment: credentials or settings in the caller's shell must not change what is measured.
// As `npm start`: the gateway renders the first screen with React's production build.
process.env.NODE_ENV = 'production';
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
// Measured pages are rendered by a warm renderer, as on a gateway that has been up for a while.
await gateway.firstPages?.ready;
stopWithParent(() => gateway.close());
announceReady({ url: gateway.url });
