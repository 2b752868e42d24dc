// ESLint flat config: TypeScript, React hooks and TanStack Query rules for the app, the server and the tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';
import globals from 'globals';

const NO_INNER_HTML = {
  selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
  message: 'Task text is always rendered as text.',
};

// Import boundaries. shared/ is plain TypeScript that the browser and the server both import; the server never
// loads a React module but through the one entry that renders the first screen; the browser's code never reaches
// into the server. Specifiers are relative, so a regex on the path from any depth: `../../src/…`.

/** The one module of src/ the server may load: the first screen's render entry, for whatever runs the render. */
const SERVER_RENDER_ENTRY = 'first-screen/prerender';
const FROM_SRC = '^(\\.\\./)+src/';
const FROM_SERVER = '^(\\.\\./)+server/';
const REACT_MODULES = '^(react|react-dom|@tanstack/react-query|@elastic/eui|@emotion/[^/]+)(/|$)';
const SRC_BUT_RENDER_ENTRY = `${FROM_SRC}(?!${SERVER_RENDER_ENTRY}(\\.tsx)?$)`;

const NOT_FROM_SRC = {
  regex: FROM_SRC,
  message: 'shared/ is plain TypeScript both sides import: it imports nothing from src/.',
};
const NOT_FROM_SERVER = {
  regex: FROM_SERVER,
  message: 'shared/ imports nothing from server/ (its tests may start the stand-in).',
};
const NO_REACT_IN_SHARED = {
  regex: REACT_MODULES,
  message: 'shared/ is React-free: the server imports it.',
};
const NO_APP_IN_SERVER = {
  regex: SRC_BUT_RENDER_ENTRY,
  message: `The server imports nothing from src/ but the first screen's render entry (src/${SERVER_RENDER_ENTRY}.tsx): move rules both sides need to shared/.`,
};
const NO_REACT_IN_SERVER = {
  regex: REACT_MODULES,
  message: `The server never loads React itself: only through src/${SERVER_RENDER_ENTRY}.tsx.`,
};
/**
 * import() and `typeof import()` are not import declarations, which no-restricted-imports sees: the same regexes as
 * selectors (whose regex literals end at the first `/`, hence \x2F).
 */
const dynamicImportsOf = (regex, message) =>
  ['ImportExpression', 'TSImportType'].map((node) => ({
    selector: `${node}[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
    message,
  }));

export default tseslint.config(
  { ignores: ['dist', 'dist-server', 'node_modules', 'test-results', 'playwright-report', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginQuery.configs['flat/recommended'],
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': ['error', NO_INNER_HTML],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NOT_FROM_SRC, NOT_FROM_SERVER, NO_REACT_IN_SHARED] }],
      'no-restricted-syntax': [
        'error',
        NO_INNER_HTML,
        ...dynamicImportsOf(FROM_SRC, NOT_FROM_SRC.message),
        ...dynamicImportsOf(FROM_SERVER, NOT_FROM_SERVER.message),
      ],
    },
  },
  {
    // The shared rules' tests check them against the real stand-in.
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NOT_FROM_SRC, NO_REACT_IN_SHARED] }],
      'no-restricted-syntax': ['error', NO_INNER_HTML, ...dynamicImportsOf(FROM_SRC, NOT_FROM_SRC.message)],
    },
  },
  {
    files: ['server/**/*.{ts,mjs,js}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_APP_IN_SERVER, NO_REACT_IN_SERVER] }],
      'no-restricted-syntax': [
        'error',
        NO_INNER_HTML,
        ...dynamicImportsOf(SRC_BUT_RENDER_ENTRY, NO_APP_IN_SERVER.message),
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    // Component tests run the app against the in-process stand-in.
    ignores: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: FROM_SERVER, message: "The browser's code imports nothing from server/." }] },
      ],
    },
  },
  {
    // Tests read arbitrary JSON response bodies.
    files: ['**/*.test.{ts,tsx}', '**/test-fixtures.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
