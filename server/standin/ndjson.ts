// Loads stand-in documents from NDJSON ({"_id", "_source"} per line); every fault names file:line.
import { isObject } from '../../shared/json';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SeedDoc } from './seed';

/** A fault in an NDJSON file; `line` is 1-based (the line being read when the file itself could not be). */
export class NdjsonError extends Error {
  override readonly name = 'NdjsonError';

  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** `what` names the documents in messages ("task", "model"). Blank lines are skipped; unknown top-level keys ignored. */
export async function loadNdjson(path: string, what: string): Promise<SeedDoc<Record<string, unknown>>[]> {
  const docs: SeedDoc<Record<string, unknown>>[] = [];
  const firstLine = new Map<string, number>();
  let line = 0;
  const input = createReadStream(path, 'utf8');
  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const raw of lines) {
      line++;
      // A byte-order mark is what editors on Windows leave at the start of a file.
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === '') continue;
      const doc = parseLine(text, what);
      if (typeof doc === 'string') throw new NdjsonError(path, line, doc);
      const seen = firstLine.get(doc._id);
      if (seen !== undefined) {
        throw new NdjsonError(
          path,
          line,
          `duplicate ${what} _id ${JSON.stringify(doc._id)} (first on line ${seen})`,
        );
      }
      firstLine.set(doc._id, line);
      docs.push(doc);
    }
  } catch (e) {
    if (e instanceof NdjsonError) throw e;
    throw new NdjsonError(
      path,
      line + 1,
      `cannot read ${what} file (${e instanceof Error ? e.message : String(e)})`,
    );
  } finally {
    // Stopping at a bad line must not leave the file open.
    input.destroy();
  }
  return docs;
}

/** The document on one line, or why there is none. */
function parseLine(text: string, what: string): SeedDoc<Record<string, unknown>> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `invalid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!isObject(value)) return `expected an object {"_id": ..., "_source": {...}}, got ${kind(value)}`;
  const { _id, _source } = value;
  if (_id === undefined) return 'missing "_id"';
  if (typeof _id !== 'string' || _id === '') return `"_id" must be a non-empty string, got ${kind(_id)}`;
  if (_source === undefined) return `missing "_source" for ${what} ${JSON.stringify(_id)}`;
  if (!isObject(_source))
    return `"_source" of ${what} ${JSON.stringify(_id)} must be an object, got ${kind(_source)}`;
  return { _id, _source };
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
