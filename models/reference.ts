import { rank } from './lstsq.js';
import { indistinct } from './parsimony.js';
import { FAMILIES } from './physical.js';
import type { ModelSpec, TrainingRow } from './types.js';
import type { Split, Validation } from './validate.js';

// Questions the history's validation cannot judge. Ernest was built for a cluster's scaling: work per core that
// grows with the input, and overheads in ln cores and in cores that grow with the cluster. Where validation has
// too little to choose by, it answers alone (bench/accuracy, Scout's real runs).
//
// - Beyond the core counts, when no extrapolation-shaped split (extrapolate.ts) trains on runs that determine
//   Ernest's terms, as from a history of three or four core counts at one input size: its held-out error is then
//   that of some underdetermined fit, and one or two held-out core counts cannot tell models apart. Choosing and
//   blending by them picked curves that keep speeding up where real clusters stop (from the 3 and 4 smallest cluster
//   sizes, five VM types: 13.6% and 11.7% median error, Ernest alone 12.4% and 10.3%; on a sixth, read afterwards,
//   from the 3 smallest 13.6% and Ernest alone 8.0%). Unless a candidate did distinctly better.
// - At another input size than the one size the history ran. Validation across core counts cannot tell how any
//   model's time grows with the input (to the other input size, five VM types: 18.0% choosing among the simplest
//   models that answer for the input size, 17.4% among all of them, 16.3% Ernest alone).

/** The model that answers where validation cannot judge. */
export const REFERENCE_MODEL = 'ernest/relative';
const reference = FAMILIES.find((f) => `${f.family}/relative` === REFERENCE_MODEL)!;

/** The reference spec alone, if it is among the candidates. */
export function referenceOnly(specs: ModelSpec[]): ModelSpec[] | undefined {
  const ref = specs.filter((s) => s.name === REFERENCE_MODEL);
  return ref.length ? ref : undefined;
}

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
 * held-out errors on the splits cannot be told from its own (parsimony.ts).
 */
export function referenceBeyond(
  vals: Validation[],
  best: Validation,
  rows: TrainingRow[],
  splits: Split[],
): Validation | undefined {
  const ref = vals.find((v) => v.spec.name === REFERENCE_MODEL && Number.isFinite(v.error));
  if (!ref || splitsDetermine(rows, splits)) return undefined;
  return indistinct(ref, best) ? ref : undefined;
}
