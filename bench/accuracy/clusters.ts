import { pooledScore, type CellScore, type PooledScore } from './score.js';

// The selection's errors by the cluster the held-out runs ran on (Scout's VM type), next to the single models'
// on the same runs. A change shaped on some clusters shows here whether it holds on the others; the best single
// model is picked by its errors on those very runs, as in the cell (gap.ts).

export interface ClusterScore extends PooledScore {
  cluster: string;
}

/** The selection's and the single models' median errors per cluster, in the order the cases name them. */
export function byCluster(s: CellScore): ClusterScore[] {
  const pooled = new Map<string, Map<string, number[]>>();
  for (const c of s.byCase) {
    // A case without the selection (too short a history) is scored by no one: it adds nothing.
    if (!c.cluster || !c.errors.has('selection')) continue;
    const into = pooled.get(c.cluster) ?? new Map<string, number[]>();
    pooled.set(c.cluster, into);
    const n = c.errors.get('selection')!.length;
    for (const [name, errors] of c.errors) {
      // Only models scored on the same held-out runs as the selection.
      if (errors.length === n) into.set(name, [...(into.get(name) ?? []), ...errors]);
    }
  }
  return [...pooled].map(([cluster, errs]) => ({ cluster, ...pooledScore(errs) }));
}
