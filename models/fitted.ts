import type { Choice } from './choose.js';
import type { Direction } from './extrapolate.js';
import type { Spread } from './interval.js';
import type { Parts } from './region.js';
import type { Validation } from './validate.js';

/** What a selection fitted and validated on one history: read by the selection and by its findings. */
export interface Fitted {
  parts: Parts;
  vals: Validation[];
  /** How the in-range model was validated. */
  validation: 'folds' | Direction;
  inside: Choice;
  beyond: Partial<Record<Direction, Validation>>;
  /** Core levels of the history, when a fuller model tied on the splits was preferred beyond them (choose.ts). */
  fullestAt: Partial<Record<Direction, number>>;
  /** Runs weighed, when the fit with the lowest AICc on them led among candidates validated as well (parsimony.ts). */
  aiccOf: Partial<Record<Direction, number>>;
  /** Core levels of the history, when validation on them could not judge the reference model and it answered. */
  referenceAt: Partial<Record<Direction, number>>;
  /** The smallest core count the part above was fitted from, when smaller ones ran in another regime (regime.ts). */
  upperFrom?: number;
  spreads: { inside: Spread; above: Spread; below: Spread; grid?: Spread };
  /** Flexible candidates were offered but the history is too short for them. */
  flexibleHeldBack: boolean;
}
