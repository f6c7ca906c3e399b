import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { observeAttempt } from '../../models/what-if/observe.js';
import { oneRunWhatIf } from '../../models/what-if/one-run.js';

const MIB = 1024 ** 2;
const iso = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms).toISOString();

/**
 * A run on 10 executors × 4 cores (40 slots): 10 s of driver time, a scan of 80 splits of 128 MiB at 2 s each
 * (2 waves, 4.1 s), a shuffle read of 200 partitions of 5 MiB at 0.5 s each (5 waves, 2.6 s), 0.5 s apart.
 */
function attempt(durationMs = 17_200, scanTaskMs = 2000) {
  const executors = [
    { id: 'driver', totalCores: 0 },
    ...Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), totalCores: 4 })),
  ];
  const stages = [
    {
      status: 'COMPLETE',
      stageId: 0,
      attemptId: 0,
      numTasks: 80,
      executorRunTime: 80 * scanTaskMs,
      inputBytes: 80 * 128 * MIB,
      shuffleReadBytes: 0,
      submissionTime: iso(5_000),
      completionTime: iso(9_100),
    },
    {
      status: 'COMPLETE',
      stageId: 1,
      attemptId: 0,
      numTasks: 200,
      executorRunTime: 200 * 500,
      inputBytes: 0,
      shuffleReadBytes: 200 * 5 * MIB,
      submissionTime: iso(9_600),
      completionTime: iso(12_200),
    },
    // A failed attempt of stage 1 before the one that completed: only the latest counts.
    {
      status: 'FAILED',
      stageId: 1,
      attemptId: 1,
      numTasks: 200,
      executorRunTime: 1,
      inputBytes: 0,
      shuffleReadBytes: 1,
      submissionTime: iso(9_100),
      completionTime: iso(9_500),
    },
  ];
  return { startTime: iso(0), duration: durationMs, allexecutors: executors, stages };
}

describe('one-run what-if', () => {
  test('reads the latest completed attempt of each stage and the task slots of the executors', () => {
    const run = observeAttempt(attempt())!;
    assert.equal(run.slots, 40);
    assert.equal(run.stages.length, 2);
    assert.equal(run.stages[1]!.numTasks, 200);
  });

  test('self-error at the observed settings, driver time held constant', () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    // Driver-only time: 17.2 s − 4.1 s − 2.6 s = 10.5 s; the replay gives back the run's own duration.
    assert.ok(Math.abs(w.driverMs - 10_500) < 1e-6, String(w.driverMs));
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    // Scan tasks of 2.5 s cannot fit 2 waves in 4.1 s (uneven tasks, slots lost): the replay says 18.1 s for 17.2 s.
    const off = oneRunWhatIf(observeAttempt(attempt(17_200, 2500))!, { shufflePartitions: 200, adaptive: false });
    assert.ok(Math.abs(off.selfError - (18_100 / 17_200 - 1)) < 1e-9, String(off.selfError));
  });

  test("a shuffle that ran another count than the configured partitions keeps its own: the job's code set it", () => {
    // 200 tasks where spark.sql.shuffle.partitions said 1,000 (an RDD's partitioner, a coalesce before a write):
    // replayed at 1,000 its waves would shrink five-fold, at its own settings too.
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 1000, adaptive: false });
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    const input = 80 * 128 * MIB;
    const at = (partitions: number) =>
      w.predictMs({ executors: 10, executorCores: 4, shufflePartitions: partitions }, input);
    assert.equal(at(2000), at(1000));
    // Under AQE, which only merges, a count above the configured one is the job's own too; one below is AQE's, and
    // follows the count asked for (50: bigger pieces).
    const aqe = (configured: number) =>
      oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: configured, adaptive: true }).predictMs(
        { executors: 10, executorCores: 4, shufflePartitions: 50 },
        input,
      );
    assert.ok(Math.abs(aqe(100) - 17_200) < 1e-6, String(aqe(100)));
    assert.ok(Math.abs(aqe(400) - 17_200) > 1_000, String(aqe(400)));
  });

  test('half the slots: twice the waves of each stage; the driver time stays', () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    const input = 80 * 128 * MIB;
    const at = (executors: number, partitions = 200) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: partitions }, input);
    assert.ok(Math.abs(at(10) - 17_200) < 1e-6);
    // 20 slots: scan 4 waves × 2 s + 0.1 s, shuffle 10 waves × 0.5 s + 0.1 s.
    assert.ok(Math.abs(at(5) - (10_500 + 8_100 + 5_100)) < 1e-6, String(at(5)));
    // More slots than tasks: one wave each; Spark splits the scan finer to use the slots.
    assert.ok(at(100) < at(10));
    // Half the input: half the scan splits' waves, half each shuffle task.
    assert.ok(
      Math.abs(
        w.predictMs({ executors: 10, executorCores: 4, shufflePartitions: 200 }, input / 2) -
          (10_500 + 2_100 + 5 * 250 + 100),
      ) < 1e-6,
    );
  });

  test('a task count estimated just under a full wave: the margin counts the next wave, the point does not', () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    const on = (executors: number) => ({ executors, executorCores: 4, shufflePartitions: 200 });
    // 119.5 blocks: 120 splits, one wave on 30 executors' 120 slots; 1% more is 121 splits, a second wave of one
    // task of the estimated split's time.
    const input = 119.5 * 128 * MIB;
    const extra = w.marginMs(on(30), input) - w.predictMs(on(30), input);
    assert.ok(Math.abs(extra - (2000 * 119.5) / 120) < 1e-6, String(extra));
    // Far from a wave's edge (120 or 121 splits are two waves on 100 slots) the margin changes nothing.
    assert.equal(w.marginMs(on(25), input), w.predictMs(on(25), input));
    // At its own run's input the counts are the run's own: 80 splits, one wave on 80 slots.
    assert.equal(w.marginMs(on(20), 80 * 128 * MIB), w.predictMs(on(20), 80 * 128 * MIB));
  });

  test('a task count estimated just above a full wave: the low margin drops the extra wave, the point does not', () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    const on = (executors: number) => ({ executors, executorCores: 4, shufflePartitions: 200 });
    // 120.5 blocks: 121 splits, two waves on 30 executors' 120 slots; 1% fewer is 120 splits, one wave.
    const input = 120.5 * 128 * MIB;
    const saved = w.predictMs(on(30), input) - w.lowMarginMs(on(30), input);
    assert.ok(Math.abs(saved - (2000 * 120.5) / 121) < 1e-6, String(saved));
    // Far from a wave's edge the low margin changes nothing, nor at the run's own input.
    assert.equal(w.lowMarginMs(on(25), input), w.predictMs(on(25), input));
    assert.equal(w.lowMarginMs(on(20), 80 * 128 * MIB), w.predictMs(on(20), 80 * 128 * MIB));
  });

  test('time a shuffle read spent beyond its waves is held as it ran, with bigger tasks or smaller', () => {
    // The shuffle read as 200 partitions of 32 MiB at 0.5 s (5 waves, 2.5 s) that ran 6.5 s: 4 s beyond its waves.
    const a = attempt(21_100);
    Object.assign(a.stages[1]!, { shuffleReadBytes: 200 * 32 * MIB, completionTime: iso(16_100) });
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    const at = (partitions: number) =>
      w.predictMs({ executors: 10, executorCores: 4, shufflePartitions: partitions }, 80 * 128 * MIB);
    assert.ok(Math.abs(at(200) - 21_100) < 1e-6, String(at(200)));
    // 100 partitions of 64 MiB: 3 waves of 1 s, and the 4 s as they were.
    assert.ok(Math.abs(at(100) - (10_500 + 4_100 + 3_000 + 4_000)) < 1e-6, String(at(100)));
    // 400 partitions of 16 MiB: 10 waves of 0.25 s, and the 4 s kept.
    assert.ok(Math.abs(at(400) - 21_100) < 1e-6, String(at(400)));
  });

  test("a straggler the stage's task summary shows runs beside the waves and grows with its partition", () => {
    // The shuffle read's 200 tasks: 199 of 0.5 s and one of 4.5 s (a skewed partition). It ran 4.5 s, the
    // straggler's time; its 5 waves of the others took 2.5 s beside it.
    const a = attempt(19_100);
    Object.assign(a.stages[1]!, {
      executorRunTime: 199 * 500 + 4_500,
      completionTime: iso(14_100),
      taskMetricsDistributions: { quantiles: [0.5, 1], duration: [504, 4_504], executorRunTime: [500, 4_500] },
    });
    const run = observeAttempt(a)!;
    assert.equal(run.stages[1]!.longestTaskMs, 4_500);
    const w = oneRunWhatIf(run, { shufflePartitions: 200, adaptive: false });
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    assert.equal(w.params.stragglerStages, 1);
    assert.match(w.describe(), /; 1 stage as long as its longest task;/);
    const at = (executors: number, partitions = 200) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: partitions }, 80 * 128 * MIB);
    // Half the slots: 10 waves of 0.5 s outlast the straggler by 0.5 s (the scan's 4 waves: 8.1 s).
    assert.ok(Math.abs(at(5) - (10_500 + 8_100 + 5_000)) < 1e-6, String(at(5)));
    // 100 partitions: every task twice the bytes, the straggler too (9 s beside 3 waves of 1 s).
    assert.ok(Math.abs(at(10, 100) - (10_500 + 4_100 + 9_000)) < 1e-6, String(at(10, 100)));
    // 400 partitions halve the others (10 waves of 0.25 s) but not for sure the straggler: a hot key's partition
    // stays whole, 4.5 s.
    assert.ok(Math.abs(at(10, 400) - 19_100) < 1e-6, String(at(10, 400)));
    // The same straggler ending 2 s later (it began 2 s into the stage, late in the task order): with twice the
    // waves before it, it begins twice as late: 4 s + 4.5 s. More slots never make it begin sooner.
    const late = attempt(21_100);
    Object.assign(late.stages[1]!, { ...a.stages[1], completionTime: iso(16_100) });
    const lw = oneRunWhatIf(observeAttempt(late)!, { shufflePartitions: 200, adaptive: false });
    const lateAt = (executors: number) =>
      lw.predictMs({ executors, executorCores: 4, shufflePartitions: 200 }, 80 * 128 * MIB);
    assert.ok(Math.abs(lateAt(5) - (10_500 + 8_100 + 8_500)) < 1e-6, String(lateAt(5)));
    // Twice the slots: 3 waves of 0.5 s, the straggler still 2 s in (the scan in one wave: 2.1 s).
    assert.ok(Math.abs(lateAt(20) - (10_500 + 2_100 + 6_500)) < 1e-6, String(lateAt(20)));
    // Without the summary, the same run's mean task (0.52 s) leaves 1.9 s beyond its waves, held as it ran: 10
    // waves of 0.52 s and the 1.9 s.
    delete (a.stages[1] as { taskMetricsDistributions?: unknown }).taskMetricsDistributions;
    const blind = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    const blindAt = blind.predictMs({ executors: 5, executorCores: 4, shufflePartitions: 200 }, 80 * 128 * MIB);
    assert.ok(Math.abs(blindAt - (10_500 + 8_100 + 5_200 + 1_900)) < 1e-6, String(blindAt));
  });

  test('under AQE a straggler over the advisory size is one configured partition: fewer make it bigger', () => {
    // 200 configured partitions of 1.5 GiB: AQE merged 199 of them into 15 pieces of 64 MiB (0.5 s each) and left
    // the skewed one, 576 MiB (4.5 s), whole. The stage ran as long as that task.
    const a = attempt(19_100);
    Object.assign(a.stages[1]!, {
      numTasks: 16,
      executorRunTime: 15 * 500 + 4_500,
      shuffleReadBytes: 15 * 64 * MIB + 576 * MIB,
      completionTime: iso(14_100),
      taskMetricsDistributions: { quantiles: [0.5, 1], duration: [504, 4_504], executorRunTime: [500, 4_500] },
    });
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: true });
    const input = 80 * 128 * MIB;
    const at = (partitions: number, bytes = input) =>
      w.predictMs({ executors: 10, executorCores: 4, shufflePartitions: partitions }, bytes);
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    // 100 configured partitions make it twice the bytes: 9 s (the others stay in one wave of 64 MiB pieces).
    assert.ok(Math.abs(at(100) - (10_500 + 4_100 + 9_000)) < 1e-6, String(at(100)));
    // 400 would split it in two, were it no hot key's: more are not counted on, it stays 4.5 s.
    assert.ok(Math.abs(at(400) - 19_100) < 1e-6, String(at(400)));
    // Twice the input: it is twice the bytes, 9 s, however many more pieces AQE cuts the others into (the scan: 4
    // waves of 2 s and its 0.1 s).
    assert.ok(Math.abs(at(200, 2 * input) - (10_500 + 8_100 + 9_000)) < 1e-6, String(at(200, 2 * input)));
    // The stage's time was that task, a whole partition: a finer initial cut is worth trying (advisor/candidates.ts).
    assert.equal(w.wholePartitionStages, 1);
    assert.equal(w.wholePartitionStragglers, 1);
    // A hot key's partition is whole at any count: fewer partitions do not grow it either.
    const hot = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: true, wholeKey: true });
    const hotAt = (partitions: number, bytes = input) =>
      hot.predictMs({ executors: 10, executorCores: 4, shufflePartitions: partitions }, bytes);
    assert.ok(Math.abs(hotAt(100) - 19_100) < 1e-6, String(hotAt(100)));
    // It still grows with the input: the key's share of a larger shuffle.
    assert.ok(Math.abs(hotAt(200, 2 * input) - at(200, 2 * input)) < 1e-6);
    // Without AQE every task is a configured partition: nothing to coalesce, no finer cut counted.
    const off = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    assert.equal(off.wholePartitionStragglers, 0);
  });

  test("the largest shuffle read, where the summary tells it, is the straggler's size: a slow task is no partition", () => {
    // The same stage shape, but the summary says the largest task read 62 MiB: its 4.5 s were its node's, not a
    // partition AQE left whole over the 64 MiB advisory size.
    const a = attempt(19_100);
    const summary = { quantiles: [0.5, 1], duration: [504, 4_504], executorRunTime: [500, 4_500] };
    Object.assign(a.stages[1]!, {
      numTasks: 16,
      executorRunTime: 15 * 500 + 4_500,
      shuffleReadBytes: 15 * 64 * MIB + 62 * MIB,
      completionTime: iso(14_100),
      taskMetricsDistributions: { ...summary, shuffleReadMetrics: { readBytes: [64 * MIB, 62 * MIB] } },
    });
    const slow = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: true });
    assert.equal(slow.wholePartitionStragglers, 0);
    assert.equal(slow.wholePartitionStages, 0);
    // The same time with a 576 MiB read: one whole partition, as when only the time told it.
    Object.assign(a.stages[1]!, {
      taskMetricsDistributions: { ...summary, shuffleReadMetrics: { readBytes: [64 * MIB, 576 * MIB] } },
    });
    const whole = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: true });
    assert.equal(whole.wholePartitionStragglers, 1);
  });

  test("under AQE a shuffle read's coalesced task count keeps the same margin", () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: true });
    const s = { executors: 4, executorCores: 4, shufflePartitions: 200 };
    // At 1.0176× the run's input the shuffle reads 15.9 advisory pieces of 64 MiB: 16 tasks, one wave on 16 slots;
    // 1% more is 17 tasks and a second wave. The scan's 82 or 83 splits run 6 waves either way.
    const input = 80 * 128 * MIB * 1.0176;
    assert.ok(w.marginMs(s, input) > w.predictMs(s, input) * 1.05);
    // With AQE off the configured count is no estimate.
    const off = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    assert.equal(off.marginMs({ ...s, executors: 8 }, input), off.predictMs({ ...s, executors: 8 }, input));
  });

  test("a scan's task count follows the split size its own run showed, not its bytes read", () => {
    // The same run, but each of its 80 scan tasks read 256 MiB (an input read twice): Spark's splits were 128 MiB
    // of files, so at 60 slots the 80 splits still run as 2 waves of 2 s (not 160 half-size tasks in 3 waves).
    const a = attempt();
    a.stages[0]!.inputBytes = 80 * 256 * MIB;
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    const p = w.predictMs({ executors: 15, executorCores: 4, shufflePartitions: 200 }, 80 * 256 * MIB);
    assert.ok(Math.abs(p - (10_500 + 2 * 2000 + 100 + 4 * 500 + 100)) < 1e-6, String(p));
  });

  test("a scan's partial last split is no sign of a smaller split size", () => {
    // 193 splits of 24.1 GiB (192 full blocks and a partial one) on 72 slots: Spark's own 128 MiB sizing. A 20 GiB
    // input is then 160 splits, two waves on 80 slots, not 161 splits in three.
    const a = attempt();
    const bytes = 24.1 * 1024 * MIB;
    Object.assign(a.stages[0]!, { numTasks: 193, executorRunTime: 193 * 2000, inputBytes: bytes });
    a.allexecutors = [
      { id: 'driver', totalCores: 0 },
      ...Array.from({ length: 9 }, (_, i) => ({ id: String(i + 1), totalCores: 8 })),
    ];
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false, inputBytes: bytes });
    const at = (executors: number) =>
      w.predictMs({ executors, executorCores: 8, shufflePartitions: 200 }, 20 * 1024 * MIB);
    // 80 slots read the 160 splits in 2 waves of 2 s, 64 slots in 3; the shuffle's 200 tasks of 0.41 s take 3 and 4
    // waves. The cut from 10 executors to 8 costs 2.4 s, not the shuffle's wave alone.
    assert.ok(Math.abs(at(8) - at(10) - 2418) < 5, `${at(8)} − ${at(10)}`);
  });

  test('executors that registered one after another before the first stage: fewer would have begun it sooner', () => {
    // The 10 executors registered 0.5 s apart, the last as stage 0 began at 5 s; one added later (dynamic
    // allocation) held nothing up.
    const run = observeAttempt({
      ...attempt(),
      allexecutors: [
        { id: 'driver', totalCores: 0, addTime: iso(0) },
        ...Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), totalCores: 4, addTime: iso(500 + 500 * i) })),
        { id: '11', totalCores: 0, addTime: iso(20_000) },
      ],
    })!;
    assert.deepEqual(run.startup, { executors: 10, msPerExecutor: 500 });
    const w = oneRunWhatIf(run, { shufflePartitions: 200, adaptive: false });
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    const at = (executors: number) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: 200 }, 80 * 128 * MIB);
    // 5 executors: 2.5 s less start-up, twice the waves (scan 4 × 2 s + 0.1 s, shuffle 10 × 0.5 s + 0.1 s).
    assert.ok(Math.abs(at(5) - (10_500 - 2_500 + 8_100 + 5_100)) < 1e-6, String(at(5)));
    // Registered together, as in the other tests: no start-up term.
    assert.equal(observeAttempt(attempt())!.startup.msPerExecutor, 0);
  });

  test('a scan Spark cut into fewer splits than the slots allow was held by its files: its count follows the input', () => {
    // 3 tasks of 100 MiB on 40 slots, where Spark's sizing would cut 300 MiB into 40 splits: unsplittable files.
    const a = attempt(15_200);
    Object.assign(a.stages[0]!, {
      numTasks: 3,
      executorRunTime: 3 * 2000,
      inputBytes: 300 * MIB,
      completionTime: iso(7_100),
    });
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    assert.ok(w.selfError < 1e-9, String(w.selfError));
    const at = (executors: number, bytes: number) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: 200 }, bytes);
    // Twice the slots read the 3 files no faster: only the shuffle's 200 tasks of 0.5 s go from 5 waves to 3.
    assert.ok(Math.abs(at(10, 300 * MIB) - at(20, 300 * MIB) - 1000) < 1e-6, `${at(10, 300 * MIB)}`);
    // Twice the input is 6 files, still one wave of 2 s; the shuffle's tasks are twice as long.
    assert.ok(Math.abs(at(10, 600 * MIB) - at(10, 300 * MIB) - 2500) < 1e-6, String(at(10, 600 * MIB)));
  });

  test('a scan planned before all its executors registered is no sign of unsplittable files', () => {
    // 32 tasks of 120 MiB on 40 slots: Spark sized the splits for the 32 cores registered when it planned the scan.
    // More executors cut the input finer and read it sooner.
    const a = attempt(17_200 - 2000 - 2000 + 3000);
    Object.assign(a.stages[0]!, {
      numTasks: 32,
      executorRunTime: 32 * 3000,
      inputBytes: 32 * 120 * MIB,
      completionTime: iso(8_100),
    });
    const w = oneRunWhatIf(observeAttempt(a)!, { shufflePartitions: 200, adaptive: false });
    const at = (executors: number) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: 200 }, 32 * 120 * MIB);
    assert.ok(at(20) < at(10) - 1000, `${at(20)} vs ${at(10)}`);
  });

  test('a scan that just filled the slots takes its split size from the input size given at launch', () => {
    // 40 scan tasks on 40 slots read 2 × the launch's input L (an input read twice). Spark split L's files, so at
    // 60 slots it cuts L / 60 per task: one wave of 60 tasks of 4/3 s, not two waves of 80 tasks of 1 s.
    const a = attempt();
    const launch = 40 * 128 * MIB;
    Object.assign(a.stages[0]!, { numTasks: 40, executorRunTime: 40 * 2000, inputBytes: 2 * launch });
    const run = observeAttempt(a)!;
    const opts = { shufflePartitions: 200, adaptive: false };
    const at = { executors: 15, executorCores: 4, shufflePartitions: 200 };
    const told = oneRunWhatIf(run, { ...opts, inputBytes: launch }).predictMs(at, launch);
    const blind = oneRunWhatIf(run, opts).predictMs(at, 2 * launch);
    assert.ok(Math.abs(blind - told - (2000 - 4000 / 3)) < 1e-6, `${blind} − ${told}`);
  });

  test('an input cut finer for the slots fills them in one wave, never one split more', () => {
    // Spark spreads the input's length plus its open cost over the slots, so no input size leaves a sliver of a
    // split for a second wave: with more slots than 128 MiB splits, one more executor is never slower.
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: false });
    const at = (executors: number, gib: number) =>
      w.predictMs({ executors, executorCores: 4, shufflePartitions: 200 }, gib * 1024 * MIB);
    const slower: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const gib = 1 + i * 0.00599;
      for (let e = 24; e < 28; e++) if (at(e + 1, gib) > at(e, gib) * (1 + 1e-9)) slower.push(`${gib} GiB ${e + 1}×4`);
    }
    assert.deepEqual(slower, []);
  });

  test('AQE coalesces a small shuffle into advisory-size pieces', () => {
    const w = oneRunWhatIf(observeAttempt(attempt())!, { shufflePartitions: 200, adaptive: true });
    const input = 80 * 128 * MIB;
    // 1000 MiB of shuffle read → 16 pieces of 64 MiB: one wave on 40 slots, each 12.8× a 5 MiB task.
    const p = w.predictMs({ executors: 10, executorCores: 4, shufflePartitions: 200 }, input);
    assert.ok(Math.abs(p - (10_500 + 4_100 + (1000 / 16 / 5) * 500 + 100)) < 1e-6, String(p));
  });

  test('an attempt without stages or executors is not modelled', () => {
    assert.equal(observeAttempt({ startTime: iso(0), duration: 1000, allexecutors: [], stages: [] }), undefined);
  });
});
