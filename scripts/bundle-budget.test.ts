// The bundle budget, checked on every run: a size, never a timing. The first route's JavaScript stays within its
// gzip budget, and the drawer, the model view, the JSON highlighter and the timeline's charts stay out of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild, repoRoot } from '../server/build';
import { FIRST_ROUTE_JS_GZIP_BUDGET, bundleReport, kB, type BundleReport } from './bundle-report';

const distDir = join(repoRoot, 'dist');
let report: BundleReport;

beforeAll(() => {
  ensureBuild(distDir);
  report = bundleReport(distDir);
}, 180_000);

describe('bundle budget', () => {
  it(`keeps the first route's JavaScript within ${kB(FIRST_ROUTE_JS_GZIP_BUDGET)} gzip`, () => {
    expect(report.firstRoute.js.files).toBeGreaterThan(0);
    expect(
      report.firstRoute.js.gzip,
      `first route JS is ${kB(report.firstRoute.js.gzip)} gzip`,
    ).toBeLessThanOrEqual(FIRST_ROUTE_JS_GZIP_BUDGET);
  });

  it('loads the drawer, the model view, the highlighter and the timeline’s charts lazily', () => {
    const first = report.firstRoute.files.join(' ');
    for (const lazyPart of [
      'task-flyout',
      'model-page',
      'refractor',
      /\/time-range-[\w-]{8}\.js/,
      'facet-selectable',
      'timeline-body',
    ]) {
      // The date picker's own chunk (time-range-<hash>.js), not the placeholder's options drawn in its place.
      if (typeof lazyPart === 'string')
        expect(first, `${lazyPart} is in the first route`).not.toContain(lazyPart);
      else expect(first, `${lazyPart} is in the first route`).not.toMatch(lazyPart);
    }
    expect(report.lazy.js.files).toBeGreaterThan(5);
    // The highlighter (refractor, on Prism's grammars) travels with the code blocks of the drawer.
    for (const file of report.firstRoute.files) {
      const code = readFileSync(join(distDir, file), 'utf8');
      expect(code, `${file} carries the highlighter`).not.toMatch(/\bPrism\b/);
      // @elastic/charts (its class names start with ech) comes with the timeline's panel, once it is opened.
      expect(code, `${file} carries the charts`).not.toMatch(/echChart/);
    }
  });
});
