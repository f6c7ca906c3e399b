import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionsAfterFailure } from '../../src/advisor/memory-raise.js';
import type { RunRecord } from '../../src/types.js';
import { askEtl, BASELINE, GIB, runs } from './history.js';

// Between the most input per shuffle partition a run succeeded with and the least a run failed with, the failure's
// bound is unknown: no launch's tasks get more than what succeeded, whichever settings are chosen.

const baseline = { ...BASELINE, shufflePartitions: 200 };
/** 12 runs of 40–44 GiB on 200 partitions: at most 0.22 GiB of input per partition succeeded. */
const succeeded = runs(12, { shufflePartitions: 200 });
const failedRun = (over: Partial<RunRecord> = {}): RunRecord => ({
  ...succeeded[0]!,
  id: 'run-failed',
  // 0.3 GiB per partition, on the baseline's memory per core (4 GiB), on a quarter of its executors.
  inputBytes: 60 * GIB,
  shuffleWriteBytes: 30 * GIB,
  executors: 8,
  durationMs: 50_000,
  succeeded: false,
  endTime: new Date(Date.UTC(2024, 1, 1)).toISOString(),
  ...over,
});
const perCore = 4 * GIB;

describe('advisor: shuffle partitions after a failure', () => {
  test('a cut chosen at 0.25 GiB per partition, past the 0.22 that succeeded, gets partitions for 0.22', () => {
    const ask = (records: RunRecord[]) => askEtl({ records, baseline, inputBytes: 50 * GIB });
    const before = ask(succeeded);
    assert.equal(before.reasons?.[0]?.code, 'fewest-core-hours');
    assert.equal(before.chosen.shufflePartitions, 200);
    const a = ask([failedRun(), ...succeeded]);
    assert.equal(a.reasons?.[0]?.code, 'fewest-core-hours');
    assert.equal(a.chosen.executors, before.chosen.executors);
    const most = Math.max(...succeeded.map((r) => r.inputBytes / 200));
    assert.equal(a.chosen.shufflePartitions, Math.ceil((50 * GIB) / most), JSON.stringify(a.chosen));
    const note = a.reasons?.find((r) => r.code === 'partitions-after-failure');
    assert.equal(note?.values.runId, 'run-failed');
    assert.match(a.notes.join('\n'), /run run-failed failed with more input per shuffle partition than run run-\d+/);
  });

  test('says nothing where the failure is contradicted, on less memory, alone, or the tasks are small enough', () => {
    const at = (records: RunRecord[], gib = 50, partitions = 200) =>
      partitionsAfterFailure(records, perCore, gib * GIB, partitions);
    assert.equal(at([failedRun(), ...succeeded])?.partitions, Math.ceil((50 * GIB) / ((44 * GIB) / 200)));
    // A run that succeeded with larger tasks on as little memory: the failure was not its tasks' size.
    const larger = { ...succeeded[0]!, id: 'run-70', inputBytes: 70 * GIB };
    assert.equal(at([failedRun(), larger, ...succeeded]), undefined);
    assert.equal(at([failedRun({ executorMemoryBytes: 8 * GIB }), ...succeeded]), undefined, 'less memory per core');
    assert.equal(at([failedRun()]), undefined, 'no success below it');
    assert.equal(at([failedRun(), ...succeeded], 40), undefined, 'tasks no larger than succeeded');
    assert.equal(at([failedRun(), ...succeeded], 50, 240), undefined, 'partitions enough already');
  });
});
