// The benchmark's baseline: plain React, one fetch and a <table>, asking for the console's first page with the
// very body the console sends, through the same gateway. No EUI, no router, no query cache.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { MlTask, SearchResponse } from '../../src/api/ml-types';
import { emptyTaskQuery } from '../../src/tasks/task-query';
import { buildTaskSearchBody } from '../../src/tasks/task-search-body';
import { DEFAULT_VIEW } from '../../src/tasks/task-view-state';

type Hits = SearchResponse<MlTask>['hits']['hits'];

// Like the console, the search starts before React renders.
const search: Promise<SearchResponse<MlTask>> = fetch('/_plugins/_ml/tasks/_search', {
  method: 'POST',
  headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-Console-Request': '1' },
  body: JSON.stringify(buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery())),
}).then(async (res) => {
  if (!res.ok) throw new Error(`search failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as SearchResponse<MlTask>;
});

function time(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}

function TaskTable() {
  const [hits, setHits] = useState<Hits | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    search.then(
      (r) => {
        setHits(r.hits.hits);
        setTotal(r.hits.total?.value ?? 0);
      },
      (e: unknown) => setError(String(e)),
    );
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!hits) return <p>Loading…</p>;
  return (
    <>
      <p data-test-subj="tasksTotal">{total.toLocaleString()} tasks</p>
      <table>
        <thead>
          <tr>
            <th>Task ID</th>
            <th>Type</th>
            <th>Function</th>
            <th>State</th>
            <th>Model ID</th>
            <th>Worker nodes</th>
            <th>Created</th>
            <th>Last updated</th>
          </tr>
        </thead>
        <tbody>
          {hits.map((hit) => {
            const t = hit._source;
            return (
              <tr key={hit._id} data-test-subj={`taskRow-${hit._id}`}>
                <td>{hit._id}</td>
                <td>{t.task_type}</td>
                <td>{t.function_name}</td>
                <td>{t.state}</td>
                <td>{t.model_id}</td>
                <td>{[t.worker_node ?? []].flat().join(', ')}</td>
                <td>{time(t.create_time)}</td>
                <td>{time(t.last_update_time)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TaskTable />
  </StrictMode>,
);
