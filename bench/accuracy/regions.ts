import { pooledScore, type CellScore, type PooledScore } from './score.js';

// Where the selection's errors come from: its median error on the held-out runs each part of it answered
// (answered.ts), next to the single models' on the same runs. A gap to the best single model where another part
// answers than the model the selection chose is no fault of the choice. The best single model is picked by its
// errors on those very runs, as in the cell (gap.ts): on a part of few runs that flatters it further.

export interface RegionScore extends PooledScore {
  region: string;
}

/** The selection's and the single models' median errors per answering part, most predictions first. */
export function byRegion(s: CellScore): RegionScore[] {
  const pooled = new Map<string, Map<string, number[]>>();
  for (const c of s.byCase) {
    const sel = c.errors.get('selection') ?? [];
    c.regions?.forEach((region, i) => {
      const into = pooled.get(region) ?? new Map<string, number[]>();
      pooled.set(region, into);
      for (const [name, errors] of c.errors) {
        // A single model's errors are in held-out order, as the selection's: the same index is the same run.
        if (errors.length !== sel.length) continue;
        into.set(name, [...(into.get(name) ?? []), errors[i]!]);
      }
    });
  }
  return [...pooled]
    .map(([region, errs]) => ({ region, ...pooledScore(errs) }))
    .sort((a, b) => b.predictions - a.predictions);
}
