import { INPUT_JITTER, sizeGroups } from './extrapolate.js';
import { FLEXIBLE_MIN_ROWS } from './family.js';
import { totalCores } from './features.js';
import { fitLinear, flexibleSpecs } from './flexible.js';
import type { Range, Regressor, ModelSettings, TrainingRow } from './types.js';
import { crossValidate, type HeldOut } from './validate.js';

// A history run as a grid: a few input sizes, each at several core counts (a benchmark sweep, or a job run at a
// daily and a month-end input). The size band (band.ts) answers from the runs of the question's size only and
// leaves the other size's runs unused; a linear fit over all of them learns the part of the core-scaling shape
// the sizes share, and inside the grid it only interpolates: every question lies within the core counts and
// sizes it was trained on, which is where a flexible model may answer (bench/accuracy, Scout across input sizes:
// median error 6.6% answering from the band, 5.1% from the grid's linear fit within the observed runs' span).
// Anywhere else, and on any history that is not such a grid, the selection answers as before.

/** Core counts each of at least two input sizes must have been run at: enough to show its own core curve. */
const GRID_MIN_CORE_LEVELS = 4;

/**
 * The core counts and sizes spanned by the history's fully run sizes, when the history is a grid: every run of a
 * known size, each group of sizes no wider than one input size (INPUT_JITTER), and at least two of them run at
 * GRID_MIN_CORE_LEVELS core counts or more. Undefined otherwise (e.g. inputs that vary from run to run).
 */
export function gridRange(rows: TrainingRow[]): Range | undefined {
  if (rows.length < FLEXIBLE_MIN_ROWS || rows.some((r) => !(r.inputBytes > 0))) return undefined;
  const groups = sizeGroups(rows);
  if (groups.some((g) => g.at(-1)!.inputBytes > g[0]!.inputBytes * INPUT_JITTER)) return undefined;
  const fullSizes = groups.filter((g) => new Set(g.map(totalCores)).size >= GRID_MIN_CORE_LEVELS);
  if (fullSizes.length < 2) return undefined;
  const full = fullSizes.flat();
  const cores = full.map(totalCores);
  const bytes = full.map((r) => r.inputBytes);
  return {
    minCores: Math.min(...cores),
    maxCores: Math.max(...cores),
    minBytes: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
  };
}

/** The grid's fit and the range it answers in. */
export interface GridPart {
  regressor: Regressor;
  range: Range;
}

export function fitGrid(rows: TrainingRow[]): GridPart | undefined {
  const range = gridRange(rows);
  return range && { regressor: fitLinear(rows), range };
}

/**
 * The grid fit's held-out residuals (leave-one-out, or k-fold on long histories), weighted to the query's size:
 * the spread of its answers. A grid has at least FLEXIBLE_MIN_ROWS runs, so every fold trains on one fewer at least.
 */
export function gridHeldOut(rows: TrainingRow[], queryBytes: number | undefined): HeldOut[] {
  const linear = flexibleSpecs().find((s) => s.family === 'linear')!;
  return crossValidate({ ...linear, minRows: FLEXIBLE_MIN_ROWS - 1 }, rows, queryBytes).heldOut;
}

/** Whether a question lies within the grid's core counts and sizes (a size within INPUT_JITTER of its edges). */
export function inGrid(range: Range, s: ModelSettings, inputBytes: number): boolean {
  const m = totalCores(s);
  return (
    m >= range.minCores &&
    m <= range.maxCores &&
    inputBytes >= range.minBytes / INPUT_JITTER &&
    inputBytes <= range.maxBytes * INPUT_JITTER
  );
}
