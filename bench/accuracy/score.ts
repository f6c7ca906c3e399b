import { answer, UNKNOWN_SIZE_BYTES } from '../../models/region.js';
import { allSpecs } from '../../models/family.js';
import { selectModel } from '../../models/select.js';
import type { ModelSpec, TrainingRow } from '../../models/types.js';
import type { Cell } from './cells.js';
import { answeredBy } from './answered.js';

// Scores one cell: every single model fitted on each case's whole history, and the selection asked the way
// the advisor asks (at the held-out runs' input size), with its 80% interval's coverage.

export interface CellScore {
  name: string;
  cases: number;
  predictions: number;
  /** model name → |relative error| of each held-out prediction. */
  errors: Map<string, number[]>;
  covered: number;
  /**
   * model name → held-out runs it answered. Not the selection's chosen model alone: beyond the history's core
   * counts or input sizes another fit answers (models/select.ts), and the count says which.
   */
  answeredBy: Map<string, number>;
  /**
   * Per case: its group (one job's history) and model name → its held-out errors, for the bootstrap (gap.ts); and
   * per held-out run, the part of the selection that answered it (regions.ts).
   */
  byCase: {
    group: number;
    errors: Map<string, number[]>;
    regions?: string[];
    cluster?: string;
    workload?: string;
  }[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

/** The selection's median error on some predictions, and the single model with the lowest median on the same ones. */
export interface PooledScore {
  predictions: number;
  selection: number;
  best?: { name: string; error: number };
}

/** Scores pooled errors (model name → errors on the same predictions; 'selection' among them). */
export function pooledScore(errs: Map<string, number[]>): PooledScore {
  const singles = [...errs]
    .filter(([n]) => n !== 'selection')
    .map(([name, e]) => ({ name, error: median(e) }))
    .sort((a, b) => a.error - b.error);
  const sel = errs.get('selection') ?? [];
  return { predictions: sel.length, selection: median(sel), ...(singles[0] ? { best: singles[0] } : {}) };
}

const relErr = (predMs: number, r: TrainingRow) => Math.abs(predMs / r.durationMs - 1);

/**
 * A single model is shown where it can be fitted at all: physical ones from 2 runs, flexible ones from their own floor.
 */
function fits(spec: ModelSpec, n: number): boolean {
  return spec.constrained ? n >= 2 : n >= Math.min(spec.minRows, 6) + 1;
}

export function scoreCell(cell: Cell, specs: ModelSpec[] = allSpecs()): CellScore {
  const out: CellScore = {
    name: cell.name,
    cases: cell.cases.length,
    predictions: 0,
    errors: new Map(),
    covered: 0,
    answeredBy: new Map(),
    byCase: [],
  };
  for (const [i, c] of cell.cases.entries()) {
    const mine = new Map<string, number[]>();
    const regions: string[] = [];
    out.byCase.push({
      group: c.group ?? i,
      errors: mine,
      regions,
      ...(c.cluster ? { cluster: c.cluster } : {}),
      ...(c.workload ? { workload: c.workload } : {}),
    });
    const add = (name: string, e: number) => {
      for (const m of [out.errors, mine]) m.set(name, [...(m.get(name) ?? []), e]);
    };
    const { history, heldOut } = c;
    // Single models see what the selection sees: one nominal size when no run knows its input size.
    const sized = history.some((r) => r.inputBytes > 0);
    const nominal = (rs: TrainingRow[]) => (sized ? rs : rs.map((r) => ({ ...r, inputBytes: UNKNOWN_SIZE_BYTES })));
    for (const spec of specs) {
      if (!fits(spec, history.length)) continue;
      const m = spec.fit(nominal(history));
      for (const r of nominal(heldOut)) add(spec.name, relErr(m.predictMs(r, r.inputBytes), r));
    }
    const queryBytes = median(heldOut.map((r) => r.inputBytes)) || undefined;
    const sel = selectModel(history, { queryBytes });
    if (!sel) continue;
    for (const r of heldOut) {
      const settings = {
        executors: r.executors,
        executorCores: r.executorCores,
        executorMemoryBytes: r.executorMemoryBytes,
      };
      const p = sel.model.predict(settings, r.inputBytes);
      add('selection', relErr(p.durationMs, r));
      const by = answer(sel.fitted.parts, settings, r.inputBytes).regressor.name;
      out.answeredBy.set(by, (out.answeredBy.get(by) ?? 0) + 1);
      regions.push(answeredBy(sel.fitted.parts, settings, r.inputBytes));
      out.predictions++;
      if (r.durationMs >= p.low && r.durationMs <= p.high) out.covered++;
    }
  }
  return out;
}
