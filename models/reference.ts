import { indistinct } from './parsimony.js';
import type { ModelSpec } from './types.js';
import type { Validation } from './validate.js';

// Questions the history's validation cannot judge. Ernest was built for a cluster's scaling: work per core that
// grows with the input, and overheads in ln cores and in cores that grow with the cluster. Where validation has
// too little to choose by, it answers alone (bench/accuracy, Scout's real runs on five VM types).
//
// - Beyond the core counts of a history of a few core counts. Extrapolation-shaped splits (extrapolate.ts) then
//   train on two or three core counts and hold out one or two: too few to judge a model whose terms in the core
//   count need more levels than that, and one held-out core count cannot tell two models apart. Choosing and
//   blending by them picked curves that keep speeding up where real clusters stop (from the 3 and 4 smallest cluster
//   sizes: 13.6% and 11.7% median error, Ernest alone 12.4% and 10.3%). Unless a candidate did distinctly better.
// - At another input size than the one size the history ran. Validation across core counts cannot tell how any
//   model's time grows with the input (to the other input size: 18.0% choosing among the simplest models that answer
//   for the input size, 17.4% among all of them, 16.3% Ernest alone).

/** The model that answers where validation cannot judge. */
export const REFERENCE_MODEL = 'ernest/relative';

/** The reference spec alone, if it is among the candidates; else all of them. */
export function referenceOnly(specs: ModelSpec[]): ModelSpec[] {
  const ref = specs.filter((s) => s.name === REFERENCE_MODEL);
  return ref.length ? ref : specs;
}

/**
 * The reference fit beyond the core counts, when they are too few for the splits to determine it (each trains on at
 * most `coreLevels − 1` of them) and the best candidate's held-out errors cannot be told from its own (parsimony.ts).
 */
export function referenceBeyond(vals: Validation[], best: Validation, coreLevels: number): Validation | undefined {
  const ref = vals.find((v) => v.spec.name === REFERENCE_MODEL && Number.isFinite(v.error));
  if (!ref || coreLevels - 1 >= ref.spec.complexity) return undefined;
  return indistinct(ref, best) ? ref : undefined;
}
