import { observeAttempt, type RunObs } from '../../models/what-if/observe.js';
import { oneRunWhatIf, type WhatIf } from '../../models/what-if/one-run.js';
import type { Model } from '../../models/types.js';
import type { Advice, RawDoc, Reason, RunRecord, Settings } from '../types.js';
import { baselineCorrection, NOISE_FLOOR, type BaselineReplay } from './explore.js';
import { similarInput } from './band.js';
import { isUsableRun } from '../../models/family.js';
import { taskTimeSlope } from './contention.js';
import { wholeKeyCheck } from './whole-key.js';
import { runSettings } from './features.js';

// The run the one-run what-if replays: the most recent successful run of a similar input size, read from its raw
// document (stages and executors). The caller fetches the document; this picks the run and builds the model.

/**
 * A replay further than this from its own run's duration does not describe the run (stages missing from the
 * History Server, or wall time they do not account for); with too little history to check it on other runs, the
 * advisor then keeps to its rules of thumb.
 */
export const THIN_WHAT_IF_MAX_SELF_ERROR = 0.2;
/** Fewest other runs of a similar size the what-if must be checked on before it may compete. */
const WHAT_IF_MIN_CHECKS = 2;

export interface WhatIfRun {
  runId: string;
  run: RunObs;
  /** Its input size in the launch's unit (RunRecord.inputBytes after the unit conversion). */
  inputBytes: number;
  shufflePartitions?: number;
  adaptive?: boolean;
}

const crawled = (r: RunRecord) => !!r.appId && r.source === 'crawl';
const sizeGap = (r: RunRecord, inputBytes: number) => Math.abs(Math.log(r.inputBytes / inputBytes));

/**
 * The record whose raw document to fetch, or undefined (also when too few other runs could check the what-if): the
 * most recent run of a similar input size. With too few of those to check a replay on, the crawled run nearest in
 * size, to be checked on runs of any size (whatIfError). A cross-run fit then extrapolates in size from a few runs,
 * and where the larger inputs ran on more executors it can call the baseline's cores a cost: bench/loop held-out
 * shapes on `parallel`, scan-only, seed s46, fourth launch: an exact Ernest fit through 41, 43 and 15 GiB runs (30, 29
 * and 16 executors) called 30 executors slower than 12 for 11.3 GiB, which then ran in two waves instead of one, 1.76×
 * the fixed time. The 15 GiB run's stages, replayed, count the waves.
 */
export function whatIfCandidate(records: RunRecord[], inputBytes: number | undefined): RunRecord | undefined {
  if (!inputBytes || inputBytes <= 0) return undefined;
  const similar = records
    .filter((r) => r.succeeded && similarInput(r.inputBytes, inputBytes))
    .slice(0, WHAT_IF_MIN_CHECKS + 1);
  if (similar.length > WHAT_IF_MIN_CHECKS) return similar.find(crawled);
  const sized = records.filter((r) => r.succeeded && r.inputBytes > 0);
  if (sized.length <= WHAT_IF_MIN_CHECKS) return undefined;
  // The nearest in size; of equally near ones, the most recent.
  return sized
    .filter(crawled)
    .reduce<RunRecord | undefined>(
      (best, r) => (!best || sizeGap(r, inputBytes) < sizeGap(best, inputBytes) ? r : best),
      undefined,
    );
}

export function whatIfRun(record: RunRecord, raw: RawDoc | undefined): WhatIfRun | undefined {
  const attempt = raw?.attempts[0];
  const run = attempt ? observeAttempt(attempt as Record<string, unknown>) : undefined;
  if (!run) return undefined;
  const out: WhatIfRun = { runId: record.id, run, inputBytes: record.inputBytes };
  if (record.shufflePartitions !== undefined) out.shufflePartitions = record.shufflePartitions;
  if (record.adaptiveExecution !== undefined) out.adaptive = record.adaptiveExecution;
  return out;
}

/**
 * With too little history to fit a model (fewer than `advisor.minRuns` successful runs), the latest crawled run is
 * replayed whatever its size: a replay of its stages is the only evidence of how the job scales with cores.
 */
export function thinWhatIfCandidate(records: RunRecord[], minRuns: number): RunRecord | undefined {
  // The runs the advisor learns from (advisor/features.ts trainingRows): as many as minRuns, and it fits a model.
  const usable = records.filter(isUsableRun);
  if (usable.length >= minRuns) return undefined;
  return usable.find((r) => r.appId && r.source === 'crawl');
}

/**
 * The what-if's run replayed at the baseline's settings, when the replay describes the run (describesItsRun): what
 * the run would have taken on the baseline, for judging it against the limit; no faster than the job's runs near
 * the baseline's cores took against the replay (baselineCorrection). `model` is `w` built, when the caller already
 * has it.
 */
export function baselineReplay(
  w: WhatIfRun,
  baseline: Settings,
  recent: RunRecord[],
  model: WhatIf = buildWhatIf(w),
): BaselineReplay | undefined {
  if (!describesItsRun(model)) return undefined;
  const near = Math.max(1, baselineCorrection(recent, model, baseline, w.inputBytes));
  return { runId: w.runId, baselineMs: near * model.predictMs(baseline, w.inputBytes) };
}

/** Whether the replay lands within THIN_WHAT_IF_MAX_SELF_ERROR of its own run's duration. */
export function describesItsRun(model: WhatIf): boolean {
  return model.selfError <= THIN_WHAT_IF_MAX_SELF_ERROR;
}

function buildWhatIf(w: WhatIfRun, readKnotTasks?: number, wholeKey?: boolean): WhatIf {
  return oneRunWhatIf(w.run, {
    ...(wholeKey ? { wholeKey } : {}),
    inputBytes: w.inputBytes,
    ...(w.shufflePartitions !== undefined ? { shufflePartitions: w.shufflePartitions } : {}),
    ...(w.adaptive !== undefined ? { adaptive: w.adaptive } : {}),
    ...(readKnotTasks !== undefined ? { readKnotTasks } : {}),
  });
}

/**
 * Task time per byte that grows at least as the square root of the cores (contention.ts, the slope's low bound) marks
 * tasks that share what they read from: half of the job's task time, or more, waits on it.
 */
const SHARED_READ_SLOPE = 0.5;
/** A replay missing the job's other runs by less than this is kept as it is: twice the noise floor (explore.ts). */
const READ_KNOT_MIN_ERROR = 2 * NOISE_FLOOR;
/** A read ceiling is taken only where it halves the replay's error on the other runs, at least. */
const READ_KNOT_GAIN = 0.5;
/** Knots whose errors on the other runs lie within this of the least are alike to them: half the noise floor. */
const KNOT_TIE = NOISE_FLOOR / 2;

export interface CheckedWhatIf {
  model: WhatIf;
  /**
   * Whether the job's runs on another shuffle partition count show its longest task whole at any count (a hot key:
   * true) or cut with the partitions (false); undefined without such runs (wholeKeyCheck).
   */
  wholeKey?: boolean;
  /** The reason's numbers when a read ceiling was taken: its knot, the errors with it and without, the slope. */
  readCeiling?: Reason['values'];
}

/**
 * The replay, with the storage's read ceiling where the job's runs show one. A replay holds each task's time as it
 * ran; where the storage serves a scan no faster however many tasks read (a shared file system or object store), its
 * tasks took longer the more of them read at once, and the replay prices a cut as the waves it adds (bench/loop
 * --cluster bandwidth, over-provisioned ETL, launch 20: 20 × 4 executors priced 1.6× slower than 40 × 4 for 91 GiB,
 * about as fast in truth; the job used 0.81× the fixed core-hours where the best grid setting uses 0.21×). Where the
 * runs' task time per byte grows with their cores and the replay misses them, a knot at each of their core counts is
 * tried (scan tasks reading past it share the storage's bandwidth), and the one that misses them least is taken if it
 * halves the error. Without the slope, a knot fitted to a replay's misses elsewhere (a small run scaled to large
 * inputs) cut a skewed shuffle's executors too far: 1.09× → 1.15× on the default cluster.
 */
export function checkedWhatIf(w: WhatIfRun, records: RunRecord[], inputBytes: number): CheckedWhatIf {
  const checked = readCeilingChecked(w, records, inputBytes);
  const knot = checked.readCeiling?.knotTasks;
  // Built once, when the check needs it, and kept as the model when it is taken.
  let built: WhatIf | undefined;
  const whole = () => (built ??= buildWhatIf(w, typeof knot === 'number' ? knot : undefined, true));
  const wholeKey = wholeKeyCheck(w.runId, w.inputBytes, w.shufflePartitions, checked.model, whole, records);
  if (wholeKey === undefined) return checked;
  return { ...checked, wholeKey, ...(wholeKey ? { model: whole() } : {}) };
}

function readCeilingChecked(w: WhatIfRun, records: RunRecord[], inputBytes: number): CheckedWhatIf {
  const plain = buildWhatIf(w);
  // Without the launch's input size the other runs cannot be weighed for it.
  if (!(inputBytes > 0)) return { model: plain };
  const slope = taskTimeSlope(records);
  if (slope === undefined || slope < SHARED_READ_SLOPE) return { model: plain };
  const base = whatIfError(plain, w, records, inputBytes);
  if (!base || base.error < READ_KNOT_MIN_ERROR) return { model: plain };
  const knots = new Set(records.filter(isUsableRun).map((r) => r.executors * r.executorCores));
  const tried = [...knots].flatMap((knot) => {
    const model = buildWhatIf(w, knot);
    const e = whatIfError(model, w, records, inputBytes);
    return e ? [{ knot, model, error: e.error, mean: e.mean }] : [];
  });
  // Knots are told apart by their mean error: the median the contest uses passes over a run a knot misses.
  const least = Math.min(...tried.map((t) => t.mean));
  // Knots the other runs cannot tell apart: the largest, which counts the waves of a cut soonest. The first of such
  // ties once cut a 198 GiB scan to 32 slots where the storage feeds 47, 1.37× the fixed time (bench/loop --shapes
  // held-out --cluster bandwidth, scan-only, launch 17).
  const best = tried.filter((t) => t.mean <= least + KNOT_TIE).sort((a, b) => b.knot - a.knot)[0];
  if (!best || best.error > base.error * READ_KNOT_GAIN) return { model: plain };
  return {
    model: best.model,
    readCeiling: { runId: w.runId, knotTasks: best.knot, error: best.error, plainError: base.error, slope },
  };
}

/** Most recent other runs the what-if is checked on. */
const MAX_CHECKS = 10;

/**
 * How the what-if did on the other recent runs of a similar input size (their settings differ from its own run's),
 * or of any known size when too few are similar (`anySize`): the median |relative error|, the same measure as the
 * cross-run models' validation error. Undefined when too few.
 */
function whatIfError(
  model: WhatIf,
  w: WhatIfRun,
  records: RunRecord[],
  inputBytes: number,
): { error: number; mean: number; anySize: boolean } | undefined {
  const others = records.filter((r) => r.id !== w.runId && isUsableRun(r));
  const similar = others.filter((r) => similarInput(r.inputBytes, inputBytes)).slice(0, MAX_CHECKS);
  const checks =
    similar.length >= WHAT_IF_MIN_CHECKS ? similar : others.filter((r) => r.inputBytes > 0).slice(0, MAX_CHECKS);
  if (checks.length < WHAT_IF_MIN_CHECKS) return undefined;
  const errs = checks
    .map((r) => Math.abs(model.predictMs(runSettings(r), r.inputBytes) / r.durationMs - 1))
    .sort((a, b) => a - b);
  return {
    error: (errs[(errs.length - 1) >> 1]! + errs[errs.length >> 1]!) / 2,
    mean: errs.reduce((a, e) => a + e, 0) / errs.length,
    anySize: checks !== similar,
  };
}

export interface WhatIfContest {
  model: WhatIf;
  /** The reason's numbers: its run, self-error, error on the other runs (when checked), the cross-run fit's. */
  values: Reason['values'];
  /** The Advice's model entry when the what-if predicts instead of the cross-run fit. */
  wins?: NonNullable<Advice['model']>;
}

/**
 * The one-run what-if against the cross-run fit, on the same measure: the error on the other runs of this size, or of
 * any size when too few are (whatIfError). Errors on runs of this size that are both below the noise floor
 * (explore.ts NOISE_FLOOR) cannot be told apart, and then the replay of the stages answers: it counts the waves, the
 * executors' start-up and the stragglers, which a curve through the runs smooths over (bench/loop on twelve clusters:
 * `--cluster all` 0.702× → 0.699× the fixed core-hours, with `--shapes all` 0.566× → 0.563×, `--seed alt,s3` 0.668× →
 * 0.662×, the slowest launch of each as before). `model` is `w` built (buildWhatIf), when the caller already has it.
 */
export function whatIfContest(
  crossRun: Model,
  w: WhatIfRun,
  records: RunRecord[],
  inputBytes: number,
  model: WhatIf = buildWhatIf(w),
): WhatIfContest {
  const checked = whatIfError(model, w, records, inputBytes);
  const values: Reason['values'] = {
    runId: w.runId,
    selfError: model.selfError,
    crossRunError: crossRun.validationError,
  };
  if (checked) values.error = checked.error;
  if (checked?.anySize) values.anySize = true;
  // Checked on runs of other sizes, its error is the replay's reach across sizes, not a tie at this one: a 988 GiB run
  // that spilled on 200 partitions, replayed at 830 GiB on 1,329, called a cut to 33 executors 2% slower, and it ran
  // 1.31× the fixed time (bench/loop --shapes all --cluster memory-cliff --seed s334, wide-range ETL, launch 7).
  const floor = checked?.anySize ? 0 : NOISE_FLOOR;
  if (!checked || checked.error >= Math.max(crossRun.validationError, floor)) return { model, values };
  const others = checked.anySize ? 'of any size' : 'of this size';
  const description = `${model.describe()}. Chosen over ${crossRun.name} (${(crossRun.validationError * 100).toFixed(1)}% validation error) by its error on the other runs ${others}.`;
  return { model, values, wins: { name: model.name, validationError: checked.error, description } };
}
