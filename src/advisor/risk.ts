import { cliffFactor, cliffMs, type CliffFit } from './cliff.js';
import { TASK_COUNT_MARGIN } from '../../models/features.js';
import type { Prediction, Settings } from '../types.js';
import { cores, type Predictor, type Track, Z90 } from './explore.js';

// The risk of a candidate, read through the track record (explore.ts): its point, corrected for the band and for
// wave cliffs a smooth model misses, a high end that widens with what the history has not seen, and the baseline's
// duration the slowdown limit is measured from.

/**
 * How far a prediction is trusted as it moves away from what the band has seen: spread per ln of the predicted change.
 */
const CHANGE_SPREAD = 0.1;
/** Spread per ln of a step in total cores below the fewest the band has seen run well. */
export const STEP_SPREAD = 0.08;
/** Spread per ln of a step below the known cores, per unit of the job's noise and of the fitted slope's uncertainty
 * (explore.ts): a curve fitted through noisy runs is that much less sure of its slope (the larger of this and
 * STEP_SPREAD applies). */
const STEP_SPREAD_PER_SIGMA = 1;
/** Share of the run-to-run noise that counts against a predicted change. */
const NOISE_SHARE = 0.25;

/**
 * The baseline's duration the slowdown limit is measured from, given the points predicted for the baseline and for
 * the anchor. A fit through runs whose core counts followed their input sizes (cuts on small inputs, many cores on
 * large ones) can put the baseline's extra cores at this input size as a cost, and the baseline slower than the
 * anchor: believed, that loosens the limit for every cut (bench/loop, noise cluster, seed s5: a run at 1.69× the
 * fixed run time). Until a successful run of a similar size with as many cores as the baseline backs it, the limit
 * is measured from the faster of the two. `nearMs` is the floor the runs near the baseline's cores set (nearRunsMs),
 * which the caller also words the limit by.
 */
export function referenceMs(
  track: Track,
  baseline: Settings,
  basePointMs: number,
  anchorPointMs: number,
  nearMs = nearRunsMs(track, basePointMs),
): number {
  const unbacked = cores(track.anchor) < cores(baseline) && track.bandCores < cores(baseline);
  const base = Math.max(basePointMs, nearMs);
  return unbacked ? Math.min(base, anchorPointMs) : base;
}

/**
 * How much slower than the band's correction of the model the job's runs near the baseline's cores took, less what
 * the job's noise explains at its one-sided 90% bound (1: none ran, or none slower by more). The limit is measured
 * from a baseline no faster than those runs showed it to be, as an overrun is judged (explore.ts): a replay of a run
 * on 2 executors knew nothing of what 59 cost per stage and called the fixed settings 18 s where two runs on them had
 * taken 72 s, and every cut, as fast as those runs, was held over the limit and the fixed settings kept (bench/loop
 * --shapes random:40 --seed s37, random 19: 0.25× → 0.17× the fixed core-hours). Counted in full, a run near the
 * baseline that the noise had slowed loosened the limit for every cut, and the cuts of a skewed shuffle ran at a
 * median 1.12× the fixed time (bench/loop --cluster driver-bound --seed s8; with the noise's share left out, 1.06×).
 */
export function nearRunsFactor(track: Track): number {
  return Math.max(1, (track.nearBaseline / track.bias) * Math.exp(-Z90 * track.sigma));
}

/**
 * The baseline no faster than the runs near its cores took: `nearRunsFactor` over the point it was measured against,
 * the band's correction of the model (`smoothBaseMs`). It is a floor under the baseline's point, not a factor on it:
 * a wave cliff fit that had already lifted the point to what those runs took was lifted again by their whole
 * shortfall against the smooth model, and the limit stood 1.44× above the slowest run the baseline's cores had ever
 * made (bench/loop --schedule huge --cluster hot-key --shapes random:30 --seed q11, random 26: the runs on 70 × 8
 * took 8.8–8.9 s, the limit was measured from 13 s, and a cut to 2 × 5 ran 1.60× the fixed time).
 */
export function nearRunsMs(track: Track, smoothBaseMs: number): number {
  return smoothBaseMs * nearRunsFactor(track);
}

/**
 * The baseline no slower than the job's runs on its own settings of a similar input size took, at the one-sided 90%
 * bound of the job's noise: a ceiling over the limit's reference, as `nearRunsMs` is a floor under it; undefined
 * without such runs. A model can price the baseline's own settings far slower than they run, and measured from
 * that point the limit let a cut through at the baseline's predicted time, where the baseline had run faster
 * (bench/loop --schedule huge --cluster hot-key --shapes random:30 --seed p1, random 22: a replay of a run on 10,550
 * partitions priced the fixed 200 at 522 s for 980 GiB, a run on them of 899 GiB had taken 370 s, the fixed
 * settings took 388 s, and a cut to 25 executors, predicted 525 s, ran 1.38× the fixed time).
 */
export function ownRunsMs(
  track: Track,
  model: Pick<Predictor, 'predictMs'>,
  baseline: Settings,
  inputBytes: number,
): number | undefined {
  const own = track.ownBaseline;
  return own && own.correction * model.predictMs(baseline, inputBytes) * Math.exp(Z90 * track.sigma);
}

const fewerPartitions = (s: Settings, reference: Settings) =>
  s.shufflePartitions !== undefined &&
  reference.shufflePartitions !== undefined &&
  s.shufflePartitions < reference.shufflePartitions;

/** What every candidate of one advice is weighed against. */
export interface RiskScene {
  model: Predictor;
  track: Track;
  inputBytes: number;
  /** The settings a step is measured from: the anchor. */
  reference: Settings;
  /** The settings the slowdown limit is measured against; the reference when absent. */
  baseline?: Settings;
  /** A replay of one run's stages, which checks a cross-run fit's cut below the cores known good. */
  replay?: Predictor;
}

/**
 * The model's point for a candidate, corrected for the band, with a high end that widens with the size of the
 * predicted change and with the step below the fewest cores known good: a step the model calls harmless is cheap to
 * take, one into unknown ground costs margin. What the candidates share (the reference's and the baseline's points)
 * is predicted once; `cliffs` are the candidate's own (cliff.ts).
 */
export function riskOf({ model, track, inputBytes, reference, baseline = reference, replay }: RiskScene) {
  const ref = track.bias * model.predictMs(reference, inputBytes);
  const basePoint = track.bias * model.predictMs(baseline, inputBytes);
  // The replay's baseline at each input size asked (this one, and its task-count margin's), predicted once.
  const replayBase = new Map<number, number>();
  /** The replay's point for the reference at this input, when a candidate first asks for it. */
  let replayRef: number | undefined;
  /** The baseline's point, moved by the change the replay sees from the baseline to `s` at `bytes`. */
  const replayedMs = (r: Predictor, s: Settings, bytes: number): number => {
    const base = replayBase.get(bytes) ?? Math.max(1, r.predictMs(baseline, bytes));
    replayBase.set(bytes, base);
    return (basePoint * r.predictMs(s, bytes)) / base;
  };
  return (s: Settings, cliffs?: CliffFit): Prediction & { slowdownHigh: number; modelMs: number } => {
    const smooth = track.bias * model.predictMs(s, inputBytes);
    const partialWave = (x: Settings, xMs: number, bytes: number) =>
      cliffs ? (xMs * cliffFactor(cliffs, x, bytes)) / cliffFactor(cliffs, baseline, bytes) : xMs;
    /** The model's own point, its wave cliffs included, before any floor. */
    const modelAt = (bytes: number) => {
      const p = partialWave(s, smooth, bytes);
      if (!cliffs) return p;
      const fromReference = (ref * cliffMs(cliffs, s, bytes)) / Math.max(1, cliffMs(cliffs, reference, bytes));
      return Math.max(p, smooth, fromReference);
    };
    const wavesAt = (bytes: number, p = modelAt(bytes)) => {
      // Nor is a cut ever predicted faster than the settings it steps from, their own partial wave included. A
      // selection answers below the history's core counts with another part than inside them, and the two can
      // disagree by more than the cut's own effect: a cut from 16 executors to 8 called 27% faster ran 1.65× the fixed
      // time (bench/loop parallel-noise, seed s12). And a model that calls fewer cores faster lets a cut's partial
      // wave count for less than the reference's: for 16 GiB, 30 executors and 21 both run two waves where the
      // baseline's 40 run one; the floor raised the reference's point by 24% and the cut's by 10%, and the cut ran
      // 1.51× (parallel-noise, over-provisioned ETL, seed s7). Where fewer executors really are faster (start-up), the
      // cut still saves its core-hours at no predicted cost.
      const floored = cores(s) < cores(reference) ? Math.max(p, ref, partialWave(reference, ref, bytes)) : p;
      // A cut the fit calls dearer than the replay of a run's stages does is priced between the two (geometric mean
      // of their changes against the baseline), never under the baseline's point. A fit across input sizes counts
      // what larger inputs add (shuffle, driver) as cost of fewer cores; the replay holds the input and counts the
      // waves and the start-up saved (bench/loop default draw, over-provisioned ETL, launch 7: 19.3 GiB from 40
      // executors to 20, the fit +12%, the replay +3%, the cluster +2%: the baseline was kept, and now the cut runs
      // at 1.02× the fixed time on 0.51× its core-hours). Where the replay is the dearer, the floor below the cores
      // known good holds (below).
      if (!replay || cores(s) >= cores(baseline)) return floored;
      const replayed = replayedMs(replay, s, bytes);
      return replayed < floored ? Math.max(basePoint, Math.sqrt(floored * replayed)) : floored;
    };
    const modelMs = modelAt(inputBytes);
    let point = wavesAt(inputBytes, modelMs);
    // Nor faster than the baseline at this input: that fewer cores finish sooner is a fit's claim, and a fit through
    // a few runs whose core counts followed their input sizes makes it of what the sizes did (bench/loop noise cluster,
    // skewed shuffle, seed s75: an exact fit through three runs on 60–80 cores called a 57 GiB input 16% faster on 36
    // cores than on the baseline's 80, and the cut ran 1.31× the fixed time; now 52 cores, 1.12×).
    if (cores(s) < cores(baseline)) point = Math.max(point, basePoint);
    // Below the fewest cores known good a fit's slope is its own extrapolation; the one-run replay's is the run's
    // stages, waves of tasks over fewer slots. A cut there is no faster against the baseline than the replay says
    // (bench/loop held-out shapes on `startup`, right-sized, seed s63: a fit that saw executor start-up cost more than
    // the work cut a 50 GiB input from 11 executors to 6, 1.38× the fixed time). Known good for this input's data per
    // core: a run of a smaller input on as few cores ran fewer waves (bench/loop held-out shapes on `jump`,
    // right-sized, seed s325: 28 cores known good from a 10 GiB run, a smooth fit called 15.8 GiB on them 4.5% slower
    // than the baseline, and the cut ran 1.30× the fixed time; now 1.09×). Only the replay's floor reads it so: it
    // counts those waves, and where it finds none the cut is as cheap as before, whereas widening the high end there
    // too cost savings everywhere (bench/loop --cluster all --shapes all, seeds s300–s303: 0.626× → 0.647× the fixed
    // core-hours). Nor are fewer shuffle partitions than the reference's or the baseline's free: a cross-run fit does
    // not see the partition count; the replay gives each task its bytes and counts the waves of them.
    const replayFloors =
      cores(s) < track.dataKnownCores || fewerPartitions(s, reference) || fewerPartitions(s, baseline);
    let claimed = modelMs;
    if (replay && replayFloors) {
      const replayed = replayedMs(replay, s, inputBytes);
      point = Math.max(point, replayed);
      // The replay's claim is its own change from the reference, not its distance from the fit's point there: a
      // replay holds each stage's wall time, and where every stage pays per executor it called a cut that had run
      // in half the fixed time as slow as the baseline; priced as a step from that cut, every cut's high end was
      // over the limit and the job stayed on its fixed 67 executors (bench/loop --shapes random:40 --cluster
      // parallel --seed s38, random 23: 0.71× → 0.09× their core-hours).
      replayRef ??= Math.max(1, replayedMs(replay, reference, inputBytes));
      claimed = Math.max(claimed, (ref * replayed) / replayRef);
    }
    // The change the models claim, not the floors' (above): a floor at the baseline's point is no predicted change,
    // and measured from a cut that ran well (the reference) it priced that cut's own settings as a leap (bench/loop
    // --shapes random:200 --seed s6, random 64: every cut's high end over the limit, where a cut to 10 of the fixed
    // 73 executors had taken a third of their time).
    const change = Math.abs(Math.log(claimed / Math.max(1, ref)));
    const below = Math.max(0, Math.log(track.knownCores / cores(s)));
    const unseen =
      (CHANGE_SPREAD * change) ** 2 +
      (Math.max(STEP_SPREAD, STEP_SPREAD_PER_SIGMA * track.sigma * track.slopeUncertainty) * below) ** 2;
    // A task count estimated a little short may leave the next wave's first task out (TASK_COUNT_MARGIN): the high end
    // holds the waves of a few more tasks, as the replay or the cliff fit counts them.
    const margined = Math.max(
      cliffs ? wavesAt(inputBytes * (1 + TASK_COUNT_MARGIN)) : 0,
      model.marginMs ? track.bias * model.marginMs(s, inputBytes) : 0,
    );
    const highAt = (spread: number) => {
      const high = Math.max(point, margined) * Math.exp(Z90 * spread);
      // Without evidence of how the job scales with cores, the high end below the known core count assumes the
      // worst plausible case: all of the time is parallel work.
      return track.flat && cores(s) < track.knownCores ? Math.max(high, (ref * track.knownCores) / cores(s)) : high;
    };
    // The run's own duration varies by all of the job's noise: that is its 80% interval (bench/loop: with a share of
    // the noise only, 35% of the advised runs of the default draws ran inside the interval they were shown).
    const spread = Math.sqrt(track.sigma ** 2 + unseen);
    // Its slowdown against the baseline does not: run-to-run noise hits a run at the baseline alike, so only a share
    // of it counts against a change.
    const slowdownHigh = highAt(Math.sqrt((NOISE_SHARE * track.sigma) ** 2 + unseen));
    return {
      durationMs: point,
      low: Math.min(point, smooth) * Math.exp(-Z90 * spread),
      high: highAt(spread),
      slowdownHigh,
      modelMs,
    };
  };
}
