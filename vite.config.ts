// Vite config for the browser app: React, the JSON-only highlighter alias, precompressed builds, and in development
// the gateway's own ML proxy, so development forwards exactly the requests production does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Alias, type Connect, type Plugin, type UserConfig } from 'vite';
import { ConfigError, loadConfig } from './server/gateway/config.ts';
import { createMlProxyHandler, proxyTargetFrom } from './server/gateway/proxy.ts';
import { sendJson } from './server/gateway/responses.ts';
import { earlySearch } from './scripts/vite-early-search.ts';
import { precompress } from './scripts/vite-precompress.ts';

/** Mounts the gateway's ML proxy, /console/config and /console/cluster on the dev and preview servers. */
function gatewayInDev(): Plugin {
  const middleware = (): Connect.NextHandleFunction => {
    let config;
    try {
      config = loadConfig(process.env);
    } catch (e) {
      if (e instanceof ConfigError) throw new Error(`Configuration error: ${e.message}`);
      throw e;
    }
    // `npm run dev` expects a cluster of its own: `npm run standin` (port 9200) unless OPENSEARCH_URL says otherwise.
    const proxy = createMlProxyHandler(
      proxyTargetFrom({ ...config, opensearchUrl: config.opensearchUrl ?? new URL('http://127.0.0.1:9200') }),
    );
    // As the gateway does at start-up; a stand-in started later is detected on the first need.
    void proxy.cluster.detect();
    return (req, res, next) => {
      if (req.url === '/console/config') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ readOnly: config.readOnly }));
        return;
      }
      if (req.url === '/console/cluster') {
        void proxy.cluster.report().then((report) => sendJson(res, 200, report));
        return;
      }
      proxy.handle(req, res, next);
    };
  };
  return {
    name: 'ml-tasks-console:gateway',
    configureServer(server) {
      server.middlewares.use(middleware());
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware());
    },
  };
}

const resolve: UserConfig['resolve'] & { alias: Alias[] } = {
  alias: [
    {
      // Exact match only: the stand-in module itself imports `refractor/core` and `refractor/lang/json`.
      find: /^refractor$/,
      replacement: fileURLToPath(new URL('./src/lib/refractor-json.ts', import.meta.url)),
    },
  ],
};

/**
 * `vite build --ssr` (the second half of `npm run build`): the gateway, `npm start`'s server, the stand-in and the
 * server renderer as plain ES modules in dist-server/, run by Node without TypeScript or any dev dependency.
 * The packages in `dependencies` stay imports of node_modules; everything else is bundled: EUI and its theme (their
 * ES builds are not loadable by Node as they are) with the packages they bring, which are not the console's to name.
 */
const dependencies = Object.keys(
  (
    JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies,
);
const serverBuild: UserConfig = {
  plugins: [react()],
  resolve: {
    alias: [
      ...resolve.alias,
      {
        // The bundle takes EUI's ES build (its package's "module"); what the sources name by EUI's CommonJS path for
        // Node (prerender.tsx's icon cache) must be that same copy, or the icons registered are not the ones drawn.
        find: /^@elastic\/eui\/lib\//,
        replacement: '@elastic/eui/es/',
      },
    ],
  },
  ssr: { noExternal: true, external: dependencies.filter((name) => !name.startsWith('@elastic/eui')) },
  build: {
    ssr: true,
    outDir: 'dist-server',
    target: 'node20',
    copyPublicDir: false,
    rolldownOptions: {
      input: {
        start: 'server/start.ts',
        // Started by the gateway's render pool, next to the chunk that starts it (render-pool.ts).
        'render-worker': 'server/gateway/render-worker.ts',
      },
      // One flat folder, so that any chunk finds render-worker.js beside itself.
      output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
};

export default defineConfig(({ isSsrBuild }) =>
  isSsrBuild
    ? serverBuild
    : {
        plugins: [react(), gatewayInDev(), earlySearch(), precompress()],
        resolve,
        server: {
          host: '127.0.0.1',
          port: Number(process.env.PORT ?? 5173),
          strictPort: true,
        },
        preview: {
          host: '127.0.0.1',
        },
        build: {
          outDir: 'dist',
          // EUI's shared chunk is large by nature; the budget that matters is the first route's, checked by
          // scripts/bundle-budget.test.ts.
          chunkSizeWarningLimit: 1500,
        },
      },
);
