import { totalCores } from './features.js';
import { trainingRange } from './interval.js';
import type { Direction } from './extrapolate.js';
import type { Range, TrainingRow } from './types.js';
import { nearQuerySize } from './validate.js';

// Which runs a question inside the history's input sizes is learnt from. A fit across input sizes must split
// each change in duration between size and cores, and the physical forms do it with one shape for both; when
// the runs of about the query's size alone show how the job scales with cores, they answer it (bench/accuracy,
// Scout across input sizes: 8.6% median error fitting all runs, 7.8% fitting the query's size band). A question
// beyond the history's sizes keeps every run: the band would hold only the edge.

/** Fewest runs in the band, and the spread of their total cores, for the band alone to show core scaling. */
const BAND_MIN_ROWS = 5;
const BAND_MIN_SPREAD = 1.5;
/** A query this far beyond the history's smallest or largest input lies outside it. */
const BEYOND_SIZES = 1.1;

/** Which way a query lies beyond the history's input sizes (BEYOND_SIZES past its largest or smallest), if it does. */
export function beyondSizes(range: Range, queryBytes: number | undefined): Direction | undefined {
  if (!queryBytes || queryBytes <= 0 || range.maxBytes <= 0) return undefined;
  if (queryBytes > range.maxBytes * BEYOND_SIZES) return 'up';
  return queryBytes < range.minBytes / BEYOND_SIZES ? 'down' : undefined;
}

/** The runs of about the query's input size (validate.ts nearQuerySize) when they suffice, else all runs. */
export function sizeBand(rows: TrainingRow[], queryBytes: number | undefined): TrainingRow[] {
  if (!queryBytes || queryBytes <= 0) return rows;
  const range = trainingRange(rows);
  if (range.maxBytes <= 0 || beyondSizes(range, queryBytes)) return rows;
  const band = rows.filter((r) => r.inputBytes > 0 && nearQuerySize(r.inputBytes, queryBytes));
  if (band.length < BAND_MIN_ROWS || band.length === rows.length) return rows;
  const cores = band.map(totalCores);
  return Math.max(...cores) / Math.min(...cores) >= BAND_MIN_SPREAD ? band : rows;
}
