import { durationSpan, edgeStep, type EdgeStep, type ObservedRun } from './between.js';
import { totalCores } from './features.js';
import { inGrid, type GridPart } from './grid.js';
import type { ModelSettings, Range, Region, Regressor } from './types.js';

// Where a question lies relative to the history decides which fit answers it. Inside the history's core and
// input ranges the model chosen by ordinary cross-validation answers; beyond its core counts, the physical model
// chosen by extrapolation-shaped validation; a flexible model never answers outside the range it was trained
// on. Along an axis the history hardly varies on (all runs at about one core count, or one input size) no
// fitted scaling is trusted: the answer at the nearest observed level is bounded by the two plausible extremes
// (the time scales in proportion, or not at all), with the point between them: along the input size, where the
// fit's work term puts it (bench/accuracy, Scout to the other input size: 26.1% median error at the geometric
// middle, 21.1% from the fit's own split), the geometric middle for a fit that ignores the input size.

/** A history whose levels on an axis span less than this factor says nothing about scaling along it. */
export const DEGENERATE_RANGE = 1.25;
/** Input size used for every run when no run of the history knows its input size. */
export const UNKNOWN_SIZE_BYTES = 1024 ** 3;

export interface Parts {
  inside: Regressor;
  /** The best physical model of ordinary cross-validation (the same as `inside` unless that one is flexible). */
  physical: Regressor;
  above?: Regressor;
  below?: Regressor;
  range: Range;
  sized: boolean;
  /** The runs that bound an answer between two observed core counts (between.ts); none: unbounded. */
  runs?: ObservedRun[];
  /** A history run as a grid of sizes and core counts answers inside it from its fit over every run (grid.ts). */
  grid?: GridPart;
}

/** Which part answers, at which (clamped) question, and the factors an assumed scaling puts around it. */
export interface Answer {
  regressor: Regressor;
  region: Region;
  settings: ModelSettings;
  inputBytes: number;
  /** Multipliers of the answer for the two extremes of an assumed scaling (1 and 1 when nothing is assumed). */
  low: number;
  high: number;
  /** The input size asked about, when an assumed scaling answers at the nearest observed one instead. */
  askedBytes?: number;
  /** The durations an answer between observed core counts at its input size stays within. */
  span?: { low: number; high: number };
  /** Above the core counts: the runs' last step, which bounds how fast the answer speeds up (between.ts). */
  edge?: EdgeStep;
}

export const coresDegenerate = (r: Range) => r.maxCores / r.minCores < DEGENERATE_RANGE;
export const sizeDegenerate = (r: Range) => r.maxBytes <= 0 || r.maxBytes / Math.max(1, r.minBytes) < DEGENERATE_RANGE;

function regionOf(range: Range, s: ModelSettings): Region {
  const m = totalCores(s);
  return m > range.maxCores ? 'above' : m < range.minCores ? 'below' : 'inside';
}

/** Clamps x into [lo, hi]; `ratio` is how far outside it was (>1 above, <1 below). */
function clamp(x: number, lo: number, hi: number): { at: number; ratio: number } {
  const at = Math.min(hi, Math.max(lo, x));
  return { at, ratio: x / at };
}

export function answer(p: Parts, s: ModelSettings, inputBytes: number): Answer {
  if (p.grid && inGrid(p.grid.range, s, inputBytes)) {
    const span = p.runs && durationSpan(p.runs, s, inputBytes);
    return {
      regressor: p.grid.regressor,
      region: 'grid',
      settings: s,
      inputBytes,
      low: 1,
      high: 1,
      ...(span ? { span } : {}),
    };
  }
  const r = p.range;
  let d = p.sized ? inputBytes : UNKNOWN_SIZE_BYTES;
  let low = 1;
  let high = 1;
  let askedBytes: number | undefined;
  if (p.sized && sizeDegenerate(r) && d > 0 && r.maxBytes > 0) {
    const c = clamp(d, r.minBytes, r.maxBytes);
    if (c.ratio !== 1) askedBytes = d;
    d = c.at;
    if (c.ratio > 1) high *= c.ratio;
    else low *= c.ratio;
  }
  if (coresDegenerate(r)) {
    const c = clamp(totalCores(s), r.minCores, r.maxCores);
    if (c.ratio < 1) high /= c.ratio;
    else low /= c.ratio;
    const settings = { ...s, executors: c.at / s.executorCores };
    return {
      regressor: p.inside,
      region: 'inside',
      settings,
      inputBytes: d,
      low,
      high,
      ...(askedBytes ? { askedBytes } : {}),
    };
  }
  const region = regionOf(r, s);
  const outsideSizes = p.sized && d > 0 && (d > r.maxBytes || d < r.minBytes);
  const regressor =
    region === 'above'
      ? (p.above ?? p.physical)
      : region === 'below'
        ? (p.below ?? p.physical)
        : outsideSizes
          ? p.physical
          : p.inside;
  // The question's own input size, not the one an assumed scaling answers at: the runs bound only their own size.
  const span = region === 'inside' && p.runs ? durationSpan(p.runs, s, p.sized ? inputBytes : d) : undefined;
  const edge = region === 'above' && p.runs ? edgeStep(p.runs, s, p.sized ? inputBytes : d) : undefined;
  return {
    regressor,
    region,
    settings: s,
    inputBytes: d,
    low,
    high,
    ...(askedBytes ? { askedBytes } : {}),
    ...(span ? { span } : {}),
    ...(edge ? { edge } : {}),
  };
}

/** The part's prediction between an assumed scaling's extremes, before the observed runs around it bound it. */
export function unboundedMs(a: Answer): number {
  const edge = a.regressor.predictMs(a.settings, a.inputBytes);
  const asked = a.askedBytes ? a.regressor.predictMs(a.settings, a.askedBytes) : edge;
  // A fit whose work term grows with the input (learnt from the core counts, not from the one input size) splits
  // the time into what grows with the input and what does not; a size-free one cannot, and takes the middle.
  return asked !== edge ? Math.min(edge * a.high, Math.max(edge * a.low, asked)) : edge * Math.sqrt(a.low * a.high);
}

/**
 * The point answer: the unbounded one, within the span of the observed runs around it; above the core counts, met
 * halfway (geometrically) by the fit's own answer at the largest core count carried on at the runs' last speed-up,
 * where the fit speeds up faster (between.ts).
 */
export function pointMs(a: Answer): number {
  const ms = unboundedMs(a);
  if (a.edge) {
    const atEdge = unboundedMs({
      ...a,
      settings: { ...a.settings, executors: a.edge.cores / a.settings.executorCores },
    });
    const bound = atEdge * (a.edge.cores / totalCores(a.settings)) ** a.edge.elasticity;
    return bound > ms ? Math.sqrt(bound * ms) : ms;
  }
  return a.span ? Math.min(a.span.high, Math.max(a.span.low, ms)) : ms;
}

/** One regressor that answers each question with the part for its region. */
export function regionRegressor(p: Parts): Regressor {
  const parts = [
    p.above && `beyond the largest core count ${p.above.name}`,
    p.below && `below the smallest ${p.below.name}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    name: p.inside.name,
    family: p.inside.family,
    loss: p.inside.loss,
    params: p.inside.params,
    predictMs: (s, d) => pointMs(answer(p, s, d)),
    describe: () =>
      p.inside.describe() +
      (parts ? `; ${parts}, chosen for questions beyond the core counts run (the reason says how)` : '') +
      (p.grid ? `; inside the grid of input sizes and core counts run, ${p.grid.regressor.name} over every run` : '') +
      (p.runs
        ? '; between two core counts run at the same input size, within the durations of those runs; above them, ' +
          'speeding up halfway between the fit and the last step of those runs at most'
        : ''),
  };
}
