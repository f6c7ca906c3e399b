import { FLEXIBLE_MARGIN, TIE_TOLERANCE } from './choose.js';
import { LOO_MAX_ROWS } from './validate.js';
import { coresDegenerate, sizeDegenerate } from './region.js';
import { FLEXIBLE_MIN_ROWS } from './family.js';
import type { Fitted } from './fitted.js';
import { INDISTINCT_SE } from './parsimony.js';
import { REFERENCE_ABOVE_MODEL } from './reference.js';
import type { TrainingRow } from './types.js';

// What a selection found, as coded facts with their numbers: the CLI and the advisor render them; nothing
// branches on their words. `reasonOf` is the one rendering kept here, for the Selection's `reason` string.

export interface Finding {
  code:
    | 'chosen' // the in-range model, how it won and how it was validated
    | 'physical-only' // too few runs for the flexible models
    | 'size-band' // learnt from the runs of about the query's input size only (band.ts)
    | 'grid' // inside a grid of input sizes and core counts, a linear fit over every run answers (grid.ts)
    | 'beyond-cores' // the model for more (up) or fewer (down) cores than the history's, and its error there
    | 'cores-degenerate' // the history's core counts hardly vary: core scaling is assumed, not fitted
    | 'size-degenerate' // likewise for input size
    | 'size-unknown'; // no run knows its input size
  values: Record<string, number | string>;
}

export function findingsOf(f: Fitted, rows: TrainingRow[], sized: boolean): Finding[] {
  const r = f.parts.range;
  const validation =
    f.validation !== 'folds' ? `size-${f.validation}` : rows.length <= LOO_MAX_ROWS ? 'leave-one-out' : '5-fold';
  const out: Finding[] = [
    {
      code: 'chosen',
      values: {
        model: f.inside.chosen.spec.name,
        error: f.inside.chosen.error,
        how: f.inside.code,
        validation,
        runs: rows.length,
      },
    },
  ];
  if (f.flexibleHeldBack) out.push({ code: 'physical-only', values: { minRuns: FLEXIBLE_MIN_ROWS } });
  for (const dir of ['up', 'down'] as const) {
    const v = f.beyond[dir];
    const levels = f.fullestAt[dir];
    const aiccRuns = f.aiccOf[dir];
    const thin = f.referenceAt[dir];
    if (v)
      out.push({
        code: 'beyond-cores',
        values: {
          direction: dir,
          model: v.spec.name,
          error: v.error,
          ...(aiccRuns ? { aiccOfRuns: aiccRuns } : {}),
          ...(levels ? { fullestOfLevels: levels } : {}),
          ...(thin ? { referenceOfLevels: thin } : {}),
          ...(dir === 'up' && f.upperFrom ? { fittedFromCores: f.upperFrom } : {}),
        },
      });
  }
  const g = f.parts.grid?.range;
  if (g)
    out.push({
      code: 'grid',
      values: { minCores: g.minCores, maxCores: g.maxCores, minBytes: g.minBytes, maxBytes: g.maxBytes },
    });
  if (coresDegenerate(r))
    out.push({ code: 'cores-degenerate', values: { minCores: r.minCores, maxCores: r.maxCores } });
  if (!sized) out.push({ code: 'size-unknown', values: {} });
  else if (sizeDegenerate(r))
    out.push({ code: 'size-degenerate', values: { minBytes: r.minBytes, maxBytes: r.maxBytes } });
  return out;
}

const pct = (x: number | string | undefined) => `${(100 * Number(x)).toFixed(1)}%`;

export function reasonOf(findings: Finding[]): string {
  const words = findings.map(({ code, values: v }) => {
    switch (code) {
      case 'chosen':
        return `${
          v.how === 'flexible-won'
            ? `${v.model} beat the best physical model by more than ${FLEXIBLE_MARGIN * 100}% in validation`
            : v.how === 'reference'
              ? `${v.model}, the reference model, answers for an input size the history did not run: validation across its one input size cannot judge how a model's time grows with the input`
              : v.how === 'simplest-of-tied'
                ? `${v.model} is the simplest of the models within ${TIE_TOLERANCE * 100}% of the lowest validation error`
                : `${v.model} has the lowest validation error`
        } (${v.validation} validation over ${v.runs} runs)`;
      case 'size-band':
        return `learnt from the ${v.runs} of ${v.of} runs of about this input size, which alone show how the job scales with cores`;
      case 'grid':
        return `inside the grid of input sizes and ${v.minCores}–${v.maxCores} cores the history was run at, a linear fit over every run answers`;
      case 'physical-only':
        return `with fewer than ${v.minRuns} runs only physical models compete`;
      case 'beyond-cores':
        return (
          `${v.direction === 'up' ? 'above the largest' : 'below the smallest'} core count so far, ${v.model} (${pct(v.error)} error fitting on the ${v.direction === 'up' ? 'smaller' : 'larger'} ones` +
          (v.aiccOfRuns
            ? `; the lowest AICc over all ${v.aiccOfRuns} runs among those within ${INDISTINCT_SE} standard errors of the best held-out error`
            : '') +
          (v.fullestOfLevels
            ? `; the fullest model ${v.fullestOfLevels} core counts determine among those that did as well`
            : '') +
          (v.referenceOfLevels
            ? `; fitted alone${v.model === REFERENCE_ABOVE_MODEL ? ', the time that does not shrink with cores taken to grow as ln cores' : ''}: validation on ${v.referenceOfLevels} core counts cannot determine its terms, and no model did distinctly better`
            : '') +
          (v.fittedFromCores
            ? `; fitted on the runs from ${v.fittedFromCores} cores up: fewer cores sped up more than in proportion to the cores added, so their data did not fit in memory)`
            : ')')
        );
      case 'cores-degenerate':
        return `all runs used ${v.minCores}–${v.maxCores} cores, too narrow to fit core scaling: other core counts are bounded by no gain and proportional slowdown`;
      case 'size-degenerate':
        return 'all runs read about the same input: other sizes are bounded by no change and proportional time';
      case 'size-unknown':
        return 'no run records its input size: all are taken to read the same amount';
      default:
        return String(code);
    }
  });
  return words.join('; ');
}
