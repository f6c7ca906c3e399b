import type { StageObs } from './observe.js';

// A stage as its run shows it: waves of its typical tasks over the slots, its longest task (where the server's task
// summary told it) a straggler beside them, and whatever time is left (a fixed cost per stage, or where the
// straggler began).

export interface StageShape {
  /** The typical task's run time: the others' mean when the longest is known, else every task's. */
  taskMs: number;
  /** The longest task's run time; 0 when unknown or the stage had one task. */
  straggler: number;
  /** The typical tasks' waves over the run's own slots. */
  wavesMs: number;
  /** Wall time beyond the longer of the waves and the straggler. */
  restMs: number;
  /**
   * The longest task's shuffle bytes, taken in proportion to its run time against the typical task's (0 when unknown
   * or no shuffle read): under AQE one over the advisory size is a configured partition AQE left whole (it merges
   * partitions, never splits one), so it grows with the input and with fewer configured partitions, not with the
   * pieces AQE cut the others into.
   */
  stragglerBytes: number;
}

export function stageShape(s: StageObs, observedSlots: number): StageShape {
  // The longest task is a straggler's floor under the stage: it runs beside the waves of the others.
  const straggler = s.numTasks > 1 ? (s.longestTaskMs ?? 0) : 0;
  const taskMs =
    straggler > 0 ? Math.max(0, s.executorRunTime - straggler) / (s.numTasks - 1) : s.executorRunTime / s.numTasks;
  const wavesMs = Math.ceil(s.numTasks / observedSlots) * taskMs;
  const restMs = Math.max(0, s.completionMs - s.submissionMs - Math.max(wavesMs, straggler));
  const ratio = straggler > 0 && taskMs > 0 ? straggler / taskMs : 0;
  // The largest read, where the summary tells it, is the partition's size; its time alone would call a task slowed
  // by its node a large partition (an outside loop: a 62 MiB task slowed to 6.1 s beside 3.8 s, counted as one
  // over the 64 MiB advisory size, doubled the partitions and kept AQE from splitting a skewed join's partitions).
  const inferred = ratio > 0 ? (ratio * s.shuffleReadBytes) / (s.numTasks - 1 + ratio) : 0;
  const stragglerBytes = straggler > 0 ? (s.largestShuffleReadBytes ?? inferred) : 0;
  return { taskMs, straggler, wavesMs, restMs, stragglerBytes };
}

/** Whether the straggler, not the waves, set the stage's time. */
export const stragglerBound = (shape: StageShape): boolean => shape.straggler > shape.wavesMs;

/**
 * The stage's wall time at other settings, given its typical tasks' waves there and how much bigger each task is
 * (`grown`), and its longest task (`stragglerGrown`: by default as the others; a hash partition's skew is a multiple
 * of the mean partition).
 * The time beyond it may be where it began: a skewed partition comes up late in the task order, at the latest with
 * the last wave, and with more waves before it, it begins later. That part is stretched with the waves, never
 * shrunk; the rest is a fixed cost. Stretched whole, a per-stage cost that the waves never delayed made every cut
 * look dear (bench/loop --shapes random:50 --cluster all --seed s3, overheads: 0.188× → 0.238× the fixed core-hours).
 */
export function stageWallMs(shape: StageShape, wavesMs: number, grown: number, stragglerGrown = grown): number {
  if (shape.straggler === 0) return wavesMs + shape.restMs;
  const stretch = shape.wavesMs > 0 ? Math.max(1, wavesMs / shape.wavesMs) : 1;
  const beganMs = Math.min(shape.restMs, Math.max(0, shape.wavesMs - shape.taskMs));
  const laterMs = beganMs * (stretch - 1);
  return Math.max(wavesMs, shape.straggler * stragglerGrown + laterMs) + shape.restMs;
}
