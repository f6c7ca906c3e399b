import { coresAxis, levels, median } from './extrapolate.js';
import { SIGMA_FLOOR } from './interval.js';
import { sizeDegenerate } from './region.js';
import type { Range, TrainingRow } from './types.js';

// Runs at the smallest core counts that sped up more than in proportion to the cores added ran in another regime:
// their data did not fit the executors' memory, so it spilled or was read again, and with more cores it fits. More
// cores than the history ran stay in the regime of its largest runs, so the fit that answers above them leaves the
// others out (bench/accuracy, Scout's real runs: half the histories speed up so from their smallest cluster size
// to the next, lr and pagerank most; a curve through both regimes keeps speeding up where the clusters stop).

/** A speed-up beyond proportional by more than run-to-run noise (interval.ts) marks the regime's edge. */
const SUPERLINEAR = 1 + SIGMA_FLOOR;
/**
 * Core counts kept to fit on, however many sped up so: three, since from two the chosen model extrapolated worse
 * (bench/accuracy, Scout from the 3 smallest cluster sizes: 12.1% → 12.3%).
 */
const MIN_LEVELS = 3;

/**
 * The runs of the regime the largest core counts ran in: without each smallest core count whose median duration
 * fell more than in proportion to the next one's cores. Compared at one input size only (otherwise the rows
 * themselves); the smallest core count kept, when some were left out.
 */
export function upperRegime(rows: TrainingRow[], range: Range): { rows: TrainingRow[]; fromCores?: number } {
  if (!sizeDegenerate(range)) return { rows };
  const lv = levels(rows, coresAxis);
  const at = (c: number) => median(rows.filter((r) => coresAxis(r) === c).map((r) => r.durationMs));
  let first = 0;
  while (
    lv.length - first > MIN_LEVELS &&
    at(lv[first]!) / at(lv[first + 1]!) > SUPERLINEAR * (lv[first + 1]! / lv[first]!)
  )
    first++;
  if (first === 0) return { rows };
  const from = lv[first]!;
  return { rows: rows.filter((r) => coresAxis(r) >= from), fromCores: from };
}
