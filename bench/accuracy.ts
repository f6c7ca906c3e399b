// Accuracy of the duration models on held-out runs: real Spark runs (the Scout dataset, bench/data/scout) and
// simulated recurring jobs (bench/accuracy/simulated.ts). Per cell (protocol × data set) it prints the median
// |% error| of the selection against every single model fitted on the same histories, and how often the
// selection's 80% interval covered the real duration. Under each cell, the selection's gap to the best single
// model with a bootstrap interval (accuracy/gap.ts): that best single model is picked by the errors it is scored on;
// and what one model per case reaches with hindsight, each case's best single model (accuracy/oracle.ts).
// With --regions, under each cell its errors by the part of the selection that answered (accuracy/regions.ts); with
// --by-cluster, by the cluster the runs ran on, and with --by-workload, by the job they are of, where the data set
// tells it (accuracy/groups.ts).
// Run: node --import tsx bench/accuracy.ts [--jobs N] [--only scout|simulated] [--regions] [--by-cluster]
//      [--by-workload]
import { scoutCells } from './accuracy/scout.js';
import { simulatedCells } from './accuracy/simulated.js';
import { selectionGap } from './accuracy/gap.js';
import { byRegion } from './accuracy/regions.js';
import { byGroup, type GroupKey } from './accuracy/groups.js';
import { bestPerCase } from './accuracy/oracle.js';
import { median, scoreCell, type CellScore, type PooledScore } from './accuracy/score.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const JOBS = Number(arg('--jobs') ?? 100);
const only = arg('--only');

const started = Date.now();
const scout = scoutCells();
const cells = [...(only === 'simulated' ? [] : scout.cells), ...(only === 'scout' ? [] : simulatedCells(JOBS))];
const scores = cells.map((c) => scoreCell(c));

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
/** One line under a cell: the selection's and the best single model's errors on some of its held-out runs. */
const pooledLine = (label: string, p: PooledScore) =>
  `     ${label}: ${p.predictions} runs, selection ${pct(p.selection)}; best single on them ` +
  (p.best ? `${p.best.name} ${pct(p.best.error)}` : '—');
const names = [...new Set(scores.flatMap((s) => [...s.errors.keys()]))].sort((a, b) =>
  a === 'selection' ? 1 : b === 'selection' ? -1 : a.localeCompare(b),
);
const width = Math.max(...names.map((n) => n.length), 12);
console.log(
  `Median |% error| of predicted duration on held-out runs (${scout.summary}; ${JOBS} simulated jobs per simulated cell)\n`,
);
console.log(['model'.padEnd(width), ...scores.map((_, i) => `[${i + 1}]`.padStart(7))].join(' '));
for (const name of names) {
  console.log([name.padEnd(width), ...scores.map((s) => pct(median(s.errors.get(name) ?? [])).padStart(7))].join(' '));
}
console.log(['80% covered'.padEnd(width), ...scores.map((s) => pct(s.covered / s.predictions).padStart(7))].join(' '));
console.log('');

const singles = (s: CellScore) =>
  [...s.errors].filter(([n]) => n !== 'selection').map(([n, e]) => [n, median(e)] as const);
let wins = 0;
scores.forEach((s, i) => {
  const sel = median(s.errors.get('selection') ?? []);
  const best = singles(s).sort((a, b) => a[1] - b[1])[0];
  const ok = best === undefined || sel <= best[1] + 1e-9;
  if (ok) wins++;
  const answered = [...s.answeredBy]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const g = selectionGap(s);
  const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
  console.log(
    `[${i + 1}] ${s.name}: ${s.cases} cases, ${s.predictions} predictions; selection ${pct(sel)}, best single ` +
      `${best ? `${best[0]} ${pct(best[1])}` : '—'} ${ok ? '(selection at least as good)' : '(selection WORSE)'}; answered by: ${answered}`,
  );
  console.log(
    `     selection − best single ${pts(g.gap)} points; 90% over resampled job histories, the best single picked ` +
      `again each time: ${pts(g.low)} … ${pts(g.high)}`,
  );
  const hindsight = bestPerCase(s);
  if (hindsight !== undefined)
    console.log(`     each case answered by its own best single model, picked with hindsight: ${pct(hindsight)}`);
  if (process.argv.includes('--regions')) for (const r of byRegion(s)) console.log(pooledLine(r.region, r));
  for (const [flag, key] of [
    ['--by-cluster', 'cluster'],
    ['--by-workload', 'workload'],
  ] as const satisfies readonly (readonly [string, GroupKey])[])
    if (process.argv.includes(flag)) for (const g of byGroup(s, key)) console.log(pooledLine(`on ${g.group}`, g));
});
const allCovered = scores.reduce((a, s) => a + s.covered, 0) / scores.reduce((a, s) => a + s.predictions, 0);
console.log(`\nselection at least as good as the best single model in ${wins} of ${scores.length} cells`);
console.log(`80% interval covered ${pct(allCovered)} of all held-out runs`);
console.log('goals (real runs): median error ≤ 10% extrapolating in cluster size, ≤ 6% across input sizes');
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
