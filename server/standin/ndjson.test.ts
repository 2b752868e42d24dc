// Checks the NDJSON loader: what it accepts, and that every fault names the file and the 1-based line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNdjson, NdjsonError } from './ndjson';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ndjson-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const TASK_A = '{"_id":"a","_source":{"task_type":"DEPLOY_MODEL","state":"COMPLETED"}}';
const TASK_B = '{"_id":"b","_source":{"task_type":"BATCH_INGEST","error":"<script>alert(1)</script>"}}';

/** The NdjsonError that loading `text` throws. */
async function failure(text: string): Promise<{ error: NdjsonError; path: string }> {
  const path = await file(`bad-${Math.random().toString(36).slice(2)}.ndjson`, text);
  const error = await loadNdjson(path, 'task').then(
    () => {
      throw new Error('expected loadNdjson to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NdjsonError);
  return { error: error as NdjsonError, path };
}

describe('loadNdjson', () => {
  it('reads one document per line, skipping blank lines, and keeps only _id and _source', async () => {
    const path = await file(
      'tasks.ndjson',
      `${TASK_A}\n\n   \n${TASK_B.replace('{', '{"_index":".plugins-ml-task",')}\n`,
    );
    expect(await loadNdjson(path, 'task')).toEqual([
      { _id: 'a', _source: { task_type: 'DEPLOY_MODEL', state: 'COMPLETED' } },
      { _id: 'b', _source: { task_type: 'BATCH_INGEST', error: '<script>alert(1)</script>' } },
    ]);
  });

  it('accepts Windows line endings, a byte-order mark and no final newline', async () => {
    const path = await file('windows.ndjson', `\uFEFF${TASK_A}\r\n${TASK_B}`);
    expect((await loadNdjson(path, 'task')).map((d) => d._id)).toEqual(['a', 'b']);
  });

  it('reads an empty file as no documents', async () => {
    expect(await loadNdjson(await file('empty.ndjson', ''), 'task')).toEqual([]);
  });

  it('reads a large file', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `{"_id":"t${i}","_source":{"state":"COMPLETED"}}`);
    const docs = await loadNdjson(await file('large.ndjson', lines.join('\n')), 'task');
    expect(docs).toHaveLength(50_000);
    expect(docs[49_999]).toEqual({ _id: 't49999', _source: { state: 'COMPLETED' } });
  });

  it('names the file and line 1 when the file cannot be read', async () => {
    const missing = join(dir, 'nope.ndjson');
    const error = await loadNdjson(missing, 'model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NdjsonError);
    expect(error).toMatchObject({ file: missing, line: 1 });
    expect((error as Error).message.startsWith(`${missing}:1: cannot read model file (ENOENT`)).toBe(true);

    const directory = await loadNdjson(dir, 'task').catch((e: unknown) => e);
    expect((directory as Error).message.startsWith(`${dir}:1: cannot read task file (EISDIR`)).toBe(true);
  });

  it('reports invalid JSON with the parser message', async () => {
    const { error, path } = await failure(`${TASK_A}\n\n{"_id":"c",\n`);
    expect(error.file).toBe(path);
    expect(error.line).toBe(3);
    expect(error.message.startsWith(`${path}:3: invalid JSON (`)).toBe(true);
    expect(error.message).toMatch(/\(.*(JSON|Unexpected|Expected).*\)$/);
  });

  it.each([
    [
      'a line that is not an object',
      '[1,2]',
      'expected an object {"_id": ..., "_source": {...}}, got an array',
    ],
    ['a bare number', '42', 'expected an object {"_id": ..., "_source": {...}}, got a number'],
    ['a missing _id', '{"_source":{}}', 'missing "_id"'],
    ['a numeric _id', '{"_id":7,"_source":{}}', '"_id" must be a non-empty string, got a number'],
    ['an empty _id', '{"_id":"","_source":{}}', '"_id" must be a non-empty string, got an empty string'],
    ['a missing _source', '{"_id":"x"}', 'missing "_source" for task "x"'],
    ['a null _source', '{"_id":"x","_source":null}', '"_source" of task "x" must be an object, got null'],
    ['an array _source', '{"_id":"x","_source":[]}', '"_source" of task "x" must be an object, got an array'],
    [
      'a string _source',
      '{"_id":"x","_source":"{}"}',
      '"_source" of task "x" must be an object, got a string',
    ],
  ])('reports %s with file and line', async (_case, line, reason) => {
    const { error, path } = await failure(`${TASK_A}\n${TASK_B}\n${line}\n`);
    expect(error).toMatchObject({ file: path, line: 3 });
    expect(error.message).toBe(`${path}:3: ${reason}`);
  });

  it('reports a duplicate _id on the second occurrence, naming the first', async () => {
    const { error, path } = await failure(`${TASK_A}\n${TASK_B}\n\n${TASK_A}\n`);
    expect(error).toMatchObject({ file: path, line: 4 });
    expect(error.message).toBe(`${path}:4: duplicate task _id "a" (first on line 1)`);
  });

  it('is an Error with its own name', async () => {
    const { error } = await failure('nope');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NdjsonError');
  });
});
