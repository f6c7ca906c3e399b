import type { ModelSpec, Regressor, TrainingRow } from './types.js';

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

/**
 * Whether the fuller spec's extra terms are worth their parameters on these runs, against the simpler one; `fitOf`
 * fits a spec on the rows (the caller's, which may already hold the fit).
 */
export function earnsItsTerms(
  fuller: ModelSpec,
  simpler: ModelSpec,
  rows: TrainingRow[],
  fitOf: (s: ModelSpec) => Regressor = (s) => s.fit(rows),
): boolean {
  const n = rows.length;
  if (n <= fuller.complexity) return true;
  return (
    aicc(relativeRss(fitOf(fuller), rows), n, fuller.complexity) <
    aicc(relativeRss(fitOf(simpler), rows), n, simpler.complexity)
  );
}
