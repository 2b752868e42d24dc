// Vite config of the benchmark's baseline page, served by the gateway under /baseline/ beside the console.
// `npm run bench` builds it with --outDir <console build>/baseline.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/baseline/',
  // The console's favicon, so both pages make the same requests.
  publicDir: fileURLToPath(new URL('../../public', import.meta.url)),
  // Served compressed exactly as the console is: the gateway sends the precompressed siblings.
  plugins: [react(), precompress()],
});
