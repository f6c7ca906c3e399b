import type { ModelSpec, TrainingRow } from './types.js';

// Cross-validation of one model spec: leave-one-out on short histories (every run counts), k-fold
// on long ones (time). Held-out errors are weighted by how close each run's input size is to the size
// the prediction is for, so a model is judged where it will be used.

export const LOO_MAX_ROWS = 25;
const FOLDS = 5;
/** Runs within this factor of the query's input size count fully in validation. */
const SIZE_RANGE_FACTOR = 1.5;

export interface HeldOut {
  id: string;
  /** ln(actual / predicted). */
  logRatio: number;
  /** |predicted / actual − 1|. */
  relError: number;
  weight: number;
}

export interface Validation {
  spec: ModelSpec;
  /** Weighted mean |relative error| over held-out runs. */
  error: number;
  heldOut: HeldOut[];
}

/** A run's distance from the query's input size, in units of SIZE_RANGE_FACTOR: within 1 it counts fully. */
const sizeDistance = (runBytes: number, queryBytes: number) =>
  Math.abs(Math.log((runBytes + 1) / (queryBytes + 1))) / Math.log(SIZE_RANGE_FACTOR);

/** Whether a run lies within SIZE_RANGE_FACTOR of the query's input size (any run does without a query). */
export function nearQuerySize(runBytes: number, queryBytes: number | undefined): boolean {
  return !queryBytes || queryBytes <= 0 || sizeDistance(runBytes, queryBytes) <= 1;
}

/** Weight of a run in validation: 1 inside the query's size range, decaying outside it. */
function sizeWeight(runBytes: number, queryBytes: number | undefined): number {
  if (nearQuerySize(runBytes, queryBytes)) return 1;
  const d = sizeDistance(runBytes, queryBytes!);
  return 1 / (d * d);
}

function folds(n: number): number[][] {
  if (n <= LOO_MAX_ROWS) return Array.from({ length: n }, (_, i) => [i]);
  const out: number[][] = Array.from({ length: FOLDS }, () => []);
  for (let i = 0; i < n; i++) out[i % FOLDS]!.push(i);
  return out;
}

/** One validation split: fit on `train`, predict `test` (indices into the rows). */
export interface Split {
  train: number[];
  test: number[];
  /** Weight of each of its held-out runs (1 when absent). */
  weight?: number;
}

/** Leave-one-out or k-fold splits: each fold held out once, the rest trained on. */
const foldCache = new Map<number, Split[]>();

export function foldSplits(n: number): Split[] {
  const cached = foldCache.get(n);
  if (cached) return cached;
  const splits = folds(n).map((fold) => {
    const out = new Set(fold);
    return { train: Array.from({ length: n }, (_, i) => i).filter((i) => !out.has(i)), test: fold };
  });
  // Every spec of a selection is validated on the same splits; histories are at most MAX_TRAINING_ROWS long.
  if (foldCache.size < 256) foldCache.set(n, splits);
  return splits;
}

/** Fewest training runs a fold needs: a physical fit is defined (non-negative, least squares) from 2 runs. */
function foldMinRows(spec: ModelSpec): number {
  return spec.constrained ? 2 : spec.minRows;
}

export function crossValidate(spec: ModelSpec, rows: TrainingRow[], queryBytes?: number, splits?: Split[]): Validation {
  const heldOut: HeldOut[] = [];
  if (spec.heldOut && !splits) {
    const preds = spec.heldOut(rows);
    rows.forEach((r, i) => {
      const pred = preds[i];
      if (pred === undefined || !Number.isFinite(pred)) return;
      const p = Math.max(pred, 1e-3);
      heldOut.push({
        id: r.id,
        logRatio: Math.log(r.durationMs / p),
        relError: Math.abs(p / r.durationMs - 1),
        weight: sizeWeight(r.inputBytes, queryBytes),
      });
    });
  }
  const run = (splits ?? (spec.heldOut ? [] : foldSplits(rows.length))).filter(
    (s) => s.train.length >= foldMinRows(spec),
  );
  const preds = spec.predictSplits
    ? spec.predictSplits(rows, run)
    : run.map((s) => {
        const fitted = spec.fit(s.train.map((i) => rows[i]!));
        return s.test.map((i) => fitted.predictMs(rows[i]!, rows[i]!.inputBytes));
      });
  run.forEach((split, k) => {
    for (const [t, i] of split.test.entries()) {
      const r = rows[i]!;
      const pred = Math.max(preds[k]![t]!, 1e-3);
      heldOut.push({
        id: r.id,
        logRatio: Math.log(r.durationMs / pred),
        relError: Math.abs(pred / r.durationMs - 1),
        weight: sizeWeight(r.inputBytes, queryBytes) * (split.weight ?? 1),
      });
    }
  });
  const wsum = heldOut.reduce((s, h) => s + h.weight, 0);
  const error = wsum > 0 ? heldOut.reduce((s, h) => s + h.weight * h.relError, 0) / wsum : Infinity;
  return { spec, error, heldOut };
}

export function logSigma(heldOut: HeldOut[]): number {
  const wsum = heldOut.reduce((s, h) => s + h.weight, 0);
  if (wsum <= 0) return Infinity;
  return Math.sqrt(heldOut.reduce((s, h) => s + h.weight * h.logRatio ** 2, 0) / wsum);
}
