import { flexibleSpecs } from './flexible.js';
import { physicalSpecs } from './physical.js';
import type { ModelSpec, TrainingRow } from './types.js';

/** Flexible models are considered only from this many runs on. */
export const FLEXIBLE_MIN_ROWS = 12;

// Which past runs a model may learn from, and which models may answer "how long will this run take". Both are
// written once here, so that `spot predict`, spot-submit's advice and bench/accuracy learn from the same runs
// with the same models and cannot pick different models for one history.

/** What a run must have told us to be learnt from: a duration and the task slots it ran on. */
export interface UsableFields {
  durationMs: number;
  executors: number;
  executorCores: number;
  inputBytes: number;
  /** A failed run says nothing about how long the job takes (absent: a training row, already successful). */
  succeeded?: boolean;
}

export function isUsableRun(r: UsableFields): boolean {
  return (
    r.succeeded !== false && r.durationMs > 0 && r.executors > 0 && r.executorCores > 0 && Number.isFinite(r.inputBytes)
  );
}

/** The runs of a history that can be learnt from, in their order. */
export function usableRows<T extends TrainingRow>(rows: T[]): T[] {
  return rows.filter(isUsableRun);
}

/**
 * The model family that answers a duration question: the physically shaped models. A flexible one (linear,
 * forest) fits whatever it sees and, asked about a setting between or beyond its runs, can promise a tenth of
 * the time (bench/loop: 8 s predicted at 24 cores, 82 s real), and the advisor asks exactly such questions;
 * the forest's first fit also costs ~90 ms of cold start on spot-submit's launch path.
 */
export function durationSpecs(): ModelSpec[] {
  return physicalSpecs();
}

/** Every model, flexible ones included: the single models bench/accuracy compares the selection with. */
export function allSpecs(): ModelSpec[] {
  return [...physicalSpecs(), ...flexibleSpecs()];
}
