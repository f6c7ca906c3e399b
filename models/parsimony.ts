import type { ModelSpec, Regressor, TrainingRow } from './types.js';
import type { Validation } from './validate.js';

// Beyond the history's core counts a fuller model that tied with a simpler one in extrapolation-shaped validation
// answers instead of it (choose.ts fullestDetermined), since the splits train on too few core counts to tell them
// apart. When the history has runs to spare beyond the fuller model's parameters, run-to-run noise alone gives its
// extra terms (overheads that grow with the cluster) something to fit, and extrapolated they grow with every core
// added. Such a fuller fit must then earn its extra terms on all the runs, by the small-sample Akaike criterion
// (AICc), a rule with no constant of its own (bench/accuracy, simulated cores ≤2× largest: 6 runs 10.1% → 9.7%,
// 12 runs 7.5% → 7.4%). A history with no run to spare (one run per parameter, as from a few cluster sizes) fits
// it exactly and leaves nothing to weigh it by: the fullest determined model answers, as before.

/** AICc of a least-squares fit: n·ln(RSS/n) + 2p + 2p(p+1)/(n−p−1); infinite when n ≤ p + 1 leaves no evidence. */
export function aicc(rss: number, n: number, p: number): number {
  if (n - p - 1 <= 0) return Infinity;
  // A fit through every run has no residual: the floor keeps the logarithm finite and the comparison ordered.
  return n * Math.log(Math.max(rss, 1e-12) / n) + 2 * p + (2 * p * (p + 1)) / (n - p - 1);
}

/** Sum of squared relative residuals of a fit on the rows: the same measure for either loss. */
function relativeRss(fit: Regressor, rows: TrainingRow[]): number {
  return rows.reduce((sum, r) => sum + (fit.predictMs(r, r.inputBytes) / r.durationMs - 1) ** 2, 0);
}

/** AICc of each spec fitted on the rows (by `fitOf`, which may already hold the fit), each computed once. */
export function aiccOf(rows: TrainingRow[], fitOf: (s: ModelSpec) => Regressor): (s: ModelSpec) => number {
  const memo = new Map<ModelSpec, number>();
  return (s) => {
    let score = memo.get(s);
    if (score === undefined) {
      // Too few runs to weigh this many parameters: no fit needed to say so.
      score =
        rows.length - s.complexity - 1 <= 0 ? Infinity : aicc(relativeRss(fitOf(s), rows), rows.length, s.complexity);
      memo.set(s, score);
    }
    return score;
  };
}

/** Whether the fuller spec's extra terms are worth their parameters on `runs` runs, against the simpler one. */
export function earnsItsTerms(
  fuller: ModelSpec,
  simpler: ModelSpec,
  runs: number,
  score: (s: ModelSpec) => number,
): boolean {
  return runs <= fuller.complexity || score(fuller) < score(simpler);
}

/**
 * Standard errors within which a candidate's held-out errors are no worse than the best's: about the 95% level.
 * Of 1, 1.645 and 2 tried on bench/accuracy, 2 did best there (simulated cores ≤2× largest, 6 runs: 9.7% → 9.3%,
 * 12 runs: 7.4% → 7.15%); on 100 other simulated jobs per cell 1.645, 2 and 3 did alike.
 */
export const INDISTINCT_SE = 2;

/**
 * Whether `v`'s held-out errors cannot be told from `best`'s on the same held-out runs: their weighted mean paired
 * difference lies within INDISTINCT_SE standard errors. One held-out run tells nothing apart.
 */
export function indistinct(v: Validation, best: Validation): boolean {
  const a = v.heldOut;
  const b = best.heldOut;
  if (a.length !== b.length || a.length === 0 || a.some((h, i) => h.id !== b[i]!.id)) return v === best;
  const w = b.map((h) => h.weight);
  const sw = w.reduce((s, x) => s + x, 0);
  const sw2 = w.reduce((s, x) => s + x * x, 0);
  const effective = (sw * sw) / sw2;
  if (!(effective > 1)) return true;
  const d = a.map((h, i) => h.relError - b[i]!.relError);
  const mean = d.reduce((s, x, i) => s + w[i]! * x, 0) / sw;
  const variance = d.reduce((s, x, i) => s + w[i]! * (x - mean) ** 2, 0) / sw;
  return mean <= INDISTINCT_SE * Math.sqrt(variance / (effective - 1));
}

/** AICc within this (relative) of the lowest is a tie: equivalent fits (collinear terms) differ by float noise only. */
const AICC_TIE = 1e-9;

/**
 * The candidate that leads beyond the core counts. Extrapolation-shaped splits hold out only the runs at the last
 * few core counts, too few to separate most candidates; among those whose held-out errors cannot be told from the
 * best's, the one whose fit on every run has the lowest AICc leads (every run is evidence, each parameter costs),
 * the preferred one (`prefer`, choose.ts) of those tied with it. With too few runs for AICc
 * (n ≤ p + 1 for each of them), the best held-out error leads, as before.
 */
export function leadBeyond(
  vals: Validation[],
  best: Validation,
  score: (s: ModelSpec) => number,
  prefer: (a: Validation, b: Validation) => number,
): Validation {
  const pool = vals.filter((v) => v.spec.constrained && Number.isFinite(v.error) && indistinct(v, best));
  if (pool.length < 2) return best;
  const lowest = Math.min(...pool.map((v) => score(v.spec)));
  if (!Number.isFinite(lowest)) return best;
  return pool.filter((v) => score(v.spec) <= lowest + AICC_TIE * Math.max(1, Math.abs(lowest))).sort(prefer)[0]!;
}
