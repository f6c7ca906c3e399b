import type { TrainingRow } from '../../models/types.js';

// A cell of bench/accuracy: one protocol on one data set, as a list of cases. A case is what one advice faces:
// a history to learn from and held-out runs to predict.

export interface Case {
  history: TrainingRow[];
  heldOut: TrainingRow[];
  /** Cases from one job's history share a group: the bootstrap (gap.ts) resamples whole groups. */
  group?: number;
}

export interface Cell {
  name: string;
  cases: Case[];
}

const cores = (r: TrainingRow) => r.executors * r.executorCores;

/** Train on the runs at the k smallest total core counts, predict every larger one. */
export function extrapolateInCores(histories: TrainingRow[][], k: number): Case[] {
  return histories.flatMap((h, group) => {
    const levels = [...new Set(h.map(cores))].sort((a, b) => a - b);
    if (levels.length <= k) return [];
    const cut = levels[k - 1]!;
    return [{ history: h.filter((r) => cores(r) <= cut), heldOut: h.filter((r) => cores(r) > cut), group }];
  });
}

/** Every run held out in turn, the rest as history. */
export function leaveOneOut(histories: TrainingRow[][]): Case[] {
  return histories.flatMap((h, group) =>
    h.map((r, i) => ({ history: h.filter((_, j) => j !== i), heldOut: [r], group })),
  );
}

/**
 * Train on the runs of one input size, predict the runs of every other size (each size in turn): a job whose
 * input grows or shrinks beyond anything its history ran. A size within `jitter` of the one before it (in
 * ascending order) is the same size.
 */
export function toOtherSizes(histories: TrainingRow[][], jitter: number): Case[] {
  return histories.flatMap((h, group) => {
    const sizes = [...new Set(h.map((r) => r.inputBytes))].sort((a, b) => a - b);
    const sizeOf = new Map<number, number>();
    let level = 0;
    sizes.forEach((b, i) => {
      if (i > 0 && b > sizes[i - 1]! * jitter) level++;
      sizeOf.set(b, level);
    });
    return Array.from({ length: level + 1 }, (_, l) => ({
      history: h.filter((r) => sizeOf.get(r.inputBytes) === l),
      heldOut: h.filter((r) => sizeOf.get(r.inputBytes) !== l),
      group,
    }));
  });
}
