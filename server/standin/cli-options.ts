// Command-line options of the stand-in: parsing and validation, kept apart from start-up so they can be tested.

import { parseArgs } from 'node:util';
import { NEWEST_RELEASE, OLDEST_RELEASE, ReleaseError, formatRelease } from '../../shared/ml-releases';
import type { StandinUser } from './server';
import { DEFAULT_RESTART_EVERY_MS } from './live';
import { parseStandinVersion } from './versions';

export const USAGE = `usage: npm run standin -- [--host 127.0.0.1] [--port 9200] [--tasks N] [--seed S]
                            [--data tasks.ndjson] [--models models.ndjson] [--live] [--restart-every MIN]
                            [--user name:password] [--reader name:password] [--proxy]
                            [--version X.Y.Z] [--cluster-name NAME] [--hide-plugins]

  --tasks N     generate N realistic tasks (default 2000; 0 with no --data: no task index at all)
  --seed S      seed for the generated data (default 1): the same seed gives the same data
  --data F      load exactly these tasks, one {"_id": "...", "_source": {...}} per line
  --models F    load exactly these models (same format); default: models generated for the tasks
  --live        simulate activity: new tasks arrive and move CREATED -> RUNNING -> COMPLETED/FAILED, held
                tasks time out, and now and then a node restarts, stranding the tasks it was working on
  --restart-every MIN  with --live, a node restarts every MIN minutes (default 4; 0: never)
  --user U:P    require HTTP basic auth; U may do everything (ml_full_access)
  --reader U:P  a user that may only read (ml_read_access): deleting answers 403
  --proxy       the security plugin's proxy authentication: a proxy on this machine names the user in
                x-proxy-user and its backend roles in x-proxy-roles (with an x-forwarded-for); a backend role
                named all_access, ml_full_access or ml_read_access maps to that role
  --version V   answer as ML Commons V (${OLDEST_RELEASE} to ${NEWEST_RELEASE}, default ${NEWEST_RELEASE}): its statuses,
                error bodies, routes, and generated data it could hold
  --cluster-name NAME  the cluster's name in GET / and _nodes
  --hide-plugins       answer 403 to _cat/plugins and _nodes/plugins, as a managed service may`;

export class UsageError extends Error {}

export interface CliOptions {
  host: string;
  port: number;
  tasks: number;
  seed: number;
  data?: string;
  models?: string;
  live: boolean;
  /** With `live`, a node restarts this often, in minutes (0: never). */
  restartEvery: number;
  users: StandinUser[];
  /** The security plugin's proxy authentication, from proxies on this machine. */
  proxy: boolean;
  /** The ML Commons release to answer as, `X.Y.Z`. */
  version: string;
  clusterName?: string;
  hidePlugins: boolean;
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function user(flag: string, spec: string, role: StandinUser['role']): StandinUser {
  const sep = spec.indexOf(':');
  if (sep <= 0 || sep === spec.length - 1)
    throw new UsageError(`--${flag} must be name:password, got "${spec}"`);
  return { username: spec.slice(0, sep), password: spec.slice(sep + 1), role };
}

export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        tasks: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        models: { type: 'string' },
        live: { type: 'boolean' },
        'restart-every': { type: 'string' },
        user: { type: 'string', multiple: true },
        reader: { type: 'string', multiple: true },
        proxy: { type: 'boolean' },
        version: { type: 'string' },
        'cluster-name': { type: 'string' },
        'hide-plugins': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  let version: string;
  try {
    version = formatRelease(parseStandinVersion(values.version ?? NEWEST_RELEASE, '--version'));
  } catch (e) {
    if (e instanceof ReleaseError) throw new UsageError(e.message);
    throw e;
  }
  const clusterName = values['cluster-name'];
  if (clusterName !== undefined && !/^[^\s/\\*?"<>|,#:]{1,255}$/.test(clusterName)) {
    throw new UsageError(
      `--cluster-name must be a name without spaces or any of / \\ * ? " < > | , # :, got "${clusterName}"`,
    );
  }
  return {
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 9200, 0, 65535),
    tasks: integer('tasks', values.tasks, 2000, 0, 10_000_000),
    seed: integer('seed', values.seed, 1, 0, 2 ** 31 - 1),
    data: values.data,
    models: values.models,
    live: values.live ?? false,
    restartEvery: integer(
      'restart-every',
      values['restart-every'],
      DEFAULT_RESTART_EVERY_MS / 60_000,
      0,
      24 * 60,
    ),
    users: [
      ...(values.user ?? []).map((u) => user('user', u, 'ml_full_access')),
      ...(values.reader ?? []).map((u) => user('reader', u, 'ml_read_access')),
    ],
    proxy: values.proxy ?? false,
    version,
    clusterName,
    hidePlugins: values['hide-plugins'] ?? false,
  };
}
