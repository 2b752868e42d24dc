// `npm run check-cluster -- --url URL`: which OpenSearch and ML Commons a cluster runs (the gateway's own detection),
// what the console will assume of it, and whether each assumption holds there. Read-only: it only sends GET and
// POST _search. Exit code 0 when every assumption holds, 1 when one fails, 2 on a usage error.
import { isObject, parseJsonOrUndefined } from '../shared/json';
import { readErrorBody } from '../shared/opensearch-error';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Capabilities, ClusterReport } from '../shared/cluster-capabilities.ts';
import { classifyError, type ErrorAnswer } from '../shared/error-meaning.ts';
import { NEWEST_RELEASE, OLDEST_RELEASE, compareReleases, parseRelease } from '../shared/ml-releases.ts';
import {
  detectCluster,
  errorReason,
  PROBE_BODY,
  reportOf,
  type ClusterReader,
  type Detection,
} from '../server/gateway/cluster-info.ts';
import { ConfigError, loadConfig } from '../server/gateway/config.ts';
import { profileOf } from '../server/standin/versions.ts';
import { createMlProxyHandler, proxyTargetFrom, type UpstreamAnswer } from '../server/gateway/proxy.ts';
import { displayUrl } from '../server/gateway/upstream-errors.ts';

export const USAGE = `usage: npm run check-cluster -- --url URL [--user NAME --password PASSWORD | --ca FILE] [--insecure]
                                [--timeout MS]

  --url URL        the cluster, http:// or https:// (a path prefix is kept)
  --user NAME      HTTP basic credentials; the password from --password or OPENSEARCH_PASSWORD
  --password PW    (visible to other users of this machine in the process list: prefer OPENSEARCH_PASSWORD)
  --ca FILE        a PEM file of the CA that signed the cluster's certificate
  --insecure       do not check the cluster's certificate (a test cluster only)
  --timeout MS     how long each request may take (default 3000); a task search with aggregations that takes
                   longer counts as never answered, as on ML Commons 2.19.2 to 2.19.6

It only reads: GET /, the plugin list, the task index's mapping, one task by an id that does not exist, and task
searches. Exit code 0 when every assumption the console makes holds, 1 when one does not, 2 on a usage error.`;

export type CheckStatus = 'ok' | 'warn' | 'FAIL';

export interface CheckLine {
  status: CheckStatus;
  /** A short name: `search`, `aggregations`, `field state`. */
  what: string;
  why: string;
}

export interface CheckResult {
  url: string;
  detection: Detection;
  report: ClusterReport;
  lines: CheckLine[];
  exitCode: 0 | 1;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CheckOptions {
  url: URL;
  authorization?: string;
  ca?: Buffer;
  tlsInsecure: boolean;
  timeoutMs: number;
}

const TASK_SEARCH = '/_plugins/_ml/tasks/_search';
const TASK_INDEX_MAPPING = '/.plugins-ml-task/_mapping';
/** An id no task has: a GET of it shows how this release says "not found". */
export const MISSING_TASK_ID = 'check-cluster-no-such-task';
const KEYWORD_FIELDS = ['state', 'task_type', 'function_name', 'worker_node', 'model_id'] as const;
const DATE_FIELDS = ['create_time', 'last_update_time'] as const;
const FLAG_OF: Record<string, string> = {
  OPENSEARCH_URL: '--url',
  OPENSEARCH_USERNAME: '--user',
  OPENSEARCH_PASSWORD: '--password',
  OPENSEARCH_CA: '--ca',
  'OPENSEARCH_TLS_INSECURE=true': '--insecure',
  OPENSEARCH_TLS_INSECURE: '--insecure',
  OPENSEARCH_TIMEOUT_MS: '--timeout',
};

/** The gateway's messages name its environment variables; here the same settings are flags. */
export function inFlags(message: string): string {
  return message.replace(/OPENSEARCH_TLS_INSECURE=true|OPENSEARCH_[A-Z_]+/g, (name) => FLAG_OF[name] ?? name);
}

/** Reads the command line: the same checks as the gateway's settings, named by their flags. */
export function parseCheckArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CheckOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        ca: { type: 'string' },
        insecure: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (values.url === undefined) throw new UsageError('--url is required');
  const password = values.password ?? (values.user !== undefined ? env.OPENSEARCH_PASSWORD : undefined);
  try {
    const config = loadConfig({
      OPENSEARCH_URL: values.url,
      ...(values.user !== undefined ? { OPENSEARCH_USERNAME: values.user } : {}),
      ...(password !== undefined ? { OPENSEARCH_PASSWORD: password } : {}),
      ...(values.ca !== undefined ? { OPENSEARCH_CA: values.ca } : {}),
      ...(values.insecure ? { OPENSEARCH_TLS_INSECURE: 'true' } : {}),
      ...(values.timeout !== undefined ? { OPENSEARCH_TIMEOUT_MS: values.timeout } : {}),
    });
    return {
      url: config.opensearchUrl!,
      ...(config.authorization ? { authorization: config.authorization } : {}),
      ...(config.ca ? { ca: config.ca } : {}),
      tlsInsecure: config.tlsInsecure,
      timeoutMs: values.timeout !== undefined ? config.upstreamTimeoutMs : 3000,
    };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(inFlags(e.message));
    throw e;
  }
}

type Answered = Extract<UpstreamAnswer, { text: string }>;

function parse(answer: Answered): unknown {
  return parseJsonOrUndefined(answer.text);
}

/** An OpenSearch error body (any form) as the shared error classification reads it. */
export function errorAnswerOf(answer: Answered): ErrorAnswer {
  return readErrorBody(answer.status, answer.text);
}

function form(answer: Answered): string {
  const reason = errorReason(answer);
  return reason ? `${answer.status} ${reason}` : String(answer.status);
}

/** The reason of the innermost cause, where OpenSearch puts what actually went wrong. */
function rootReason(answer: Answered): string {
  const e = errorAnswerOf(answer);
  return [e.reason, ...(e.rootCause ?? []).map((c) => c.reason)].join(' ');
}

function releaseLine(caps: Capabilities, detection: Detection): CheckLine[] {
  const lines: CheckLine[] = [];
  const identity = detection.identity;
  if (!caps.releaseKnown) {
    lines.push({
      status: 'warn',
      what: 'version',
      why:
        identity.source === 'probe'
          ? `the ML Commons version could not be read (${detection.notes.slice(0, -1).join('; ')}); a probe decided whether aggregations answer, and the console assumes ${NEWEST_RELEASE} for the rest`
          : `the ML Commons version could not be read: ${detection.error ?? detection.notes.join('; ')}; the console assumes ${NEWEST_RELEASE}`,
    });
  } else {
    const r = parseRelease(caps.release)!;
    if (compareReleases(r, parseRelease(OLDEST_RELEASE)!) < 0) {
      lines.push({
        status: 'FAIL',
        what: 'version',
        why: `ML Commons ${caps.release} is older than ${OLDEST_RELEASE}, the oldest release the console supports`,
      });
    } else if (compareReleases(r, parseRelease(NEWEST_RELEASE)!) > 0) {
      lines.push({
        status: 'warn',
        what: 'version',
        why: `ML Commons ${caps.release} is newer than ${NEWEST_RELEASE}, the newest the console knows: it assumes that one's behaviour`,
      });
    } else {
      lines.push({
        status: 'ok',
        what: 'version',
        why: `ML Commons ${caps.release} is supported (${OLDEST_RELEASE} to ${NEWEST_RELEASE})`,
      });
    }
  }
  if (identity.distribution !== undefined && identity.distribution !== 'opensearch') {
    lines.push({
      status: 'warn',
      what: 'distribution',
      why: `GET / says distribution "${identity.distribution}", not opensearch`,
    });
  }
  if ((detection.mlVersions?.length ?? 0) > 1) {
    lines.push({
      status: 'warn',
      what: 'nodes',
      why: `the nodes run different ML Commons versions (${detection.mlVersions!.join(', ')}), as during a rolling upgrade: the console goes by ${identity.mlVersion}`,
    });
  }
  return lines;
}

/** Runs every check against the cluster behind `reader`. Read-only: GET, and POST of task searches. */
export async function runChecks(
  reader: ClusterReader,
  options: { timeoutMs: number; url: string },
): Promise<CheckResult> {
  const t = options.timeoutMs;
  const lines: CheckLine[] = [];
  const add = (status: CheckStatus, what: string, why: string): void => {
    lines.push({ status, what, why });
  };
  const detection = await detectCluster(reader, { readTimeoutMs: t, probeTimeoutMs: t });
  const report = reportOf(detection, Date.now());
  const caps = report.capabilities;
  const done = (): CheckResult => ({
    url: options.url,
    detection,
    report,
    lines,
    exitCode: lines.some((l) => l.status === 'FAIL') ? 1 : 0,
  });

  if (!detection.reachable) {
    add('FAIL', 'reach', detection.error ?? 'the cluster did not answer');
    return done();
  }
  if (detection.error !== undefined && /refused the credentials/.test(detection.error)) {
    add('FAIL', 'credentials', detection.error);
    return done();
  }
  add('ok', 'reach', 'the cluster answers');
  lines.push(...releaseLine(caps, detection));

  const search = (body: unknown, timeoutMs = t) =>
    reader.read('POST', TASK_SEARCH, { body: JSON.stringify(body), timeoutMs });
  const noAnswer = (answer: Extract<UpstreamAnswer, { error: unknown }>) => answer.error.reason;

  // The plain search every view starts from.
  const plain = await search({ size: 0, track_total_hits: true });
  let indexMissing = false;
  let total = 0;
  if ('error' in plain) {
    add('FAIL', 'search', `a task search without aggregations got no answer: ${noAnswer(plain)}`);
    return done();
  }
  const plainBody = parse(plain);
  if (plain.status === 200 && isObject(plainBody)) {
    const shards = isObject(plainBody._shards) ? plainBody._shards.total : undefined;
    const hits = isObject(plainBody.hits) ? plainBody.hits : {};
    total = isObject(hits.total) ? Number(hits.total.value ?? 0) : 0;
    indexMissing = shards === 0;
    add(
      'ok',
      'search',
      indexMissing
        ? 'a task search without aggregations answers: empty, there is no task index yet'
        : `a task search without aggregations answers (${total} tasks)`,
    );
  } else if (plain.status === 404 && errorReason(plain).startsWith('index_not_found_exception')) {
    indexMissing = true;
    add(
      'ok',
      'search',
      `a task search answers ${form(plain)}: there is no task index yet, which the console shows as empty`,
    );
  } else {
    const meaning = classifyError(errorAnswerOf(plain), 'task-search');
    add(
      'FAIL',
      'search',
      `a task search answers ${form(plain)}${meaning.permission ? `: the console's user needs ${meaning.permission}` : ''}`,
    );
    return done();
  }

  // What a search answers before the first task: the capabilities say what the console expects.
  if (indexMissing) {
    const seen = plain.status === 404 ? 'index_not_found' : 'empty';
    const expected = caps.missingTaskIndex;
    add(
      seen === expected ? 'ok' : 'warn',
      'missing task index',
      `a search without a task index answers ${seen === 'empty' ? 'an empty 200' : '404 index_not_found_exception'}` +
        (seen === expected
          ? `, as ML Commons ${caps.release} does`
          : `, where ML Commons ${caps.release} answers ${expected === 'empty' ? 'an empty 200' : '404'}; the console reads both as no tasks`),
    );
  } else {
    add(
      'ok',
      'missing task index',
      `not tried: the task index exists (a search without one answers ${caps.missingTaskIndex === 'empty' ? 'an empty 200' : '404 index_not_found_exception'} on ML Commons ${caps.release})`,
    );
  }

  // The console's default view: newest first, with a true total.
  const sorted = await search({
    size: 1,
    sort: [{ create_time: { order: 'desc' } }],
    track_total_hits: true,
  });
  if ('error' in sorted) add('FAIL', 'sorted search', `no answer: ${noAnswer(sorted)}`);
  else if (sorted.status === 200)
    add('ok', 'sorted search', 'a search sorted on create_time, with a total, answers');
  else if (indexMissing && sorted.status === plain.status)
    add('ok', 'sorted search', `a search sorted on create_time answers as the plain one (${sorted.status})`);
  else add('FAIL', 'sorted search', `a search sorted on create_time answers ${form(sorted)}`);

  // Aggregations: the one behaviour that differs to the point of hanging.
  let aggregationsWork = false;
  const started = performance.now();
  const aggs = await search(JSON.parse(PROBE_BODY));
  const ms = Math.round(performance.now() - started);
  const known = caps.releaseKnown ? `ML Commons ${caps.release}` : 'this cluster (as probed)';
  if ('error' in aggs && aggs.status === 504) {
    add(
      caps.aggregationsInSearch ? 'FAIL' : 'warn',
      'aggregations',
      caps.aggregationsInSearch
        ? `a task search with a terms aggregation got no answer within ${t} ms, though ${known} should answer it: the console's counts would wait for the timeout`
        : `a task search with a terms aggregation got no answer within ${t} ms: ${caps.releaseKnown ? `ML Commons ${caps.release} never answers one (ml-commons #3713)` : 'this cluster never answers one (ML Commons 2.19.2 to 2.19.6, ml-commons #3713)'}; the console knows, counts with size-0 searches instead, and its gateway refuses searches with aggregations; searches without them answer`,
    );
  } else if ('error' in aggs) {
    add('FAIL', 'aggregations', `a task search with a terms aggregation: ${noAnswer(aggs)}`);
  } else if (
    aggs.status === 200 &&
    isObject(parse(aggs)) &&
    isObject((parse(aggs) as Record<string, unknown>).aggregations)
  ) {
    aggregationsWork = true;
    add(
      caps.aggregationsInSearch ? 'ok' : 'warn',
      'aggregations',
      caps.aggregationsInSearch
        ? `a task search with a terms aggregation answers (${ms} ms)`
        : `a task search with a terms aggregation answered, though ${known} is known never to: the console will not send them`,
    );
  } else if (indexMissing) {
    add(
      'warn',
      'aggregations',
      'not tried: without a task index the search answers before any aggregation runs',
    );
  } else {
    add('FAIL', 'aggregations', `a task search with a terms aggregation answers ${form(aggs)}`);
  }

  // Field types: from the mapping where the console's user may read it, else from behaviour.
  const mapping = await reader.read('GET', TASK_INDEX_MAPPING, { timeoutMs: t, maxBytes: 1024 * 1024 });
  let properties: Record<string, unknown> | undefined;
  if (!('error' in mapping) && mapping.status === 200) {
    const body = parse(mapping);
    const index = isObject(body) ? Object.values(body)[0] : undefined;
    const mappings = isObject(index) && isObject(index.mappings) ? index.mappings : undefined;
    if (mappings && isObject(mappings.properties)) properties = mappings.properties;
  }
  if (properties) {
    add('ok', 'mapping', `read ${TASK_INDEX_MAPPING}`);
    const typeOf = (field: string): string | undefined => {
      const p = properties![field];
      return isObject(p) && typeof p.type === 'string' ? p.type : undefined;
    };
    for (const field of KEYWORD_FIELDS) {
      const type = typeOf(field);
      add(
        type === 'keyword' ? 'ok' : 'FAIL',
        `field ${field}`,
        `mapped as ${type ?? 'nothing'}${type === 'keyword' ? '' : ', not keyword: the console filters, sorts and counts on it'}`,
      );
    }
    for (const field of DATE_FIELDS) {
      const type = typeOf(field);
      add(
        type === 'date' ? 'ok' : 'FAIL',
        `field ${field}`,
        `mapped as ${type ?? 'nothing'}${type === 'date' ? '' : ', not date: the console sorts and ranges on it'}`,
      );
    }
    const error = typeOf('error');
    add(
      error === 'text' ? 'ok' : 'warn',
      'field error',
      `mapped as ${error ?? 'nothing'}${error === 'text' ? '' : ', not text: the console searches its words'}`,
    );
  } else {
    const why = 'error' in mapping ? mapping.error.reason : form(mapping);
    add(
      'warn',
      'mapping',
      `could not read ${TASK_INDEX_MAPPING} (${why}): field types inferred from behaviour`,
    );
    if (indexMissing) {
      add('warn', 'fields', 'not inferred: there is no task index yet');
    } else {
      for (const field of KEYWORD_FIELDS) {
        if (aggregationsWork) {
          const a = await search({ size: 0, aggs: { f: { terms: { field, size: 1 } } } });
          if (!('error' in a) && a.status === 200)
            add('ok', `field ${field}`, 'keyword (a terms aggregation on it answers)');
          else
            add(
              'FAIL',
              `field ${field}`,
              `a terms aggregation on it answers ${'error' in a ? a.error.reason : form(a)}: not keyword`,
            );
        } else {
          // Without aggregations, a sort tells a keyword (string sort values) from text (refused).
          const s = await search({
            size: 1,
            query: { exists: { field } },
            sort: [{ [field]: { order: 'asc' } }],
          });
          const value = !('error' in s) && s.status === 200 ? firstSortValue(parse(s)) : undefined;
          if ('error' in s || s.status !== 200)
            add(
              'FAIL',
              `field ${field}`,
              `a sort on it answers ${'error' in s ? s.error.reason : form(s)}: not keyword`,
            );
          else if (value === undefined || typeof value === 'string')
            add(
              'ok',
              `field ${field}`,
              `keyword (a sort on it answers${value === undefined ? '; no task has it to show its values' : ', with text values'})`,
            );
          else add('FAIL', `field ${field}`, `a sort on it gives ${typeof value} values: not keyword`);
        }
      }
      for (const field of DATE_FIELDS) {
        const range = await search({
          size: 0,
          query: { range: { [field]: { gte: 'now-100y/d', lte: 'now' } } },
        });
        const s = await search({
          size: 1,
          query: { exists: { field } },
          sort: [{ [field]: { order: 'desc' } }],
        });
        const value = !('error' in s) && s.status === 200 ? firstSortValue(parse(s)) : undefined;
        if ('error' in range || range.status !== 200) {
          add(
            'FAIL',
            `field ${field}`,
            `a range with date math answers ${'error' in range ? range.error.reason : form(range)}: not a date`,
          );
        } else if (typeof value === 'string') {
          add('FAIL', `field ${field}`, 'a sort on it gives text values: not a date');
        } else {
          add(
            'ok',
            `field ${field}`,
            `date (a range with date math answers${typeof value === 'number' ? '; sorted values are epoch milliseconds' : ''})`,
          );
        }
      }
      const errorSort = await search({ size: 1, sort: [{ error: { order: 'asc' } }] });
      if (!('error' in errorSort) && errorSort.status === 200) {
        add(
          'warn',
          'field error',
          'a sort on it answers: not text, so the console’s word search on it may find less',
        );
      } else if (!('error' in errorSort) && errorSort.status >= 400) {
        add(
          'ok',
          'field error',
          `text (a sort on it answers ${errorSort.status}${/Text fields are not optimi[sz]ed/.test(rootReason(errorSort)) ? ': text fields are not optimised for sorting' : ''})`,
        );
      } else {
        add(
          'warn',
          'field error',
          `a sort on it: ${'error' in errorSort ? errorSort.error.reason : form(errorSort)}`,
        );
      }
    }
  }

  // How "no such task" reads: the shared error classification must recognise this release's form.
  const missing = await reader.read('GET', `/_plugins/_ml/tasks/${MISSING_TASK_ID}`, { timeoutMs: t });
  if ('error' in missing) {
    add('FAIL', 'unknown task id', `GET of an unknown task: ${missing.error.reason}`);
  } else if (missing.status === 200) {
    add('FAIL', 'unknown task id', `GET of task ${MISSING_TASK_ID} answered 200: a task by that id exists?`);
  } else {
    const answer = errorAnswerOf(missing);
    const meaning = classifyError(answer, 'task-get').meaning;
    const expected = caps.releaseKnown ? expectedUnknownTask(caps.release, indexMissing) : undefined;
    const asTable =
      expected === undefined ||
      (expected.status === answer.status &&
        expected.type === answer.type &&
        expected.reason === answer.reason);
    add(
      meaning !== 'not-found' ? 'FAIL' : asTable ? 'ok' : 'warn',
      'unknown task id',
      `GET of an unknown task answers ${form(missing)}` +
        (meaning !== 'not-found'
          ? `, which the console reads as ${meaning}, not as not found`
          : asTable
            ? `, which the console reads as not found${expected ? ` (ML Commons ${caps.release}'s form)` : ''}`
            : `, which the console reads as not found, though ML Commons ${caps.release} is known to answer ${expected!.status} ${expected!.type}: ${expected!.reason}`),
    );
  }

  // Paging stops at the result window: the console never asks past it.
  if (indexMissing) {
    add('warn', 'result window', 'not tried: without a task index nothing is searched');
  } else {
    const deep = await search({ from: 9990, size: 20 });
    if ('error' in deep) add('FAIL', 'result window', `from 9990 + size 20: ${deep.error.reason}`);
    else if (deep.status >= 400 && /Result window is too large/.test(rootReason(deep))) {
      add(
        'ok',
        'result window',
        `from 9990 + size 20 answers ${deep.status}: result window is too large (10,000), as the console expects`,
      );
    } else if (deep.status === 200) {
      add(
        'warn',
        'result window',
        'from 9990 + size 20 answers 200: index.max_result_window was raised; the console still stops at 10,000',
      );
    } else {
      add('FAIL', 'result window', `from 9990 + size 20 answers ${form(deep)}`);
    }
  }
  return done();
}

/**
 * What a release answers to GET of an unknown task, from the stand-in's profile of it: the one place the per-release
 * error forms are written down (ml-commons-versions.md, the version table). Undefined for a release it does not know.
 */
function expectedUnknownTask(release: string, indexMissing: boolean): ErrorAnswer | undefined {
  let profile;
  try {
    profile = profileOf(release);
  } catch {
    return undefined;
  }
  const e = (indexMissing ? profile.getTaskNoIndex : profile.getTaskMissing)();
  return { status: e.status, type: e.type, reason: e.reason };
}

function firstSortValue(body: unknown): unknown {
  if (!isObject(body) || !isObject(body.hits) || !Array.isArray(body.hits.hits)) return undefined;
  const hit = body.hits.hits[0];
  return isObject(hit) && Array.isArray(hit.sort) ? hit.sort[0] : undefined;
}

function describeCapabilities(caps: Capabilities): string[] {
  const rows: Array<[string, string]> = [
    [
      'aggregations in a task search',
      caps.aggregationsInSearch ? 'yes' : 'no: counts come from size-0 searches',
    ],
    [
      'cancel a batch job',
      caps.cancelPath ? `POST /_plugins/_ml/tasks/{id}/${caps.cancelPath}` : 'not possible (before 2.17)',
    ],
    [
      'search before the first task',
      caps.missingTaskIndex === 'empty' ? 'an empty answer' : '404 index_not_found_exception',
    ],
    ['DELETE of a RUNNING task', caps.runningDeleteRefused ? 'refused by the cluster' : 'deletes it'],
    [
      'GET of a remote batch task',
      caps.remoteBatchGetCallsProvider ? 'calls the model’s provider' : 'a plain read',
    ],
    ['agent results in response', caps.agentResponses ? 'yes' : 'no'],
    ['states', caps.states.join(', ')],
    ['task types', caps.types.join(', ')],
    ['functions', caps.functions.join(', ')],
  ];
  return rows.map(([k, v]) => `  ${k.padEnd(30)} ${v}`);
}

const HOW: Record<string, string> = {
  plugins: 'from the plugin list',
  'core-version': 'from the core version (ML Commons ships with it)',
  probe: 'by a probe search (the version could not be read)',
  unknown: 'not decided',
};

/** The report as printed: the cluster, its capabilities, each check, the verdict. Never a credential. */
export function formatResult(result: CheckResult): string {
  const { detection, report } = result;
  const caps = report.capabilities;
  const out: string[] = [`check-cluster: ${result.url}`, '', 'Cluster'];
  if (detection.reachable) {
    const id = detection.identity;
    const row = (k: string, v: string) => out.push(`  ${k.padEnd(14)} ${v}`);
    row('OpenSearch', id.version ?? 'unknown');
    row('distribution', id.distribution ?? 'unknown');
    row('cluster name', id.clusterName ?? 'unknown');
    row(
      'ML Commons',
      id.source === 'plugins' ? id.mlVersion! : id.source === 'core-version' ? id.version! : 'unknown',
    );
    row('decided', HOW[id.source]!);
    for (const note of detection.notes) out.push(`    ${inFlags(note)}`);
    out.push(
      '',
      `Capabilities (ML Commons ${caps.release}${caps.releaseKnown ? '' : ', assumed'})`,
      ...describeCapabilities(caps),
    );
  } else {
    out.push(`  not reachable: ${inFlags(detection.error ?? 'no answer')}`);
  }
  out.push('', 'Assumptions');
  for (const line of result.lines) out.push(`  ${line.status.padEnd(5)} ${line.what}: ${inFlags(line.why)}`);
  const count = (s: CheckStatus) => result.lines.filter((l) => l.status === s).length;
  out.push(
    '',
    `${count('ok')} ok, ${count('warn')} warn, ${count('FAIL')} FAIL: ${result.exitCode === 0 ? 'the console can work with this cluster' : 'the console will not work as it should with this cluster'}`,
  );
  return out.join('\n');
}

/** The whole tool: parse, check, print; resolves to the exit code. */
export async function main(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void; env?: NodeJS.ProcessEnv } = {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
  },
): Promise<number> {
  let options: CheckOptions;
  try {
    options = parseCheckArgs(argv, io.env ?? process.env);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) io.err(`check-cluster: ${e.message}`);
      io.err(USAGE);
      return 2;
    }
    throw e;
  }
  const proxy = createMlProxyHandler(
    proxyTargetFrom({
      host: '127.0.0.1',
      port: 0,
      opensearchUrl: options.url,
      authorization: options.authorization,
      ca: options.ca,
      tlsInsecure: options.tlsInsecure,
      readOnly: true,
      prerender: false,
      upstreamTimeoutMs: Math.max(options.timeoutMs, 1),
      distDir: '',
    }),
  );
  try {
    const result = await runChecks(proxy, { timeoutMs: options.timeoutMs, url: displayUrl(options.url) });
    io.out(formatResult(result));
    return result.exitCode;
  } finally {
    proxy.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`check-cluster failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
