import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { checkedWhatIf, whatIfRun } from '../../src/advisor/what-if-run.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import type { RawDoc, RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';
import { twoStageDoc, twoStageRecord } from './two-stage-doc.js';

// A job under AQE whose shuffle has one skewed partition: 10 s of driver time, a scan of 80 splits of 128 MiB (2 s
// each), then a shuffle read that AQE coalesced into 15 pieces of 64 MiB (0.5 s each) beside the skewed partition,
// which it left whole: 576 MiB and 4.5 s on 200 configured partitions. The stage ran as long as that task.

const MIB = 1024 ** 2;
const INPUT = 10 * GIB;

/** Its duration on `executors` × 4 cores, with the skewed partition `stragglerMs` long. */
const durationOf = (executors: number, stragglerMs: number) =>
  10_000 + 2000 * Math.ceil(80 / (executors * 4)) + stragglerMs;

function raw(): RawDoc {
  const doc = twoStageDoc({
    id: 'app-fine',
    executors: 10,
    durationMs: durationOf(10, 4_500),
    splits: 80,
    scanTaskMs: 2000,
    scanMs: 4000,
    shuffleMiB: 0,
    shuffleTaskMs: 0,
    shuffleMs: 0,
  });
  const shuffle = (doc.attempts[0] as { stages: Record<string, unknown>[] }).stages[1]!;
  Object.assign(shuffle, {
    numTasks: 16,
    executorRunTime: 15 * 500 + 4_500,
    shuffleReadBytes: 15 * 64 * MIB + 576 * MIB,
    completionTime: new Date(Date.parse(shuffle.submissionTime as string) + 4_500).toISOString(),
    taskMetricsDistributions: { quantiles: [0.5, 1], duration: [504, 4_504], executorRunTime: [500, 4_500] },
  });
  return doc;
}

const record = (i: number, appId: string, executors: number, partitions: number, durationMs: number): RunRecord => ({
  ...twoStageRecord(i, appId, executors, INPUT, durationMs),
  shufflePartitions: partitions,
  adaptiveExecution: true,
  shuffleWriteBytes: 15 * 64 * MIB + 576 * MIB,
});

const fine = record(0, 'app-fine', 10, 200, durationOf(10, 4_500));
/** Runs on 100 configured partitions: the skewed one twice the bytes (9 s), or, a hot key's, as whole as before. */
const coarser = (stragglerMs: number) => [
  record(1, 'app-8', 8, 100, durationOf(8, stragglerMs)),
  record(2, 'app-12', 12, 100, durationOf(12, stragglerMs)),
];

describe('a skewed partition under AQE', () => {
  test("the runs on fewer partitions tell a hot key's whole partition from a hash partition's skew", () => {
    const w = whatIfRun(fine, raw())!;
    const hot = checkedWhatIf(w, [fine, ...coarser(4_500)], INPUT);
    assert.equal(hot.wholeKey, true);
    // The replay taken holds the skewed partition whole at the job's own coarser count.
    const at100 = { executors: 8, executorCores: 4, shufflePartitions: 100 };
    assert.ok(Math.abs(hot.model.predictMs(at100, INPUT) - durationOf(8, 4_500)) < 1e-6);
    const hashed = checkedWhatIf(w, [fine, ...coarser(9_000)], INPUT);
    assert.equal(hashed.wholeKey, false);
    assert.ok(Math.abs(hashed.model.predictMs(at100, INPUT) - durationOf(8, 9_000)) < 1e-6);
    // Runs of another input size carry the replay's error across sizes: no evidence either way.
    const larger = coarser(4_500).map((r) => ({ ...r, inputBytes: 4 * INPUT }));
    assert.equal(checkedWhatIf(w, [fine, ...larger], INPUT).wholeKey, undefined);
    // Runs that ran as near to both replays as to either (here: between them) leave it open too.
    assert.equal(checkedWhatIf(w, [fine, ...coarser(6_750)], INPUT).wholeKey, undefined);
    // No run on fewer partitions: nothing to tell them apart by.
    assert.equal(checkedWhatIf(w, [fine, record(1, 'app-8', 8, 200, durationOf(8, 4_500))], INPUT).wholeKey, undefined);
  });

  test('the advice raises the configured partitions a step for AQE to coalesce, and says why', () => {
    const w = whatIfRun(fine, raw())!;
    const ask = (records: RunRecord[]) =>
      advise({
        app: 'etl',
        inputBytes: INPUT,
        baseline: { executors: 10, executorCores: 4, shufflePartitions: 200 },
        pinned: [],
        records,
        whatIf: w,
        config: config(),
      });
    const a = ask([fine]);
    assert.equal(a.chosen.shufflePartitions, 400, JSON.stringify(a.reasons));
    const why = a.reasons!.find((r) => r.code === 'finer-partitions')!;
    assert.deepEqual(why.values, { runId: fine.id, stages: 1, partitions: 400, baselinePartitions: 200 });
    assert.match(reasonText(why), /at least 400 shuffle partitions \(the job's 200\), for AQE to coalesce/);
    // Once the runs show a hot key, the job's own count stays: a finer cut would not split it.
    const hot = ask([fine, ...coarser(4_500)]);
    assert.ok(!hot.reasons!.some((r) => r.code === 'finer-partitions'), JSON.stringify(hot.reasons));
    assert.notEqual(hot.chosen.shufflePartitions, 400);
    const found = hot.reasons!.find((r) => r.code === 'whole-key')!;
    assert.match(reasonText(found), /a hot key, which more partitions do not split/);
    // A run replayed on a finer cut than the job's own, and no run to tell a hot key: the baseline is priced at the
    // finer count, as fast as the skewed partition ran, not with it grown twice (the limit is measured from it).
    const finer = record(0, 'app-fine', 10, 400, durationOf(10, 4_500));
    const priced = advise({
      app: 'etl',
      inputBytes: INPUT,
      baseline: { executors: 10, executorCores: 4, shufflePartitions: 200 },
      pinned: [],
      records: [finer],
      whatIf: whatIfRun(finer, raw())!,
      config: config(),
    });
    const base = priced.candidates[0]!;
    assert.equal(base.settings.shufflePartitions, 200);
    assert.ok(Math.abs(base.prediction.durationMs - durationOf(10, 4_500)) < 1e-6, String(base.prediction.durationMs));
    // Pinned partitions are never raised.
    const pinned = advise({
      app: 'etl',
      inputBytes: INPUT,
      baseline: { executors: 10, executorCores: 4, shufflePartitions: 200 },
      pinned: ['spark.sql.shuffle.partitions'],
      records: [fine],
      whatIf: w,
      config: config(),
    });
    assert.ok(pinned.chosen.shufflePartitions === undefined || pinned.chosen.shufflePartitions === 200);
  });
});

describe('a skewed partition under AQE on a shuffle bigger than the slots', () => {
  test('no finer count is injected where its coalesced tasks would add a wave the straggler does not cover', () => {
    // 50 × 4 slots; 200 configured partitions of 80 MiB (1 s each) coalesce into no fewer, one of them skewed to
    // 120 MiB (1.5 s, the stage's wall). At 400 AQE makes 250 pieces of 64 MiB: two waves of 0.8 s, longer than
    // the skewed partition: the replay prices the finer count dearer, so the job's own 200 stay.
    const doc = twoStageDoc({
      id: 'app-wide',
      executors: 50,
      durationMs: 10_000 + 2000 + 1500,
      splits: 80,
      scanTaskMs: 2000,
      scanMs: 2000,
      shuffleMiB: 80,
      shuffleTaskMs: 1000,
      shuffleMs: 1500,
    });
    const shuffle = (doc.attempts[0] as { stages: Record<string, unknown>[] }).stages[1]!;
    Object.assign(shuffle, {
      executorRunTime: 199 * 1000 + 1500,
      shuffleReadBytes: 199 * 80 * MIB + 120 * MIB,
      taskMetricsDistributions: { quantiles: [0.5, 1], duration: [1004, 1504], executorRunTime: [1000, 1500] },
    });
    const run = { ...record(0, 'app-wide', 50, 200, 13_500), shuffleWriteBytes: 199 * 80 * MIB + 120 * MIB };
    const a = advise({
      app: 'etl',
      inputBytes: INPUT,
      baseline: { executors: 50, executorCores: 4, shufflePartitions: 200 },
      pinned: ['--num-executors', '--executor-cores'],
      records: [run],
      whatIf: whatIfRun(run, doc)!,
      config: config(),
    });
    assert.ok(a.chosen.shufflePartitions === undefined || a.chosen.shufflePartitions <= 200, JSON.stringify(a.chosen));
    assert.ok(!a.reasons?.some((r) => r.code === 'finer-partitions'), JSON.stringify(a.reasons));
  });
});

describe('a skewed partition without AQE', () => {
  // The same job with AQE off: the shuffle read runs one task per configured partition, 200 of them, 199 of 4 MiB
  // (50 ms each) beside the skewed one of 576 MiB (4.5 s), and the stage ran as long as that task.
  function rawWithoutAqe(): RawDoc {
    const doc = raw();
    const shuffle = (doc.attempts[0] as { stages: Record<string, unknown>[] }).stages[1]!;
    Object.assign(shuffle, {
      numTasks: 200,
      executorRunTime: 199 * 50 + 4_500,
      shuffleReadBytes: 199 * 4 * MIB + 576 * MIB,
      taskMetricsDistributions: { quantiles: [0.5, 1], duration: [54, 4_504], executorRunTime: [50, 4_500] },
    });
    return doc;
  }
  const plain = (r: RunRecord): RunRecord => ({
    ...r,
    adaptiveExecution: false,
    shuffleWriteBytes: 199 * 4 * MIB + 576 * MIB,
  });

  test("the runs on fewer partitions tell a hot key's whole partition from a hash partition's skew", () => {
    const w = whatIfRun(plain(fine), rawWithoutAqe())!;
    const at100 = { executors: 8, executorCores: 4, shufflePartitions: 100 };
    // Unchecked, the replay grows the skewed task with fewer partitions, as a hash partition's skew grows.
    const open = checkedWhatIf(w, [plain(fine)], INPUT);
    assert.equal(open.wholeKey, undefined);
    const grown = open.model.predictMs(at100, INPUT);
    assert.ok(grown > durationOf(8, 8_000), String(grown));
    // Runs on 100 partitions as fast as on 200: a hot key, held whole at the job's coarser count.
    const hot = checkedWhatIf(w, [plain(fine), ...coarser(4_500).map(plain)], INPUT);
    assert.equal(hot.wholeKey, true);
    assert.ok(Math.abs(hot.model.predictMs(at100, INPUT) / durationOf(8, 4_500) - 1) < 0.05);
    // Runs on 100 partitions that took the skewed task twice as long: a hash partition's skew, grown.
    const hashed = checkedWhatIf(w, [plain(fine), ...coarser(9_000).map(plain)], INPUT);
    assert.equal(hashed.wholeKey, false);
    assert.equal(hashed.model.predictMs(at100, INPUT), grown);
  });
});
