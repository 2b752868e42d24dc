// The scripts that run before the app's bundle, as the build serves them: the recorder is a classic script, first in
// the head, that runs as it is (no module syntax) and listens only on a page the gateway renders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild, repoRoot } from '../server/build';
import { FIRST_SCREEN_MARKER } from '../shared/first-page';

const distDir = join(repoRoot, 'dist');
let head = '';
let recorder = '';

beforeAll(() => {
  ensureBuild(distDir);
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  head = html.slice(0, html.indexOf('</head>'));
  const src = /<script src="(\/assets\/early-recorder-[^"]+\.js)"><\/script>/.exec(head)?.[1];
  recorder = src ? readFileSync(join(distDir, src), 'utf8') : '';
}, 180_000);

type Page = Window & typeof globalThis & { eval(code: string): unknown };
// jsdom (Vitest's browser environment) ships no types of its own.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string, options: { runScripts: 'outside-only' }) => { window: Page };
};

/** Runs the recorder as the browser runs a classic script, in a page as the gateway (or the build) serves it. */
function runIn(page: string) {
  const dom = new JSDOM(page, { runScripts: 'outside-only' });
  dom.window.eval(recorder);
  return dom.window;
}

describe('the early scripts', () => {
  it('loads the recorder as a classic script in the head, before the app and its search', () => {
    expect(recorder, 'index.html has no classic early-recorder script').not.toBe('');
    const scripts = [...head.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    // Not a module, not async, not deferred: the parser runs it before it reads the rest of the page.
    expect(scripts.filter((s) => !/type="module"|async|defer/.test(s))).toEqual([
      scripts.find((s) => s.includes('early-recorder')),
    ]);
    expect(recorder).not.toMatch(/^\s*(import|export)\b/m);
  });

  it('records on a page the gateway renders, and stays out of the way on any other', () => {
    const rendered = runIn(`<!doctype html><html><head>${FIRST_SCREEN_MARKER}</head><body></body></html>`);
    expect(rendered.__mlEarlyInput).toBeTruthy();
    const button = rendered.document.createElement('button');
    button.setAttribute('data-test-subj', 'stateSummary-FAILED');
    const root = rendered.document.createElement('div');
    root.id = 'root';
    root.append(button);
    rendered.document.body.append(root);
    const click = new rendered.MouseEvent('click', { bubbles: true, cancelable: true });
    button.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(rendered.__mlEarlyInput?.actions).toHaveLength(1);
    expect(runIn('<!doctype html><html><head></head><body></body></html>').__mlEarlyInput).toBeUndefined();
  });
});
