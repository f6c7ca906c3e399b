import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { parseSubmitArgs } from '../../src/submit/args.js';
import { planLaunch } from '../../src/submit/plan.js';
import { withSparkFloors } from '../../src/submit/spark-floors.js';
import { fatJob, withFatJobStore } from './fat-job.js';

const GIB = 1024 ** 3;
const advisor = configSchema.parse({}).advisor;
const floors = (argv: string[], props: Record<string, string> = {}) =>
  withSparkFloors(advisor, parseSubmitArgs([...argv, 'j.jar']), new Map(Object.entries(props)));

describe('the floors a launch sets under the advice, or Spark refuses to start the app', () => {
  test('dynamic allocation: its minExecutors, from the command line or the properties; none when it is off', () => {
    const on = floors(['--conf', 'spark.dynamicAllocation.enabled=true'], {
      'spark.dynamicAllocation.minExecutors': '12',
    });
    assert.equal(on.config.cluster.minExecutors, 12);
    assert.deepEqual(on.reasons, [{ code: 'dynamic-allocation-floor', values: { minExecutors: 12 } }]);
    const off = floors(['--conf', 'spark.dynamicAllocation.minExecutors=12']);
    assert.equal(off.config, advisor);
    assert.deepEqual(off.reasons, []);
    // A minimum above the cluster's largest count leaves that count, never a range that holds none.
    const huge = floors([
      '--conf',
      'spark.dynamicAllocation.enabled=true',
      '--conf',
      'spark.dynamicAllocation.minExecutors=500',
    ]);
    assert.equal(huge.config.cluster.minExecutors, advisor.cluster.maxExecutors);
  });

  test('spark.task.cpus: cores per executor only in multiples of it', () => {
    const two = floors(['--conf', 'spark.task.cpus=2']);
    assert.deepEqual(two.config.cluster.executorCores, [2, 4, 8]);
    assert.deepEqual(two.reasons, [{ code: 'task-cpus-floor', values: { taskCpus: 2 } }]);
    assert.equal(floors(['--conf', 'spark.task.cpus=1']).config, advisor);
    assert.equal(floors(['--conf', 'spark.task.cpus=x']).config, advisor);
  });

  test('a job on few fat executors is not split below its spark.task.cpus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-floors-'));
    const store = await SqliteStore.open(join(dir, 'spot.db'));
    try {
      await store.putRecords(
        fatJob([2, 3, 2, 3, 2, 3], { executorCores: 8, executorMemoryBytes: 32 * GIB, parallelMs: 20_000 }),
      );
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      const ask = (extra: string[]) =>
        planLaunch(
          [
            '--name',
            'fat job',
            '--spot-input-bytes',
            '10g',
            '--num-executors',
            '2',
            '--executor-cores',
            '8',
            ...extra,
            'j.jar',
          ],
          { config, store, record: false },
        );
      // Free to, the advisor weighs splitting the two 8-core executors into smaller ones. (Whether it takes one
      // depends on its limit: measured from the 70 s these settings ran in, no split's high end is within it.)
      const free = (await ask([])).advice!;
      assert.ok(
        free.candidates.some((c) => c.settings.executorCores < 8),
        JSON.stringify(free.candidates.map((c) => c.settings)),
      );
      const held = (await ask(['--conf', 'spark.task.cpus=8'])).advice!;
      for (const c of held.candidates) assert.equal(c.settings.executorCores, 8, JSON.stringify(c.settings));
      assert.ok(held.reasons?.some((r) => r.code === 'task-cpus-floor'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('under dynamic allocation, where the launch starts (spark.dynamicAllocation.initialExecutors)', () => {
  const DA = [
    '--conf',
    'spark.dynamicAllocation.enabled=true',
    '--conf',
    'spark.dynamicAllocation.maxExecutors=40',
    '--conf',
    'spark.dynamicAllocation.initialExecutors=38',
  ];
  const withStore = (check: (store: SqliteStore) => Promise<void>) => withFatJobStore(true, check);
  const ask = (store: SqliteStore, mode: 'fill' | 'override', extra: string[]) =>
    planLaunch(['--name', 'fat job', '--spot-input-bytes', '10g', '--executor-cores', '4', ...extra, 'j.jar'], {
      config: configSchema.parse({ advisor: { mode } }),
      store,
      record: false,
    });

  test('override: a start above the advised ceiling is lowered to it, as spark.executor.instances is', async () => {
    await withStore(async (store) => {
      const plan = await ask(store, 'override', DA);
      const ceiling = plan.advice!.chosen.maxExecutors!;
      assert.ok(ceiling < 38, JSON.stringify(plan.advice!.chosen));
      assert.equal(plan.advice!.injected['spark.dynamicAllocation.initialExecutors'], String(ceiling));
      assert.ok(plan.argv.includes(`spark.dynamicAllocation.initialExecutors=${ceiling}`), plan.argv.join(' '));
      assert.ok(!plan.argv.includes('spark.dynamicAllocation.initialExecutors=38'));
    });
  });

  test('a start the launch keeps (pinned, or set in fill mode) is a floor: no ceiling is advised below it', async () => {
    await withStore(async (store) => {
      const pinned = await ask(store, 'override', ['--spot-pin', 'spark.dynamicAllocation.initialExecutors', ...DA]);
      assert.ok((pinned.advice!.chosen.maxExecutors ?? 40) >= 38, JSON.stringify(pinned.advice!.chosen));
      assert.equal(pinned.advice!.injected['spark.dynamicAllocation.initialExecutors'], undefined);
      assert.ok(pinned.argv.includes('spark.dynamicAllocation.initialExecutors=38'));
      assert.ok(pinned.advice!.reasons?.some((r) => r.code === 'dynamic-allocation-start-floor'));
      // Fill mode with the ceiling left to Spot: the start it keeps bounds the ceiling it may advise.
      const fill = await ask(store, 'fill', DA.slice(0, 2).concat(DA.slice(4)));
      assert.ok((fill.advice!.chosen.maxExecutors ?? 38) >= 38, JSON.stringify(fill.advice!.chosen));
      assert.ok(fill.argv.includes('spark.dynamicAllocation.initialExecutors=38'));
    });
  });
});
