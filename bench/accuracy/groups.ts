import { pooledScore, type CellScore, type PooledScore } from './score.js';

// The selection's errors by a label of the held-out runs' cases: the cluster they ran on (Scout's VM type) or the job
// they are of (Scout's workload), next to the single models' on the same runs. A change shaped on some clusters shows
// here whether it holds on the others, and a cell's error shows which jobs it comes from; the best single model is
// picked by its errors on those very runs, as in the cell (gap.ts).

/** What a case may be labelled with, where its data set tells it (cells.ts). */
export type GroupKey = 'cluster' | 'workload';

export interface GroupScore extends PooledScore {
  group: string;
}

/** The selection's and the single models' median errors per label, in the order the cases name them. */
export function byGroup(s: CellScore, key: GroupKey): GroupScore[] {
  const pooled = new Map<string, Map<string, number[]>>();
  for (const c of s.byCase) {
    const label = c[key];
    // A case without the selection (too short a history) is scored by no one: it adds nothing.
    if (!label || !c.errors.has('selection')) continue;
    const into = pooled.get(label) ?? new Map<string, number[]>();
    pooled.set(label, into);
    const n = c.errors.get('selection')!.length;
    for (const [name, errors] of c.errors) {
      // Only models scored on the same held-out runs as the selection.
      if (errors.length === n) into.set(name, [...(into.get(name) ?? []), ...errors]);
    }
  }
  return [...pooled].map(([group, errs]) => ({ group, ...pooledScore(errs) }));
}
