import { median, type CellScore } from './score.js';

// What choosing among the models could reach with hindsight: each case (one advice's history and held-out runs)
// answered by the single model with the lowest median error on that case's own held-out runs. A selection picks
// from the history alone, so a goal well below this mark asks for more evidence (another model, another source of
// data) rather than a better choice; only blends of several models can pass it. A case of one held-out run would
// make the hindsight pick trivially near exact: such cells have no mark.

/** Fewest held-out runs per case (median over the cell) for the hindsight mark to mean anything. */
const MIN_HELD_OUT = 3;

/** Median of the pooled held-out errors when every case is answered by its best single model after the fact. */
export function bestPerCase(s: CellScore): number | undefined {
  const runs = s.byCase.map((c) => c.errors.get('selection')?.length ?? 0);
  if (median(runs) < MIN_HELD_OUT) return undefined;
  const pooled: number[] = [];
  for (const c of s.byCase) {
    const singles = [...c.errors].filter(([name, e]) => name !== 'selection' && e.length > 0);
    if (singles.length === 0) continue;
    const best = singles.reduce((a, b) => (median(b[1]) < median(a[1]) ? b : a));
    pooled.push(...best[1]);
  }
  return median(pooled);
}
