import { leastSquares } from '../../models/lstsq.js';
import { gram } from '../../models/nnls.js';
import { isUsableRun } from '../../models/family.js';
import type { RunRecord } from '../types.js';

// Whether the job's tasks took longer the more of them ran at once: the mark of a resource they share (the storage's
// read bandwidth, a network link), which no task's own time shows. A run's task time per byte of input (Spark's
// executorRunTime summed over stages) against its total cores, the input size held apart: tasks that each do their
// own work take as long on 20 cores as on 160, while tasks that share a storage's bandwidth take longer in proportion
// to the tasks reading with them (bench/loop: 0.65–0.80 on `bandwidth`, where the storage serves 2 GiB/s to the whole
// cluster; −0.11 to 0.27 on the other twelve clusters, the most where small inputs are cut into more, smaller scan
// tasks on more cores, but up to 0.97 from a few runs three times as noisy as by default, `parallel-noise`).

/** Fewest runs with their task time and input size the slope is read from. */
const MIN_RUNS = 5;
/** Most cores over fewest among them, at least: a slope over one core count is no slope. */
const MIN_CORES_SPREAD = 1.5;
/** Standard errors the slope's low bound lies below it (about the 97.5% level, one-sided). */
const LOW_BOUND_SE = 2;

/**
 * The slope of ln(task time per input byte) against ln(total cores), ln(input size) held apart, over the job's runs
 * that report both, less LOW_BOUND_SE standard errors: how fast task time grows with the cores at least, as the runs'
 * own scatter allows. Undefined with too few runs or too narrow a spread of core counts.
 */
export function taskTimeSlope(records: RunRecord[]): number | undefined {
  const runs = records.filter((r) => isUsableRun(r) && (r.executorRunTimeMs ?? 0) > 0 && r.inputBytes > 0);
  if (runs.length < MIN_RUNS) return undefined;
  const cores = runs.map((r) => r.executors * r.executorCores);
  if (Math.max(...cores) / Math.min(...cores) < MIN_CORES_SPREAD) return undefined;
  const x = runs.map((r, i) => [1, Math.log(cores[i]!), Math.log(r.inputBytes)]);
  const y = runs.map((r) => Math.log(r.executorRunTimeMs! / r.inputBytes));
  const coef = leastSquares(x, y);
  const rss = x.reduce((sum, row, i) => sum + (y[i]! - row.reduce((a, v, j) => a + v * coef[j]!, 0)) ** 2, 0);
  const { ata } = gram(
    x,
    y,
    runs.map((_, i) => i),
  );
  return coef[1]! - LOW_BOUND_SE * Math.sqrt((rss / Math.max(1, runs.length - 3)) * coresVariance(ata));
}

/** The cores' diagonal entry of (XᵀX)⁻¹, from XᵀX: the slope's variance per unit of residual variance. */
function coresVariance(g: number[][]): number {
  const det =
    g[0]![0]! * (g[1]![1]! * g[2]![2]! - g[1]![2]! * g[2]![1]!) -
    g[0]![1]! * (g[1]![0]! * g[2]![2]! - g[1]![2]! * g[2]![0]!) +
    g[0]![2]! * (g[1]![0]! * g[2]![1]! - g[1]![1]! * g[2]![0]!);
  // Input size and cores in lockstep leave the slope undetermined: as uncertain as can be.
  if (!(Math.abs(det) > 1e-12)) return Infinity;
  return (g[0]![0]! * g[2]![2]! - g[0]![2]! * g[2]![0]!) / det;
}
