// Does the gateway keep forwarding while it renders? The p99 of task searches through it when idle, and while bursts
// of 20 page loads at once arrive (each a page the gateway may render). Issue 13 asks for at most 3x.
// Usage: npx tsx scripts/render-burst.ts [--tasks 10000] [--bursts 5] [--idle 400]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile, round } from '../bench/lib/stats';
import { startChild, stopAllChildren } from '../bench/lib/processes';
import { SEARCH_HEADERS, SEARCH_PATH } from '../bench/lib/http-bench';
import { firstPageSearchBody } from '../shared/first-page';
import { ensureBuild, repoRoot } from '../server/build';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    bursts: { type: 'string', default: '5' },
    idle: { type: 'string', default: '400' },
  },
});
const BURST = 20;
const bursts = Number(values.bursts);
const idleRuns = Number(values.idle);

/** What a browser sends for a page its user opened: the gateway renders those. */
const PAGE_HEADERS = { 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document', accept: 'text/html' };
const searchBody = JSON.stringify(firstPageSearchBody('/', ''));

async function timedSearch(gateway: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(gateway + SEARCH_PATH, {
    method: 'POST',
    headers: SEARCH_HEADERS,
    body: searchBody,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`a search through the gateway answered ${res.status}`);
  return performance.now() - started;
}

async function loadPage(gateway: string): Promise<boolean> {
  const res = await fetch(`${gateway}/`, { headers: PAGE_HEADERS });
  return (await res.text()).includes('taskRow-');
}

async function main(): Promise<void> {
  const dist = join(repoRoot, 'dist');
  ensureBuild(dist);
  const cwd = repoRoot;
  const standin = await startChild('standin', 'bench/serve-standin.ts', ['--tasks', values.tasks!], {
    cwd,
    timeoutMs: 120_000,
  });
  const gatewayChild = await startChild(
    'gateway',
    'bench/serve-gateway.ts',
    ['--upstream', String(standin.info.url), '--dist', dist],
    { cwd, timeoutMs: 120_000 },
  );
  const gateway = String(gatewayChild.info.url);

  for (let i = 0; i < 50; i++) await timedSearch(gateway); // warm up the connections and the JIT
  const idle: number[] = [];
  for (let i = 0; i < idleRuns; i++) idle.push(await timedSearch(gateway));

  const during: number[] = [];
  let rendered = 0;
  for (let b = 0; b < bursts; b++) {
    let done = false;
    const pages = Promise.all(Array.from({ length: BURST }, () => loadPage(gateway))).then((r) => {
      done = true;
      return r;
    });
    // Searches one after another for as long as the burst's pages are in flight.
    while (!done) during.push(await timedSearch(gateway));
    rendered += (await pages).filter(Boolean).length;
  }

  const idleP99 = percentile(idle, 99);
  const burstP99 = percentile(during, 99);
  console.log(
    JSON.stringify(
      {
        tasks: Number(values.tasks),
        idle_searches: idle.length,
        idle_p50_ms: round(percentile(idle, 50), 1),
        idle_p99_ms: round(idleP99, 1),
        burst_searches: during.length,
        burst_p50_ms: round(percentile(during, 50), 1),
        burst_p99_ms: round(burstP99, 1),
        ratio: round(burstP99 / idleP99, 2),
        pages: bursts * BURST,
        pages_rendered: rendered,
      },
      null,
      2,
    ),
  );
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
