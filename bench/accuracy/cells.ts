import { sizeGroups } from '../../models/extrapolate.js';
import type { TrainingRow } from '../../models/types.js';

// A cell of bench/accuracy: one protocol on one data set, as a list of cases. A case is what one advice faces:
// a history to learn from and held-out runs to predict.

export interface Case {
  history: TrainingRow[];
  heldOut: TrainingRow[];
  /** Cases from one job's history share a group: the bootstrap (gap.ts) resamples whole groups. */
  group?: number;
  /** The cluster its runs ran on (e.g. Scout's VM type), where the data set tells it. */
  cluster?: string;
  /** The job its runs are of (e.g. Scout's workload), where the data set tells it. */
  workload?: string;
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
 * input grows or shrinks beyond anything its history ran. Sizes are grouped as the models group them (sizeGroups).
 */
export function toOtherSizes(histories: TrainingRow[][]): Case[] {
  return histories.flatMap((h, group) =>
    sizeGroups(h).map((size) => ({
      history: h.filter((r) => size.includes(r)),
      heldOut: h.filter((r) => !size.includes(r)),
      group,
    })),
  );
}
