// A Vite plugin that gives src/first-search.ts an entry of its own and puts it first in index.html, so the first
// page's search leaves as soon as that small script arrives instead of after the app's bundle has loaded.
import type { OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

const ENTRY = 'src/first-search.ts';
const NAME = 'first-search';

export function earlySearch(): Plugin {
  return {
    name: 'ml-tasks-console:early-search',
    config(config, env) {
      if (env.command !== 'build') return;
      const input = config.build?.rollupOptions?.input ?? 'index.html';
      return { build: { rollupOptions: { input: { index: input as string, [NAME]: ENTRY } } } };
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // In development the module is served as it is.
        const chunk = ctx.bundle
          ? (Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === NAME) as
              OutputChunk | undefined)
          : undefined;
        const src = chunk ? `/${chunk.fileName}` : `/${ENTRY}`;
        return [{ tag: 'script', attrs: { type: 'module', async: true, src }, injectTo: 'head-prepend' }];
      },
    },
  };
}
