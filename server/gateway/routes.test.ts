// The allow-list on its own: which method and raw URL pairs pass, and how everything else is refused.
import { describe, expect, it } from 'vitest';
import {
  checkRoute,
  isMlRequest,
  ML_ROUTES,
  MAX_URL_LENGTH,
  NODES_FILTER_PATH,
  SETTINGS_FILTER_PATH,
} from './routes';

const rw = { readOnly: false };
const ro = { readOnly: true };
const ML = '/_plugins/_ml';
const ID = 'ZWzQVZcB7Nx7r1xlZve5';

function pass(method: string, url: string, options = rw) {
  const d = checkRoute(method, url, options);
  if (!d.ok) throw new Error(`expected ${method} ${url} to pass, got ${d.status} ${d.body.error}`);
  return d;
}

function refused(method: string, url: string, options = rw) {
  const d = checkRoute(method, url, options);
  if (d.ok) throw new Error(`expected ${method} ${url} to be refused`);
  expect(d.body.status).toBe(d.status);
  expect(typeof d.body.error).toBe('string');
  return d;
}

describe('the console calls', () => {
  it.each([
    ['GET', `${ML}/tasks/_search`, 'tasks/search', false],
    ['POST', `${ML}/tasks/_search`, 'tasks/search', false],
    ['GET', `${ML}/tasks/${ID}`, 'tasks/get', false],
    ['DELETE', `${ML}/tasks/${ID}`, 'tasks/delete', true],
    ['POST', `${ML}/tasks/${ID}/_cancel`, 'tasks/cancel', true],
    ['GET', `${ML}/models/_search`, 'models/search', false],
    ['POST', `${ML}/models/_search`, 'models/search', false],
    ['GET', `${ML}/models/${ID}`, 'models/get', false],
  ])('%s %s → %s', (method, url, action, destructive) => {
    const d = pass(method, url);
    expect(d.route.action).toBe(action);
    expect(d.route.destructive).toBe(destructive);
    expect(d.upstreamPath).toBe(url);
  });

  it('lists exactly twelve routes, the four new ones reads', () => {
    expect(ML_ROUTES.map((r) => `${r.method} ${r.action}`)).toEqual([
      'GET tasks/search',
      'POST tasks/search',
      'GET tasks/get',
      'DELETE tasks/delete',
      'POST tasks/cancel',
      'GET models/search',
      'POST models/search',
      'GET models/get',
      'GET profile/nodes',
      'GET stats/nodes',
      'GET nodes/info',
      'GET cluster/settings',
    ]);
    expect(ML_ROUTES.filter((r) => r.destructive).map((r) => r.action)).toEqual([
      'tasks/delete',
      'tasks/cancel',
    ]);
  });

  it('accepts generated ids, which may start with _ or -, and ids with dots, up to 512 characters', () => {
    for (const id of [
      '_WzQVZcB7Nx7r1xlZve5',
      '-WzQVZcB7Nx7r1xlZve5',
      'a',
      'my.model.v2',
      '_Search',
      'x'.repeat(512),
    ]) {
      pass('GET', `${ML}/tasks/${id}`);
      pass('GET', `${ML}/models/${id}`);
    }
  });

  it('keeps only `pretty` among URL parameters, with its value', () => {
    expect(pass('GET', `${ML}/tasks/${ID}?pretty`).upstreamPath).toBe(`${ML}/tasks/${ID}?pretty`);
    expect(pass('POST', `${ML}/tasks/_search?pretty=true`).upstreamPath).toBe(
      `${ML}/tasks/_search?pretty=true`,
    );
    expect(pass('POST', `${ML}/tasks/_search?`).upstreamPath).toBe(`${ML}/tasks/_search`);
    expect(pass('POST', `${ML}/tasks/_search?&pretty=false&`).upstreamPath).toBe(
      `${ML}/tasks/_search?pretty=false`,
    );
  });
});

describe('refusals', () => {
  it('answers 405 with the allowed methods for a known path', () => {
    const d = refused('PUT', `${ML}/tasks/${ID}`);
    expect(d.status).toBe(405);
    expect(d.allow).toEqual(['GET', 'DELETE']);
    expect(refused('DELETE', `${ML}/tasks/_search`).allow).toEqual(['GET', 'POST']);
    expect(refused('GET', `${ML}/tasks/${ID}/_cancel`).allow).toEqual(['POST']);
    expect(refused('DELETE', `${ML}/models/${ID}`).allow).toEqual(['GET']);
    expect(refused('HEAD', `${ML}/models/_search`).status).toBe(405);
  });

  it('never treats an endpoint name or a dot segment as an id', () => {
    for (const id of ['_search', '_cancel', '_deploy', '_undeploy', '_all', '_', '.', '..', '...']) {
      const d = checkRoute('DELETE', `${ML}/tasks/${id}`, rw);
      expect(d.ok, id).toBe(false);
    }
    expect(refused('POST', `${ML}/tasks/_search/_cancel`).status).toBe(404);
  });

  it.each([
    [`${ML}/tasks/${ID}/../../_cluster/settings`, 'dot segments'],
    [`${ML}/tasks/./_search`, 'dot segments'],
    [`${ML}/tasks/..`, 'dot segments'],
    [`${ML}/tasks/%2e%2e/%2e%2e/_cluster/settings`, 'percent'],
    [`${ML}/tasks/x%2f..%2f..%2f_cluster`, 'percent'],
    [`${ML}/tasks/%252e%252e`, 'percent'],
    [`${ML}/tasks/%5fsearch`, 'percent'],
    [`${ML}/tasks/x\\..\\..\\_cluster`, 'backslash'],
    [`${ML}//tasks/_search`, 'empty'],
    [`${ML}/tasks/${ID}/`, 'not one of'],
    [`${ML}/tasks`, 'not one of'],
    [`${ML}/models/${ID}/_deploy`, 'not one of'],
    [`${ML}/models/_register`, 'not one of'],
    [`${ML}/TASKS/_search`, 'not one of'],
    [`/_PLUGINS/_ml/tasks/_search`, 'not one of'],
    [`${ML}/tasks/x:y`, 'not one of'],
    [`${ML}/tasks/x;y`, 'not one of'],
    [`${ML}/tasks/${'x'.repeat(513)}`, 'not one of'],
    ['/.plugins-ml-task/_doc/x', 'not one of'],
  ])('404 for %s (%s)', (url, why) => {
    const d = refused('GET', url);
    expect(d.status).toBe(404);
    expect(d.body.error).toContain(why);
  });

  it.each([
    ['size=1', 'unrecognized parameter: [size]'],
    ['error_trace=true', 'unrecognized parameter: [error_trace]'],
    ['source=%7B%7D&source_content_type=application/json', 'unrecognized parameter: [source]'],
    ['filter_path=hits', 'unrecognized parameter: [filter_path]'],
    ['%70retty', 'unrecognized parameter'],
    ['pretty=1', 'invalid [pretty]'],
    ['pretty&pretty', 'invalid [pretty]'],
    ['pretty=true%0d%0aX-Evil:1', 'invalid [pretty]'],
  ])('400 for the parameter %s', (query, message) => {
    const d = refused('POST', `${ML}/tasks/_search?${query}`);
    expect(d.status).toBe(400);
    expect(d.body.error).toContain(message);
  });

  it('400 for control characters, spaces, non-ASCII, fragments and targets that are not paths', () => {
    for (const url of [
      `${ML}/tasks/x\u0000`,
      `${ML}/tasks/x y`,
      `${ML}/tasks/x\ty`,
      `${ML}/tasks/\u00e9`,
      `${ML}/tasks/_search#x`,
      'http://evil/_plugins/_ml/tasks/_search',
      '*',
      '//evil/_plugins',
    ]) {
      expect(refused('GET', url).status, JSON.stringify(url)).toBe(400);
    }
  });

  it('414 for a URL longer than the limit, without looking further', () => {
    expect(refused('GET', `${ML}/tasks/${'a'.repeat(MAX_URL_LENGTH)}`).status).toBe(414);
  });

  it('403 for deletes and cancels in read-only mode, reads still pass', () => {
    expect(refused('DELETE', `${ML}/tasks/${ID}`, ro).status).toBe(403);
    expect(refused('POST', `${ML}/tasks/${ID}/_cancel`, ro).body.error).toContain('CONSOLE_READ_ONLY');
    pass('POST', `${ML}/tasks/_search`, ro);
    pass('GET', `${ML}/tasks/${ID}`, ro);
    // An off-list method is still a 405, read-only or not.
    expect(refused('DELETE', `${ML}/models/${ID}`, ro).status).toBe(405);
  });

  it('quotes hostile text only in printable, bounded form', () => {
    const d = refused('GET', `${ML}/x/${'<script>'.repeat(100)}`);
    expect(d.body.error.length).toBeLessThan(400);
  });
});

describe('isMlRequest', () => {
  it('claims /_plugins paths in any case, nothing else', () => {
    expect(isMlRequest('/_plugins/_ml/tasks/_search')).toBe(true);
    expect(isMlRequest('/_PLUGINS/_security/api')).toBe(true);
    expect(isMlRequest('/_plugins')).toBe(true);
    expect(isMlRequest('/_plugin')).toBe(false);
    expect(isMlRequest('/tasks/x')).toBe(false);
    expect(isMlRequest('/_cluster/settings')).toBe(true);
  });

  it('claims the two cluster calls the gateway forwards, in any case, so they never fall through to a page', () => {
    for (const url of ['/_nodes', '/_NODES/stats', '/_cluster/settings', '/_Cluster/health', '/_nodes?x'])
      expect(isMlRequest(url), url).toBe(true);
    for (const url of ['/_node', '/_clusters', '/nodes', '/_cat/nodes', '/'])
      expect(isMlRequest(url), url).toBe(false);
  });
});

describe('the triage calls', () => {
  it('forwards profile and stats as they are, with only pretty', () => {
    expect(pass('GET', `${ML}/profile/tasks`).upstreamPath).toBe(`${ML}/profile/tasks`);
    expect(pass('GET', `${ML}/stats?pretty`).upstreamPath).toBe(`${ML}/stats?pretty`);
  });

  it('sends _nodes and _cluster/settings with the gateway’s own fixed query, pretty kept after it', () => {
    const nodes = pass('GET', '/_nodes');
    expect(nodes.route.action).toBe('nodes/info');
    expect(nodes.upstreamPath).toBe(`/_nodes?filter_path=${encodeURIComponent(NODES_FILTER_PATH)}`);
    const settings = pass('GET', '/_cluster/settings?pretty=true');
    expect(settings.upstreamPath).toBe(
      `/_cluster/settings?include_defaults=true&flat_settings=true&filter_path=${encodeURIComponent(SETTINGS_FILTER_PATH)}&pretty=true`,
    );
    // The flat keys' dots are escaped, so that each key is one segment of the filter.
    expect(new URL(`http://x${settings.upstreamPath}`).searchParams.get('filter_path')).toBe(
      '*.plugins\\.ml_commons\\.ml_task_timeout_in_seconds,*.plugins\\.ml_commons\\.max_batch_inference_tasks,*.plugins\\.ml_commons\\.max_batch_ingestion_tasks,*.plugins\\.ml_commons\\.sync_up_job_interval_in_seconds',
    );
  });

  it('passes them in read-only mode: they change nothing', () => {
    for (const url of [`${ML}/profile/tasks`, `${ML}/stats`, '/_nodes', '/_cluster/settings']) {
      const d = pass('GET', url, ro);
      expect(d.route.destructive).toBe(false);
    }
  });

  it.each([
    ['filter_path=nodes.*.settings', 'unrecognized parameter: [filter_path]'],
    ['filter_path=**', 'unrecognized parameter: [filter_path]'],
    ['include_defaults=true', 'unrecognized parameter: [include_defaults]'],
    ['flat_settings=false', 'unrecognized parameter: [flat_settings]'],
    ['pretty&filter_path=persistent', 'unrecognized parameter: [filter_path]'],
    ['timeout=1s', 'unrecognized parameter: [timeout]'],
  ])('refuses any parameter of the browser’s own on _nodes and _cluster/settings: %s', (query, message) => {
    for (const path of ['/_nodes', '/_cluster/settings', `${ML}/stats`, `${ML}/profile/tasks`]) {
      const d = refused('GET', `${path}?${query}`);
      expect(d.status).toBe(400);
      expect(d.body.error).toContain(message);
    }
  });

  it.each([
    '/_nodes/stats',
    '/_nodes/_all/settings',
    '/_nodes/plugins',
    '/_nodes/hot_threads',
    '/_nodes/reload_secure_settings',
    '/_nodes/',
    '/_cluster/settings/',
    '/_cluster/health',
    '/_cluster/state',
    '/_cluster/reroute',
    '/_cluster',
    '/_NODES',
    '/_cluster/SETTINGS',
    '/_nodes/../_cluster/settings',
    '/_nodes%2fstats',
    '/_cluster%2Fsettings',
    `${ML}/profile`,
    `${ML}/profile/models`,
    `${ML}/profile/tasks/${ID}`,
    `${ML}/stats/ml_request_count`,
    `${ML}/${ID}/stats`,
    `${ML}/_local/stats`,
  ])('404 for any other node, cluster, profile or stats path: %s', (url) => {
    expect(refused('GET', url).status).toBe(404);
  });

  it.each([
    ['PUT', '/_cluster/settings'],
    ['POST', '/_cluster/settings'],
    ['DELETE', '/_cluster/settings'],
    ['POST', '/_nodes'],
    ['DELETE', '/_nodes'],
    ['POST', `${ML}/stats`],
    ['DELETE', `${ML}/profile/tasks`],
    ['HEAD', '/_nodes'],
  ])('405 for %s %s, allowing only GET', (method, url) => {
    const d = refused(method, url);
    expect(d.status).toBe(405);
    expect(d.allow).toEqual(['GET']);
  });
});
