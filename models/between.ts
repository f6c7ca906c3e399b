import { INPUT_JITTER } from './extrapolate.js';
import { totalCores } from './features.js';
import type { ModelSettings, TrainingRow } from './types.js';

// Between two observed core counts at the same input size, a job's duration lies between the durations it had
// at those two counts: a fitted curve that leaves that span there has found a shape the runs do not show
// (bench/accuracy, Scout across input sizes: the selection's median error 7.5% unbounded, 6.6% bounded; Scout
// leave-one-out 5.2% and 4.9%). Only what was observed bounds the answer, so nothing here reaches beyond the
// history: a question below the fewest or above the most cores run at its size has no bound.

/** A past run as the bound reads it: its total cores, input size and duration. */
export interface ObservedRun {
  cores: number;
  inputBytes: number;
  durationMs: number;
}

export function observedRuns(rows: TrainingRow[]): ObservedRun[] {
  return rows.map((r) => ({ cores: totalCores(r), inputBytes: r.inputBytes, durationMs: r.durationMs }));
}

const sameInput = (a: number, b: number) => a === b || (a > 0 && b > 0 && Math.max(a / b, b / a) <= INPUT_JITTER);

/**
 * The shortest and longest duration of the runs at the nearest core counts below and above the question's, among
 * the runs of its input size; undefined unless runs on both sides bracket it.
 */
export function durationSpan(
  runs: ObservedRun[],
  s: ModelSettings,
  inputBytes: number,
): { low: number; high: number } | undefined {
  const m = totalCores(s);
  let below = -Infinity;
  let above = Infinity;
  for (const r of runs) {
    if (!sameInput(r.inputBytes, inputBytes)) continue;
    if (r.cores < m && r.cores > below) below = r.cores;
    if (r.cores > m && r.cores < above) above = r.cores;
  }
  if (below === -Infinity || above === Infinity) return undefined;
  let low = Infinity;
  let high = -Infinity;
  for (const r of runs) {
    if ((r.cores !== below && r.cores !== above) || !sameInput(r.inputBytes, inputBytes)) continue;
    low = Math.min(low, r.durationMs);
    high = Math.max(high, r.durationMs);
  }
  return { low, high };
}
