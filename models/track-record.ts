import type { Spread } from './interval.js';
import type { Range } from './types.js';
import { logSigma, type HeldOut, type Validation } from './validate.js';

// An interval's width comes from the track record: the held-out residuals of validation, and, once a job has
// some, the errors of its advised runs, which are what counts (a model can validate well and still miss).

/** How an advised run's prediction turned out: the track record that widens or narrows the interval. */
export interface Outcome {
  predictedMs: number;
  actualMs: number;
}

/** Advised runs whose errors set a floor under the interval's width. */
export const MIN_OUTCOMES = 3;

/** Effective number of held-out residuals, given their weights. */
function effectiveCount(v: Pick<Validation, 'heldOut'>): number {
  const w = v.heldOut.map((h) => h.weight);
  const s = w.reduce((a, b) => a + b, 0);
  const s2 = w.reduce((a, b) => a + b * b, 0);
  return s2 > 0 ? (s * s) / s2 : 0;
}

export function spreadOf(heldOut: HeldOut[], range: Range, beyond = false): Spread {
  return { logSigma: logSigma(heldOut), n: Math.max(2, Math.round(effectiveCount({ heldOut }))), range, beyond };
}

export const outcomeResiduals = (outcomes: Outcome[] = []): HeldOut[] =>
  outcomes
    .filter((o) => o.predictedMs > 0 && o.actualMs > 0)
    .map((o, i) => ({
      id: `outcome${i}`,
      logRatio: Math.log(o.actualMs / o.predictedMs),
      relError: Math.abs(o.predictedMs / o.actualMs - 1),
      weight: 1,
    }));

/** From MIN_OUTCOMES advised runs on, a spread is at least as wide as their errors. */
export function widenBy(outcomes: Outcome[] = []): (sp: Spread) => Spread {
  const record = outcomeResiduals(outcomes);
  const sigma = record.length >= MIN_OUTCOMES ? logSigma(record) : 0;
  return (sp) => ({ ...sp, logSigma: Math.max(sp.logSigma, sigma) });
}
