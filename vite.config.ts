// Vite config for the browser app: React, the dev proxy to OpenSearch, and the JSON-only highlighter alias.
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const opensearchUrl = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const port = Number(process.env.PORT ?? 5173);

const mlProxy: ProxyOptions = {
  target: opensearchUrl,
  changeOrigin: true,
  configure(proxy) {
    // A 401 from the security plugin carries `WWW-Authenticate: Basic`; passed through, the browser
    // would pop its own login dialog over the console.
    proxy.on('proxyRes', (proxyRes) => {
      delete proxyRes.headers['www-authenticate'];
    });
    // Runs before Vite's own handler (which answers an empty 502), so the console can say what is down.
    proxy.on('error', (err, _req, res) => {
      if (!('writeHead' in res)) return;
      const response = res as ServerResponse;
      if (response.headersSent || response.writableEnded) return;
      const detail = err.message || (err as NodeJS.ErrnoException).code || 'no answer';
      response
        .writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(`${opensearchUrl}: ${detail}`);
    });
  },
};

export default defineConfig({
  plugins: [react()],
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
    port,
    strictPort: true,
    proxy: { '/_plugins/_ml': mlProxy },
  },
  preview: {
    host: '127.0.0.1',
    proxy: { '/_plugins/_ml': mlProxy },
  },
  build: {
    outDir: 'dist',
  },
});
