// A Vite plugin for the two small scripts that run before the app's bundle, both first in index.html's head:
// - src/first-screen/first-search.ts, an entry of its own (an async module), so the first page's search leaves as soon as it
//   arrives instead of after the app's bundle has loaded;
// - src/first-screen/early-recorder.ts, built apart into one self-contained classic script: the parser runs it before the rest
//   of the page, so on a page the gateway renders it listens before any row is on screen, whatever the network and
//   the gateway's load. It costs the parser one small request, made while the gateway is still rendering (and a
//   cached, immutable file after that).
import type { OutputAsset, OutputChunk, RolldownOutput } from 'rolldown';
import { build, type Plugin } from 'vite';

const ENTRY = 'src/first-screen/first-search.ts';
const NAME = 'first-search';
const RECORDER = 'src/first-screen/early-recorder.ts';
const RECORDER_NAME = 'early-recorder.js';

/** The recorder as one classic script: no import or export left, so no `type="module"` needed to run it. */
async function buildRecorder(root: string): Promise<string> {
  const result = (await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: true,
      lib: { entry: RECORDER, formats: ['iife'], name: 'mlEarlyRecorder', fileName: () => RECORDER_NAME },
    },
  })) as RolldownOutput | RolldownOutput[];
  const [output] = Array.isArray(result) ? result : [result];
  const chunk = output?.output.find((c): c is OutputChunk => c.type === 'chunk');
  if (!chunk) throw new Error(`${RECORDER} built to nothing`);
  return chunk.code;
}

export function earlySearch(): Plugin {
  let root = process.cwd();
  let building = false;
  return {
    name: 'ml-tasks-console:early-search',
    config(config, env) {
      if (env.command !== 'build') return;
      const input = config.build?.rollupOptions?.input ?? 'index.html';
      return { build: { rollupOptions: { input: { index: input as string, [NAME]: ENTRY } } } };
    },
    configResolved(config) {
      root = config.root;
      building = config.command === 'build';
    },
    async buildStart() {
      if (!building) return;
      this.emitFile({ type: 'asset', name: RECORDER_NAME, source: await buildRecorder(root) });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // In development the module is served as it is, and no page is rendered by a gateway: nothing to record.
        if (!ctx.bundle)
          return [
            {
              tag: 'script',
              attrs: { type: 'module', async: true, src: `/${ENTRY}` },
              injectTo: 'head-prepend',
            },
          ];
        const bundle = Object.values(ctx.bundle);
        const chunk = bundle.find(
          (c): c is OutputChunk => c.type === 'chunk' && c.isEntry && c.name === NAME,
        );
        const recorder = bundle.find(
          (a): a is OutputAsset => a.type === 'asset' && a.names.includes(RECORDER_NAME),
        );
        if (!chunk || !recorder) throw new Error('the early scripts are missing from the build');
        return [
          {
            tag: 'script',
            attrs: { type: 'module', async: true, src: `/${chunk.fileName}` },
            injectTo: 'head-prepend',
          },
          { tag: 'script', attrs: { src: `/${recorder.fileName}` }, injectTo: 'head-prepend' },
        ];
      },
    },
  };
}
