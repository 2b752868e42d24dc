// Vite config for the browser app: React, the JSON-only highlighter alias, precompressed builds, and in development
// the gateway's own ML proxy, so development forwards exactly the requests production does.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';
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

export default defineConfig({
  plugins: [react(), gatewayInDev(), earlySearch(), precompress()],
  resolve: {
    alias: [
      {
        // Exact match only: the stand-in module itself imports `refractor/core` and `refractor/lang/json`.
        find: /^refractor$/,
        replacement: fileURLToPath(new URL('./src/lib/refractor-json.ts', import.meta.url)),
      },
    ],
  },
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
});
