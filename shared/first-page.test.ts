// @vitest-environment jsdom
// The first page shared by the gateway, first-search.ts and main.tsx: one body per URL, and data that survives the
// trip through a <script> element whatever the tasks say.
import { describe, expect, it } from 'vitest';
import type { MlTask, SearchResponse } from './ml-types';
import { FIRST_PAGE_ELEMENT_ID, firstPageScript, firstPageSearchBody, readFirstPage } from './first-page';
import { parseTaskQuery } from './task-query';
import { buildTaskSearchBody } from './task-search-body';
import { viewFromSearch } from './task-view-state';
import { TIMELINE_OPEN_KEY } from './cookies';

const HOSTILE = [
  '</script><script>alert(1)</script>',
  '<!-- <script>',
  '</SCRIPT >',
  ']]> & &amp; \u2028\u2029 "quoted" \\ back',
  '<img src=x onerror=alert(1)>',
];

function response(errors: string[]): SearchResponse<MlTask> {
  return {
    took: 1,
    timed_out: false,
    hits: {
      total: { value: errors.length, relation: 'eq' },
      max_score: null,
      hits: errors.map((error, i) => ({
        _index: '.plugins-ml-task',
        _id: `t${i}<\u2028>`,
        _score: null,
        _source: { state: 'FAILED', error },
      })),
    },
  } as SearchResponse<MlTask>;
}

describe('firstPageSearchBody', () => {
  // The gateway's first screen, first-search.ts's early search and main.tsx's seeded cache each count on the view
  // asking for the very same bytes: the early answer and the seeded rows are matched on the body's JSON.
  const URLS = [
    '',
    '?q=state:FAILED+-function:REMOTE&sort=last_update_time:asc&page=2&size=50&from=now-1h',
    '?q=%22out+of+memory%22+model:m1&page=999&size=100&to=now-5m&time=create_time',
    '?q=type:REGISTER_MODEL,DEPLOY_MODEL+node:n1&sort=state&refresh=5000&task=t1',
  ];

  it.each(URLS)('is, byte for byte, the task view’s own body for %j on every cluster', (search) => {
    const view = viewFromSearch(search);
    const parsed = parseTaskQuery(view.q);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    for (const capabilities of [undefined, { aggregationsInSearch: true }, { aggregationsInSearch: false }]) {
      expect(JSON.stringify(firstPageSearchBody('/', search, capabilities))).toBe(
        JSON.stringify(buildTaskSearchBody(view, parsed.query, capabilities)),
      );
    }
    expect(JSON.stringify(firstPageSearchBody('/index.html', search))).toBe(
      JSON.stringify(firstPageSearchBody('/', search)),
    );
    // With the timeline's panel open (its cookie), the view's body carries the bars, and so does the first page's.
    const open = `theme=dark; ${TIMELINE_OPEN_KEY}=true; other=1`;
    expect(JSON.stringify(firstPageSearchBody('/', search, undefined, open))).toBe(
      JSON.stringify(buildTaskSearchBody(view, parsed.query, undefined, undefined, { timeline: true })),
    );
    expect(firstPageSearchBody('/', search, undefined, open)?.aggs?.timeline).toBeDefined();
    expect(
      firstPageSearchBody('/', search, undefined, `${TIMELINE_OPEN_KEY}=false`)?.aggs?.timeline,
    ).toBeUndefined();
  });

  it('is nothing for other pages and for a query that does not parse', () => {
    expect(firstPageSearchBody('/models/m1', '')).toBeUndefined();
    expect(firstPageSearchBody('/nope', '')).toBeUndefined();
    expect(firstPageSearchBody('/', '?q=state:(FAILED')).toBeUndefined();
  });

  it('is nothing for a view that needs the triage context: the browser loads it and searches itself', () => {
    for (const q of [
      'is:stale',
      'state:RUNNING -is:stale',
      'failure:3fa2c91b',
      '-failure:3fa2c91b0d4e5a17 timeout',
    ]) {
      expect(firstPageSearchBody('/', `?q=${encodeURIComponent(q)}`), q).toBeUndefined();
    }
    // The words alone are text, and prepared as ever.
    expect(firstPageSearchBody('/', '?q=stale+failure')).toBeDefined();
  });
});

describe('firstPageScript and readFirstPage', () => {
  it('carry any task text through a script element unchanged, without ending it early', () => {
    const data = {
      page: 'tasks' as const,
      body: firstPageSearchBody('/', '')!,
      response: response(HOSTILE),
      fetchedAt: 1_700_000_000_000,
      readOnly: true,
    };
    const html = firstPageScript(data);
    // Only the element's own tags: nothing inside can be read as markup.
    expect(html.match(/</g)).toHaveLength(2);
    expect(html).toMatch(
      new RegExp(`^<script type="application/json" id="${FIRST_PAGE_ELEMENT_ID}">[^<]*</script>$`),
    );
    expect(html).not.toMatch(/[\u2028\u2029]/);

    // Parsed the way the browser does.
    document.head.innerHTML = html;
    expect(document.head.children).toHaveLength(1);
    expect(readFirstPage(document)).toEqual(data);
  });

  it('reads nothing when there is no data, or none that makes sense', () => {
    document.head.innerHTML = '';
    expect(readFirstPage(document)).toBeUndefined();
    for (const text of ['not json', '{}', '{"body":{},"response":{},"fetchedAt":1}', 'null']) {
      document.head.innerHTML = `<script type="application/json" id="${FIRST_PAGE_ELEMENT_ID}">${text}</script>`;
      expect(readFirstPage(document)).toBeUndefined();
    }
  });
});
