import { describe, expect, it } from 'vitest';
import {
  functionNamesOf,
  modelFieldWrittenBy,
  modelStatesOf,
  modelStatesWrittenBy,
  parseRelease,
  parseSupportedRelease,
  searchHangsOnAggregations,
  taskFieldExists,
  taskStatesOf,
  taskTypesOf,
  taskTypesWrittenBy,
  writesStringWorkerNode,
} from './ml-releases';

const r = (text: string) => parseRelease(text)!;

describe('parseRelease', () => {
  it.each([
    ['2.19.3', { major: 2, minor: 19, patch: 3 }],
    ['2.19.3.0', { major: 2, minor: 19, patch: 3 }],
    ['3.0.0-SNAPSHOT', { major: 3, minor: 0, patch: 0 }],
    ['3.1', { major: 3, minor: 1, patch: 0 }],
  ])('reads %s', (text, expected) => expect(parseRelease(text)).toEqual(expected));

  it.each(['', 'latest', '2', '2.x', 'two.nineteen', undefined, 7])('refuses %s', (text) =>
    expect(parseRelease(text)).toBeUndefined(),
  );
});

describe('parseSupportedRelease', () => {
  it('reads a supported release and names the setting when it refuses one', () => {
    expect(parseSupportedRelease('2.4.0.0', 'X')).toEqual({ major: 2, minor: 4, patch: 0 });
    expect(() => parseSupportedRelease('2.3.9', '--version')).toThrow(
      '--version 2.3.9 is older than 2.4.0, the oldest ML Commons release supported',
    );
    expect(() => parseSupportedRelease('newest', 'STANDIN_VERSION')).toThrow(
      /^STANDIN_VERSION must be an ML Commons release such as \d+\.\d+\.\d+ or 2\.19\.3, not "newest"$/,
    );
  });
});

describe('release facts', () => {
  it('knows when each state, type and function appeared', () => {
    expect(taskStatesOf(r('2.17.0'))).not.toContain('CANCELLING');
    expect(taskStatesOf(r('2.18.0'))).toEqual(expect.arrayContaining(['CANCELLING', 'EXPIRED']));
    expect(taskStatesOf(r('2.18.0'))).not.toContain('UNREACHABLE');
    expect(taskStatesOf(r('2.19.0'))).toContain('UNREACHABLE');
    expect(taskTypesOf(r('2.4.0'))).not.toContain('DEPLOY_MODEL');
    expect(taskTypesOf(r('2.11.0'))).toEqual(expect.arrayContaining(['UPLOAD_MODEL', 'DEPLOY_MODEL']));
    expect(taskTypesWrittenBy(r('2.11.0'))).not.toContain('UPLOAD_MODEL');
    expect(taskTypesOf(r('2.19.3'))).not.toContain('AGENT_EXECUTION');
    expect(taskTypesOf(r('3.0.0'))).toContain('AGENT_EXECUTION');
    expect(functionNamesOf(r('2.4.0'))).not.toContain('REMOTE');
    expect(functionNamesOf(r('2.9.0'))).toContain('REMOTE');
    expect(functionNamesOf(r('3.1.0'))).not.toContain('TOOL');
    expect(functionNamesOf(r('3.2.0'))).toContain('TOOL');
  });

  it('knows which fields and forms a release writes', () => {
    expect(taskFieldExists(r('2.16.0'), 'remote_job')).toBe(false);
    expect(taskFieldExists(r('2.17.0'), 'remote_job')).toBe(true);
    expect(taskFieldExists(r('2.19.6'), 'response')).toBe(false);
    expect(taskFieldExists(r('3.0.0'), 'response')).toBe(true);
    expect(taskFieldExists(r('2.4.0'), 'error')).toBe(true);
    expect(writesStringWorkerNode(r('2.4.0'))).toBe(true);
    expect(writesStringWorkerNode(r('2.5.0'))).toBe(false);
  });

  it('knows the model vocabulary of each release', () => {
    expect(modelStatesOf(r('2.4.0'))).not.toContain('LOAD_FAILED');
    expect(modelStatesOf(r('2.5.0'))).toContain('LOAD_FAILED');
    expect(modelStatesOf(r('2.6.0'))).not.toContain('DEPLOYED');
    expect(modelStatesWrittenBy(r('2.6.0'))).toContain('LOADED');
    expect(modelStatesOf(r('2.7.0'))).toEqual(expect.arrayContaining(['LOADED', 'DEPLOYED']));
    expect(modelStatesWrittenBy(r('2.7.0'))).not.toContain('LOADED');
    expect(modelFieldWrittenBy(r('2.6.0'), 'last_loaded_time')).toBe(true);
    expect(modelFieldWrittenBy(r('2.7.0'), 'last_loaded_time')).toBe(false);
    expect(modelFieldWrittenBy(r('2.5.0'), 'planning_worker_nodes')).toBe(false);
    expect(modelFieldWrittenBy(r('2.6.0'), 'planning_worker_nodes')).toBe(true);
    expect(modelFieldWrittenBy(r('2.7.0'), 'model_group_id')).toBe(false);
    expect(modelFieldWrittenBy(r('2.8.0'), 'model_group_id')).toBe(true);
    expect(modelFieldWrittenBy(r('2.11.0'), 'is_hidden')).toBe(false);
    expect(modelFieldWrittenBy(r('2.12.0'), 'is_hidden')).toBe(true);
    expect(modelFieldWrittenBy(r('2.4.0'), 'name')).toBe(true);
  });

  it('knows the releases whose task search never answers aggregations', () => {
    expect(
      ['2.19.1', '2.19.2', '2.19.6', '2.20.0', '3.0.0'].map((v) => searchHangsOnAggregations(r(v))),
    ).toEqual([false, true, true, false, false]);
  });
});
