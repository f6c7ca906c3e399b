import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import {
  baselineReplay,
  thinWhatIfCandidate,
  whatIfCandidate,
  whatIfContest,
  whatIfRun,
} from '../../src/advisor/what-if-run.js';
import { NOISE_FLOOR } from '../../src/advisor/explore.js';
import type { Model } from '../../models/types.js';
import { historyInputs } from '../../src/advisor/job-history.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import type { RawDoc, RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';
import { iso, twoStageDoc, twoStageRecord } from './two-stage-doc.js';

/**
 * A job whose truth is waves: 10 s of driver time, a scan of splits of 128 MiB at 2 s each (320 of them at 40 GiB),
 * then 200 shuffle tasks of 0.5 s at 40 GiB, in proportion to the input. Duration on m slots (at least one block per
 * slot): 10 + 2·⌈8·GiB/m⌉ + 0.5·(GiB/40)·⌈200/m⌉ s.
 */
const truth = (m: number, gib = 40) =>
  1000 * (10 + 2 * Math.ceil((8 * gib) / m) + 0.5 * (gib / 40) * Math.ceil(200 / m));

/** The app of a run on this many executors: `app-20`, or `app-20-80` for another input size than 40 GiB. */
const appOf = (executors: number, gib: number) => `app-${executors}${gib === 40 ? '' : `-${gib}`}`;

function raw(executors: number, gib = 40): RawDoc {
  const m = executors * 4;
  const splits = Math.ceil(8 * gib);
  const taskMs = 500 * (gib / 40);
  return twoStageDoc({
    id: appOf(executors, gib),
    executors,
    durationMs: truth(m, gib),
    splits,
    scanTaskMs: 2000,
    scanMs: 2000 * Math.ceil(splits / m),
    shuffleMiB: 5 * (gib / 40),
    shuffleTaskMs: taskMs,
    shuffleMs: taskMs * Math.ceil(200 / m),
  });
}

const record = (i: number, executors: number, gib = 40): RunRecord =>
  twoStageRecord(i, appOf(executors, gib), executors, gib * GIB, truth(executors * 4, gib));

describe('the one-run what-if in the advisor', () => {
  const records = [record(0, 40), record(1, 30), record(2, 20), record(3, 35), record(4, 25)];

  test("replays its run at the baseline's settings, what that run would have taken on them", () => {
    const w = whatIfRun(record(2, 20), raw(20))!;
    const base = { executors: 40, executorCores: 4, shufflePartitions: 200 };
    const replay = baselineReplay(w, base, [])!;
    assert.equal(replay.runId, 'app-20-0');
    assert.ok(Math.abs(replay.baselineMs - truth(160)) < 1, `${replay.baselineMs} for ${truth(160)}`);
    // Runs near the baseline's cores that took longer than the replay says hold it up to what they took; faster
    // ones, or slower runs far from the baseline's cores, leave it as replayed.
    const slowAt = (executors: number, factor: number) => ({
      ...record(5, executors),
      durationMs: factor * truth(executors * 4),
    });
    const near = baselineReplay(w, base, [slowAt(40, 1.3), slowAt(36, 1.3), record(2, 20)])!;
    assert.ok(Math.abs(near.baselineMs / truth(160) - 1.3) < 0.01, `${near.baselineMs} for ${1.3 * truth(160)}`);
    for (const others of [[slowAt(40, 0.8)], [slowAt(30, 1.3)], [{ ...slowAt(40, 1.3), shufflePartitions: 100 }]])
      assert.ok(Math.abs(baselineReplay(w, base, others)!.baselineMs - truth(160)) < 1);
    // A replay that misses its own run (stages covering more wall time than it took) says nothing of the baseline.
    const doc = raw(20);
    (doc.attempts[0] as unknown as { duration: number }).duration = 2_500;
    const off = whatIfRun({ ...record(2, 20), durationMs: 2_500 }, doc)!;
    assert.equal(baselineReplay(off, { executors: 40, executorCores: 4 }, []), undefined);
  });

  test('replays the most recent run of a similar size, once enough others can check it', () => {
    assert.equal(whatIfCandidate(records, 40 * GIB)?.id, 'app-40-0');
    assert.equal(whatIfCandidate(records.slice(0, 2), 40 * GIB), undefined, 'one other run cannot check it');
  });

  test('with too few runs of this size to check it on, the crawled run nearest in size is replayed', () => {
    // The larger inputs ran on more executors: 80 GiB twice, then 40 GiB; a 20 GiB launch has one run within 2×.
    const mixed = [record(0, 20, 40), record(1, 30, 80), record(2, 40, 80)];
    assert.equal(whatIfCandidate(mixed, 20 * GIB)?.id, 'app-20-0', 'the nearest size, not the most recent');
    assert.equal(whatIfCandidate([record(0, 40, 80), ...mixed], 20 * GIB)?.id, 'app-20-0');
    assert.equal(whatIfCandidate(mixed.slice(0, 2), 20 * GIB), undefined, 'one other run cannot check it');
    assert.equal(whatIfCandidate([{ ...mixed[0]!, source: 'import' }, ...mixed.slice(1)], 20 * GIB)?.id, 'app-30-80-0');
    assert.equal(whatIfCandidate(records, 400 * GIB)?.id, 'app-40-0', 'no run of a similar size: the nearest');
  });

  test('checked on runs of other sizes when too few of this size, it answers for a cut across a wave cliff', () => {
    // 20 GiB is 160 blocks: one wave on the baseline's 160 slots, two on any fewer. Three runs give a cross-run fit
    // no wave to count; the replay of the 40 GiB run's stages counts them, and matches the 80 GiB runs exactly.
    const mixed = [record(0, 20, 40), record(1, 30, 80), record(2, 40, 80)];
    const w = whatIfRun(mixed[0]!, raw(20, 40))!;
    const baseline = { executors: 40, executorCores: 4 };
    const a = advise({
      app: 'etl',
      inputBytes: 20 * GIB,
      baseline,
      pinned: [],
      records: mixed,
      whatIf: w,
      config: config(),
    });
    const why = a.reasons!.find((r) => r.code === 'what-if')!;
    assert.equal(why.values.runId, 'app-20-0');
    assert.ok((why.values.error as number) < 0.01, JSON.stringify(why.values));
    assert.equal(why.values.anySize, true);
    assert.match(reasonText(why), /off the other runs of any size \(too few of this size\)/);
    assert.equal(a.model?.name, 'what-if/one-run');
    const m = (a.chosen.executors ?? 40) * 4;
    assert.ok(truth(m, 20) <= 1.1 * truth(160, 20), `${m} slots: ${truth(m, 20)} ms against ${truth(160, 20)} ms`);
  });

  test('competes with the cross-run fit by its error on the other runs of this size, and wins on a job made of waves', () => {
    const w = whatIfRun(records[0]!, raw(40))!;
    const a = advise({
      app: 'etl',
      inputBytes: 40 * GIB,
      baseline: { executors: 40, executorCores: 4 },
      pinned: [],
      records,
      whatIf: w,
      config: config(),
    });
    const why = a.reasons!.find((r) => r.code === 'what-if')!;
    assert.equal(why.values.runId, 'app-40-0');
    assert.ok((why.values.selfError as number) < 1e-9);
    assert.ok((why.values.error as number) < 1e-9, JSON.stringify(why.values));
    assert.equal(a.model?.name, 'what-if/one-run');
    // It sees the wave cliffs: the chosen setting is no slower than the limit allows in truth.
    const m = a.chosen.executors! * 4;
    assert.ok(truth(m) <= 1.1 * truth(160), `${m} slots: ${truth(m)} ms`);
  });

  test('wins a contest the noise cannot decide: both errors under the noise floor', () => {
    // The other runs took 3% longer than their stages say (their own noise): the replay is 3% off them.
    const slower = (by: number) => records.map((r, i) => (i === 0 ? r : { ...r, durationMs: r.durationMs * by }));
    const w = whatIfRun(records[0]!, raw(40))!;
    const crossRun = (validationError: number) => ({ name: 'ernest/relative', validationError }) as Model;
    const replayError = (by: number) => whatIfContest(crossRun(0), w, slower(by), 40 * GIB).values.error as number;
    assert.ok(Math.abs(replayError(1.03) - 0.03 / 1.03) < 1e-6 && replayError(1.03) < NOISE_FLOOR);
    assert.ok(replayError(1.06) > NOISE_FLOOR);
    // Lower than the fit's, or both under the floor: the replay answers. Above the floor, only a lower error wins.
    assert.equal(whatIfContest(crossRun(0.05), w, slower(1.03), 40 * GIB).wins?.name, 'what-if/one-run');
    assert.equal(whatIfContest(crossRun(0.01), w, slower(1.03), 40 * GIB).wins?.name, 'what-if/one-run');
    assert.equal(whatIfContest(crossRun(0.01), w, slower(1.06), 40 * GIB).wins, undefined);
    assert.equal(whatIfContest(crossRun(0.07), w, slower(1.06), 40 * GIB).wins?.name, 'what-if/one-run');
    // Checked on runs of other sizes only, its error is the replay's reach across sizes: only a lower error wins.
    const mixed = [record(0, 20, 40), record(1, 30, 80), record(2, 40, 80)].map((r, i) =>
      i === 0 ? r : { ...r, durationMs: r.durationMs * 1.03 },
    );
    const far = whatIfContest(crossRun(0.01), whatIfRun(mixed[0]!, raw(20, 40))!, mixed, 20 * GIB);
    assert.equal(far.values.anySize, true);
    assert.ok((far.values.error as number) < NOISE_FLOOR && (far.values.error as number) > 0.01);
    assert.equal(far.wins, undefined);
  });

  test('with too little history to fit a model, the latest crawled run is replayed whatever its size', async () => {
    assert.equal(thinWhatIfCandidate(records.slice(0, 2), 3)?.id, 'app-40-0');
    assert.equal(thinWhatIfCandidate(records, 3), undefined, 'enough runs to fit a model');
    assert.equal(thinWhatIfCandidate([{ ...records[0]!, source: 'import' }], 3), undefined, 'no stages to replay');
    const read: string[] = [];
    const store = {
      getRaw: async (id: string) => {
        read.push(id);
        return raw(40);
      },
    };
    const history = { records: records.slice(0, 1), launched: [] };
    const thin = await historyInputs(store, history, 4 * GIB, 3);
    assert.equal(thin.whatIf?.runId, 'app-40-0');
    assert.deepEqual(read, ['app-40']);
    assert.equal((await historyInputs(store, history, undefined, 3)).whatIf, undefined, 'no size, nothing to replay');
  });

  test('a thin history with a run to replay is advised by the replay, never across a wave cliff', () => {
    // One run of the waves job, 40 × 4: the blind rule would cut to 32 executors, where the scan's 320 splits
    // take three waves instead of two (17 s against 15 s, 1.13×). The replay sees the cliff.
    const a = advise({
      app: 'etl',
      inputBytes: 40 * GIB,
      baseline: { executors: 40, executorCores: 4 },
      pinned: [],
      records: records.slice(0, 1),
      whatIf: whatIfRun(records[0]!, raw(40))!,
      config: config(),
    });
    assert.equal(a.model?.name, 'what-if/one-run');
    const why = a.reasons!.find((r) => r.code === 'thin-history-what-if')!;
    assert.deepEqual(why.values, { runs: 1, minRuns: 3, runId: 'app-40-0', selfError: why.values.selfError });
    assert.match(a.notes.join('|'), /too little history \(1 successful run; advisor.minRuns is 3\) to fit a model/);
    const m = (a.chosen.executors ?? 40) * 4;
    assert.ok(truth(m) <= 1.1 * truth(160), `${m} slots: ${truth(m)} ms`);
  });

  test('a thin history replays a driver-bound run and cuts further than the blind rule may', () => {
    // 60 s of driver time and a 1 GiB scan of 0.1 s tasks: the cores hardly matter, and the replay says so.
    const driverBound = raw(40);
    const attempt = driverBound.attempts[0] as unknown as { duration: number; stages: Record<string, unknown>[] };
    attempt.stages = [
      {
        status: 'COMPLETE',
        stageId: 0,
        attemptId: 0,
        numTasks: 160,
        executorRunTime: 160 * 100,
        inputBytes: GIB,
        shuffleReadBytes: 0,
        submissionTime: iso(60_000),
        completionTime: iso(60_100),
      },
    ];
    attempt.duration = 60_100;
    const run: RunRecord = { ...records[0]!, inputBytes: GIB, durationMs: 60_100 };
    const a = advise({
      app: 'etl',
      inputBytes: GIB,
      baseline: { executors: 40, executorCores: 4 },
      pinned: [],
      records: [run],
      whatIf: whatIfRun(run, driverBound)!,
      config: config(),
    });
    assert.equal(a.model?.name, 'what-if/one-run');
    assert.ok(a.chosen.executors! < 32, `${a.chosen.executors} executors: no further than the rule's 32`);
  });

  test("a thin history keeps to the rules of thumb when the replay misses its own run's duration", () => {
    // The History Server's stages cover more wall time than the run took: they do not describe it.
    const doc = raw(40);
    (doc.attempts[0] as unknown as { duration: number }).duration = 2_500;
    const run: RunRecord = { ...records[0]!, durationMs: 2_500 };
    const a = advise({
      app: 'etl',
      inputBytes: 40 * GIB,
      baseline: { executors: 40, executorCores: 4 },
      pinned: [],
      records: [run],
      whatIf: whatIfRun(run, doc)!,
      config: config(),
    });
    assert.equal(a.model, undefined);
    assert.equal(a.reasons![0]!.code, 'thin-history-rule');
    const off = a.reasons!.find((r) => r.code === 'thin-history-what-if-off')!;
    assert.ok((off.values.selfError as number) > 0.2, JSON.stringify(off.values));
    assert.match(a.notes.join('|'), /rules of thumb instead of the replay/);
  });

  test('a replay the other runs of this size show worse than the cross-run fit does not judge its run an overrun', () => {
    // An RDD job reads 1 GiB in 8 block splits of 128 MiB, 10 s each, on any number of slots: 10 s of driver time and
    // one wave, 20 s whatever the executors. Replayed as Spark SQL sizes files, its scan on 200 slots is 200 tasks
    // of 5 MiB, the baseline 10 s faster than any run of it: the latest, on 3 × 4 cores in 20 s, would be an
    // overrun of 1.1 × that.
    const blockSplits = (executors: number) =>
      twoStageDoc({
        ...{ id: `app-b${executors}`, executors, durationMs: 20_200, splits: 8, scanTaskMs: 10_000, scanMs: 10_000 },
        ...{ shuffleMiB: 0.01, shuffleTaskMs: 10, shuffleMs: 200 },
      });
    // Advised runs, each on fewer shuffle partitions than the launch's 200: none tells the baseline's own time.
    const history = [3, 4, 5, 6, 8, 10, 25, 39].map((e, i) => ({
      ...twoStageRecord(i, `app-b${e}`, e, GIB, 20_200),
      shufflePartitions: 100,
      adviceId: `adv-${i}`,
    }));
    const a = advise({
      app: 'etl',
      inputBytes: GIB,
      baseline: { executors: 50, executorCores: 4, shufflePartitions: 200 },
      pinned: [],
      records: history,
      whatIf: whatIfRun(history[0]!, blockSplits(3))!,
      config: config({ mode: 'override' }),
    });
    const contest = a.reasons!.find((r) => r.code === 'what-if')!;
    assert.ok((contest.values.error as number) > (contest.values.crossRunError as number), JSON.stringify(contest));
    assert.ok(!a.reasons!.some((r) => r.code === 'overrun'), a.notes.join('|'));
    assert.ok((a.chosen.executors ?? 50) <= 10, JSON.stringify(a.chosen));
  });
});
