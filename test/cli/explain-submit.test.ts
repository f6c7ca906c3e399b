import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { advise } from '../../src/advisor/advise.js';
import { advisorSchema } from '../../src/config/schema.js';
import type { Advice, RunRecord } from '../../src/types.js';

// `spot explain APP_ID` for a run launched without advice shows what spot-submit would do with the same settings
// and input: the same history, in the launch's unit, with the advised runs' outcomes widening the intervals.

import { appId, GIB, history, truthMs } from './explain-history.js';

describe('spot explain: a run without advice, as spot-submit would advise it', () => {
  let home: string;
  const runs = history();
  const target = runs[3]!; // 32 × 4, 16g, 43 GiB, launched without advice
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'spot-explain-submit-'));
    // Override mode: the command line's settings are a baseline Spot may change, as the run's are for explain
    // APP_ID (fill mode would keep every setting the dry run's command line sets).
    writeFileSync(join(home, '.spotrc.yml'), 'advisor:\n  mode: override\n');
    const store = await SqliteStore.open(join(home, 'spot.db'));
    // Four advised runs at 8 × 4 that each took 1.1–1.7× what their advice predicted: a track record of misses.
    const advised: RunRecord[] = [];
    const advice: Advice[] = [];
    [0.6, 0.8, 0.7, 0.9].forEach((share, k) => {
      const actual = truthMs(8, 4, 42 * GIB);
      const predicted = actual * share;
      const a = advise({
        app: 'etl',
        inputBytes: 42 * GIB,
        baseline: { executors: 32, executorCores: 4, executorMemoryBytes: 16 * GIB },
        pinned: [],
        records: runs,
        config: advisorSchema.parse({}),
        adviceIdFactory: () => `adv-${k}`,
      });
      advice.push({
        ...a,
        inputBytes: 42 * GIB,
        candidates: [
          {
            settings: { executors: 8, executorCores: 4, executorMemoryBytes: 16 * GIB },
            prediction: { durationMs: predicted, low: predicted * 0.9, high: predicted * 1.1 },
            coreHours: 1,
          },
        ],
      });
      advised.push({
        ...runs[1]!,
        id: `${appId(50 + k)}-0`,
        appId: appId(50 + k),
        inputBytes: 42 * GIB,
        durationMs: actual,
        adviceId: `adv-${k}`,
        endTime: new Date(Date.UTC(2024, 0, 21 + k)).toISOString(),
      });
    });
    await store.putRecords([...runs, ...advised]);
    for (const a of advice) await store.putAdvice(a);
    await store.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('the same choice and intervals as a dry run of the same command line; wider than without the outcomes', async () => {
    const byApp = await spot(home, ['explain', '--json', target.appId!]);
    assert.equal(byApp.code, 0, byApp.stderr);
    const fromRun = JSON.parse(byApp.stdout).advice as Advice;
    const dry = await spot(home, [
      'explain',
      '--json',
      '--',
      '--master',
      'yarn',
      '--name',
      'etl',
      '--num-executors',
      '32',
      '--executor-cores',
      '4',
      '--executor-memory',
      '16g',
      '--spot-input-bytes',
      String(target.inputBytes),
      'app.jar',
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    const submitted = JSON.parse(dry.stdout).advice as Advice;
    assert.deepEqual(fromRun.chosen, submitted.chosen);
    // The dry run also says where its model came from (none was kept yet, so it fitted one); explain by app id fits.
    const codes = (a: Advice) => a.reasons!.map((r) => r.code).filter((c) => c !== 'model-fitted-at-launch');
    assert.deepEqual(codes(fromRun), codes(submitted));
    assert.deepEqual(
      fromRun.candidates.map((c) => c.prediction),
      submitted.candidates.map((c) => c.prediction),
    );

    // What explain showed before: the plain intervals, without the advised runs' misses.
    const store = await SqliteStore.open(join(home, 'spot.db'));
    const records = await store.records({ app: 'etl' });
    await store.close();
    const plain = advise({
      app: 'etl',
      inputBytes: target.inputBytes,
      baseline: { executors: 32, executorCores: 4, executorMemoryBytes: 16 * GIB },
      pinned: [],
      records,
      config: advisorSchema.parse({}),
    });
    const width = (a: Advice) => a.candidates[0]!.prediction.high / a.candidates[0]!.prediction.durationMs;
    assert.ok(width(fromRun) > width(plain) * 1.01, `${width(fromRun)} vs ${width(plain)}`);
  });
});
