// Search bodies the gateway forwards: only what the console itself sends (its page with facet counts, its count and
// id searches, later pages by search_after), so that no browser can have the cluster run a script, read another index
// or page past the result window with the gateway's credentials.
import { MAX_RESULT_WINDOW } from '../../shared/result-window.ts';

/** Every top-level key of a search the console sends (shared/task-search-body.ts, src/api/ml.ts, the probe). */
const ALLOWED_KEYS = new Set([
  'query',
  'post_filter',
  'from',
  'size',
  'sort',
  'search_after',
  'track_total_hits',
  'aggs',
  'aggregations',
  '_source',
]);

/** Keys refused at any depth, with why: each runs code on the cluster, or reads beyond the task index. */
const REFUSED_ANYWHERE: Record<string, string> = {
  wrapper: 'a wrapped query cannot be checked',
  runtime_mappings: 'runtime fields run scripts',
  derived: 'derived fields run scripts',
  index: 'a lookup in another index',
  _index: 'a lookup in another index',
};

/** Nesting the console never comes near (its deepest clause is about 8 levels). */
const MAX_DEPTH = 64;

export type SearchBodyCheck = { ok: true; body: Buffer } | { ok: false; status: 400 | 406; error: string };

function refuse(error: string, status: 400 | 406 = 400): SearchBodyCheck {
  return { ok: false, status, error };
}

function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json';
}

/** A key path for messages, bounded: `query.bool.filter[0].script`. */
function pathOf(parts: Array<string | number>): string {
  const text = parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return text.length > 200 ? `…${text.slice(-200)}` : text;
}

/** Why one key or value inside the body is refused, or undefined; walks without recursion. */
function refusedInside(root: Record<string, unknown>): string | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) return `the search body is nested deeper than ${MAX_DEPTH} levels`;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, inner] of Object.entries(value)) {
      const at = pathOf([...path, key]);
      // script, script_score, script_fields, scripted_metric, _script sorts, *_script parameters; stored scripts are
      // named under `script` too.
      if (/script/i.test(key)) return `scripts are refused: [${at}]`;
      const why = REFUSED_ANYWHERE[key];
      if (why) return `[${at}] is refused: ${why}`;
      if (
        (key === 'size' || key === 'shard_size') &&
        typeof inner === 'number' &&
        inner > MAX_RESULT_WINDOW
      ) {
        return `[${at}] is ${inner}: at most ${MAX_RESULT_WINDOW}`;
      }
      stack.push({ value: inner, path: [...path, key] });
    }
  }
  return undefined;
}

function nonNegativeInteger(value: unknown): value is number | undefined {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/**
 * Checks a search body against what the console sends, and gives the body to forward: the checked JSON written
 * anew, so that the cluster parses exactly what was checked (no comments, duplicate keys or other encodings that its
 * parser might read differently).
 */
export function checkSearchBody(body: Buffer, contentType: string | undefined): SearchBodyCheck {
  if (!isJsonType(contentType)) {
    const shown = contentType === undefined ? 'missing' : `[${contentType.slice(0, 100)}] is not supported`;
    return refuse(
      `Content-Type header ${shown}: the console's gateway forwards search bodies as application/json only`,
      406,
    );
  }
  let parsed: unknown;
  let unsafeNumber = false;
  try {
    parsed = JSON.parse(body.toString('utf8'), (_key, value: unknown) => {
      if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        unsafeNumber = true;
      }
      return value;
    });
  } catch (err) {
    return refuse(`The search body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (unsafeNumber) {
    return refuse('The search body has an integer beyond 2^53, which the gateway cannot forward exactly');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return refuse('The search body must be a JSON object');
  }
  const search = parsed as Record<string, unknown>;
  for (const key of Object.keys(search)) {
    if (!ALLOWED_KEYS.has(key)) {
      return refuse(
        `The search body's [${key.slice(0, 100)}] is refused: the console's gateway forwards only ${[...ALLOWED_KEYS].join(', ')}`,
      );
    }
  }
  if (!nonNegativeInteger(search.from) || !nonNegativeInteger(search.size)) {
    return refuse("The search body's [from] and [size] must be whole numbers, 0 or more");
  }
  // OpenSearch's own defaults: from 0, size 10.
  const window = (search.from ?? 0) + (search.size ?? 10);
  if (window > MAX_RESULT_WINDOW) {
    return refuse(
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${window}]`,
    );
  }
  const inside = refusedInside(search);
  if (inside) return refuse(`The search body is refused: ${inside}`);
  return { ok: true, body: Buffer.from(JSON.stringify(search)) };
}
