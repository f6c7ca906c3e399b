import { INPUT_JITTER, median } from './extrapolate.js';
import { totalCores } from './features.js';
import type { ModelSettings, TrainingRow } from './types.js';

// Between two observed core counts at the same input size, a job's duration lies between the durations it had
// at those two counts: a fitted curve that leaves that span there has found a shape the runs do not show
// (bench/accuracy, Scout across input sizes: the selection's median error 7.5% unbounded, 6.6% bounded; Scout
// leave-one-out 5.2% and 4.9%). Only what was observed bounds the answer, so no span reaches beyond the history: a
// question below the fewest or above the most cores run at its size has none. Above the most, the runs' last step
// still bounds how fast the answer may speed up (edgeStep below).

/** A past run as the bound reads it: its total cores, input size and duration. */
export interface ObservedRun {
  cores: number;
  inputBytes: number;
  durationMs: number;
  /** The executors' shape, which sets the memory each task has: runs of another shape scale otherwise. */
  executorCores?: number;
  executorMemoryBytes?: number;
}

export function observedRuns(rows: TrainingRow[]): ObservedRun[] {
  return rows.map((r) => ({
    cores: totalCores(r),
    inputBytes: r.inputBytes,
    durationMs: r.durationMs,
    executorCores: r.executorCores,
    ...(r.executorMemoryBytes !== undefined ? { executorMemoryBytes: r.executorMemoryBytes } : {}),
  }));
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

/**
 * Beyond the largest core count run, a job speeds up no faster per added core than its runs did across their last
 * step: adding cores has diminishing returns (the serial part, the overheads that grow with the cluster and the
 * last wave's idle slots take an ever larger share), so the elasticity −d ln(duration) / d ln(cores) only falls as
 * cores grow. A fit from a few core counts need not know it: the physical models' overheads are what such a
 * history cannot determine (reference.ts), and a fit that leaves them out keeps halving the time with every doubling
 * where the runs had already stopped speeding up (bench/accuracy, Scout from the 3 smallest cluster sizes: lr's and
 * pagerank's runs level off, the fit went on to a sixth of their time). The last step is two medians of noisy runs,
 * the fit an extrapolation nothing validated: where the fit speeds up faster than the step allows, the answer is
 * the geometric mean of the two, as for any two fits that validated alike (blend.ts). Bench/accuracy, Scout from the
 * 3 / 4 smallest cluster sizes: 12.1% / 9.2% median error → 10.8% / 8.8% (the step as a hard bound: 11.4% / 9.2%;
 * steps across executor shapes too: simulated cores ≤2× largest on 6/12/30 runs 9.3/7.2/6.4% → 9.4/7.3/6.5%).
 */
export interface EdgeStep {
  /** The largest core count run at the question's input size and executor shape. */
  cores: number;
  /** −ln(duration ratio) / ln(core ratio) across the step to the next smaller core count; at least 0. */
  elasticity: number;
}

/**
 * The last step of the runs of the question's input size and executor shape (the memory each task has decides
 * whether it spills, so a step across shapes is another job's), by their median durations at each core count;
 * undefined unless the question asks for more cores than two such core counts. A step that slowed the job down
 * bounds it at no speed-up: that more cores go on slowing it is more than one step shows.
 */
export function edgeStep(runs: ObservedRun[], s: ModelSettings, inputBytes: number): EdgeStep | undefined {
  const mine = runs.filter(
    (r) =>
      sameInput(r.inputBytes, inputBytes) &&
      r.executorCores === s.executorCores &&
      r.executorMemoryBytes === s.executorMemoryBytes,
  );
  const lv = [...new Set(mine.map((r) => r.cores))].sort((a, b) => a - b);
  const outer = lv.at(-1);
  const inner = lv.at(-2);
  if (outer === undefined || inner === undefined || totalCores(s) <= outer) return undefined;
  const at = (c: number) => median(mine.filter((r) => r.cores === c).map((r) => r.durationMs));
  return { cores: outer, elasticity: Math.max(0, Math.log(at(inner) / at(outer)) / Math.log(outer / inner)) };
}
