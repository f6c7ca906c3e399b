import { totalCores } from './features.js';
import { DEGENERATE_RANGE } from './region.js';
import type { ModelSettings, Range, TrainingRow } from './types.js';
import type { Prediction } from '../src/types.js';

// Prediction intervals from held-out residuals. Errors are multiplicative (a 10-minute job is off by
// minutes, a 10-second one by seconds), so the spread is taken on ln(actual/predicted). The interval is
// a two-sided 80% one: its high end is a one-sided 90% bound, which is what the advisor compares with a
// slowdown limit or a deadline.

export const INTERVAL_COVERAGE = 0.8;

/** Student t quantile at 0.90 by degrees of freedom (small histories get wider intervals). */
const T90 = [Infinity, 3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372];
function t90(df: number): number {
  if (df < 1) return T90[1]!;
  if (df <= 10) return T90[df]!;
  if (df <= 30) return 1.372 - ((df - 10) / 20) * (1.372 - 1.31);
  return 1.282;
}

/**
 * Smallest spread an interval is given: a handful of held-out residuals near zero is no evidence of
 * precision (real Spark runs of one job at one setting vary by several percent from run to run).
 */
export const SIGMA_FLOOR = 0.06;

/**
 * Extra spread for predicting away from the training runs, used only where no extrapolation-shaped validation
 * measured it. Measured on the real Spark runs in bench/data/scout: median error about 6% within 1.5× the largest
 * training run, 11% at 1.5–2×, 18–27% at 2–3×. A normal spread of
 * 0.3·ln(distance) has median |error| 0.674·0.3·ln d ≈ 11% at 1.75× and 19% at 2.5×, which matches.
 */
const EXTRAPOLATION_SPREAD_PER_LN = 0.3;

export interface Spread {
  /** Weighted RMS of ln(actual/predicted) over held-out runs. */
  logSigma: number;
  /** Held-out residuals it came from. */
  n: number;
  /** The training range, for the distance of a query from it. */
  range: Range;
  /** The residuals came from extrapolation-shaped validation: they already measure the error beyond the range. */
  beyond?: boolean;
}

export function trainingRange(rows: TrainingRow[]): Spread['range'] {
  const bytes = rows.map((r) => r.inputBytes);
  const cores = rows.map((r) => totalCores(r));
  return {
    minBytes: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
    minCores: Math.min(...cores),
    maxCores: Math.max(...cores),
  };
}

/** How far (as a factor ≥ 1) a query lies outside the training range, in input size or in total cores. */
export function extrapolationDistance(range: Spread['range'], s: ModelSettings, inputBytes: number): number {
  const m = totalCores(s);
  const ratios = [m / range.maxCores, range.minCores / m];
  if (inputBytes > 0 && range.maxBytes > 0) ratios.push(inputBytes / range.maxBytes, range.minBytes / inputBytes);
  return Math.max(1, ...ratios.filter(Number.isFinite));
}

export { DEGENERATE_RANGE };

export function interval(
  pointMs: number,
  spread: Spread,
  distance: number,
  s?: ModelSettings,
  inputBytes?: number,
): Prediction {
  const base = Math.max(spread.logSigma, SIGMA_FLOOR);
  const extra = EXTRAPOLATION_SPREAD_PER_LN * Math.log(Math.max(1, distance));
  // Residuals of extrapolation-shaped validation measure the error beyond the range, but they are few and
  // belong to the model that did best on them: the distance prior stays as a floor, not as an addition.
  const sigma = spread.beyond ? Math.max(base, extra) : Math.sqrt(base * base + extra * extra);
  // Held-out residuals are errors of predictions made without them, around zero: their RMS has n degrees of
  // freedom, not n − 1 (no mean is fitted). With n − 1, two extrapolation residuals gave t = 3.08 and intervals
  // that covered 93% instead of 80% (bench/accuracy).
  const t = t90(spread.n);
  let high = pointMs * Math.exp(t * sigma);
  // Without evidence of how the job scales, the high end assumes the worst plausible case: all of the
  // time is parallel work, so fewer cores or more input stretch it proportionally.
  const r = spread.range;
  if (s && r.maxCores / r.minCores < DEGENERATE_RANGE && totalCores(s) < r.minCores)
    high = Math.max(high, (pointMs * r.minCores) / totalCores(s));
  if (
    inputBytes &&
    r.maxBytes > 0 &&
    r.maxBytes / Math.max(1, r.minBytes) < DEGENERATE_RANGE &&
    inputBytes > r.maxBytes
  ) {
    high = Math.max(high, (pointMs * inputBytes) / r.maxBytes);
  }
  return { durationMs: pointMs, low: pointMs * Math.exp(-t * sigma), high };
}
