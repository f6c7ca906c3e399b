import type { Regressor } from './types.js';

// A blend of near-equally validated fits: the geometric mean of their predictions. Which of several models
// that did equally well on a few held-out runs is right elsewhere is a coin toss; their mean errs less than a
// toss (bench/accuracy: real Spark runs and simulated jobs alike).

/** A blend keeps its members, so that it can be stored as data and rebuilt. */
export interface Blend extends Regressor {
  members: Regressor[];
}

/** Whether a regressor is a blend of several fits. */
export function isBlend(r: Regressor): r is Blend {
  return Array.isArray((r as Partial<Blend>).members);
}

export function blend(parts: Regressor[]): Regressor {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  const blended: Blend = {
    members: parts,
    name: first.name,
    family: first.family,
    loss: first.loss,
    params: first.params,
    predictMs: (s, d) =>
      Math.exp(parts.reduce((sum, p) => sum + Math.log(Math.max(1e-3, p.predictMs(s, d))), 0) / parts.length),
    describe: () =>
      `${first.describe()}; blended (geometric mean) with ${parts
        .slice(1)
        .map((p) => p.name)
        .join(', ')}, which validated as well`,
  };
  return blended;
}
