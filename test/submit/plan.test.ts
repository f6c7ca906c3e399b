import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { planLaunch } from '../../src/submit/plan.js';
import type { Advice } from '../../src/types.js';
import { fixedAdvisor, type AdviceRequest } from './fixed-advisor.js';
import { fatJob as fatRuns } from './fat-job.js';

const GIB = 1024 ** 3;

/** An over-provisioned job: 10 GiB takes about as long on 10 executors as on 40. */
const fatJob = () =>
  fatRuns([10, 20, 40, 10, 20, 40], { executorCores: 4, executorMemoryBytes: 8 * GIB, parallelMs: 200_000 });

/** A test against a fresh SQLite store in a temporary folder, both gone after it. */
async function inStore(fn: (store: SqliteStore, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-plan-'));
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('planLaunch', () => {
  test('fill mode with a properties file: asks the advisor with the baseline and pins, stores the completed advice', () =>
    inStore(async (store, dir) => {
      const props = join(dir, 'job.properties');
      writeFileSync(props, 'spark.executor.cores=4\nspark.app.name=from props\n');
      const config = configSchema.parse({ advisor: { pinned: ['spark.executor.memory'] } });
      const seen: AdviceRequest[] = [];
      const argv = [
        '--spot-input-bytes',
        '2g',
        '--spot-pin',
        '--num-executors',
        '--properties-file',
        props,
        'job.jar',
        'arg',
      ];
      const plan = await planLaunch(argv, { config, store, advise: fixedAdvisor(seen) });
      // executors pinned by --spot-pin, memory by advisor.pinned, cores set in the properties file: fill leaves all
      // three.
      assert.deepEqual(plan.argv, [
        '--properties-file',
        props,
        '--conf',
        'spark.spot.adviceId=adv-fixed',
        'job.jar',
        'arg',
      ]);
      const req = seen[0] as { app: string; baseline: object; pinned: string[]; inputBytes: number };
      assert.equal(req.app, 'from props');
      assert.deepEqual(req.baseline, { executorCores: 4 });
      // The cores the properties file sets are fixed for the plan too, since fill keeps them; the record's pins
      // stay the user's.
      assert.deepEqual(req.pinned, ['spark.executor.memory', 'spark.executor.instances', 'spark.executor.cores']);
      assert.equal(req.inputBytes, 2 * GIB);
      const stored = await store.getAdvice('adv-fixed');
      assert.equal(stored?.mode, 'fill');
      assert.deepEqual(stored?.pinned, ['spark.executor.memory', 'spark.executor.instances']);
      assert.deepEqual(stored?.injected, {});
      const kept = stored?.reasons?.find((r) => r.code === 'fill-kept');
      assert.deepEqual(kept?.values, { keys: 'spark.executor.cores' });
      assert.equal(stored?.inputSource, '--spot-input-bytes');
    }));

  test('a config pin one slip from a key Spot changes is refused before any advice: nothing asked, nothing stored', () =>
    inStore(async (store) => {
      const config = configSchema.parse({ advisor: { mode: 'override', pinned: ['spark.executor.instance'] } });
      const seen: AdviceRequest[] = [];
      await assert.rejects(
        planLaunch(['--num-executors', '20', 'job.jar'], { config, store, advise: fixedAdvisor(seen) }),
        /^ConfigError: advisor\.pinned 'spark\.executor\.instance' names no setting Spot changes \(did you mean 'spark\.executor\.instances'\?\)$/,
      );
      assert.equal(seen.length, 0);
      assert.equal(await store.getAdvice('adv-fixed'), undefined);
    }));

  test('a YARN launch named by SPARK_YARN_APP_NAME is advised and stored under that name, as the crawl will see it', () =>
    inStore(async (store) => {
      const seen: AdviceRequest[] = [];
      const env = { SPARK_YARN_APP_NAME: 'nightly_etl', MASTER: 'yarn' };
      const plan = await planLaunch(['--class', 'a.B', 'job.jar'], {
        config: configSchema.parse({}),
        store,
        env,
        advise: fixedAdvisor(seen),
      });
      assert.equal((seen[0] as { app: string }).app, 'nightly_etl');
      assert.equal(plan.advice?.app, 'nightly_etl');
    }));

  test('override mode; nothing stored for a dry run or with record: false', () =>
    inStore(async (store) => {
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      const argv = ['--spot-dry-run', '--num-executors', '20', '--executor-memory=8g', 'job.jar'];
      const plan = await planLaunch(argv, { config, store, advise: fixedAdvisor([]) });
      assert.deepEqual(plan.argv, [
        '--num-executors',
        '6',
        '--executor-memory=3g',
        '--conf',
        'spark.executor.cores=2',
        '--conf',
        'spark.spot.adviceId=adv-fixed',
        'job.jar',
      ]);
      assert.deepEqual(plan.advice?.injected, {
        'spark.executor.instances': '6',
        'spark.executor.cores': '2',
        'spark.executor.memory': '3g',
      });
      await planLaunch(argv.slice(1), { config, store, advise: fixedAdvisor([]), record: false });
      assert.equal(await store.getAdvice('adv-fixed'), undefined);
    }));

  test('a dry run keeps no model either: what it fitted is fitted again by the next launch', () =>
    inStore(async (store) => {
      await store.putRecords(fatJob());
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      const argv = ['--name', 'fat job', '--spot-input-bytes', '10g', '--num-executors', '40', 'j.jar'];
      const dry = await planLaunch(['--spot-dry-run', ...argv], { config, store });
      assert.ok(dry.advice?.reasons?.some((r) => r.code === 'model-fitted-at-launch'));
      assert.deepEqual(await store.models!('fat job'), []);
      await planLaunch(argv, { config, store });
      assert.ok((await store.models!('fat job')).length > 0, 'a launch keeps the model it fitted');
    }));
  test('the advisor sees each run at the input size its launch measured, not the crawled stage reads, what it was predicted to take and the advice it ran with', () =>
    inStore(async (store) => {
      const config = configSchema.parse({});
      const launched: Advice = {
        id: 'adv-0',
        createdAt: '2024-01-30T00:00:00Z',
        app: 'unit job',
        mode: 'fill',
        baseline: {},
        chosen: {},
        injected: {},
        pinned: [],
        trainingRunIds: [],
        decidedBy: 'test',
        notes: [],
        inputBytes: 10 * GIB,
        candidates: [
          {
            settings: { executors: 4, executorCores: 2 },
            prediction: { durationMs: 50_000, low: 45_000, high: 55_000 },
            coreHours: 0.1,
          },
        ],
      };
      await store.putAdvice(launched);
      await store.putRecords([
        {
          id: 'app-1-0',
          app: 'unit job',
          inputBytes: 13 * GIB,
          executors: 4,
          executorCores: 2,
          durationMs: 60_000,
          succeeded: true,
          endTime: '2024-01-30T01:00:00Z',
          source: 'crawl',
          adviceId: 'adv-0',
        },
      ]);
      const seen: AdviceRequest[] = [];
      await planLaunch(['--name', 'unit job', '--spot-dry-run', 'job.jar'], {
        config,
        store,
        advise: fixedAdvisor(seen),
      });
      const req = seen[0] as { records: { id: string; inputBytes: number }[] };
      assert.deepEqual(
        req.records.map((r) => [r.id, r.inputBytes]),
        [['app-1-0', 10 * GIB]],
      );
      // The advised run's prediction at the settings it ran with, against what it took: the job's track record.
      assert.deepEqual((seen[0] as { outcomes: unknown }).outcomes, [{ predictedMs: 50_000, actualMs: 60_000 }]);
      // And the advice records, so that what Spot injected into a run is not taken for the job's own setting.
      assert.deepEqual(
        (seen[0] as { launched?: Advice[] }).launched?.map((a) => a.id),
        ['adv-0'],
      );
    }));

  test('a launch without an input size records none: the advisor assumes the largest recent input for itself', () =>
    inStore(async (store) => {
      const sizes = [1, 30, 2, 40]; // most recent first
      await store.putRecords(
        sizes.map((gib, i) => ({
          id: `app-${i}`,
          app: 'sized job',
          inputBytes: gib * GIB,
          executors: 20 - i,
          executorCores: 4,
          durationMs: 20_000 + gib * 1000,
          succeeded: true,
          endTime: `2024-01-${String(30 - i).padStart(2, '0')}T01:00:00Z`,
          source: 'crawl' as const,
        })),
      );
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      const plan = await planLaunch(
        ['--name', 'sized job', '--num-executors', '20', '--executor-cores', '4', 'j.jar'],
        {
          config,
          store,
        },
      );
      const advice = await store.getAdvice(plan.advice!.id);
      assert.equal(advice?.inputBytes, undefined);
      assert.equal(advice?.inputSource, undefined);
      const codes = (advice?.reasons ?? []).map((r) => r.code);
      assert.ok(codes.includes('input-assumed-largest'), codes.join(', '));
      assert.ok(!codes.includes('input-unknown'), codes.join(', '));
      const assumed = advice?.reasons?.find((r) => r.code === 'input-assumed-largest');
      assert.equal(assumed?.values.inputBytes, 40 * GIB);
    }));

  test("dynamic allocation: no executor count below the launch's minExecutors, which Spark would refuse as a maximum", () =>
    inStore(async (store) => {
      await store.putRecords(fatJob());
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      const da = ['--conf', 'spark.dynamicAllocation.enabled=true', '--num-executors', '40', 'j.jar'];
      const ask = (extra: string[]) =>
        planLaunch(['--name', 'fat job', '--spot-input-bytes', '10g', ...extra, ...da], {
          config,
          store,
          record: false,
        });
      // Without a minimum the cut goes well below 30 executors, and the ceiling with it.
      const free = (await ask([])).advice!;
      assert.ok((free.chosen.maxExecutors ?? 40) < 30, JSON.stringify(free.chosen));
      const floored = await ask(['--conf', 'spark.dynamicAllocation.minExecutors=30']);
      const advice = floored.advice!;
      assert.ok((advice.chosen.executors ?? 40) >= 30, JSON.stringify(advice.chosen));
      assert.ok((advice.chosen.maxExecutors ?? 40) >= 30, JSON.stringify(advice.chosen));
      for (const c of advice.candidates ?? []) assert.ok(c.settings.executors >= 30, JSON.stringify(c.settings));
      assert.deepEqual(advice.reasons?.find((r) => r.code === 'dynamic-allocation-floor')?.values, {
        minExecutors: 30,
      });
      assert.match(
        advice.notes.join('\n'),
        /no fewer than 30 executors, the launch's spark\.dynamicAllocation\.minExecutors/,
      );
      // Without dynamic allocation Spark ignores the minimum, and so does Spot.
      const off = await planLaunch(
        [
          '--name',
          'fat job',
          '--spot-input-bytes',
          '10g',
          '--conf',
          'spark.dynamicAllocation.minExecutors=30',
          '--num-executors',
          '40',
          'j.jar',
        ],
        { config, store, record: false },
      );
      assert.ok((off.advice!.chosen.executors ?? 40) < 30, JSON.stringify(off.advice!.chosen));
      // No executor count on the command line: the baseline is the ceiling the launch may scale up to, not the
      // last run's 10, which explain's table then marks as kept.
      const bounded = await planLaunch(
        [
          '--name',
          'fat job',
          '--spot-input-bytes',
          '10g',
          '--conf',
          'spark.dynamicAllocation.enabled=true',
          '--conf',
          'spark.dynamicAllocation.minExecutors=30',
          '--conf',
          'spark.dynamicAllocation.maxExecutors=40',
          'j.jar',
        ],
        { config, store, record: false },
      );
      const b = bounded.advice!;
      assert.equal(b.candidates[0]?.settings.executors, 40, JSON.stringify(b.candidates[0]));
      assert.deepEqual(b.reasons?.find((r) => r.code === 'baseline-dynamic-bounds')?.values, {
        from: 10,
        executors: 40,
        ceiling: true,
      });
      assert.match(
        b.notes.join('\n'),
        /baseline of 40 executors, not the 10 a past run held: under dynamic allocation/,
      );
    }));

  test('fill mode plans with the executors the command line sets: no cut it cannot inject, no saving claimed for one', () =>
    inStore(async (store) => {
      await store.putRecords(fatJob());
      const argv = ['--name', 'fat job', '--spot-input-bytes', '10g', '--num-executors', '40', 'j.jar'];
      const ask = (mode: 'fill' | 'override') =>
        planLaunch(argv, { config: configSchema.parse({ advisor: { mode } }), store, record: false });
      // The cut is there to be had: override mode takes it.
      const override = await ask('override');
      assert.ok((override.advice?.chosen.executors ?? 40) < 40, JSON.stringify(override.advice?.chosen));
      const fill = await ask('fill');
      const advice = fill.advice!;
      assert.equal(advice.chosen.executors, undefined, JSON.stringify(advice.chosen));
      assert.ok(!fill.argv.some((a) => a.startsWith('spark.executor.instances')), fill.argv.join(' '));
      for (const c of advice.candidates ?? []) assert.equal(c.settings.executors, 40, JSON.stringify(c.settings));
      assert.deepEqual(advice.pinned, []);
      const kept = advice.reasons?.find((r) => r.code === 'fill-kept');
      assert.deepEqual(kept?.values, { keys: 'spark.executor.instances' });
      assert.match(
        advice.notes.join('\n'),
        /advisor\.mode fill: planned with spark\.executor\.instances as this launch/,
      );
    }));
});
