// The render workers: a render that hangs is cut off and its worker replaced; a renderer that cannot load says so.
import { afterEach, describe, expect, it } from 'vitest';
import type { FirstPageData } from '../../shared/first-page';
import { createRenderPool, type RenderPool } from './render-pool';

const HELD = new URL('./held-render-worker.fixture.ts', import.meta.url).href;
const DATA = {
  body: { query: { match_all: {} } },
  response: { hits: { total: { value: 0, relation: 'eq' }, hits: [] } },
  fetchedAt: 0,
  readOnly: false,
} as unknown as FirstPageData;
const request = (cookies = '') => ({ href: '/', cookies, locale: undefined });

let pool: RenderPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('the render pool', () => {
  it('cuts off a render that hangs and carries on with a new worker', async () => {
    pool = createRenderPool({ size: 1, module: HELD, timeoutMs: 300 });
    await pool.ready;
    await expect(pool.render(request(), DATA)).resolves.toEqual({
      html: '<p>rendered 0 rows</p>',
      styles: '',
    });
    // Held until released, which never comes: the pool gives up on it and terminates its thread.
    await expect(pool.render(request('hold-render=1'), DATA)).rejects.toThrow(
      'the render took longer than 300 ms',
    );
    await expect(pool.render(request(), DATA)).resolves.toEqual({
      html: '<p>rendered 0 rows</p>',
      styles: '',
    });
  });

  it('rejects its readiness when the renderer cannot load, and every render after', async () => {
    pool = createRenderPool({ size: 1, module: new URL('./no-such-renderer.ts', import.meta.url).href });
    await expect(pool.ready).rejects.toThrow(/no-such-renderer/);
    await expect(pool.render(request(), DATA)).rejects.toThrow();
  });
});
