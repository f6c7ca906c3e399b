import type { Candidate, Settings } from '../types.js';

// The scored candidates an Advice record keeps: what `spot explain` shows and charts.

/** Candidates kept in the Advice record (besides the baseline and the chosen one). */
export const MAX_CANDIDATES = 50;

export function coreHours(s: Settings, durationMs: number): number {
  return (s.executors * s.executorCores * durationMs) / 3.6e6;
}

/**
 * Baseline first, the chosen one next, then the cheapest admissible ones, the closest rejected ones, and
 * a sample of the chosen core count's curve over executor counts (what `spot explain` charts).
 */
export function boundedList(cands: Candidate[], base: Candidate, chosen: Candidate): Candidate[] {
  const rest = cands.filter((c) => c !== chosen);
  const ok = rest.filter((c) => !c.rejected).sort((a, b) => a.coreHours - b.coreHours);
  // Closest to passing: by the high end the slowdown limit holds.
  const limitHigh = (c: Candidate) => c.slowdownHigh ?? c.prediction.high;
  const no = rest.filter((c) => c.rejected).sort((a, b) => limitHigh(a) - limitHigh(b));
  const curve = rest
    .filter((c) => c.settings.executorCores === chosen.settings.executorCores)
    .sort((a, b) => a.settings.executors - b.settings.executors);
  const step = Math.max(1, Math.ceil(curve.length / 20));
  const keep = new Set([
    ...ok.slice(0, 25),
    ...no.slice(0, 5),
    ...curve.filter((_, i) => i % step === 0 || i === curve.length - 1),
  ]);
  const head = chosen === base ? [base] : [base, chosen];
  return [...head, ...ok.filter((c) => keep.has(c)), ...no.filter((c) => keep.has(c))].slice(0, MAX_CANDIDATES + 2);
}
