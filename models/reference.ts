import { rank } from './lstsq.js';
import { indistinct } from './parsimony.js';
import type { Direction } from './extrapolate.js';
import { FAMILIES, physicalSpec } from './physical.js';
import { trainingRange } from './interval.js';
import { sizeDegenerate } from './region.js';
import type { ModelSpec, TrainingRow } from './types.js';
import type { Split, Validation } from './validate.js';

// Questions the history's validation cannot judge. Ernest was built for a cluster's scaling: work per core that
// grows with the input, and overheads in ln cores and in cores that grow with the cluster. Where validation has
// too little to choose by, it answers alone (bench/accuracy, Scout's real runs).
//
// - Beyond the core counts of a history of one input size, when no extrapolation-shaped split (extrapolate.ts)
//   trains on runs that determine Ernest's terms, as from three or four core counts: its held-out error is then
//   that of some underdetermined fit, and one or two held-out core counts cannot tell models apart. Choosing and
//   blending by them picked curves that keep speeding up where real clusters stop (from the 3 and 4 smallest cluster
//   sizes, five VM types: 13.6% and 11.7% median error, Ernest alone 12.4% and 10.3%; on a sixth, read afterwards,
//   from the 3 smallest 13.6% and Ernest alone 8.0%). Unless a candidate did distinctly better.
// - At another input size than the one size the history ran. Validation across core counts cannot tell how any
//   model's time grows with the input (to the other input size, five VM types: 18.0% choosing among the simplest
//   models that answer for the input size, 17.4% among all of them, 16.3% Ernest alone).

/** The model that answers where validation cannot judge. */
export const REFERENCE_MODEL = 'ernest/relative';
/**
 * The same above the core counts, without its fixed time. Three or four core counts cannot tell a time that stays
 * fixed from one that grows as ln cores (both barely change across them), and an underdetermined fit keeps
 * whichever its solver reaches first; above the runs that choice decides the answer. More cores add coordination
 * (scheduling, broadcasts, the driver's share of each stage), so the time that does not shrink with them is taken to
 * grow as ln cores, as Ernest's own term has it (bench/accuracy, Scout from the 3 / 4 smallest cluster sizes: 10.8% /
 * 8.8% median error with the fixed time, 10.2% / 7.7% without it). Below the core counts the fixed time stays: there
 * the ln term would shrink the answer, the optimistic side for a question that cuts cores.
 */
export const REFERENCE_ABOVE_MODEL = 'ernest-growing/relative';
const reference = FAMILIES.find((f) => `${f.family}/relative` === REFERENCE_MODEL)!;

/** The reference spec alone, if it is among the candidates. */
export function referenceOnly(specs: ModelSpec[]): ModelSpec[] | undefined {
  const ref = specs.filter((s) => s.name === REFERENCE_MODEL);
  return ref.length ? ref : undefined;
}

/**
 * Ernest answers alone for a history of one input size only. Its one term in the input, GiB/cores, takes every change
 * with the input for parallel work: through runs of several sizes on as many core counts it lays the sizes' effect on
 * the cores, where the candidates that validated alike include fits with a serial part that grows with the input
 * (test/models/reference.test.ts: a job bound by one hot key's task, runs of 10.7, 36.7 and 41.8 GiB on 96–148 cores,
 * each 9.8 s per GiB whatever its cores; the fixed 160 cores were called 28% faster than the 96-core run at its size,
 * which then passed for an overrun and held the next launches on the fixed executors).
 */
const oneSize = (rows: TrainingRow[]) => sizeDegenerate(trainingRange(rows));

/** Whether some split's training runs determine every term of the reference model. */
function splitsDetermine(rows: TrainingRow[], splits: Split[]): boolean {
  return splits.some(
    (sp) =>
      rank(sp.train.map((i) => reference.terms.map((t) => t.value(rows[i]!, rows[i]!.inputBytes)))) >=
      reference.terms.length,
  );
}

/**
 * The reference fit beyond the core counts, when no split's training runs determine it and the best candidate's
 * held-out errors on the splits cannot be told from its own (parsimony.ts); above them, REFERENCE_ABOVE_MODEL
 * validated on the same splits.
 */
export function referenceBeyond(
  vals: Validation[],
  best: Validation,
  rows: TrainingRow[],
  splits: Split[],
  dir: Direction,
  validate: (spec: ModelSpec) => Validation,
): Validation | undefined {
  const ref = vals.find((v) => v.spec.name === REFERENCE_MODEL && Number.isFinite(v.error));
  if (!ref || !oneSize(rows) || splitsDetermine(rows, splits) || !indistinct(ref, best)) return undefined;
  const above = dir === 'up' ? validate(physicalSpec(REFERENCE_ABOVE_MODEL)!) : undefined;
  return above && Number.isFinite(above.error) ? above : ref;
}
