import { median, type CellScore } from './score.js';
import { mulberry32 } from '../../src/simulator/random.js';

// How far the selection is from the best single model, and how sure that is. The best single model of a cell is
// picked by its errors on the very runs it is scored on, so it is an optimistic mark: among 16 models on ~100
// held-out runs one does well by chance. The bootstrap resamples whole job histories (the runs of one job are not
// independent) and picks the best single model again in every resample, so that luck is in the interval too.

const RESAMPLES = 200;

/** Median selection error less the lowest median single-model error, over the cases given. */
function gapOf(byCase: CellScore['byCase']): number {
  const pooled = new Map<string, number[]>();
  for (const c of byCase)
    for (const [name, e] of c.errors) {
      const into = pooled.get(name) ?? [];
      for (const x of e) into.push(x);
      pooled.set(name, into);
    }
  const sel = median(pooled.get('selection') ?? []);
  const singles = [...pooled].filter(([n]) => n !== 'selection').map(([, e]) => median(e));
  return singles.length ? sel - Math.min(...singles) : 0;
}

interface Gap {
  /** Selection less the best single model, in the cell as measured (fraction; > 0: the selection is worse). */
  gap: number;
  /** 5th and 95th percentile of the gap over resampled job histories. */
  low: number;
  high: number;
}

export function selectionGap(s: CellScore, seed = 1): Gap {
  const groups = [...new Set(s.byCase.map((c) => c.group))];
  const casesOf = new Map(groups.map((g) => [g, s.byCase.filter((c) => c.group === g)]));
  const r = mulberry32(seed);
  const gaps = Array.from({ length: RESAMPLES }, () =>
    gapOf(groups.flatMap(() => casesOf.get(groups[Math.floor(r() * groups.length)]!)!)),
  ).sort((a, b) => a - b);
  return {
    gap: gapOf(s.byCase),
    low: gaps[Math.floor(0.05 * RESAMPLES)]!,
    high: gaps[Math.ceil(0.95 * RESAMPLES) - 1]!,
  };
}
