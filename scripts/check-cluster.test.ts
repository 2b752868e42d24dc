// `npm run check-cluster` against stand-ins answering as the releases CI covers (2.4.0, 2.11.0, 2.19.3, the newest),
// and against fakes for what no stand-in plays: what it reports, its exit code, and that it only reads.
import { afterEach, describe, expect, it } from 'vitest';
import { NEWEST_RELEASE } from '../shared/ml-releases';
import { createStandin, type StandinOptions } from '../server/standin/server';
import { FIXTURE } from '../server/standin/test-fixtures';
import {
  closeServer,
  fakeCluster,
  freePort,
  listen,
  type FakeClusterOptions,
} from '../server/gateway/test-helpers';
import { inFlags, main, parseCheckArgs, UsageError } from './check-cluster';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function standin(options: StandinOptions) {
  const s = createStandin({ tasks: structuredClone(FIXTURE), ...options });
  const url = await s.listen();
  cleanups.push(() => s.close());
  return { standin: s, url };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env });
  return { code, out, err, line: (what: string) => out.split('\n').find((l) => l.includes(` ${what}: `)) };
}

/** Every request was a read: GET, or POST of a task search. */
function expectOnlyReads(log: Array<{ method: string; uri: string }>): void {
  expect(log.length).toBeGreaterThan(5);
  for (const { method, uri } of log) {
    expect(
      method === 'GET' || (method === 'POST' && uri.startsWith('/_plugins/_ml/tasks/_search')),
      `${method} ${uri}`,
    ).toBe(true);
  }
}

describe('check-cluster against the stand-in, release by release', () => {
  it('2.4.0: aggregations answer; "not found" is a 500 the console still reads as not found', async () => {
    const { standin: s, url } = await standin({ version: '2.4.0' });
    const r = await run(['--url', url, '--timeout', '1500']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      [
        'Cluster',
        '  OpenSearch     2.4.0',
        '  distribution   opensearch',
        '  cluster name   opensearch-ml-standin',
        '  ML Commons     2.4.0.0',
        '  decided        from the plugin list',
      ].join('\n'),
    );
    expect(r.out).toMatch(/cancel a batch job\s+not possible/);
    expect(r.line('aggregations')).toMatch(
      /^ {2}ok {4}aggregations: a task search with a terms aggregation answers/,
    );
    expect(r.line('unknown task id')).toMatch(
      /ok {4}unknown task id: .*500 m_l_resource_not_found_exception: Fail to find task, which the console reads as not found \(ML Commons 2\.4\.0's form\)$/,
    );
    expect(r.line('result window')).toMatch(/ok {4}result window: .*answers 500: result window is too large/);
    expect(r.line('field error')).toMatch(/ok {4}field error: text/);
    expect(r.line('field state')).toMatch(/ok {4}field state: keyword \(a terms aggregation/);
    expect(r.line('field create_time')).toMatch(/ok {4}field create_time: date/);
    expect(r.out).not.toContain('FAIL ');
    expectOnlyReads(s.requestLog);
  });

  it('2.11.0: 404 "Fail to find task"; a search before the first task is a 404', async () => {
    const { url } = await standin({ version: '2.11.0' });
    const r = await run(['--url', url, '--timeout', '1500']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/search before the first task\s+404 index_not_found_exception/);
    expect(r.line('unknown task id')).toContain('404 status_exception: Fail to find task');
    expect(r.line('missing task index')).toMatch(
      /ok {4}missing task index: not tried: the task index exists/,
    );
  });

  it('2.19.3: aggregations never answer, said as a warning naming the cause; everything else holds (exit 0)', async () => {
    const { standin: s, url } = await standin({ version: '2.19.3' });
    const r = await run(['--url', url, '--timeout', '1000']);
    expect(r.out).toMatch(/aggregations in a task search\s+no: counts come from size-0 searches/);
    expect(r.line('aggregations')).toBe(
      '  warn  aggregations: a task search with a terms aggregation got no answer within 1000 ms: ML Commons 2.19.3 never answers one (ml-commons #3713); the console knows, counts with size-0 searches instead, and its gateway refuses searches with aggregations; searches without them answer',
    );
    expect(r.line('search')).toMatch(
      /ok {4}search: a task search without aggregations answers \(\d+ tasks\)/,
    );
    // Field types come from sorts here: aggregations cannot be used to ask.
    expect(r.line('field worker_node')).toMatch(/ok {4}field worker_node: keyword \(a sort on it answers/);
    expect(r.line('unknown task id')).toContain('404 status_exception: Failed to find task');
    expect(r.out).not.toContain('FAIL ');
    expect(r.code).toBe(0);
    expectOnlyReads(s.requestLog);
  });

  it(`${NEWEST_RELEASE}: every assumption holds`, async () => {
    const { url } = await standin({});
    const r = await run(['--url', url, '--timeout', '1500']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(`ML Commons +${NEWEST_RELEASE.replace(/\./g, '\\.')}\\.0\\n +decided +from the plugin list`),
    );
    expect(r.line('aggregations')).toMatch(/^ {2}ok /);
    const statuses = r.out
      .split('\n')
      .filter((l) => /^ {2}(ok|warn|FAIL) /.test(l))
      .map((l) => l.trim().split(/\s+/, 2).join(' '));
    // The mapping of a system index is not the stand-in's to give: its types are inferred, the one warning.
    expect(statuses.filter((s) => !s.startsWith('ok'))).toEqual(['warn mapping:']);
  });

  it('with the plugin list hidden, goes by the core version', async () => {
    const { url } = await standin({ version: '2.19.3', hidePlugins: true });
    const r = await run(['--url', url, '--timeout', '800']);
    expect(r.out).toMatch(/decided +from the core version \(ML Commons ships with it\)/);
    expect(r.out).toMatch(/GET \/_cat\/plugins\?format=json answered 403/);
    expect(r.line('aggregations')).toMatch(/^ {2}warn .*ML Commons 2\.19\.3 never answers one/);
    expect(r.code).toBe(0);
  });

  it('before the first task: says what a search answers, and what it could not try', async () => {
    const { url } = await standin({ version: '2.11.0', tasks: [] });
    const r = await run(['--url', url, '--timeout', '1500']);
    expect(r.line('search')).toMatch(/ok {4}search: .*404 index_not_found_exception.*no task index yet/);
    expect(r.line('missing task index')).toMatch(
      /ok {4}missing task index: .*404 index_not_found_exception, as ML Commons 2\.11\.0 does/,
    );
    expect(r.line('fields')).toMatch(/warn {2}fields: not inferred/);
    expect(r.code).toBe(0);
  });

  it('with credentials: reads with them and never prints them; wrong ones fail', async () => {
    const password = 'Check-Cluster-Pw-93';
    const { url } = await standin({ users: [{ username: 'reader', password, role: 'ml_read_access' }] });
    const ok = await run(['--url', url, '--user', 'reader', '--timeout', '1500'], {
      OPENSEARCH_PASSWORD: password,
    });
    expect(ok.code).toBe(0);
    const wrong = await run(['--url', url, '--user', 'reader', '--password', 'nope', '--timeout', '1500']);
    expect(wrong.code).toBe(1);
    expect(wrong.line('credentials')).toMatch(
      /FAIL {2}credentials: The cluster refused the credentials \(401/,
    );
    for (const r of [ok, wrong]) {
      expect(r.out + r.err).not.toContain(password);
      expect(r.out + r.err).not.toContain(Buffer.from(`reader:${password}`).toString('base64'));
    }
  });
});

describe('check-cluster against what no stand-in plays', () => {
  async function fake(options: FakeClusterOptions) {
    const f = fakeCluster(options);
    const url = await listen(f.server);
    cleanups.push(() => closeServer(f.server));
    return { ...f, url };
  }

  it('a release that should answer aggregations but does not: FAIL, exit 1', async () => {
    const f = await fake({
      version: '2.18.0',
      distribution: 'opensearch',
      mlVersions: ['2.18.0.0'],
      aggsHang: true,
    });
    const r = await run(['--url', f.url, '--timeout', '500']);
    expect(r.line('aggregations')).toMatch(
      /^ {2}FAIL {2}aggregations: .*no answer within 500 ms, though ML Commons 2\.18\.0 should answer it/,
    );
    expect(r.code).toBe(1);
  });

  it('a compatibility mode’s 7.10.2 and hidden plugins: the probe decides, and says so', async () => {
    const f = await fake({ version: '7.10.2', distribution: 'opensearch', mlVersions: null, aggsHang: true });
    const r = await run(['--url', f.url, '--timeout', '500']);
    expect(r.out).toMatch(/decided +by a probe search \(the version could not be read\)/);
    expect(r.out).toContain(`Capabilities (ML Commons ${NEWEST_RELEASE}, assumed)`);
    expect(r.line('version')).toMatch(/^ {2}warn {2}version: the ML Commons version could not be read/);
    expect(r.line('aggregations')).toMatch(
      /^ {2}warn .*this cluster never answers one \(ML Commons 2\.19\.2 to 2\.19\.6, ml-commons #3713\)/,
    );
  });

  it('nodes of mixed versions: a warning naming them', async () => {
    const f = await fake({
      version: '2.19.3',
      distribution: 'opensearch',
      mlVersions: ['2.18.0.0', '2.19.3.0'],
      aggsHang: true,
    });
    const r = await run(['--url', f.url, '--timeout', '500']);
    expect(r.line('nodes')).toContain('different ML Commons versions (2.18.0.0, 2.19.3.0)');
    expect(r.out).toMatch(/ML Commons +2\.19\.3\.0\n/);
  });

  it('an unreachable cluster: FAIL, exit 1, and why', async () => {
    const r = await run(['--url', `http://127.0.0.1:${await freePort()}`]);
    expect(r.code).toBe(1);
    expect(r.line('reach')).toMatch(/FAIL {2}reach: .*ECONNREFUSED/);
  });
});

describe('usage', () => {
  it.each([
    [[], '--url is required'],
    [['--url', 'ftp://x'], '--url must start with http:// or https://'],
    [['--url', 'http://u:p@x:9200'], '--url must not carry credentials: set --user and --password instead'],
    [['--url', 'http://x:9200', '--user', 'bob'], '--password is required when --user is set'],
    [['--url', 'http://x:9200', '--ca', '/nope'], '--ca'],
    [['--url', 'https://x:9200', '--insecure', '--ca', '/etc/hostname'], '--ca'],
    [['--url', 'http://x:9200', '--timeout', 'soon'], '--timeout must be a whole number'],
    [['--url', 'http://x:9200', '--bogus'], "Unknown option '--bogus'"],
  ])('%j: exit 2, %s', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('usage: npm run check-cluster');
    expect(r.out).toBe('');
  });

  it('reads its settings as the gateway reads its own, defaults included', () => {
    const o = parseCheckArgs([
      '--url',
      'https://search.example:9200/prefix',
      '--user',
      'a',
      '--password',
      'b',
      '--insecure',
    ]);
    expect(o).toMatchObject({
      tlsInsecure: true,
      timeoutMs: 3000,
      authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    expect(o.url.href).toBe('https://search.example:9200/prefix');
    expect(() => parseCheckArgs(['--help'])).toThrow(UsageError);
    expect(inFlags('Set OPENSEARCH_CA to … (or OPENSEARCH_TLS_INSECURE=true)')).toBe(
      'Set --ca to … (or --insecure)',
    );
  });
});
