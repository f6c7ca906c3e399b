import { durationSpecs } from '../../models/family.js';
import type { WhatIf } from '../../models/what-if/one-run.js';
import type { ModelSpec, Regressor } from '../../models/types.js';

/** What the track record and the risk need of a model: its point prediction, and a replay's task-count margin. */
export type Predictor = Pick<Regressor, 'predictMs'> & Partial<Pick<WhatIf, 'marginMs' | 'lowMarginMs'>>;
import type { RunRecord, Settings } from '../types.js';
import { DEGENERATE_RANGE } from '../../models/interval.js';
import { SIMILAR_INPUT, similarInput } from './band.js';
import { runSettings } from './features.js';

// Safe exploration from the job's own track record. A run's input size decides which past runs speak for it
// (those of a similar size); the last good one of them is the anchor steps are measured from, so a revert or
// a launch without advice never throws the progress away. The job's run-to-run noise is measured, so a run
// within it is no regression; a run beyond it sets a floor half way back towards the settings that were good.

/** A model's residuals are no evidence of precision below this (ln units: ±4%). */
export const NOISE_FLOOR = 0.04;
/** One-sided 90% bound for a normal spread. */
export const Z90 = 1.2816;

export interface Track {
  /** Run-to-run noise and model misfit, ln units. */
  sigma: number;
  /** Correction of the model's point for this input band: geometric mean of observed/predicted. */
  bias: number;
  /** Settings steps are measured from: the last good run of a similar input size, else the baseline. */
  anchor: Settings;
  anchorRun?: RunRecord;
  /** Fewest total cores a similar-sized run ran well with (the edge of what is known). */
  knownCores: number;
  /**
   * Fewest total cores known good for this input's data per core: a good run of a smaller input vouches for as much
   * data per core as it read, not for its core count at any larger input (`knownCores` when no run is smaller).
   */
  dataKnownCores: number;
  /** The history ran at about one core count, or only on much smaller inputs: nothing shows how the job scales. */
  flat: boolean;
  /** How uncertain, per unit of noise, the fitted scaling with cores is (slopeUncertainty): 1 once runs span cores. */
  slopeUncertainty: number;
  /** Total cores candidates must reach: above a run of this band that overran or failed on fewer cores. */
  floorCores: number;
  /** Shuffle partitions candidates must keep: above a run that overran or failed on fewer than the baseline's. */
  floorPartitions: number;
  /** The runs that set the floor, most recent first. */
  overruns: RunRecord[];
  /** Most total cores a successful run of a similar input size ran with (0: none ran). */
  bandCores: number;
  /** The model's correction for the runs near the baseline's cores (baselineCorrection; 0: none ran). */
  nearBaseline: number;
  /** The model's correction for the runs on the baseline's own settings of a similar input size (ownCorrection). */
  ownBaseline?: { correction: number; runs: number };
}

export const cores = (s: { executors: number; executorCores: number }) => s.executors * s.executorCores;

/** A run's own stages replayed at the baseline's settings (the one-run what-if): what the baseline would have taken. */
export interface BaselineReplay {
  runId: string;
  baselineMs: number;
}
const similar = similarInput;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
}

/** How a track record is read beyond the request itself. */
export interface TrackOptions {
  /** The model answers for one input band (the one-run what-if): it is judged on that band only. */
  local?: boolean;
  /** The least noise to assume, ln units (from the advised runs' own errors). */
  sigmaFloor?: number;
  /** The replayed run's own stages at the baseline's settings, when the what-if replayed one. */
  replay?: BaselineReplay;
}

/** The most the slope's uncertainty counts: a history at one core count is `flat` anyway. */
const MAX_SLOPE_UNCERTAINTY = 10;

/**
 * The standard error of a fitted slope of ln(duration) against ln(cores), per unit of the runs' noise:
 * 1/√Σ(ln cores − their mean)², at least 1. A curve through a few runs within a narrow span of core counts has seen
 * little of how the job scales, however closely it fits them (bench/loop, noise cluster, skewed shuffle, seed s75:
 * an exact fit through three runs on 60–80 cores cut a 57 GiB input to 32 cores, 1.42× the fixed time; with this
 * alone to 36, 1.31×, which its point, faster than the baseline's, still allowed: risk.ts floors that too).
 */
function slopeUncertainty(coreCounts: number[]): number {
  // One run at one core count: the track is `flat`, which prices the step in full.
  if (coreCounts.length < 2) return 1;
  const ln = coreCounts.map(Math.log);
  const mean = ln.reduce((a, b) => a + b, 0) / ln.length;
  const ss = ln.reduce((a, b) => a + (b - mean) ** 2, 0);
  return ss > 0 ? Math.min(MAX_SLOPE_UNCERTAINTY, Math.max(1, 1 / Math.sqrt(ss))) : MAX_SLOPE_UNCERTAINTY;
}

/** A run's duration against the model's prediction for its own settings and input, ln units. */
const logResidual = (model: Pick<Predictor, 'predictMs'>, r: RunRecord) =>
  Math.log(r.durationMs / Math.max(1, model.predictMs(runSettings(r), r.inputBytes)));

/** Most recent runs of a similar input size that correct a model for them (the band). */
const BAND_RUNS = 6;

/**
 * How much slower than `model` predicts the runs at about the baseline's cores (within DEGENERATE_RANGE, none
 * with fewer shuffle partitions) of a similar input size ran: the geometric median of their observed/predicted, 0
 * without such runs. A model learnt from cuts can call the baseline faster than any run near it ever was, and
 * judged against that baseline a cut that ran as fast as the baseline does passes for an overrun (bench/loop
 * --shapes random:40 --cluster bandwidth --seed s35, random 27: a replay of a 40-core run called the fixed 80 cores
 * 18% faster where storage serves about 40 scan tasks at once; runs on 72 cores had taken 1.36× its prediction).
 */
export function baselineCorrection(
  recent: RunRecord[],
  model: Pick<Predictor, 'predictMs'>,
  baseline: Settings,
  inputBytes: number,
): number {
  const near = recent
    .filter(
      (r) =>
        r.succeeded &&
        r.durationMs > 0 &&
        similarInput(r.inputBytes, inputBytes) &&
        cores(r) * DEGENERATE_RANGE >= cores(baseline) &&
        (r.shufflePartitions ?? baseline.shufflePartitions ?? 0) >= (baseline.shufflePartitions ?? 0),
    )
    .slice(0, BAND_RUNS);
  if (near.length === 0) return 0;
  return Math.exp(median(near.map((r) => logResidual(model, r))));
}

/**
 * How much faster or slower than `model` predicts the runs on the baseline's own settings (its executors, cores,
 * shuffle partitions and memory) of a similar input size ran: the geometric median of their observed/predicted, with
 * how many there were; undefined without such runs. The model's point for the baseline is a claim about settings these
 * runs measured.
 */
function ownCorrection(
  ok: RunRecord[],
  model: Pick<Predictor, 'predictMs'>,
  baseline: Settings,
  inputBytes: number,
): { correction: number; runs: number } | undefined {
  const own = ok
    .filter(
      (r) =>
        similarInput(r.inputBytes, inputBytes) &&
        r.executors === baseline.executors &&
        r.executorCores === baseline.executorCores &&
        (r.shufflePartitions ?? baseline.shufflePartitions) === baseline.shufflePartitions &&
        (r.executorMemoryBytes === undefined ||
          baseline.executorMemoryBytes === undefined ||
          r.executorMemoryBytes === baseline.executorMemoryBytes),
    )
    .slice(0, BAND_RUNS);
  if (own.length === 0) return undefined;
  return { correction: Math.exp(median(own.map((r) => logResidual(model, r)))), runs: own.length };
}

/** Reads the track record for a request of `inputBytes` against the baseline, through the chosen model. */
export function readTrack(
  recent: RunRecord[],
  model: Predictor,
  baseline: Settings,
  inputBytes: number,
  maxSlowdown: number,
  { local = false, sigmaFloor = 0, replay }: TrackOptions = {},
): Track {
  const ok = recent.filter((r) => r.succeeded && r.durationMs > 0 && r.executors > 0 && r.executorCores > 0);
  const judged = local ? ok.filter((r) => similar(r.inputBytes, inputBytes)) : ok;
  const logRes = (judged.length >= 3 ? judged : ok).slice(0, 50).map((r) => logResidual(model, r));
  const center = median(logRes);
  // Robust spread: 1.4826 × the median absolute deviation estimates a normal sigma without the outliers' pull.
  const sigma = Math.max(NOISE_FLOOR, sigmaFloor, 1.4826 * median(logRes.map((x) => Math.abs(x - center))));
  const band = ok.filter((r) => similar(r.inputBytes, inputBytes)).slice(0, BAND_RUNS);
  const bandRes = band.map((r) => logResidual(model, r));
  const bias = bandRes.length ? Math.exp(median(bandRes)) : 1;
  // A run is judged against the band's correction without its own residual: a slow advised run that counted
  // towards the correction raised the bar it was measured against, passed for noise, set no floor, and the next
  // run of that size could go as low again.
  const biasWithout = (r: RunRecord) => {
    const at = band.indexOf(r);
    if (at < 0 || band.length < 2) return bias;
    return Math.exp(median(bandRes.filter((_, i) => i !== at)));
  };

  // A run overran when it took longer than the slowdown limit allows over the baseline at its own input, by
  // more than the noise: judged against the model corrected for this band, so a model's misfit is not blamed on it.
  // A cut is fewer cores, or fewer shuffle partitions (bigger tasks, a skewed partition biggest of all), than the
  // baseline's: a run at the baseline's cores with fewer partitions that overran says the partitions did it.
  const partitionsOf = (r: RunRecord) => r.shufflePartitions ?? baseline.shufflePartitions ?? 0;
  const partitionCut = (r: RunRecord) => partitionsOf(r) < (baseline.shufflePartitions ?? 0);
  const cut = (r: RunRecord) => cores(r) < cores(baseline) || partitionCut(r);
  // Nor against a baseline faster than the runs near it showed it to be: the larger correction holds.
  const nearBaseline = baselineCorrection(ok, model, baseline, inputBytes);
  const overran = (r: RunRecord) =>
    r.durationMs >
      maxSlowdown *
        Math.max(biasWithout(r), nearBaseline) *
        model.predictMs(baseline, r.inputBytes) *
        Math.exp(2 * sigma) && cut(r);
  const sized = recent.filter(
    (r) =>
      similar(r.inputBytes, inputBytes) ||
      (r.inputBytes <= inputBytes && r.inputBytes * SIMILAR_INPUT >= inputBytes / SIMILAR_INPUT),
  );
  // A noisy job's tolerance is wide, and once the runs of a size are all cuts a cross-run fit learns its baseline
  // from them: each cut then looks within the limit of a baseline predicted too slow (bench/loop parallel-noise,
  // skewed shuffle: cuts that ran 1.15–1.23× the fixed time, then one at 1.33×). The replay of a run's own stages at
  // the baseline's settings needs neither: the run's noise is in both.
  const replayOverran = (r: RunRecord) =>
    replay?.runId === r.id && cut(r) && r.durationMs > maxSlowdown * replay.baselineMs;
  const overruns = sized.filter(
    (r) =>
      r.adviceId !== undefined &&
      (!r.succeeded || overran(r) || replayOverran(r)) &&
      r.inputBytes * SIMILAR_INPUT >= inputBytes,
  );
  // Known good is what was seen within the limit, not merely within the noise of it: a run the noise cannot tell
  // from an overrun sets no floor, but it does not push the known edge (or the anchor) further down either. The
  // limit is the one an overrun is judged by, the baseline no faster than the runs near its cores took.
  const within = (r: RunRecord) =>
    !cut(r) ||
    r.durationMs <=
      maxSlowdown *
        Math.max(biasWithout(r), nearBaseline) *
        model.predictMs(baseline, r.inputBytes) *
        Math.exp(-Z90 * (sigma - NOISE_FLOOR));
  const good = band.filter((r) => !overruns.includes(r) && !overran(r) && within(r));
  // A run at the baseline's own core count (a launch without advice, a kept or reverted baseline) says nothing
  // about how far the job can go: it does not move the anchor back.
  const anchorRun = good.find((r) => cores(r) !== cores(baseline)) ?? good[0];
  const anchor: Settings = anchorRun ? { ...baseline, ...runSettings(anchorRun) } : baseline;
  const knownCores = Math.min(cores(baseline), ...good.map(cores));
  // The band spans inputs up to SIMILAR_INPUT apart: a run that read half as much on some cores ran half the waves
  // a question of this size asks of them (risk.ts checks such a cut against the replay of a run's stages).
  const vouched = (r: RunRecord) =>
    r.inputBytes > 0 && inputBytes > 0 ? cores(r) * Math.max(1, inputBytes / r.inputBytes) : cores(r);
  const dataKnownCores = Math.min(cores(baseline), ...good.map(vouched));
  // A slow run that a later run of this size bettered within the limit on as few cores was the noise's, not the
  // cut's: it sets no floor (bench/loop, over-provisioned ETL, seed s121: a 25 GiB run on 26 executors took 1.28×
  // its prediction, and its twin on the fixed settings as long; another 25 GiB run on 26 executors then ran within
  // the limit, yet the floor kept 17 GiB inputs on 29 executors or more, 0.70× the fixed core-hours → 0.66×). A
  // failed run stands.
  const later = (g: RunRecord, r: RunRecord) => recent.indexOf(g) < recent.indexOf(r);
  // Each setting the run cut is stepped back on its own, and a later good run as cut as it clears it for that one.
  // A failed run that cut no partitions holds the cores wherever it ran.
  const standingOn = (size: (r: RunRecord) => number, isCut: (r: RunRecord) => boolean) =>
    overruns.filter((r) => isCut(r) && (!r.succeeded || !good.some((g) => size(g) <= size(r) && later(g, r))));
  // Half way back (geometric) towards the fewest known good above it.
  const floorOf = (runs: RunRecord[], size: (r: RunRecord) => number, base: number) =>
    Math.max(0, ...runs.map((r) => Math.sqrt(size(r) * Math.min(base, ...good.map(size).filter((c) => c > size(r))))));
  const onCores = standingOn(cores, (r) => cores(r) < cores(baseline) || (!r.succeeded && !partitionCut(r)));
  const onPartitions = standingOn(partitionsOf, partitionCut);
  const standing = overruns.filter((r) => onCores.includes(r) || onPartitions.includes(r));
  const floorCores = floorOf(onCores, cores, cores(baseline));
  const floorPartitions = floorOf(onPartitions, partitionsOf, baseline.shufflePartitions ?? 0);
  const all = ok.map(cores);
  // Nor does a history of smaller inputs only: their parallel work was a smaller share of each run, a few waves or
  // one, and a fit through them can call a cut free that an input several times larger pays for in full (bench/loop
  // held-out shapes, fat executors, seed s41: runs of 1–6 GiB, a 50 GiB input cut to half the executors, 1.42×).
  // Runs without an input size tell neither way.
  const ofKnownSize = ok.filter((r) => r.inputBytes > 0);
  const larger = ofKnownSize.length > 0 && ofKnownSize.every((r) => r.inputBytes * SIMILAR_INPUT < inputBytes);
  // The one-run what-if replays the stages' waves at other core counts: it is evidence of the scaling itself.
  const flat = !local && all.length > 0 && (larger || Math.max(...all) / Math.min(...all) < DEGENERATE_RANGE);
  const bandCores = Math.max(0, ...band.map(cores));
  const ownBaseline = ownCorrection(ok, model, baseline, inputBytes);
  return {
    sigma,
    bias,
    anchor,
    ...(anchorRun ? { anchorRun } : {}),
    knownCores,
    dataKnownCores,
    flat,
    // The one-run what-if's scaling is its replay of the stages' waves, not a slope fitted through runs.
    slopeUncertainty: local ? 1 : slopeUncertainty(all),
    floorCores,
    floorPartitions,
    overruns: standing,
    bandCores,
    nearBaseline,
    ...(ownBaseline ? { ownBaseline } : {}),
  };
}

/**
 * The family that answers duration questions, the same as `spot predict`'s (models/family.ts says why), less the
 * spill-aware form for a job whose runs say they never spill: its extra term bends the curve up at fewer cores, and
 * on such a job it fits that bend to noise and keeps the advice away from savings (bench/loop's ETL job: 0.61× the
 * fixed core-hours with it, 0.55× without). Unknown spill (runs without the figure) keeps it in the contest.
 */
export function advisorSpecs(spills?: boolean): ModelSpec[] {
  return durationSpecs().filter((s) => !(spills === false && s.family === SPILL_AWARE));
}

/** The family that predicts spill's cost: the one a cut in a spilling job's execution memory per task needs. */
export const SPILL_AWARE = 'ernest-spill';
