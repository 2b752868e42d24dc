// Tests that the typed ML calls hit the right same-origin paths and methods, with no URL parameters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './http';
import {
  deleteTask,
  getClusterSettings,
  getMlStats,
  getModel,
  getNodes,
  getTask,
  getTaskProfile,
  searchTasks,
  startEarlySearch,
} from './ml';

const fetchMock = vi.fn<typeof fetch>();

afterEach(() => {
  vi.unstubAllGlobals();
  fetchMock.mockReset();
  delete window.__mlEarlySearch;
});

function stubOk() {
  fetchMock.mockImplementation(async () => new Response('{}', { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
}

describe('ml calls', () => {
  it('searches tasks with POST and the body, no query string', async () => {
    stubOk();
    await searchTasks({ size: 25, track_total_hits: true });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/_plugins/_ml/tasks/_search');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ size: 25, track_total_hits: true });
  });

  it('encodes ids as one path segment', async () => {
    stubOk();
    await getTask('a/b?c#d');
    await deleteTask('x y');
    await getModel('m%1');
    expect(fetchMock.mock.calls.map(([url, init]) => `${init?.method} ${String(url)}`)).toEqual([
      'GET /_plugins/_ml/tasks/a%2Fb%3Fc%23d',
      'DELETE /_plugins/_ml/tasks/x%20y',
      'GET /_plugins/_ml/models/m%251',
    ]);
  });

  it('reads nodes, ML stats, the task profile and cluster settings with a bare GET, abortable', async () => {
    stubOk();
    const { signal } = new AbortController();
    await getNodes(signal);
    await getMlStats(signal);
    await getTaskProfile(signal);
    await getClusterSettings(signal);
    // No filter_path from the browser: the gateway adds its own, and forwards no other parameter.
    expect(fetchMock.mock.calls.map(([url, init]) => `${init?.method} ${String(url)}`)).toEqual([
      'GET /_nodes',
      'GET /_plugins/_ml/stats',
      'GET /_plugins/_ml/profile/tasks',
      'GET /_cluster/settings',
    ]);
    expect(fetchMock.mock.calls.every(([, init]) => init?.signal === signal)).toBe(true);
  });

  it('throws the typed error of a refused node read', async () => {
    fetchMock.mockImplementation(
      async () =>
        new Response(
          JSON.stringify({
            error: { type: 'security_exception', reason: 'no permissions for [cluster:monitor/nodes/info]' },
            status: 403,
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const error = await getNodes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, type: 'security_exception' });
  });

  it('refuses ids the URL parser would resolve away', () => {
    stubOk();
    expect(() => getTask('..')).toThrow(RangeError);
    expect(() => getModel('')).toThrow('Invalid model id');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("hands the early first search to the app's first search, for the same body only", async () => {
    fetchMock.mockImplementation(
      async () => new Response('{"hits":{"hits":[]},"early":true}', { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    startEarlySearch({ size: 25 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(await searchTasks({ size: 25 })).toMatchObject({ early: true });
    expect(fetchMock).toHaveBeenCalledTimes(1); // the same body: the early answer
    await searchTasks({ size: 25 });
    expect(fetchMock).toHaveBeenCalledTimes(2); // a refresh asks again: only the first search takes it
  });

  it("drops the early search when the app's first search asks for another body", async () => {
    fetchMock.mockImplementation(async () => new Response('{"hits":{"hits":[]}}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    startEarlySearch({ size: 25 });
    await searchTasks({ size: 10 });
    await searchTasks({ size: 25 });
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it("sends no early search once the app has asked: the app's code ran first", async () => {
    fetchMock.mockImplementation(async () => new Response('{"hits":{"hits":[]}}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await searchTasks({ size: 25 });
    startEarlySearch({ size: 25 });
    await searchTasks({ size: 25 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('reports an early search that failed like any other', async () => {
    fetchMock.mockImplementation(async () => new Response('Unauthorized', { status: 401 }));
    vi.stubGlobal('fetch', fetchMock);
    startEarlySearch({ size: 25 });
    await expect(searchTasks({ size: 25 })).rejects.toMatchObject({ status: 401 });
  });
});
