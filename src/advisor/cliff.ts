import { MAX_PARTITION_BYTES, scanSplits, totalCores, waves } from '../../models/features.js';
import { nnls } from '../../models/nnls.js';
import type { ModelSettings, TrainingRow } from '../../models/types.js';

// Wave cliffs, which a smooth model misses. Spark cuts a scan into splits (models/features.ts scanSplits) and runs
// them in waves over the task slots: slots just short of a full wave leave a partial last wave that costs a whole
// task's time, while an input too small to fill every slot with a block is cut finer and costs less than a wave.
// How much of a job's parallel work rides on the scan's waves (the whole job, or a scan among shuffles) only its
// runs can say. This fit learns a job's duration as a fixed part, work spread evenly over the slots, and the
// partial wave's cost apart: T = a + b·even + c·partial (seconds; non-negative, on relative error), where `even` is
// the input per slot in 128 MiB blocks and `partial` what the last wave leaves unfilled, in the same unit. Until the
// runs show both kinds (runs with a partial wave and runs without), a partial wave costs as much as even work
// (c = b): all of the parallel work is taken to be the scan's.
//
// It replaced a waves fit (t + w·⌈⌈D/128 MiB⌉/slots⌉: whole waves of full blocks, every second of parallel work
// riding on them). bench/loop --shapes held-out --cluster all --seed s40…s44, 250 pairs: 4 over a limit → 1, the
// worst launch 1.44× → 1.32×, at the same core-hours (0.571× → 0.572×): a 2–5 s job's baseline on many slots reads
// a finer split than a cut does, which whole waves called equal. The four shapes over --seed x, s4…s15 (520 pairs):
// none over either way, 0.721× → 0.723×.

/** A run whose last scan wave leaves at least this many blocks unfilled shows a partial wave. */
const PARTIAL_SEEN = 0.25;
/**
 * Nor unless it is this share of the run's scan waves: a partial wave after many full ones changes a run by less than
 * its noise, and a fit on such runs called partial waves free (bench/loop held-out shapes, wide-range ETL, seed s106:
 * its runs with a partial wave ran 13 to 20 waves; a 24.1 GiB input was then cut from one wave on 200 slots to two on
 * 188, 1.37× the fixed time on `parallel-noise`, and a 21.5 GiB one from 176 slots to 172, 1.41× on `parallel`).
 */
const PARTIAL_SHARE = 0.1;
/** Runs of each kind (with and without a partial wave) the fit needs before it learns the partial wave's cost. */
const MIN_RUNS_EACH = 3;

/** A scan's work per task slot, in 128 MiB blocks: spread evenly, and what its last wave leaves unfilled. */
export interface ScanWaves {
  even: number;
  partial: number;
}

export function scanWaves(inputBytes: number, slots: number): ScanWaves {
  const n = Math.max(1, slots);
  const { tasks, splitBytes } = scanSplits(inputBytes, n);
  const even = Math.max(0, inputBytes) / n / MAX_PARTITION_BYTES;
  const real = (Math.ceil(tasks / n) * splitBytes) / MAX_PARTITION_BYTES;
  return { even, partial: Math.max(0, real - even) };
}

/** T = fixedS + evenS·even + partialS·partial, in seconds. */
export interface CliffFit {
  fixedS: number;
  evenS: number;
  partialS: number;
  /** The partial wave's cost was learnt from the runs (else it is taken as evenS). */
  learnt: boolean;
}

/** The fit on the runs; undefined below 3 runs, or when no run knows its input size. */
export function cliffFit(rows: TrainingRow[]): CliffFit | undefined {
  if (rows.length < 3 || !rows.some((r) => r.inputBytes > 0)) return undefined;
  const waves = rows.map((r) => scanWaves(r.inputBytes, totalCores(r)));
  // Relative error: each row divided by its duration, so that a long run does not outweigh many short ones.
  const design = rows.map((r, i) => {
    const y = Math.max(r.durationMs / 1000, 1e-3);
    return [1 / y, waves[i]!.even / y, waves[i]!.partial / y];
  });
  const ones = rows.map(() => 1);
  const seen = waves.filter(
    (w) => w.partial >= PARTIAL_SEEN && w.partial >= PARTIAL_SHARE * (w.even + w.partial),
  ).length;
  if (seen >= MIN_RUNS_EACH && rows.length - seen >= MIN_RUNS_EACH) {
    const [fixedS, evenS, partialS] = nnls(design, ones).x as [number, number, number];
    return { fixedS, evenS, partialS, learnt: true };
  }
  const [fixedS, evenS] = nnls(
    design.map(([a, even, partial]) => [a!, even! + partial!]),
    ones,
  ).x as [number, number];
  return { fixedS, evenS, partialS: evenS, learnt: false };
}

/** The fit's two parts for `s` at this input size, in seconds: without the partial wave, and the partial wave's. */
function parts(fit: CliffFit, s: ModelSettings, inputBytes: number): { smooth: number; partial: number } {
  const w = scanWaves(inputBytes, totalCores(s));
  return { smooth: fit.fixedS + fit.evenS * w.even, partial: fit.partialS * w.partial };
}

/** The fit's duration for `s` at this input size, ms. */
export function cliffMs(fit: CliffFit, s: ModelSettings, inputBytes: number): number {
  const { smooth, partial } = parts(fit, s, inputBytes);
  return 1000 * (smooth + partial);
}

/** How much longer the partial wave makes a run than the same work spread evenly: ≥ 1. */
export function cliffFactor(fit: CliffFit, s: ModelSettings, inputBytes: number): number {
  const { smooth, partial } = parts(fit, s, inputBytes);
  return smooth > 0 ? (smooth + partial) / smooth : 1;
}

/**
 * The cliff fit a candidate's point needs as a floor: none from the one-run what-if, which replays each stage's
 * waves, nor from the waves fit within the history's core counts once its runs ran at more than one wave count.
 * Runs that all ran in one wave leave the waves fit's wave term indistinguishable from its fixed part, and it calls
 * a second wave free (bench/loop held-out shapes on `parallel`, wide-range ETL, seed s43: runs of 0–16 GiB in one
 * wave each, then a 19.9 GiB input cut from 50 to 39 executors, one wave to two, predicted no slower: 1.44× the
 * fixed time). Beyond the history's core counts another fit answers (models/region.ts), one that may not count
 * waves, so the floor holds when any of the settings compared (the candidate, the baseline, the anchor) lies there
 * (parallel-jump, right-sized, s44: 60 GiB cut from 16 executors to 8, answered by a three-run Amdahl fit below the
 * fewest cores run, 1.76×; parallel, over-provisioned ETL, s16: the baseline above the most cores run, a cut from
 * one wave to two inside them, 1.42×). Nor does a waves fit count them blended (`blended`) with the smoother fits that
 * validated as well: their geometric mean averages the cliff away (parallel-noise, scan-only, s67: 29.6 GiB cut from
 * 30 executors to 29, two waves to three, predicted 3% faster by a blend of nine fits led by the waves fit, 1.37×).
 */
export function cliffsFor(
  family: string,
  rows: TrainingRow[],
  blended = false,
): (...compared: ModelSettings[]) => CliffFit | undefined {
  if (family === 'what-if') return () => undefined;
  const fit = cliffFit(rows);
  if (family !== 'waves' || blended || new Set(rows.map((r) => waves(r, r.inputBytes))).size < 2) return () => fit;
  const slots = rows.map(totalCores);
  const [least, most] = [Math.min(...slots), Math.max(...slots)];
  const outside = (s: ModelSettings) => totalCores(s) < least || totalCores(s) > most;
  return (...compared) => (compared.some(outside) ? fit : undefined);
}
