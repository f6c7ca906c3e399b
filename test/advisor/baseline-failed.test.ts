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
  test('kept without a failure, the baseline keeps its own partitions where runs on them gave tasks as much', () => {
    // The spread lets no change within the limit; runs on 200 partitions succeeded up to 58 GiB.
    const a = ask(history(), 56 * GIB);
    assert.equal(a.reasons?.[0]?.code, 'kept-baseline');
    assert.equal(a.chosen.shufflePartitions, 200);
  });

  test('past what its partitions ran, the count for the shuffle size goes in: priced as the baseline, no riskier', () => {
    // A fit blind to the partition count prices the finer count as the baseline; the runs' spread alone put its high
    // end over the limit, and the baseline ran tasks larger than any that had succeeded.
    const a = ask(history());
    assert.equal(a.reasons?.[0]?.code, 'kept-baseline');
    assert.ok((a.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(a.chosen));
    assert.equal(a.chosen.executors, baseline.executors);
    assert.ok(a.reasons?.some((r) => r.code === 'partitions-with-baseline'));
    // Under a limit no change of the executors could meet, the same.
    const strict = advise({
      app: 'etl',
      inputBytes: 64 * GIB,
      baseline,
      pinned: [],
      records: history(),
      config: config({ maxSlowdown: 1 }),
      adviceIdFactory: () => 'adv',
    });
    assert.ok((strict.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(strict.chosen));
  });

  test('a run on its settings failed at a smaller input: the partitions for the shuffle size go in', () => {
    const a = ask([failedRun({}), ...history()]);
    assert.ok((a.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(a.chosen));
    assert.equal(a.chosen.executors, baseline.executors);
    const failed = a.reasons?.find((r) => r.code === 'baseline-failed');
    assert.equal(failed?.values.runId, 'run-failed');
  });

  test('a failure that says nothing of the baseline here leaves it as it was', () => {
    // On less memory per core it gave its tasks less room than the baseline would have here. On 800 partitions its
    // tasks were smaller than the 400 within a step give them, and smaller than runs that succeeded: it failed for
    // another reason. With no executors it never ran a task.
    for (const over of [
      { shufflePartitions: 800 },
      { executorMemoryBytes: 8 * GIB },
      { executors: 0, executorCores: 0 },
    ] satisfies Partial<RunRecord>[]) {
      // At 56 GiB, within what runs on 200 partitions succeeded at.
      const a = ask([failedRun(over), ...history()], 56 * GIB);
      assert.equal(a.chosen.shufflePartitions, 200, JSON.stringify(over));
      assert.equal(
        a.reasons?.some((r) => r.code === 'baseline-failed'),
        false,
      );
    }
  });

  test('a run on its settings failed at an input a little larger, past the successes: partitions go in', () => {
    // Runs on 200 partitions succeeded up to 58 GiB and failed at 70: at 64 GiB the failure's bound is unknown.
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
    // So at 80 GiB, farther from 64 GiB than the successes are: only what succeeded is known to.
    const far = ask([failedRun({ inputBytes: 80 * GIB }), ...history()]);
    assert.ok((far.chosen.shufflePartitions ?? 0) > 200, JSON.stringify(far.chosen));
    // A success at 64 GiB on the baseline's settings shows it: the baseline is kept as it was.
    const good = { ...history()[0]!, id: 'run-64', inputBytes: 64 * GIB, shuffleWriteBytes: 128 * GIB };
    const kept = ask([failedRun({ inputBytes: 70 * GIB }), good, ...history()]);
    assert.equal(kept.chosen.shufflePartitions, 200);
  });
});
