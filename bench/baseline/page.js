// The benchmark's baseline, the lightest page that does the console's first job: React's UMD build, fetch and a
// <table>, no bundler, no EUI, no router, no query cache. It sends the console's own search bodies (the benchmark
// writes them into the page, see bench/lib/baseline-page.ts) through the same gateway, and a click on a state in
// its summary sends the console's search for that state.
/* global React, ReactDOM */
(() => {
  'use strict';

  /** @type {{ all: unknown, byState: Record<string, unknown>, stateAggregation: string }} */
  const searches = JSON.parse(document.getElementById('baseline-searches').textContent);

  const search = (body) =>
    fetch('/_plugins/_ml/tasks/_search', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-Console-Request': '1' },
      body: JSON.stringify(body),
    }).then(async (res) => {
      if (!res.ok) throw new Error(`search failed: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    });

  // This script runs before React's (all three are deferred, in order): the search leaves while React loads.
  const first = search(searches.all);
  // React's scripts come after this one: they have all run when DOMContentLoaded fires (this deferred script runs
  // before it, when readyState is already "interactive").
  const reactLoaded = new Promise((resolve) => {
    if (document.readyState === 'complete') resolve();
    else document.addEventListener('DOMContentLoaded', resolve, { once: true });
  });

  const h = (...args) => React.createElement(...args);
  const time = (ms) => (typeof ms === 'number' ? new Date(ms).toISOString() : '');
  const COLUMNS = [
    'Task ID',
    'Type',
    'Function',
    'State',
    'Model ID',
    'Worker nodes',
    'Created',
    'Last updated',
  ];

  function StateSummary({ answer, selected, onSelect }) {
    const buckets = answer.aggregations?.[searches.stateAggregation]?.values?.buckets ?? [];
    return h(
      'div',
      { role: 'group', 'aria-label': 'Tasks per state' },
      buckets.map((b) =>
        h(
          'button',
          {
            key: b.key,
            type: 'button',
            'aria-pressed': selected === b.key,
            'data-test-subj': `stateSummary-${b.key}`,
            onClick: () => onSelect(b.key),
          },
          `${b.key} `,
          h('strong', null, b.doc_count.toLocaleString()),
        ),
      ),
    );
  }

  function TaskTable({ hits }) {
    return h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          COLUMNS.map((c) => h('th', { key: c }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        hits.map((hit) => {
          const t = hit._source;
          return h(
            'tr',
            { key: hit._id, 'data-test-subj': `taskRow-${hit._id}` },
            h('td', null, hit._id),
            h('td', null, t.task_type),
            h('td', null, t.function_name),
            h('td', null, h('span', { 'data-test-subj': 'taskState' }, t.state)),
            h('td', null, t.model_id),
            h('td', null, [t.worker_node ?? []].flat().join(', ')),
            h('td', null, time(t.create_time)),
            h('td', null, time(t.last_update_time)),
          );
        }),
      ),
    );
  }

  function App({ firstAnswer }) {
    const [view, setView] = React.useState({ selected: null, answer: firstAnswer, error: null });
    const latest = React.useRef(0);
    const onSelect = (state) => {
      const selected = view.selected === state ? null : state;
      const id = ++latest.current;
      search(selected === null ? searches.all : searches.byState[state]).then(
        (answer) => id === latest.current && setView({ selected, answer, error: null }),
        (e) => id === latest.current && setView((v) => ({ ...v, error: String(e) })),
      );
    };
    const total = view.answer.hits.total?.value ?? 0;
    return h(
      React.Fragment,
      null,
      view.error && h('p', { role: 'alert' }, view.error),
      h(StateSummary, { answer: view.answer, selected: view.selected, onSelect }),
      h('p', { 'data-test-subj': 'tasksTotal' }, `${total.toLocaleString()} tasks`),
      h(TaskTable, { hits: view.answer.hits.hits }),
    );
  }

  const root = document.getElementById('root');
  Promise.all([first, reactLoaded]).then(
    ([firstAnswer]) => ReactDOM.createRoot(root).render(h(App, { firstAnswer })),
    (e) => {
      root.textContent = String(e);
    },
  );
})();
