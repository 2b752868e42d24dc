// A spec's own cluster: a stand-in with the spec's own data, in the spec's process, on the port the project's console
// forwards to (see e2e/env.ts for why), for as long as the spec runs.
import { expect, test } from '@playwright/test';
import type { ClusterReport } from '../shared/cluster-capabilities';
import { formatRelease } from '../shared/ml-releases';
import { generateModels, generateTasks } from '../server/standin/seed';
import { createStandin, type Standin, type StandinOptions } from '../server/standin/server';
import { projectRelease, standinUrl } from './standin-client';

export interface OwnClusterOptions {
  /** How many tasks to generate, and from which seed: a seed no other spec uses. */
  tasks: number;
  seed: number;
  /** Documents of the spec's own making, added to the generated ones (`now` is when the cluster starts). */
  extra?: (now: number, release: string | undefined) => Pick<StandinOptions, 'tasks' | 'models'>;
  /** Persistent cluster settings, e.g. `{'plugins.ml_commons.ml_task_timeout_in_seconds': 120}`. */
  persistentSettings?: StandinOptions['persistentSettings'];
}

export interface OwnCluster {
  /**
   * The running stand-in (its request log, its indices, its nodes): `standin.restartNode(id)` and
   * `standin.removeNode(id)` strand what a node held, `standin.failTimedOutTasks()` runs the nodes' timeout.
   */
  readonly standin: Standin;
  /** Starts it again with the spec's data as generated, after stop(): the cluster coming back. */
  start(): Promise<void>;
  /** Stops it: the cluster going away. */
  stop(): Promise<void>;
}

/**
 * Gives the spec (call it at the top of the file) its own stand-in behind the project's console, at the project's
 * release, from beforeAll to afterAll. Before the first test the console has learnt who the cluster is, so the first
 * page does not meet a console that still remembers the port empty.
 */
export function ownCluster(options: OwnClusterOptions): OwnCluster {
  let data: Pick<StandinOptions, 'tasks' | 'models'> | undefined;
  let running: Standin | undefined;

  const cluster: OwnCluster = {
    get standin() {
      if (!running) throw new Error('the spec’s cluster is not running');
      return running;
    },
    async start() {
      if (!data)
        throw new Error('ownCluster() starts its cluster in beforeAll: call it at the top of the spec');
      const url = new URL(standinUrl());
      // A fresh copy: the stand-in keeps the documents it is given, and deletions must not reach the next start.
      const standin = createStandin({
        ...structuredClone(data),
        version: projectRelease(),
        persistentSettings: options.persistentSettings,
      });
      try {
        await standin.listen(Number(url.port), url.hostname);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        throw new Error(
          `${url.host} is taken: the specs take turns on the console's cluster port, one worker at a time ` +
            '(playwright.config.ts), and nothing else may listen there',
        );
      }
      running = standin;
    },
    async stop() {
      const standin = running;
      running = undefined;
      await standin?.close();
    },
  };

  test.beforeAll(async () => {
    const release = projectRelease();
    const now = Date.now();
    const tasks = generateTasks(options.tasks, options.seed, now, release);
    const extra = options.extra?.(now, release);
    data = {
      tasks: [...tasks, ...(extra?.tasks ?? [])],
      models: [...generateModels(tasks, options.seed, now, release), ...(extra?.models ?? [])],
    };
    await cluster.start();
    const expected = formatRelease(cluster.standin.profile.release);
    const consoleUrl = test.info().project.use.baseURL;
    await expect
      .poll(
        async () => {
          const report = (await (await fetch(`${consoleUrl}/console/cluster`)).json()) as ClusterReport;
          return report.reachable && report.capabilities.releaseKnown
            ? report.capabilities.release
            : 'unknown';
        },
        {
          message: `the console at ${consoleUrl} knows its cluster (ML Commons ${expected})`,
          timeout: 20_000,
        },
      )
      .toBe(expected);
  });

  test.afterAll(() => cluster.stop());

  return cluster;
}
