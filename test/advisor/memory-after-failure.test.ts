import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { chosenCandidate } from '../../src/advisor/outcomes.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import type { SpotConfig } from '../../src/config/schema.js';
import type { RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';
import { noisyBaseline, noisyHistory } from './noisy-job.js';

// A failed run whose tasks were no larger than this launch's, or whose finer partitions failed as a coarser run's
// did, says a task's memory ran out where more partitions do not help (a hot key stays in one task at any count):
// the advice raises executor memory per core a step, within the cluster's limit and never over a pin.

const baseline = noisyBaseline;
const history = noisyHistory;

const failedRun = (id: string, day: number, over: Partial<RunRecord>): RunRecord => ({
  ...history()[0]!,
  id,
  inputBytes: 62 * GIB,
  shuffleWriteBytes: 124 * GIB,
  succeeded: false,
  // its tasks spilled before it failed: they were short of execution memory
  memoryBytesSpilled: 30 * GIB,
  diskBytesSpilled: 10 * GIB,
  endTime: new Date(Date.UTC(2024, 0, day)).toISOString(),
  adviceId: `adv-${id}`,
  ...over,
});

/** On 800 partitions at 62 GiB its tasks got a quarter of what the baseline's 200 give them at 64 GiB. */
const finer = failedRun('run-finer', 21, { shufflePartitions: 800 });

const ask = (records: RunRecord[], over: { pinned?: string[]; config?: SpotConfig['advisor'] } = {}) =>
  advise({
    app: 'etl',
    inputBytes: 64 * GIB,
    baseline,
    pinned: over.pinned ?? [],
    records,
    config: over.config ?? config(),
    adviceIdFactory: () => 'adv',
  });

const limited = (maxExecutorMemoryBytes: number) =>
  config({ cluster: { ...config().cluster, maxExecutorMemoryBytes } });

const raise = (a: ReturnType<typeof ask>) => a.reasons?.find((r) => r.code === 'memory-after-failure');

describe('advisor: more memory per core after a failure partitions do not answer', () => {
  test('a run with smaller tasks failed on as much memory per core: a ×maxStepFactor step over its memory', () => {
    const a = ask([finer, ...history()]);
    assert.equal(a.chosen.executorMemoryBytes, 32 * GIB, JSON.stringify(a.chosen));
    const r = raise(a);
    assert.equal(r?.values.runId, 'run-finer');
    assert.equal(r?.values.perCoreBytes, 8 * GIB);
    assert.match(reasonText(r!), /more partitions do not answer it, so executor memory 32 GiB \(8\.0 GiB per core/);
    // The settings that run are listed, scored, in the chosen one's place after the baseline as it was.
    assert.equal(a.candidates[0]?.settings.executorMemoryBytes, 16 * GIB);
    assert.equal(a.candidates[1]?.settings.executorMemoryBytes, 32 * GIB);
    assert.equal(chosenCandidate(a), a.candidates[1]);
  });

  test('finer partitions failed after coarser ones at an input no larger: raised though this launch is finer still', () => {
    const coarse = failedRun('run-coarse', 21, { inputBytes: 50 * GIB, shuffleWriteBytes: 100 * GIB });
    const tried = failedRun('run-tried', 22, {
      inputBytes: 60 * GIB,
      shuffleWriteBytes: 120 * GIB,
      shufflePartitions: 300,
    });
    const a = ask([tried, coarse, ...history()]);
    // The coarse failure alone takes the partitions up (baseline-failed) and leaves the memory as it was.
    const alone = ask([coarse, ...history()]);
    assert.equal(alone.chosen.shufflePartitions, 400);
    assert.equal(alone.reasons?.find((r) => r.code === 'baseline-failed')?.values.runId, 'run-coarse');
    assert.equal(raise(alone), undefined);
    assert.equal(alone.chosen.executorMemoryBytes, 16 * GIB);
    assert.equal(a.chosen.executorMemoryBytes, 32 * GIB, JSON.stringify(a.chosen));
    assert.equal(raise(a)?.values.coarserRunId, 'run-coarse');
  });

  test('within advisor.cluster.maxExecutorMemoryBytes, and not at all once there', () => {
    const capped = ask([finer, ...history()], { config: limited(24 * GIB) });
    assert.equal(capped.chosen.executorMemoryBytes, 24 * GIB);
    assert.equal(raise(capped)?.values.clusterLimit, true);
    const full = ask([finer, ...history()], { config: limited(16 * GIB) });
    assert.equal(full.chosen.executorMemoryBytes, 16 * GIB);
    assert.equal(raise(full), undefined);
  });

  test('never over a pin (advisor.pinned, --spot-pin, or fill mode keeping it)', () => {
    const a = ask([finer, ...history()], { pinned: ['spark.executor.memory'] });
    assert.equal(a.chosen.executorMemoryBytes, undefined);
    assert.equal(raise(a), undefined);
  });

  test('a failure with larger tasks, on less memory per core, or without spill says nothing of memory here', () => {
    for (const over of [
      { inputBytes: 70 * GIB }, // coarser tasks at a larger input: finer partitions may answer it
      { shufflePartitions: 800, executorMemoryBytes: 8 * GIB }, // less room per task than this launch gives
      { executors: 0, executorCores: 0 },
      // no spill: it failed before its tasks pressed on memory (a bug, a missing input), whatever its tasks' size
      { shufflePartitions: 800, memoryBytesSpilled: 0, diskBytesSpilled: 0 },
    ] satisfies Partial<RunRecord>[]) {
      const a = ask([failedRun('run-failed', 21, over), ...history()]);
      assert.equal(raise(a), undefined, JSON.stringify(over));
      assert.equal(a.chosen.executorMemoryBytes, 16 * GIB, JSON.stringify(over));
    }
  });
});
