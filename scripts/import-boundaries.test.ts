// The import boundaries in eslint.config.js, run by ESLint itself on small modules placed in each folder: shared/
// stays React-free and imports neither side, the server loads nothing of the app's but its render entry, and the
// browser's code never reaches into the server.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** The boundary messages ESLint reports for `code` as the module at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => `${m.line}: ${m.message}`);
}

const importing = (from: string) => `import { a } from '${from}';\nexport const b = a;\n`;

describe('import boundaries', () => {
  it('keep shared/ free of src/, server/ and React', async () => {
    expect(await boundaryErrors('shared/x.ts', importing('../src/api/http'))).toEqual([
      expect.stringMatching(
        /^1: .*shared\/ is plain TypeScript both sides import: it imports nothing from src\//,
      ),
    ]);
    expect(await boundaryErrors('shared/x.ts', importing('../server/standin/seed'))).toEqual([
      expect.stringMatching(/shared\/ imports nothing from server\//),
    ]);
    for (const module of [
      'react',
      'react-dom/server',
      '@tanstack/react-query',
      '@elastic/eui',
      '@emotion/react',
    ]) {
      expect(await boundaryErrors('shared/x.ts', importing(module)), module).toEqual([
        expect.stringMatching(/shared\/ is React-free/),
      ]);
    }
    expect(await boundaryErrors('shared/x.ts', 'export const m = import("../src/app/app");\n')).toHaveLength(
      1,
    );
    expect(await boundaryErrors('shared/x.ts', importing('./json'))).toEqual([]);
  });

  it('let the shared rules’ tests start the stand-in, and nothing of the app’s', async () => {
    expect(await boundaryErrors('shared/x.test.ts', importing('../server/standin/seed'))).toEqual([]);
    expect(await boundaryErrors('shared/x.test.ts', importing('../src/lib/format'))).toHaveLength(1);
  });

  it('let the server load only the first screen’s render entry from src/', async () => {
    const app = /The server imports nothing from src\/ but the first screen's render entry/;
    expect(await boundaryErrors('server/gateway/x.ts', importing('../../src/lib/server-request'))).toEqual([
      expect.stringMatching(app),
    ]);
    expect(
      await boundaryErrors(
        'server/gateway/x.ts',
        'export const m = import("../../src/app/app");\nexport type R = typeof import("../../src/lib/router");\n',
      ),
    ).toEqual([expect.stringMatching(/^1: /), expect.stringMatching(/^2: /)]);
    expect(await boundaryErrors('server/gateway/x.ts', importing('react'))).toEqual([
      expect.stringMatching(/The server never loads React itself/),
    ]);
    expect(
      await boundaryErrors('server/gateway/x.ts', importing('../../src/first-screen/prerender')),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'server/gateway/x.ts',
        'export type R = typeof import("../../src/first-screen/prerender.tsx");\n',
      ),
    ).toEqual([]);
    expect(await boundaryErrors('server/standin/x.ts', importing('../../shared/ml-types'))).toEqual([]);
  });

  it('keep the browser’s code out of server/, but for tests against the stand-in', async () => {
    expect(await boundaryErrors('src/tasks/x.ts', importing('../../server/standin/seed'))).toEqual([
      expect.stringMatching(/The browser's code imports nothing from server\//),
    ]);
    expect(await boundaryErrors('src/tasks/x.test.tsx', importing('../../server/standin/seed'))).toEqual([]);
  });
});
