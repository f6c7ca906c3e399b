import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advise } from '../../src/advisor/advise.js';
import { readJobHistory } from '../../src/advisor/job-history.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Advice, AdviceOutcome } from '../../src/types.js';
import { BASELINE, config, GIB, runs } from './history.js';
import { advice } from '../store/factories.js';

// A launch's outcome, as spot-submit saw it, decides what its run teaches (src/advisor/launch-outcomes.ts).

/** spot-submit's record of a launch of "etl" that ended so (no size measured: the runs keep their own). */
const launchRecord = (id: string, outcome: AdviceOutcome): Advice =>
  advice(id, 'etl', Date.UTC(2024, 1, 1), { mode: 'override', inputBytes: undefined, outcome });

async function withStore(fn: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-launch-outcomes-'));
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a launch's outcome in the job's history", () => {
  test('a run whose spark-submit failed is a failed run, though its log shows no failed stage', () =>
    withStore(async (store) => {
      const history = runs(12);
      // The newest run: the driver threw before its first job, 4 s in; its record looks like a good run.
      const thrown = { ...history[0]!, id: 'thrown', executors: 6, durationMs: 4_000, adviceId: 'adv-thrown' };
      await store.putRecords([thrown, ...history.slice(1)]);
      await store.putAdvice(launchRecord('adv-thrown', { exitCode: 1, wallMs: 9_000 }));
      const { records } = await readJobHistory(store, 'etl');
      assert.equal(records.find((r) => r.id === 'thrown')?.succeeded, false);
      const next = advise({
        app: 'etl',
        inputBytes: thrown.inputBytes,
        baseline: BASELINE,
        pinned: [],
        records,
        config: config({ mode: 'override' }),
      });
      assert.ok(!next.trainingRunIds.includes('thrown'), 'not learnt from');
      const anchor = next.reasons?.find((r) => r.code === 'anchor')?.values.runId;
      assert.notEqual(anchor, 'thrown', 'not the last good run the steps are measured from');
    }));

  test('a launch stopped by a signal spot-submit passed on leaves its run out; an exit of 0 changes nothing', () =>
    withStore(async (store) => {
      const history = runs(4).map((r, i) => ({ ...r, adviceId: `adv-${i}` }));
      await store.putRecords(history);
      await store.putAdvice(launchRecord('adv-0', { exitCode: 143, stoppedBy: 'SIGTERM' }));
      await store.putAdvice(launchRecord('adv-1', { exitCode: 0 }));
      const { records } = await readJobHistory(store, 'etl');
      assert.deepEqual(
        records.map((r) => [r.id, r.succeeded]),
        [
          ['run-1', true],
          ['run-2', true],
          ['run-3', true],
        ],
      );
      assert.ok(records.every((r) => r.inputBytes > GIB));
    }));
});
