import { indistinct } from './parsimony.js';
import type { Validation } from './validate.js';

// Beyond the history's core counts, from a history of a few core counts. Extrapolation-shaped splits (extrapolate.ts)
// then train on two or three core counts and hold out one or two: too few to judge a model whose terms in the core
// count need more levels than that, and one held-out core count cannot tell two models apart. Choosing by such
// validation, and blending the fits that did about as well, picked curves that keep speeding up where real clusters
// stop (bench/accuracy, Scout from the 3 and 4 smallest cluster sizes, 54 histories on five VM types: 13.6% and 11.7%
// median error, against 12.4% and 10.3% for Ernest alone). Ernest was built for this question: its overheads in
// ln cores and in cores grow with the cluster. It answers alone there unless a candidate did distinctly better.

/** The model that answers beyond a few core counts unless validation shows a distinctly better one. */
export const REFERENCE_BEYOND = 'ernest/relative';

/**
 * The reference fit, when the history's core counts are too few for the splits to determine it (each trains on at
 * most `coreLevels − 1` of them) and the best candidate's held-out errors cannot be told from its own (parsimony.ts).
 */
export function referenceBeyond(vals: Validation[], best: Validation, coreLevels: number): Validation | undefined {
  const ref = vals.find((v) => v.spec.name === REFERENCE_BEYOND && Number.isFinite(v.error));
  if (!ref || coreLevels - 1 >= ref.spec.complexity) return undefined;
  return indistinct(ref, best) ? ref : undefined;
}
