// The built search bodies against the real stand-in over HTTP: totals, hits and facet counts checked against
// counts computed here, directly from the generated documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../server/standin/server';
import { generateModels, generateTasks } from '../server/standin/seed';
import type { MlTask, SearchResponse } from './ml-types';
import {
  emptyTaskQuery,
  FILTER_FIELDS,
  parseTaskQuery,
  type FilterField,
  type TaskQuery,
} from './task-query';
import { DEFAULT_THRESHOLDS, findStale, staleCapabilitiesOf, type StaleContext } from './stale-rules';
import {
  buildTaskSearchBody,
  FACET_FIELDS,
  readFacets,
  type FacetCount,
  type TriageContext,
} from './task-search-body';
import { DEFAULT_VIEW, SORT_FIELDS, type TaskViewState } from './task-view-state';

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);
const TASKS = generateTasks(3_000, 11, NOW);
const MODELS = generateModels(TASKS, 11, NOW);

let standin: Standin;
let baseUrl: string;

beforeAll(async () => {
  standin = createStandin({ tasks: TASKS, models: MODELS, now: () => NOW });
  baseUrl = await standin.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await standin.close();
});

async function post(body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${baseUrl}/_plugins/_ml/tasks/_search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function parse(text: string): TaskQuery {
  const result = parseTaskQuery(text);
  if (!result.ok) throw new Error(result.message);
  return result.query;
}

async function search(patch: Partial<TaskViewState>, query: TaskQuery) {
  const { status, json } = await post(buildTaskSearchBody({ ...DEFAULT_VIEW, ...patch }, query));
  expect(status, JSON.stringify(json)).toBe(200);
  const response = json as SearchResponse<MlTask>;
  return { response, total: response.hits.total?.value, facets: readFacets(response.aggregations, query) };
}

// ---------------------------------------------------------------------------------------------------------
// The reference implementation: plain loops over the generated documents.

type Doc = (typeof TASKS)[number];

function valuesOf(doc: Doc, field: FilterField): string[] {
  const value = doc._source[FILTER_FIELDS[field].docField];
  // `worker_node`: a list since 2.5, a plain string before.
  if (field === 'node')
    return (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    );
  return typeof value === 'string' ? [value] : [];
}

function passesField(doc: Doc, query: TaskQuery, field: FilterField): boolean {
  const values = valuesOf(doc, field);
  const include = query.include[field];
  if (include.length > 0 && !values.some((v) => include.includes(v))) return false;
  return !values.some((v) => query.exclude[field].includes(v));
}

function passesFields(doc: Doc, query: TaskQuery, fields: readonly FilterField[]): boolean {
  return fields.every((f) => passesField(doc, query, f));
}

function countBy(docs: Doc[], field: FilterField): FacetCount[] {
  const counts = new Map<string, number>();
  for (const doc of docs)
    for (const v of new Set(valuesOf(doc, field))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

/** Counts per facet: each facet under every filter but its own, as the console shows them. */
function expectedFacets(docs: Doc[], query: TaskQuery): Record<string, FacetCount[]> {
  const out: Record<string, FacetCount[]> = {};
  for (const field of FACET_FIELDS) {
    const others = FACET_FIELDS.filter((f) => f !== field);
    const counts = countBy(
      docs.filter((d) => passesFields(d, query, others)),
      field,
    );
    for (const v of [...query.include[field], ...query.exclude[field]]) {
      if (!counts.some((c) => c.value === v)) counts.push({ value: v, count: 0 });
    }
    out[field] = counts;
  }
  return out;
}

const allFacets = (docs: Doc[]) => docs.filter((d) => passesFields(d, emptyTaskQuery(), FACET_FIELDS));

describe('the search body against the stand-in', () => {
  it('has data worth testing against', () => {
    expect(
      TASKS.filter((d) => d._source.state === 'FAILED' && d._source.function_name === 'TEXT_EMBEDDING')
        .length,
    ).toBeGreaterThan(20);
    expect(new Set(TASKS.flatMap((d) => valuesOf(d, 'node'))).size).toBeGreaterThan(3);
  });

  it('counts everything when nothing is filtered', async () => {
    const { total, facets, response } = await search({}, emptyTaskQuery());
    expect(total).toBe(TASKS.length);
    expect(response.hits.hits).toHaveLength(25);
    expect(facets).toEqual(expectedFacets(allFacets(TASKS), emptyTaskQuery()));
    // Newest first.
    const times = response.hits.hits.map((h) => h._source.create_time!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(Math.max(...TASKS.map((d) => d._source.create_time!)));
  });

  it('state:FAILED function:TEXT_EMBEDDING: the total, the hits and every facet under the other filters', async () => {
    const query = parse('state:FAILED function:text_embedding');
    const { total, facets, response } = await search({ size: 100 }, query);
    const matching = TASKS.filter(
      (d) => d._source.state === 'FAILED' && d._source.function_name === 'TEXT_EMBEDDING',
    );
    expect(total).toBe(matching.length);
    const ids = new Set(matching.map((d) => d._id));
    expect(response.hits.hits.length).toBe(Math.min(100, matching.length));
    for (const hit of response.hits.hits) expect(ids.has(hit._id)).toBe(true);

    // The state facet counts every state among TEXT_EMBEDDING tasks, not just FAILED.
    const stateCounts = new Map<string, number>();
    for (const d of TASKS) {
      if (d._source.function_name === 'TEXT_EMBEDDING') {
        stateCounts.set(d._source.state!, (stateCounts.get(d._source.state!) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(facets.state.map((c) => [c.value, c.count]))).toEqual(
      Object.fromEntries(stateCounts),
    );
    expect(facets.state.length).toBeGreaterThan(2);
    // The function facet counts every function among FAILED tasks.
    const failed = TASKS.filter((d) => d._source.state === 'FAILED');
    expect(facets.function).toEqual(countBy(failed, 'function'));
    expect(facets).toEqual(expectedFacets(TASKS, query));
  });

  it('exclusions across fields, on the last-update time range, sorted by state', async () => {
    const query = parse(
      '-state:COMPLETED -type:DEPLOY_MODEL,REGISTER_MODEL node:' +
        valuesOf(
          TASKS.find((d) => d._source.task_type === 'TRAINING')!,
          'node',
        )[0],
    );
    const patch: Partial<TaskViewState> = {
      timeField: 'last_update_time',
      from: 'now-14d',
      to: 'now-1d',
      sort: 'state',
      dir: 'asc',
      size: 10,
    };
    const { total, facets, response } = await search(patch, query);
    const inRange = TASKS.filter((d) => {
      const t = d._source.last_update_time!;
      return t >= NOW - 14 * 86_400_000 && t <= NOW - 86_400_000;
    });
    const matching = inRange.filter((d) => passesFields(d, query, FACET_FIELDS));
    expect(matching.length).toBeGreaterThan(10);
    expect(total).toBe(matching.length);
    expect(facets).toEqual(expectedFacets(inRange, query));

    const expectedOrder = [...matching].sort(
      (a, b) =>
        (a._source.state! < b._source.state! ? -1 : a._source.state! > b._source.state! ? 1 : 0) ||
        b._source.create_time! - a._source.create_time!,
    );
    expect(response.hits.hits.map((h) => [h._source.state, h._source.create_time])).toEqual(
      expectedOrder.slice(0, 10).map((d) => [d._source.state, d._source.create_time]),
    );
  });

  it('the second page follows the first without overlap', async () => {
    const query = parse('type:REGISTER_MODEL');
    const first = await search({ size: 10, sort: 'function_name', dir: 'desc' }, query);
    const second = await search({ size: 10, sort: 'function_name', dir: 'desc', page: 1 }, query);
    const matching = TASKS.filter((d) => d._source.task_type === 'REGISTER_MODEL');
    expect(second.total).toBe(matching.length);
    const ids = [...first.response.hits.hits, ...second.response.hits.hits].map((h) => h._id);
    expect(new Set(ids).size).toBe(20);
  });

  it('model filters narrow the hits and the facets alike', async () => {
    const modelId = TASKS.find((d) => d._source.task_type === 'DEPLOY_MODEL')!._source.model_id!;
    const query = parse(`model:${modelId}`);
    const { total, facets } = await search({}, query);
    const matching = TASKS.filter((d) => d._source.model_id === modelId);
    expect(matching.length).toBeGreaterThan(1);
    expect(total).toBe(matching.length);
    expect(facets).toEqual(expectedFacets(matching, query));

    const excluded = await search({}, parse(`-model:${modelId}`));
    expect(excluded.total).toBe(TASKS.length - matching.length);
  });

  it('free text matches task ids, model ids, error phrases and agent error messages', async () => {
    const someTask = TASKS[1234]!;
    expect((await search({}, parse(someTask._id))).response.hits.hits.map((h) => h._id)).toEqual([
      someTask._id,
    ]);

    const phrase = 'circuit breaker is open';
    const withPhrase = TASKS.filter((d) => /circuit breaker is open/i.test(d._source.error ?? ''));
    expect(withPhrase.length).toBeGreaterThan(5);
    expect((await search({}, parse(`"${phrase}"`))).total).toBe(withPhrase.length);
    expect((await search({}, parse(`-"${phrase}"`))).total).toBe(TASKS.length - withPhrase.length);

    const agentMessage = 'Agent reached maximum iterations (10) without completing the task';
    const agentFailures = TASKS.filter((d) => d._source.response?.error_message === agentMessage);
    expect(agentFailures.length).toBeGreaterThan(0);
    const agent = await search({}, parse(`"${agentMessage}"`));
    expect(agent.total).toBe(agentFailures.length);
    expect(agent.response.hits.hits.every((h) => h._source.task_type === 'AGENT_EXECUTION')).toBe(true);
  });

  it('the last-24-hours range counts what was created in the last 24 hours', async () => {
    const { total } = await search({ from: 'now-24h', to: 'now' }, emptyTaskQuery());
    expect(total).toBe(
      TASKS.filter((d) => d._source.create_time! >= NOW - 86_400_000 && d._source.create_time! <= NOW).length,
    );
  });

  it('keeps a selected value with no results in its facet', async () => {
    const { total, facets } = await search({}, parse('node:no-such-node state:FAILED'));
    expect(total).toBe(0);
    expect(facets.node).toContainEqual({ value: 'no-such-node', count: 0 });
    // Under node:no-such-node nothing is left to count but the selection itself.
    expect(facets.state).toEqual([{ value: 'FAILED', count: 0 }]);
    // Under state:FAILED the nodes of failed tasks are still offered.
    expect(facets.node.length).toBeGreaterThan(1);
  });

  it('a page far beyond the window is clamped, where the same request unclamped is refused', async () => {
    const { response, total } = await search({ page: 100_000, size: 100 }, emptyTaskQuery());
    expect(total).toBe(TASKS.length);
    expect(response.hits.hits).toEqual([]);
    const refused = await post({
      ...buildTaskSearchBody(DEFAULT_VIEW, emptyTaskQuery()),
      from: 9_901,
      size: 100,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('Result window is too large');
  });

  it('every sort field is accepted by the cluster', async () => {
    for (const sort of SORT_FIELDS) {
      const { total } = await search({ sort, dir: 'asc', size: 10 }, emptyTaskQuery());
      expect(total, sort).toBe(TASKS.length);
    }
  });

  it('reads an empty cluster (no task index yet) as no hits and no counts but the selection', async () => {
    const empty = createStandin({ tasks: [], now: () => NOW });
    const url = await empty.listen(0, '127.0.0.1');
    try {
      const query = parse('state:FAILED');
      const response = await fetch(`${url}/_plugins/_ml/tasks/_search`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(buildTaskSearchBody({ ...DEFAULT_VIEW, from: 'now-1h' }, query)),
      });
      expect(response.status).toBe(200);
      const json = (await response.json()) as SearchResponse<MlTask>;
      expect(json.hits.total).toEqual({ value: 0, relation: 'eq' });
      expect(readFacets(json.aggregations, query)).toEqual({
        state: [{ value: 'FAILED', count: 0 }],
        function: [],
        type: [],
        node: [],
      });
    } finally {
      await empty.close();
    }
  });
});

describe('free text as a real cluster analyses it', () => {
  const TEXT_TASKS: Array<{ _id: string; _source: MlTask }> = [
    {
      _id: 'oom',
      _source: {
        task_type: 'DEPLOY_MODEL',
        state: 'FAILED',
        create_time: NOW,
        error: 'java.lang.OutOfMemoryError: Java heap space',
      },
    },
    {
      _id: 'agent',
      _source: {
        task_type: 'AGENT_EXECUTION',
        function_name: 'AGENT',
        state: 'FAILED',
        create_time: NOW,
        response: { error_message: 'Tool ListIndexTool failed: index [logs] not found' },
      },
    },
  ];
  let textStandin: Standin;
  let textUrl: string;

  beforeAll(async () => {
    textStandin = createStandin({ tasks: TEXT_TASKS, now: () => NOW });
    textUrl = await textStandin.listen(0, '127.0.0.1');
  });
  afterAll(() => textStandin.close());

  async function ids(text: string): Promise<string[]> {
    const response = await fetch(`${textUrl}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(buildTaskSearchBody(DEFAULT_VIEW, parse(text))),
    });
    const json = (await response.json()) as SearchResponse<MlTask>;
    return json.hits.hits.map((h) => h._id).sort();
  }

  it('finds a word inside the one token the standard analyzer makes of a dotted name, in any case', async () => {
    // A phrase alone finds nothing: the token is java.lang.outofmemoryerror.
    const phraseOnly = await fetch(`${textUrl}/_plugins/_ml/tasks/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: { match_phrase: { error: 'OutOfMemoryError' } } }),
    });
    expect(((await phraseOnly.json()) as SearchResponse<MlTask>).hits.hits).toEqual([]);
    expect(await ids('OutOfMemoryError')).toEqual(['oom']);
    expect(await ids('outofmemory')).toEqual(['oom']);
    expect(await ids('java.lang.OutOfMemoryError')).toEqual(['oom']);
    expect(await ids('"heap space"')).toEqual(['oom']);
  });

  it('finds an agent run’s failure by a part of its message', async () => {
    expect(await ids('ListIndexTool')).toEqual(['agent']);
    expect(await ids('"index [logs] not found"')).toEqual(['agent']);
    expect(await ids('-ListIndexTool')).toEqual(['oom']);
  });
});

describe('is:stale and failure: against the stand-in', () => {
  const nodes = [...new Set(TASKS.flatMap((d) => valuesOf(d, 'node')))].sort();
  // One node has left; every fifth task is held by some node.
  const stale: StaleContext = {
    now: NOW,
    thresholds: DEFAULT_THRESHOLDS,
    liveNodeIds: nodes.slice(1),
    heldTaskIds: TASKS.filter((_, i) => i % 5 === 0).map((d) => d._id),
  };
  const group = TASKS.filter((_, i) => i % 7 === 0).map((d) => d._id);
  const triage: TriageContext = { stale, failureGroups: { '3fa2c91b': group } };
  const flagged = new Set(
    TASKS.filter((d) => findStale(d._id, d._source, stale, staleCapabilitiesOf({})) !== undefined).map(
      (d) => d._id,
    ),
  );

  async function total(text: string): Promise<number> {
    const { status, json } = await post(buildTaskSearchBody(DEFAULT_VIEW, parse(text), undefined, triage));
    expect(status, JSON.stringify(json)).toBe(200);
    return (json as SearchResponse<MlTask>).hits.total!.value;
  }

  it('has stale tasks to find', () => {
    expect(flagged.size).toBeGreaterThan(5);
  });

  it('is:stale finds the tasks the rules flag, under the other filters too; -is:stale the rest', async () => {
    expect(await total('is:stale')).toBe(flagged.size);
    expect(await total('-is:stale')).toBe(TASKS.length - flagged.size);
    const running = TASKS.filter((d) => flagged.has(d._id) && d._source.state === 'RUNNING').length;
    expect(running).toBeGreaterThan(0);
    expect(await total('is:stale state:RUNNING')).toBe(running);
  });

  it('failure: finds its group’s tasks; an unknown group none; -failure: the rest', async () => {
    expect(await total('failure:3fa2c91b')).toBe(group.length);
    expect(await total('failure:ffffffff')).toBe(0);
    expect(await total('-failure:3fa2c91b')).toBe(TASKS.length - group.length);
    const failed = TASKS.filter((d) => group.includes(d._id) && d._source.state === 'FAILED').length;
    expect(await total('failure:3fa2c91b state:FAILED')).toBe(failed);
  });
});
