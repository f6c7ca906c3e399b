import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NOISE_FLOOR, readTrack, Z90 } from '../../src/advisor/explore.js';
import { nearRunsFactor, nearRunsMs, referenceMs, riskOf, STEP_SPREAD } from '../../src/advisor/risk.js';
import { choose } from '../../src/advisor/objective.js';
import { reasonText, rejectionText } from '../../src/advisor/reason-text.js';
import { config } from './history.js';
import type { CliffFit } from '../../src/advisor/cliff.js';
import type { Model } from '../../models/types.js';
import type { Candidate, RunRecord, Settings } from '../../src/types.js';
import { GIB } from './history.js';

// A model that says: 20 s + 2000 core-seconds of work per 100 GiB spread over the cores.
const smooth: Model = {
  name: 'test/smooth',
  family: 'test',
  loss: 'relative',
  params: {},
  validationError: 0.05,
  trainingRuns: 10,
  describe: () => 'test',
  predictMs: (s, d) => 1000 * (20 + (2000 * d) / (100 * GIB) / (s.executors * s.executorCores)),
  predict: () => ({ durationMs: 0, low: 0, high: 0 }),
};
const baseline: Settings = { executors: 40, executorCores: 4 };
const run = (id: string, executors: number, gib: number, factor = 1, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  app: 'etl',
  inputBytes: gib * GIB,
  executors,
  executorCores: 4,
  succeeded: true,
  source: 'crawl',
  durationMs: factor * smooth.predictMs({ executors, executorCores: 4 }, gib * GIB),
  endTime: `2024-01-${String(30 - Number(id.replace(/\D/g, '') || 0)).padStart(2, '0')}T00:00:00Z`,
  ...over,
});

/** A scan-only job's cliff fit: 2 s plus 10 s per 128 MiB block a task slot reads, a partial last wave included. */
const scanOnly: CliffFit = { fixedS: 2, evenS: 10, partialS: 10, learnt: true };

describe('the track record', () => {
  test('a model that fits exactly is still no evidence of precision below the noise floor', () => {
    const t = readTrack([run('r1', 40, 50), run('r2', 30, 45), run('r3', 20, 55)], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(t.sigma, NOISE_FLOOR);
    assert.ok(Math.abs(t.bias - 1) < 1e-9);
  });

  test('the band corrects the model by its median residual, from runs of a similar input size only', () => {
    const recent = [
      run('r1', 40, 50, 1.2),
      run('r2', 30, 45, 1.2),
      run('r3', 34, 55, 1.2),
      run('r4', 40, 5, 0.7),
      run('r5', 40, 4, 0.7),
    ];
    const t = readTrack(recent, smooth, baseline, 50 * GIB, 1.1);
    assert.ok(Math.abs(t.bias - 1.2) < 1e-9, String(t.bias));
    assert.equal(t.anchorRun?.id, 'r2', 'the last good run of a similar size not at the baseline cores');
    assert.equal(t.knownCores, 120);
  });

  test('a run beyond the noise sets a floor half way back; one within it does not', () => {
    const good = [run('r2', 20, 50), run('r3', 30, 50), run('r4', 40, 50), run('r5', 35, 60), run('r6', 25, 40)];
    const slow = run('r1', 10, 50, 1, { adviceId: 'a1', durationMs: 3 * smooth.predictMs(baseline, 50 * GIB) });
    const t = readTrack([slow, ...good], smooth, baseline, 50 * GIB, 1.1);
    assert.deepEqual(
      t.overruns.map((r) => r.id),
      ['r1'],
    );
    // r2 (80 cores) is itself 1.24× the baseline's time and r6 (100 cores) 1.12× at its input, over the 1.1 limit
    // though within the noise of it, so the fewest cores known good above r1 are r3's 120.
    assert.equal(t.floorCores, Math.sqrt(40 * 120), 'half way between its 40 cores and the 120 known good above it');
    // 38 × 4 is 1.04× the baseline's time, 3% over its prediction: within the limit and the noise.
    const fine = readTrack([run('r1', 38, 50, 1.03, { adviceId: 'a1' }), ...good], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(fine.floorCores, 0);
  });

  test('a slow run that a later run of this size bettered on as few cores sets no floor; a failed one stands', () => {
    // 30 × 4 is 1.08× the baseline's time as predicted: within the 1.1 limit. r2 took 3× that.
    const good = [run('r3', 35, 50), run('r4', 40, 50), run('r5', 38, 60)];
    const slow = (over: Partial<RunRecord> = {}) =>
      run('r2', 30, 50, 1, { adviceId: 'a1', durationMs: 3 * smooth.predictMs(baseline, 50 * GIB), ...over });
    const track = (recent: RunRecord[]) => readTrack(recent, smooth, baseline, 50 * GIB, 1.1);
    // r1, after r2 (recent first), ran as predicted on 30 executors: r2 was the noise's.
    const cleared = track([run('r1', 30, 50), slow(), ...good]);
    assert.deepEqual(cleared.overruns, []);
    assert.equal(cleared.floorCores, 0);
    assert.equal(track([run('r1', 29, 50), slow(), ...good]).floorCores, 0, 'on fewer cores too');
    // On more cores, or before the slow run, it is no evidence: the floor holds, half way back.
    assert.equal(track([run('r1', 32, 50), slow(), ...good]).floorCores, Math.sqrt(120 * 128));
    assert.equal(track([slow(), run('r1', 30, 50), ...good]).floorCores, Math.sqrt(120 * 140));
    // A run that failed is no noise.
    assert.deepEqual(
      track([run('r1', 30, 50), slow({ succeeded: false }), ...good]).overruns.map((r) => r.id),
      ['r2'],
    );
  });

  test("a run on the baseline's cores that overran with fewer shuffle partitions floors the partitions, not the cores", () => {
    const base: Settings = { ...baseline, shufflePartitions: 400 };
    const at = (p: number) => ({ shufflePartitions: p });
    const good = [run('r3', 40, 50, 1, at(400)), run('r4', 30, 50, 1, at(400)), run('r5', 40, 60, 1, at(200))];
    const slow = run('r2', 40, 50, 1, {
      adviceId: 'a1',
      shufflePartitions: 80,
      durationMs: 1.8 * smooth.predictMs(baseline, 50 * GIB),
    });
    const track = (recent: RunRecord[]) => readTrack(recent, smooth, base, 50 * GIB, 1.1);
    const t = track([slow, ...good]);
    assert.deepEqual(
      t.overruns.map((r) => r.id),
      ['r2'],
    );
    assert.equal(t.floorCores, 0, 'it ran on the baseline cores: they are not to blame');
    // Half way back (geometric) from its 80 towards the fewest known good above it, r5's 200.
    assert.equal(t.floorPartitions, Math.sqrt(80 * 200));
    const text = reasonText({
      code: 'overrun',
      values: { runId: 'r2', failed: false, floorCores: 0, floorPartitions: 127 },
    });
    assert.match(text, /candidates keep at least 127 shuffle partitions/);
    assert.doesNotMatch(text, /cores/);
    // A later run of this size as cut that ran within the limit clears it; the same run with the baseline's
    // partitions (no cut at all) never counted.
    assert.equal(track([run('r1', 40, 50, 1, at(80)), slow, ...good]).floorPartitions, 0);
    assert.deepEqual(track([{ ...slow, shufflePartitions: 400 }, ...good]).overruns, []);
  });

  test('a cut that its own stages, replayed at the baseline, show over the limit is an overrun whatever the noise', () => {
    // A noisy job (runs ±25% around the model) and a fit that learnt its baseline from the cuts: an advised run at
    // 25 × 4 took 1.05× the predicted baseline, well within that noise. Its stages replayed at 40 × 4 say the
    // baseline would have taken 20% less: it ran 1.25× that, over the 1.1 limit.
    const noisy = [run('r2', 30, 50, 1.25), run('r3', 35, 50, 0.8), run('r4', 40, 50, 1.2), run('r5', 33, 50, 0.75)];
    const predicted = smooth.predictMs(baseline, 50 * GIB);
    const cut = run('r1', 25, 50, 1, { adviceId: 'a1', durationMs: 1.05 * predicted });
    const blind = readTrack([cut, ...noisy], smooth, baseline, 50 * GIB, 1.1);
    assert.deepEqual(blind.overruns, []);
    const replayed = readTrack([cut, ...noisy], smooth, baseline, 50 * GIB, 1.1, {
      replay: { runId: 'r1', baselineMs: 0.84 * predicted },
    });
    assert.deepEqual(
      replayed.overruns.map((r) => r.id),
      ['r1'],
    );
    assert.ok(replayed.floorCores > 100, String(replayed.floorCores));
    // The replay of another run, or one within the limit, changes nothing.
    for (const replay of [
      { runId: 'r2', baselineMs: 0.5 * predicted },
      { runId: 'r1', baselineMs: predicted },
    ])
      assert.deepEqual(readTrack([cut, ...noisy], smooth, baseline, 50 * GIB, 1.1, { replay }).overruns, []);
  });

  test("a cut is judged against the baseline as runs near the baseline's cores took, when they took longer than the model says", () => {
    // A model learnt from cuts on 20–25 executors: runs on 38 and 40 took 1.4× what it says of them. An advised run
    // on 20 × 4 that took 1.3× the baseline's predicted time ran faster than the baseline itself did.
    const cuts = [run('r2', 25, 50), run('r3', 22, 50), run('r4', 20, 55), run('r5', 24, 45)];
    const nearBaseline = [run('r6', 40, 50, 1.4), run('r7', 38, 50, 1.4)];
    const cut = run('r1', 20, 50, 1, { adviceId: 'a1', durationMs: 1.3 * smooth.predictMs(baseline, 50 * GIB) });
    const track = (recent: RunRecord[]) => readTrack(recent, smooth, baseline, 50 * GIB, 1.1);
    assert.deepEqual(track([cut, ...cuts, ...nearBaseline]).overruns, []);
    // Without them, or with them as fast as the model says, it overran.
    assert.deepEqual(
      track([cut, ...cuts]).overruns.map((r) => r.id),
      ['r1'],
    );
    assert.deepEqual(
      track([cut, ...cuts, run('r6', 40, 50), run('r7', 38, 50)]).overruns.map((r) => r.id),
      ['r1'],
    );
  });

  test('a cut that ran within the limit of the baseline as runs near its cores took is known good', () => {
    // 28 × 4 took 1.15× the baseline's predicted time: within the noise of the limit, no overrun, and not known good
    // either. Runs on 38 and 40 executors took 1.4× what the model says: against them it ran faster than the baseline.
    const cuts = [run('r2', 31, 50), run('r3', 30, 50), run('r4', 31, 55), run('r5', 30, 45)];
    const cut = run('r1', 28, 50, 1, { adviceId: 'a1', durationMs: 1.15 * smooth.predictMs(baseline, 50 * GIB) });
    const track = (recent: RunRecord[]) => readTrack(recent, smooth, baseline, 50 * GIB, 1.1);
    const unbacked = track([cut, ...cuts]);
    assert.deepEqual(unbacked.overruns, []);
    assert.equal(unbacked.knownCores, 120);
    assert.equal(unbacked.anchorRun?.id, 'r2');
    const backed = track([cut, ...cuts, run('r6', 40, 50, 1.4), run('r7', 38, 50, 1.4)]);
    assert.equal(backed.knownCores, 112);
    assert.equal(backed.anchorRun?.id, 'r1');
  });

  test('a slow advised run is judged without its own share of the band correction', () => {
    // Two runs of this size: one at the baseline as predicted, one advised at 30 × 4 that took 1.25× the baseline's
    // time (1.16× its own prediction). Its residual alone lifts the band's correction to 1.08×, under which it would
    // pass for noise. Runs of other sizes, as predicted, set the noise at its floor.
    const others = [run('r3', 40, 5), run('r4', 20, 5), run('r5', 30, 200), run('r6', 40, 200), run('r7', 25, 4)];
    const slow = run('r1', 30, 50, 1, { adviceId: 'a1', durationMs: 1.25 * smooth.predictMs(baseline, 50 * GIB) });
    const t = readTrack([slow, run('r2', 40, 50), ...others], smooth, baseline, 50 * GIB, 1.1);
    assert.ok(t.bias > 1.07, String(t.bias));
    assert.equal(t.sigma, NOISE_FLOOR);
    assert.deepEqual(
      t.overruns.map((r) => r.id),
      ['r1'],
    );
    assert.equal(t.floorCores, Math.sqrt(120 * 160));
  });

  test('the high end widens with the size of the predicted change and with a step below the fewest cores known good', () => {
    const t = readTrack([run('r1', 40, 50), run('r2', 30, 50), run('r3', 20, 50)], smooth, baseline, 50 * GIB, 1.1);
    const anchor = { executors: 20, executorCores: 4 };
    const risk = riskOf({ model: smooth, track: t, inputBytes: 50 * GIB, reference: anchor });
    const near = risk({ executors: 19, executorCores: 4 });
    const far = risk({ executors: 5, executorCores: 4 });
    assert.ok(far.high / far.durationMs > near.high / near.durationMs);
  });

  test('a history of much smaller inputs only shows nothing of how a larger one scales: a cut there is priced in full', () => {
    // Runs of 1–6 GiB on 10 to 16 executors, where a fit found the job flat in cores; then a 50 GiB input.
    const flatFit = { predictMs: () => 33_000 };
    const small = [run('r1', 10, 6), run('r2', 16, 1.2), run('r3', 14, 5)];
    const cut = { executors: 20, executorCores: 4 };
    const t = readTrack(small, flatFit, baseline, 50 * GIB, 1.1);
    assert.ok(t.flat);
    const priced = riskOf({ model: flatFit, track: t, inputBytes: 50 * GIB, reference: baseline })(cut);
    assert.ok(priced.high >= 2 * 33_000, String(priced.high));
    // A run of the question's size shows it: the fit's answer stands.
    const seen = readTrack([run('r0', 40, 40), ...small], flatFit, baseline, 50 * GIB, 1.1);
    assert.ok(!seen.flat);
    assert.ok(
      riskOf({ model: flatFit, track: seen, inputBytes: 50 * GIB, reference: baseline })(cut).high < 1.1 * 33_000,
    );
    // Nor is a smaller input a question the history cannot answer, nor are runs without an input size smaller.
    assert.ok(!readTrack(small, flatFit, baseline, 2 * GIB, 1.1).flat);
    const unsized = small.map((r) => ({ ...r, inputBytes: 0 }));
    assert.ok(!readTrack(unsized, flatFit, baseline, 50 * GIB, 1.1).flat);
  });

  test("a cut held at the baseline's point is priced by the change the model claims, not by the floor's", () => {
    // A job whose executors cost more to start than they save: 10 s plus half a second per executor.
    const startup = { predictMs: (s: Settings) => 10_000 + 500 * s.executors };
    const fixed = { executors: 73, executorCores: 4 };
    const t = readTrack(
      [run('r1', 10, 1, 1, { durationMs: 15_000 }), run('r2', 73, 1, 1, { durationMs: 46_500 })],
      startup,
      fixed,
      GIB,
      1.1,
    );
    const anchor = { executors: 10, executorCores: 4 };
    const risk = riskOf({ model: startup, track: t, inputBytes: GIB, reference: anchor, baseline: fixed });
    const cut = risk(anchor);
    // The point is held at the baseline's, the model's own point is kept apart (advised runs are measured by it) ...
    assert.equal(cut.durationMs, 46_500);
    assert.equal(cut.modelMs, 15_000);
    // ... and the cut the history ran well is within the limit: the floor's threefold "change" is no step at all.
    assert.ok(cut.slowdownHigh <= 1.1 * 46_500, String(cut.slowdownHigh));
    assert.ok(Math.abs(cut.slowdownHigh - 46_500 * Math.exp(Z90 * 0.25 * t.sigma)) < 1, String(cut.slowdownHigh));
  });

  test("a replay that misses the reference's own gain prices a step from it by the replay's change, not the miss", () => {
    // Every stage pays per executor: 10 executors ran in a third of the fixed 73's time. A replay of a run's stages
    // holds each stage's wall time at any executor count: it calls every setting as slow as the baseline.
    const perExecutor = { predictMs: (s: Settings) => 10_000 + 500 * s.executors };
    const fixed = { executors: 73, executorCores: 4, shufflePartitions: 400 };
    const anchor = { executors: 10, executorCores: 4, shufflePartitions: 100 };
    const t = readTrack(
      [
        run('r1', 10, 1, 1, { durationMs: 15_000, shufflePartitions: 100 }),
        run('r2', 73, 1, 1, { durationMs: 46_500 }),
      ],
      perExecutor,
      fixed,
      GIB,
      1.1,
    );
    const blind = { predictMs: () => 46_500 };
    const risk = (replay?: { predictMs: (s: Settings) => number }) =>
      riskOf({ model: perExecutor, track: t, inputBytes: GIB, reference: anchor, baseline: fixed, replay });
    // Fewer shuffle partitions than the baseline's: the replay floors the point at its own, the baseline's ...
    const step = { executors: 9, executorCores: 4, shufflePartitions: 100 };
    const priced = risk(blind)(step);
    assert.equal(priced.durationMs, 46_500);
    // ... and from the cut that ran well it sees no change: the step is priced as the fit's small one.
    assert.ok(priced.slowdownHigh <= 1.1 * 46_500, String(priced.slowdownHigh));
    assert.ok(priced.slowdownHigh <= risk()(step).slowdownHigh);
    // A replay that calls the step itself slower than the reference still widens its high end.
    const dearer = { predictMs: (s: Settings) => (s.executors < 10 ? 80_000 : 46_500) };
    assert.ok(risk(dearer)(step).slowdownHigh > 1.1 * 46_500 * 1.5, String(risk(dearer)(step).slowdownHigh));
  });

  test("a replay's task-count margin is a floor under the high end, not under the point", () => {
    const t = readTrack([run('r1', 40, 50), run('r2', 30, 50), run('r3', 20, 50)], smooth, baseline, 50 * GIB, 1.1);
    const anchor = { executors: 40, executorCores: 4 };
    const cut = { executors: 37, executorCores: 4 };
    // A replay whose estimate just fits the cut's slots in one wave: 1% more tasks would need a second.
    const edge = { predictMs: smooth.predictMs, marginMs: (s: Settings, d: number) => 1.5 * smooth.predictMs(s, d) };
    const plain = riskOf({ model: smooth, track: t, inputBytes: 50 * GIB, reference: anchor })(cut);
    const margined = riskOf({ model: edge, track: t, inputBytes: 50 * GIB, reference: anchor })(cut);
    assert.equal(margined.durationMs, plain.durationMs);
    assert.ok(margined.high >= 1.5 * plain.durationMs, `${margined.high} vs ${plain.durationMs}`);
  });

  // A fit that saw start-up cost as much as the work: 60 s on any core count. The replay of a run's stages: 10 s on
  // the driver, 50 s of waves on the baseline's 160 slots, in proportion on fewer.
  const flatFit = { predictMs: () => 60_000 };
  const wavesReplay = { predictMs: (s: Settings) => 10_000 + (50_000 * 160) / (s.executors * s.executorCores) };

  test("below the fewest cores known good, a fit's cut is no faster against the baseline than the replay says", () => {
    const ran = { durationMs: 60_000 };
    const t = readTrack([run('r1', 40, 50, 1, ran), run('r2', 30, 50, 1, ran)], flatFit, baseline, 50 * GIB, 1.1);
    assert.equal(t.knownCores, 120);
    const at = (executors: number, second?: typeof wavesReplay) =>
      riskOf({ model: flatFit, track: t, inputBytes: 50 * GIB, reference: baseline, baseline, replay: second })({
        executors,
        executorCores: 4,
      });
    // 10 executors: the replay's 210 s against its 60 s on the baseline.
    assert.ok(
      Math.abs(at(10, wavesReplay).durationMs - 3.5 * at(10).durationMs) < 1e-6,
      String(at(10, wavesReplay).durationMs),
    );
    // At the fewest cores known good the fit's answer stands.
    assert.equal(at(30, wavesReplay).durationMs, at(30).durationMs);
  });

  test('a good run of a smaller input vouches for its data per core: the replay floors a cut to its cores at a larger input', () => {
    // 30 executors ran well on 25 GiB: as many cores on 50 GiB run twice its waves.
    const ran = { durationMs: 60_000 };
    const recent = [run('r1', 40, 50, 1, ran), run('r2', 30, 25, 1, ran)];
    const at = (gib: number, executors: number, second?: typeof wavesReplay) => {
      const t = readTrack(recent, flatFit, baseline, gib * GIB, 1.1);
      return riskOf({ model: flatFit, track: t, inputBytes: gib * GIB, reference: baseline, baseline, replay: second })(
        {
          executors,
          executorCores: 4,
        },
      );
    };
    const t = readTrack(recent, flatFit, baseline, 50 * GIB, 1.1);
    assert.equal(t.knownCores, 120, 'the run still counts as known good for the high end');
    assert.equal(t.dataKnownCores, 160);
    // 30 executors on 50 GiB: the replay's 76.7 s against its 60 s on the baseline.
    const ratio = wavesReplay.predictMs({ executors: 30, executorCores: 4 }) / wavesReplay.predictMs(baseline);
    assert.ok(Math.abs(at(50, 30, wavesReplay).durationMs - ratio * at(50, 30).durationMs) < 1e-6);
    assert.ok(ratio > 1.25, String(ratio));
    // On the input it ran, the run vouches for its cores: the fit's answer stands.
    assert.equal(at(25, 30, wavesReplay).durationMs, at(25, 30).durationMs);
  });

  test('fewer shuffle partitions than the reference are priced by the replay, which sees them; the fit does not', () => {
    const ran = { durationMs: 60_000 };
    const t = readTrack([run('r1', 40, 50, 1, ran), run('r2', 30, 50, 1, ran)], flatFit, baseline, 50 * GIB, 1.1);
    // The replay: a straggler of 20 s at 200 partitions that grows as they get fewer (bigger).
    const replay = { predictMs: (s: Settings) => 40_000 + (20_000 * 200) / (s.shufflePartitions ?? 200) };
    const reference = { ...baseline, shufflePartitions: 200 };
    const at = (partitions: number, second?: typeof replay) =>
      riskOf({ model: flatFit, track: t, inputBytes: 50 * GIB, reference, baseline: reference, replay: second })({
        ...baseline,
        shufflePartitions: partitions,
      });
    // 100 partitions: the replay's 80 s against its 60 s at the reference, where the fit says 60 s for both.
    assert.equal(at(100).durationMs, 60_000);
    assert.ok(Math.abs(at(100, replay).durationMs - 80_000) < 1e-6, String(at(100, replay).durationMs));
    // More partitions than the reference: the fit's answer stands.
    assert.equal(at(400, replay).durationMs, at(400).durationMs);
  });

  test('a cut the fit calls dearer than the replay does is priced between the two, never under the baseline', () => {
    // The fit: all of the time parallel work (20 s + 2000 core-seconds per 100 GiB). The replay of a run's stages:
    // 40 s on the driver and 10 s of waves on the baseline's 160 slots, in proportion on fewer.
    const replay = { predictMs: (s: Settings) => 40_000 + (10_000 * 160) / (s.executors * s.executorCores) };
    const t = readTrack([run('r1', 40, 50), run('r2', 20, 50)], smooth, baseline, 50 * GIB, 1.1);
    const at = (executors: number, second?: typeof replay) =>
      riskOf({ model: smooth, track: t, inputBytes: 50 * GIB, reference: baseline, baseline, replay: second })({
        executors,
        executorCores: 4,
      });
    const base = smooth.predictMs(baseline, 50 * GIB);
    const fit = at(20).durationMs / base;
    const replayed = replay.predictMs({ executors: 20, executorCores: 4 }) / replay.predictMs(baseline);
    assert.ok(fit > replayed, `${fit} ${replayed}`);
    // The geometric mean of the two changes against the baseline.
    const both = at(20, replay).durationMs / base;
    assert.ok(Math.abs(both - Math.sqrt(fit * replayed)) < 1e-9, `${both} ${fit} ${replayed}`);
    assert.ok(at(20, replay).high < at(20).high, 'the high end follows the point');
    // A replay that calls the cut faster than the baseline (start-up) never brings it under the baseline's point.
    const faster = { predictMs: (s: Settings) => 30_000 + 1000 * s.executors };
    assert.ok(Math.abs(at(20, faster).durationMs - base) < 1e-6, String(at(20, faster).durationMs));
    // More cores than the baseline: the fit alone.
    assert.equal(at(50, replay).durationMs, at(50).durationMs);
  });

  test('a wave cliff the smooth model misses is a floor under the point', () => {
    const t = readTrack([run('r1', 40, 50), run('r2', 30, 50), run('r3', 20, 50)], smooth, baseline, 50 * GIB, 1.1);
    // 400 blocks: 2 waves on 200 cores, 3 on 196.
    const cliffs: CliffFit = { fixedS: 10, evenS: 10, partialS: 10, learnt: true };
    const ref = { executors: 50, executorCores: 4 };
    const risk = riskOf({ model: smooth, track: t, inputBytes: 50 * GIB, reference: ref });
    const plain = risk({ executors: 49, executorCores: 4 });
    const cliff = risk({ executors: 49, executorCores: 4 }, cliffs);
    assert.ok(cliff.durationMs > plain.durationMs * 1.3, `${cliff.durationMs} vs ${plain.durationMs}`);
    const same = risk({ executors: 50, executorCores: 4 }, cliffs);
    assert.equal(same.durationMs, risk(ref).durationMs, 'never lowers a point');
  });

  test('a cut is never predicted faster than the settings it steps from', () => {
    // A model whose parts disagree across the edge of the history's core counts: 8 executors called 30% faster.
    const split = {
      predictMs: (s: { executors: number }) => (s.executors < 16 ? 70_000 : 100_000),
    };
    const t = readTrack([run('r1', 16, 50), run('r2', 20, 50), run('r3', 24, 50)], split, baseline, 50 * GIB, 1.1);
    const anchor = { executors: 16, executorCores: 4 };
    const risk = riskOf({ model: split, track: t, inputBytes: 50 * GIB, reference: anchor });
    const cut = risk({ executors: 8, executorCores: 4 });
    assert.equal(cut.durationMs, risk(anchor).durationMs);
    const more = risk({ executors: 20, executorCores: 4 });
    assert.equal(more.durationMs, 100_000 * t.bias, 'more cores than the anchor: the model as it is');
  });

  test('a cut is never predicted faster than the baseline, whatever a fit says of fewer cores', () => {
    // A fit through runs whose core counts followed their input sizes: 30 s plus 0.2 s per core, so the fewer the
    // cores, the faster. The baseline's 160 cores: 62 s; the anchor's 120: 54 s; a cut to 80: 46 s.
    const confounded = { predictMs: (s: Settings) => 30_000 + 200 * s.executors * s.executorCores };
    const t = readTrack([run('r1', 30, 50), run('r2', 40, 60), run('r3', 20, 30)], confounded, baseline, 50 * GIB, 1.1);
    const anchor = { executors: 30, executorCores: 4 };
    const point = (s: Settings) =>
      riskOf({ model: confounded, track: t, inputBytes: 50 * GIB, reference: anchor, baseline })(s).durationMs;
    assert.equal(point({ executors: 20, executorCores: 4 }), point(baseline));
    assert.equal(point(anchor), point(baseline));
    assert.equal(point({ executors: 50, executorCores: 4 }), 70_000 * t.bias, 'more cores: the fit as it is');
  });

  test('a cut is never predicted faster than the settings it steps from, their partial wave included', () => {
    // 16.07 GiB is 129 blocks of 128 MiB: one wave of finer splits on the baseline's 160 slots, two waves on the
    // anchor's 120 and on the cut's 84. A model that calls the cores no help (8 s everywhere) spreads the cut's
    // partial wave over more even work than the anchor's, and would call the cut faster than the anchor.
    const flat = { predictMs: () => 8_000 };
    const gib = 16.07;
    const t = readTrack([run('r1', 30, 16), run('r2', 36, 17), run('r3', 32, 15)], flat, baseline, gib * GIB, 1.1);
    const cliffs: CliffFit = { fixedS: 4.4, evenS: 3.69, partialS: 2.14, learnt: true };
    const anchor = { executors: 30, executorCores: 4 };
    const point = (s: Settings) =>
      riskOf({ model: flat, track: t, inputBytes: gib * GIB, reference: anchor, baseline })(s, cliffs).durationMs;
    const cut = { executors: 21, executorCores: 4 };
    assert.ok(point(anchor) > 1.2 * 8_000 * t.bias, `the anchor's own partial wave: ${point(anchor)}`);
    assert.ok(point(cut) >= point(anchor), `${point(cut)} against the anchor's ${point(anchor)}`);
  });

  test('a wave cliff the anchor crosses as well at this input size is measured from the baseline', () => {
    const gib = 17.7; // 142 input tasks of 128 MiB: 2 waves on the anchor's 140 slots and on 136, 1 on the baseline's 160
    const t = readTrack([run('r1', 35, 17.4), run('r2', 40, 17), run('r3', 30, 15)], smooth, baseline, gib * GIB, 1.1);
    const anchor = { executors: 35, executorCores: 4 };
    const cut = { executors: 34, executorCores: 4 };
    const fromAnchorOnly = riskOf({ model: smooth, track: t, inputBytes: gib * GIB, reference: anchor });
    const withBaseline = riskOf({ model: smooth, track: t, inputBytes: gib * GIB, reference: anchor, baseline });
    const plain = fromAnchorOnly(cut);
    const fromAnchor = fromAnchorOnly(cut, scanOnly);
    assert.equal(fromAnchor.durationMs, plain.durationMs, 'the anchor runs 2 waves too: no change from it');
    const fromBaseline = withBaseline(cut, scanOnly);
    assert.ok(fromBaseline.durationMs > plain.durationMs * 1.5, `${fromBaseline.durationMs} vs ${plain.durationMs}`);
    assert.equal(withBaseline(baseline, scanOnly).durationMs, fromAnchorOnly(baseline).durationMs);
  });

  test('a scan is cut as Spark cuts it: one wave of smaller splits on many slots, a second wave just short of it', () => {
    // 5.516 GiB: 45 blocks of 128 MiB. The baseline's 120 slots get 120 splits of 47 MiB, one wave; 44 slots get 45
    // full blocks, two waves; 48 slots get 48 splits of 118 MiB, one wave.
    const gib = 5.516;
    const t = readTrack([run('r1', 11, 5.5), run('r2', 12, 5), run('r3', 15, 6)], smooth, baseline, gib * GIB, 1.1);
    const wide = { executors: 30, executorCores: 4 };
    const anchor = { executors: 11, executorCores: 4 };
    const scene = { model: smooth, track: t, inputBytes: gib * GIB, reference: anchor };
    const point = (s: Settings) => riskOf({ ...scene, baseline: wide })(s, scanOnly).durationMs;
    const plain = (s: Settings) => riskOf(scene)(s).durationMs;
    assert.ok(point(anchor) > plain(anchor) * 1.5, `44 slots: ${point(anchor)} vs ${plain(anchor)}`);
    const fits = { executors: 12, executorCores: 4 };
    assert.ok(point(fits) < plain(fits) * 1.05, `48 slots: ${point(fits)} vs ${plain(fits)}`);
  });

  test('a small input on many slots is cut finer: fewer slots read more each, though no wave is partial', () => {
    // 4.2 GiB on 120 slots: 120 splits of 36 MiB; on 40 slots, 40 of 108 MiB. Whole waves of blocks call it one wave
    // either way; a model that learnt the job as flat in cores calls the cut free.
    const flat: Model = { ...smooth, predictMs: () => 3000 };
    const gib = 4.2;
    const t = readTrack([run('r1', 11, 2.1), run('r2', 20, 4.3), run('r3', 13, 3.4)], flat, baseline, gib * GIB, 1.1);
    const wide = { executors: 30, executorCores: 4 };
    const cut = { executors: 10, executorCores: 4 };
    const plain = riskOf({ model: flat, track: t, inputBytes: gib * GIB, reference: wide })(cut);
    const floored = riskOf({ model: flat, track: t, inputBytes: gib * GIB, reference: wide, baseline: wide })(
      cut,
      scanOnly,
    );
    assert.ok(floored.durationMs > plain.durationMs * 1.3, `${floored.durationMs} vs ${plain.durationMs}`);
  });

  test('a partial wave costs what the job showed it costs: little when the scan is a small share of the work', () => {
    const gib = 17.7; // 142 blocks: a partial second wave on 140 slots, one full wave on the baseline's 160
    const t = readTrack([run('r1', 35, 17.4), run('r2', 40, 17), run('r3', 30, 15)], smooth, baseline, gib * GIB, 1.1);
    const cut = { executors: 35, executorCores: 4 };
    const point = (c: CliffFit) =>
      riskOf({ model: smooth, track: t, inputBytes: gib * GIB, reference: baseline, baseline })(cut, c).durationMs;
    // The smooth model's own terms: 20 s, and 2.5 s per 128 MiB block a task slot reads.
    const assumed: CliffFit = { fixedS: 20, evenS: 2.5, partialS: 2.5, learnt: false };
    const learnt: CliffFit = { ...assumed, partialS: 0.2, learnt: true };
    const plain = riskOf({ model: smooth, track: t, inputBytes: gib * GIB, reference: baseline })(cut).durationMs;
    assert.ok(point(assumed) > plain * 1.08, `${point(assumed)} vs ${plain}`);
    assert.ok(point(learnt) < plain * 1.03, `${point(learnt)} vs ${plain}`);
  });

  test('on a noisy job a run just within the limit does not push the known edge down; on a quiet one it does', () => {
    // r2 ran 20 × 4 at 1.08× the baseline's time: within the 1.1 limit, but not by more than a noisy job's noise.
    const base = smooth.predictMs(baseline, 50 * GIB);
    const marginal = run('r2', 20, 50, 1, { durationMs: 1.08 * base });
    const quiet = readTrack([marginal, run('r3', 40, 50), run('r4', 40, 50)], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(quiet.knownCores, 80);
    // The same history with its other runs scattered ±20% around the model: the noise is now the track's sigma.
    const noisy = [
      marginal,
      run('r3', 40, 50, 1.25),
      run('r4', 40, 50, 0.8),
      run('r5', 40, 50, 1.2),
      run('r6', 40, 50, 0.83),
    ];
    const t = readTrack(noisy, smooth, baseline, 50 * GIB, 1.1);
    assert.ok(t.sigma > 0.1, String(t.sigma));
    assert.equal(t.knownCores, 160, 'the marginal run is no evidence that 80 cores are good');
    assert.equal(t.floorCores, 0, 'nor is it an overrun');
  });

  test('a step below the known edge costs more margin on a noisy job than on a quiet one', () => {
    const quiet = readTrack([run('r1', 40, 50), run('r2', 30, 50), run('r3', 20, 50)], smooth, baseline, 50 * GIB, 1.1);
    const noisy = { ...quiet, sigma: 0.15 };
    const s = { executors: 10, executorCores: 4 };
    const ref = { executors: 20, executorCores: 4 };
    const q = riskOf({ model: smooth, track: quiet, inputBytes: 50 * GIB, reference: ref })(s);
    const n = riskOf({ model: smooth, track: noisy, inputBytes: 50 * GIB, reference: ref })(s);
    assert.ok(STEP_SPREAD < 0.15);
    assert.ok(
      n.high / n.durationMs > (q.high / q.durationMs) * 1.05,
      `${n.high / n.durationMs} vs ${q.high / q.durationMs}`,
    );
  });

  test('a fit through runs on a narrow span of core counts is unsure of its slope: a step below them costs margin', () => {
    const track = (executors: number[], local = false) =>
      readTrack(
        executors.map((e, i) => run(`r${i + 1}`, e, 50)),
        smooth,
        baseline,
        50 * GIB,
        1.1,
        { local },
      );
    const narrow = track([40, 36, 32]);
    const spanning = track([40, 8, 20]);
    assert.equal(narrow.sigma, NOISE_FLOOR, 'the fit is exact: the noise alone says nothing');
    assert.ok(narrow.slopeUncertainty > 5, String(narrow.slopeUncertainty));
    assert.equal(spanning.slopeUncertainty, 1);
    // The one-run what-if replays each stage's waves: its scaling is no slope fitted through runs.
    const local = track([40, 36, 32], true);
    assert.equal(local.slopeUncertainty, 1);
    // The same step, 32 executors down to 16, from the same known edge.
    const s = { executors: 16, executorCores: 4 };
    const ref = { executors: 32, executorCores: 4 };
    const margin = (t: typeof narrow) => {
      const p = riskOf({ model: smooth, track: { ...t, knownCores: 128 }, inputBytes: 50 * GIB, reference: ref })(s);
      return p.high / p.durationMs;
    };
    assert.ok(margin(spanning) < 1.1, String(margin(spanning)));
    assert.ok(margin(narrow) > 1.2, String(margin(narrow)));
  });

  test("the advised runs' own errors widen the track's noise", () => {
    const recent = [run('r1', 40, 50), run('r2', 30, 50), run('r3', 20, 50)];
    assert.equal(readTrack(recent, smooth, baseline, 50 * GIB, 1.1).sigma, NOISE_FLOOR);
    assert.equal(readTrack(recent, smooth, baseline, 50 * GIB, 1.1, { sigmaFloor: 0.2 }).sigma, 0.2);
  });

  test('the slowdown limit doubts a baseline predicted slower than the anchor until a run of this size had its cores', () => {
    // The anchor ran 30 × 4 at 50 GiB; say the model puts the baseline's 160 cores at 50 s against its 42 s.
    const cut = readTrack([run('r1', 30, 50), run('r2', 32, 45)], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(cut.anchor.executors, 30);
    assert.equal(referenceMs(cut, baseline, 50_000, 42_000), 42_000);
    assert.equal(referenceMs(cut, baseline, 40_000, 42_000), 40_000, 'a faster baseline is taken as predicted');
    // A run of about this size at the baseline's cores backs the model's baseline.
    const backed = readTrack([run('r1', 30, 50), run('r2', 40, 55)], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(backed.anchor.executors, 30);
    assert.equal(referenceMs(backed, baseline, 50_000, 42_000), 50_000);
    // Without an anchor run the anchor is the baseline: nothing to doubt it by.
    const none = readTrack([], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(referenceMs(none, baseline, 50_000, 42_000), 50_000);
  });

  test('the slowdown limit is measured from a baseline as slow as the runs near its cores took', () => {
    // Cuts ran as the model says; two runs on about the baseline's 40 executors took 1.4× its point. Of that, what
    // the job's noise could explain (its one-sided 90% bound) is not counted.
    const cuts = [run('r1', 20, 50), run('r2', 22, 50), run('r3', 24, 50)];
    const slow = readTrack([...cuts, run('r4', 40, 50, 1.4), run('r5', 38, 50, 1.4)], smooth, baseline, 50 * GIB, 1.1);
    const factor = 1.4 * Math.exp(-Z90 * slow.sigma);
    assert.ok(factor > 1.3);
    assert.ok(Math.abs(nearRunsFactor(slow) - factor) < 1e-9, String(nearRunsFactor(slow)));
    assert.ok(Math.abs(referenceMs(slow, baseline, 50_000, 42_000) - 50_000 * factor) < 1e-6);
    // Runs near the baseline slower by no more than the noise leave its point.
    const noisy = readTrack(
      [...cuts, run('r4', 40, 50, 1.04), run('r5', 38, 50, 1.04)],
      smooth,
      baseline,
      50 * GIB,
      1.1,
    );
    assert.equal(nearRunsFactor(noisy), 1);
    // Runs near the baseline as fast as the model says leave its point; so does a history without any.
    const asModel = readTrack([...cuts, run('r4', 40, 50), run('r5', 38, 50)], smooth, baseline, 50 * GIB, 1.1);
    assert.equal(nearRunsFactor(asModel), 1);
    assert.equal(referenceMs(asModel, baseline, 50_000, 42_000), 50_000);
    assert.equal(nearRunsFactor(readTrack(cuts, smooth, baseline, 50 * GIB, 1.1)), 1);
    // Every run as slow, cuts too: the band's correction already holds it, and the limit moves no further.
    const allSlow = readTrack(
      [...cuts.map((r) => ({ ...r, durationMs: r.durationMs * 1.4 })), run('r4', 40, 50, 1.4)],
      smooth,
      baseline,
      50 * GIB,
      1.1,
    );
    assert.ok(Math.abs(nearRunsFactor(allSlow) - 1) < 1e-9);
  });

  test("the runs near the baseline's cores floor its point; a point already lifted past them is not lifted again", () => {
    // Two runs on about the baseline's 40 executors took 1.4× the model's 50 s; a wave cliff fit already puts the
    // baseline at 80 s, more than they ever took: the limit is measured from that, not from 1.4 × 80 s.
    const cuts = [run('r1', 20, 50), run('r2', 22, 50), run('r3', 24, 50)];
    const slow = readTrack([...cuts, run('r4', 40, 50, 1.4), run('r5', 38, 50, 1.4)], smooth, baseline, 50 * GIB, 1.1);
    const floor = 50_000 * nearRunsFactor(slow);
    assert.ok(floor > 65_000 && floor < 70_000, String(floor));
    assert.ok(
      Math.abs(referenceMs(slow, baseline, 60_000, 42_000, nearRunsMs(slow, 50_000)) - floor) < 1e-6,
      'below the runs: raised',
    );
    assert.equal(
      referenceMs(slow, baseline, 80_000, 42_000, nearRunsMs(slow, 50_000)),
      80_000,
      'past the runs: as predicted',
    );
  });

  test("a candidate's interval holds all of the job's noise; the slowdown limit only the share a baseline run shares", () => {
    // Runs 10% slower and faster than the model: the band's noise is about 10%, well above the floor.
    const noisy = [run('r1', 40, 50, 1.1), run('r2', 30, 50, 0.9), run('r3', 20, 50, 1.1), run('r4', 40, 50, 0.9)];
    const t = readTrack(noisy, smooth, baseline, 50 * GIB, 1.1);
    assert.ok(t.sigma > 0.05, String(t.sigma));
    const p = riskOf({ model: smooth, track: t, inputBytes: 50 * GIB, reference: baseline })(baseline);
    // At the reference nothing changes: the 80% interval is the noise's, ±Z90·sigma in ln units.
    assert.ok(Math.abs(Math.log(p.high / p.durationMs) - Z90 * t.sigma) < 1e-9);
    assert.ok(Math.abs(Math.log(p.durationMs / p.low) - Z90 * t.sigma) < 1e-9);
    assert.ok(p.slowdownHigh < p.high && p.slowdownHigh > p.durationMs);
  });

  test('the slowdown limit holds the slowdown high end; a deadline the high end of the run itself', () => {
    const cand = (slowdownHigh: number, high: number): Candidate => ({
      settings: { executors: 10, executorCores: 4 },
      prediction: { durationMs: 44_000, low: 40_000, high },
      slowdownHigh,
      coreHours: (10 * 4 * 44_000) / 3.6e6,
    });
    const base = {
      settings: { executors: 40, executorCores: 4 },
      prediction: { durationMs: 50_000, low: 45_000, high: 56_000 },
      coreHours: (40 * 4 * 50_000) / 3.6e6,
    };
    // Within 1.1 × 50 s at the slowdown high end, though the run alone may take 60 s.
    assert.equal(choose([cand(54_000, 60_000)], base, config()).reason.code, 'fewest-core-hours');
    assert.equal(choose([cand(56_000, 60_000)], base, config()).reason.code, 'kept-baseline');
    // A deadline of 58 s is met by the run itself, noise and all: 60 s at the high end misses it.
    const deadline = config({ objective: 'deadline', deadlineSeconds: 58 });
    const missed = cand(54_000, 60_000);
    assert.notEqual(choose([missed], base, deadline).chosen, missed);
    // Written as explain's table writes durations.
    assert.match(rejectionText(missed.rejected ?? ''), /predicted high end 1m 00s exceeds 58 s/);
    // The duration objective buys speed only where the pick's high end is under the baseline's point.
    const duration = config({ objective: 'duration' });
    assert.equal(choose([cand(46_000, 52_000)], base, duration).reason.code, 'duration-no-faster');
    assert.equal(choose([cand(40_000, 48_000)], base, duration).reason.code, 'duration-fastest');
    // A high end that rounds to the deadline prints with the decimal that sets it apart.
    const close = cand(54_000, 58_400);
    choose([close], base, deadline);
    assert.match(rejectionText(close.rejected ?? ''), /high end 58\.4 s exceeds 58\.0 s/);
    assert.equal(choose([cand(54_000, 57_000)], base, deadline).reason.code, 'fewest-core-hours');
  });

  test('a deadline objective without deadlineSeconds minimises cost: never a dearer candidate than the baseline', () => {
    // The baseline's high end (60 s) is over 1.1 × its point; a dearer candidate within the bound is no saving.
    const base = {
      settings: { executors: 10, executorCores: 2 },
      prediction: { durationMs: 50_000, low: 42_000, high: 60_000 },
      coreHours: (10 * 2 * 50_000) / 3.6e6,
    };
    const dearer: Candidate = {
      settings: { executors: 10, executorCores: 4 },
      prediction: { durationMs: 40_000, low: 36_000, high: 44_000 },
      slowdownHigh: 44_000,
      coreHours: (10 * 4 * 40_000) / 3.6e6,
    };
    // Without its seconds a deadline objective is a config error; handed one all the same, the choice stays safe.
    for (const objective of ['cost', 'deadline'] as const) {
      const c = choose([dearer], base, { ...config(), objective });
      assert.equal(c.chosen, base, objective);
      assert.equal(c.reason.code, 'kept-baseline', objective);
    }
  });

  test('a candidate within the limit from the baseline point is rejected beyond it from the reference', () => {
    const at = (executors: number, ms: number, high: number) => ({
      settings: { executors, executorCores: 4 },
      prediction: { durationMs: ms, low: ms, high },
      coreHours: (executors * 4 * ms) / 3.6e6,
    });
    const base = at(40, 50_000, 50_000);
    const fromPoint = choose([at(10, 44_000, 50_000)], base, config());
    assert.equal(fromPoint.reason.code, 'fewest-core-hours');
    const fromReference = choose([at(10, 44_000, 50_000)], base, config(), 42_000);
    assert.equal(fromReference.reason.code, 'kept-baseline');
    assert.equal(fromReference.reason.values.baselineMs, 42_000);
    assert.match(reasonText(fromReference.reason), /42 s \(taken as no slower than the anchor's/);
    // Measured from the baseline's replay a wave sooner, the limit says so instead.
    const fromWave = choose([at(10, 44_000, 50_000)], base, config(), 42_000, { wave: true });
    assert.equal(fromWave.reason.code, 'kept-baseline');
    assert.equal(fromWave.reason.values.baselineAtWave, true);
    assert.match(reasonText(fromWave.reason), /42 s \(taken a wave sooner: its task count lies within 1% above/);
    // Measured from the runs near the baseline's cores, slower than the model's point, the limit says by how much.
    const fromRuns = choose([at(10, 60_000, 60_000)], base, config(), 70_000, { nearRuns: 1.4 });
    assert.equal(fromRuns.reason.code, 'fewest-core-hours');
    assert.equal(fromRuns.reason.values.baselineNearRuns, 1.4);
    assert.match(
      reasonText(fromRuns.reason),
      /1m 10s \(1\.40× the model's point: the runs near its cores took that much/,
    );
  });
});
