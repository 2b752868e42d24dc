// Vitest: the Node-side tests (stand-in, scripts) and the browser-side tests (jsdom) as two projects of one run.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          include: [
            'server/**/*.test.ts',
            'shared/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
        },
      },
      {
        plugins: [react()],
        resolve: {
          alias: [
            // EUI's test build renders icons synchronously as placeholders (no lazy icon chunks, no act() warnings).
            { find: /^@elastic\/eui$/, replacement: '@elastic/eui/test-env' },
            {
              find: /^refractor$/,
              replacement: fileURLToPath(new URL('./src/lib/refractor-json.ts', import.meta.url)),
            },
          ],
        },
        test: {
          name: 'web',
          environment: 'jsdom',
          // Rendering EUI in jsdom is heavy, and a file's first render loads its lazy parts: the default 5 s cap is
          // too tight on a loaded two-core machine. A cap, not a speed check.
          testTimeout: 20_000,
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/test/setup.ts'],
        },
      },
    ],
  },
});
