import { totalCores } from './features.js';
import type { TrainingRow } from './types.js';
import type { Split } from './validate.js';

// Extrapolation-shaped validation: a question about more cores (or more input) than the history ever had is
// validated by fitting on the runs at the lower levels and predicting the higher ones (and the mirror image
// below), so that a model is chosen for how it extrapolates, not for how it interpolates.

export type Direction = 'up' | 'down';

/** The axis a split runs along: a run's level on it (equal levels are one setting). */
export type Axis = (r: TrainingRow) => number;

export const coresAxis: Axis = (r) => totalCores(r);
/** Inputs within this factor of each other count as one input size: the inputs of a recurring job jitter. */
export const INPUT_JITTER = 1.1;
/** Input sizes are levelled in steps of INPUT_JITTER (on a log scale). */
export const sizeAxis: Axis = (r) => Math.round(Math.log(Math.max(1, r.inputBytes)) / Math.log(INPUT_JITTER));

/** Runs grouped by input size: sizes within INPUT_JITTER of their neighbour are one group, ascending. */
export function sizeGroups(rows: TrainingRow[]): TrainingRow[][] {
  const groups: TrainingRow[][] = [];
  for (const r of [...rows].sort((a, b) => a.inputBytes - b.inputBytes)) {
    const last = groups.at(-1);
    if (last && r.inputBytes <= last.at(-1)!.inputBytes * INPUT_JITTER) last.push(r);
    else groups.push([r]);
  }
  return groups;
}

/** Distinct levels of the runs on an axis, ascending. */
export function levels(rows: TrainingRow[], axis: Axis = coresAxis): number[] {
  return [...new Set(rows.map(axis))].sort((a, b) => a - b);
}

/** Fewest distinct core counts a fit must see before its extrapolation can be checked on a further one. */
const MIN_TRAIN_LEVELS = 2;

/** Splits nearest the edge that are kept: they ask what the next question asks, and fits cost time. */
const MAX_SPLITS = 3;

/**
 * Splits at the last MAX_SPLITS levels that leave at least MIN_TRAIN_LEVELS levels to train on: 'up' trains on
 * the levels up to the cut and holds out all higher ones; 'down' the reverse.
 */
export function levelSplits(rows: TrainingRow[], direction: Direction, axis: Axis = coresAxis): Split[] {
  const ordered = direction === 'up' ? levels(rows, axis) : levels(rows, axis).reverse();
  const beyond = (c: number, cut: number) => (direction === 'up' ? c > cut : c < cut);
  const splits: Split[] = [];
  for (let k = Math.max(MIN_TRAIN_LEVELS, ordered.length - MAX_SPLITS); k < ordered.length; k++) {
    const cut = ordered[k - 1]!;
    const train: number[] = [];
    const test: number[] = [];
    rows.forEach((r, i) => {
      (beyond(axis(r), cut) ? test : train).push(i);
    });
    // Each split is one question (how far does a fit on these levels carry?): it counts once, however many
    // runs lie beyond its cut, so the splits nearest the edge, which ask what the next question asks, are not
    // outweighed by the one with the fewest levels to learn from.
    splits.push({ train, test, weight: 1 / test.length });
  }
  return splits;
}

/** The median of some durations: the middle one, or the mean of the middle two. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
