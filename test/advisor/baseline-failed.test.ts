import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import type { RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';
import { noisyBaseline, noisyHistory } from './noisy-job.js';

// A job kept on its own settings where a run on them failed: the kept baseline is no run that succeeds, and its
// shuffle partitions follow the shuffle's size even where the runs' spread lets no change within the limit.

const baseline = noisyBaseline;
const history = noisyHistory;

const failedRun = (over: Partial<RunRecord>): RunRecord => ({
  ...history()[0]!,
  id: 'run-failed',
  inputBytes: 62 * GIB,
  shuffleWriteBytes: 124 * GIB,
  succeeded: false,
  endTime: new Date(Date.UTC(2024, 0, 21)).toISOString(),
  adviceId: 'adv-failed',
  ...over,
});

const ask = (records: RunRecord[], inputBytes = 64 * GIB) =>
  advise({ app: 'etl', inputBytes, baseline, pinned: [], records, config: config(), adviceIdFactory: () => 'adv' });

describe('advisor: a baseline that failed', () => {
  test('kept without a failure, the baseline keeps its own partitions: the spread lets no change within the limit', () => {
    const a = ask(history());
    assert.equal(a.reasons?.[0]?.code, 'kept-baseline');
    assert.equal(a.chosen.shufflePartitions, 200);
  });

  test('a run on its settings failed at a smaller input: the partitions for the shuffle size go in', () => {
    const a = ask([failedRun({}), ...history()]);
    assert.ok((a.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(a.chosen));
    assert.equal(a.chosen.executors, baseline.executors);
    const failed = a.reasons?.find((r) => r.code === 'baseline-failed');
    assert.equal(failed?.values.runId, 'run-failed');
  });

  test('a failure that says nothing of the baseline here leaves it as it was', () => {
    // At an input larger than this one by more than this one is larger than the runs that succeeded (58 GiB), or on
    // less memory per core: each gave its tasks more to do, or less room, than the baseline would have here. On 800
    // partitions its tasks were smaller than the 400 within a step give them: no count within reach answers that
    // failure. With no executors it never ran a task.
    for (const over of [
      { inputBytes: 80 * GIB },
      { shufflePartitions: 800 },
      { executorMemoryBytes: 8 * GIB },
      { executors: 0, executorCores: 0 },
    ] satisfies Partial<RunRecord>[]) {
      const a = ask([failedRun(over), ...history()]);
      assert.equal(a.chosen.shufflePartitions, 200, JSON.stringify(over));
      assert.equal(
        a.reasons?.some((r) => r.code === 'baseline-failed'),
        false,
      );
    }
  });

  test('a run on its settings failed at an input a little larger, nearer to this one than the successes: partitions go in', () => {
    // Runs on 200 partitions succeeded up to 58 GiB and failed at 70: 64 GiB lies past the half way mark (63.7 GiB).
    const a = ask([failedRun({ inputBytes: 70 * GIB }), ...history()]);
    assert.ok((a.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(a.chosen));
    assert.equal(a.chosen.executors, baseline.executors);
    const near = a.reasons?.find((r) => r.code === 'baseline-near-failed');
    assert.equal(near?.values.runId, 'run-failed');
    assert.equal(near?.values.goodRunId, 'run-9');
    assert.equal(
      a.reasons?.some((r) => r.code === 'baseline-failed'),
      false,
    );
    // A success at 62 GiB moves the half way mark past this input (65.9 GiB): the baseline is kept as it was.
    const good = { ...history()[0]!, id: 'run-62', inputBytes: 62 * GIB, shuffleWriteBytes: 124 * GIB };
    const kept = ask([failedRun({ inputBytes: 70 * GIB }), good, ...history()]);
    assert.equal(kept.chosen.shufflePartitions, 200);
  });
});
