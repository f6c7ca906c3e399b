import type { Validation } from './validate.js';

// Choosing among validated candidates. Validation errors from a few held-out runs are noisy, and two fits can
// be the same curve (two runs determine a two-term model exactly, whatever the loss): such near-ties must not
// be decided by float noise. Within the tolerance the order is fixed: fewer parameters, then the relative
// loss (it does not let the longest run dominate), then the family order of the model list.

/** Validation errors within this of the best (relative, plus half a percentage point) count as a tie. */
export const TIE_TOLERANCE = 0.05;
const TIE_ABSOLUTE = 0.005;
/** Physical fits within this factor of the best validation error are blended with the chosen one (blend.ts). */
export const BLEND_FACTOR = 1.25;
/** A flexible model must have this much lower validation error (relative) than the best physical one. */
export const FLEXIBLE_MARGIN = 0.25;

function isTie(error: number, best: number): boolean {
  return error <= best * (1 + TIE_TOLERANCE) + TIE_ABSOLUTE;
}

/** The order among tied candidates: fewer parameters, then the relative loss, then the model list's order. */
export const preferred =
  (order: (name: string) => number) =>
  (a: Validation, b: Validation): number =>
    a.spec.complexity - b.spec.complexity ||
    Number(a.spec.loss !== 'relative') - Number(b.spec.loss !== 'relative') ||
    order(a.spec.name) - order(b.spec.name);

/** The preferred candidate among those tied with the lowest error; `order` is each spec's place in the model list. */
export function pickTied(vals: Validation[], order: (name: string) => number): Validation | undefined {
  const finite = vals.filter((v) => Number.isFinite(v.error));
  if (finite.length === 0) return undefined;
  const best = Math.min(...finite.map((v) => v.error));
  const tied = finite.filter((v) => isTie(v.error, best));
  tied.sort(preferred(order));
  return tied[0];
}

export interface Choice {
  chosen: Validation;
  /** The best physical candidate: what is used wherever a flexible model may not go. */
  physical: Validation;
  /** How it was chosen; 'reference': the only candidate, where validation cannot judge (reference.ts). */
  code: 'lowest-error' | 'simplest-of-tied' | 'flexible-won' | 'reference';
}

/** Physical models first; a flexible one only if it beats the best physical one by FLEXIBLE_MARGIN. */
export function choose(vals: Validation[], order: (name: string) => number): Choice | undefined {
  const physical = pickTied(
    vals.filter((v) => v.spec.constrained),
    order,
  );
  if (!physical) return undefined;
  const flexible = vals
    .filter((v) => !v.spec.constrained && Number.isFinite(v.error))
    .sort((a, b) => a.error - b.error)[0];
  if (flexible && flexible.error < physical.error * (1 - FLEXIBLE_MARGIN))
    return { chosen: flexible, physical, code: 'flexible-won' };
  const best = Math.min(...vals.filter((v) => v.spec.constrained && Number.isFinite(v.error)).map((v) => v.error));
  return { chosen: physical, physical, code: physical.error > best ? 'simplest-of-tied' : 'lowest-error' };
}

/** Candidates whose validation error is within `factor` of `best`, in preference order. */
export function nearBest(
  vals: Validation[],
  order: (name: string) => number,
  factor: number,
  best: number,
): Validation[] {
  const finite = vals.filter((v) => Number.isFinite(v.error));
  return finite.filter((v) => v.error <= best * factor + TIE_ABSOLUTE).sort(preferred(order));
}

/**
 * Beyond the history's core counts: among the candidates tied with the chosen one, those with the most parameters
 * that the history's distinct core counts still determine. Extrapolation-shaped splits train on fewer levels than
 * the whole history has, too few to determine a fuller model, which then fits as one of its simpler members and
 * ties with them; fitted on every level, it keeps the simpler form unless the runs show the effect its further
 * terms describe (overheads that grow with the cluster). Undefined when the chosen one is already the fullest such.
 */
export function fullestDetermined(
  vals: Validation[],
  chosen: Validation,
  coreLevels: number,
): Validation[] | undefined {
  const tied = vals.filter(
    (v) =>
      v.spec.constrained && Number.isFinite(v.error) && isTie(v.error, chosen.error) && v.spec.complexity <= coreLevels,
  );
  const most = Math.max(...tied.map((v) => v.spec.complexity));
  if (!(most > chosen.spec.complexity)) return undefined;
  return tied.filter((v) => v.spec.complexity === most).sort((a, b) => a.error - b.error);
}
