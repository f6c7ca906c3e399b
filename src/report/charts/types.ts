import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../data.js';

// A chart is a title, one sentence on what to read from it, and a pure function from the report's rows to a
// Vega-Lite spec. With nothing to plot it says why in a short note instead of drawing empty axes.

export type ChartResult = { spec: TopLevelSpec; note?: string } | { empty: string };

export interface ChartDef {
  id: string;
  title: string;
  reading: string;
  build(data: ReportData): ChartResult;
}

export const WIDTH = 560;
export const HEIGHT = 240;
/** Series shown by name before the rest are folded into one. */
export const TOP_JOBS = 8;
export const OTHER = '(other jobs)';

/** Days on a UTC time axis, so the report reads the same wherever it is generated. */
export const dayAxis = (title = 'day (UTC)') => ({
  field: 'day',
  type: 'temporal' as const,
  timeUnit: 'utcyearmonthdate' as const,
  scale: { type: 'utc' as const },
  title,
  axis: { format: '%b %d', labelOverlap: true },
});

/** Keys ranked by a weight, highest first, ties by name so the order is stable. */
export function topKeys<T>(rows: T[], key: (r: T) => string, weight: (r: T) => number, n: number): string[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + weight(r));
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}

/** Whole numbers in notes, with thousands separators. */
export const count = (n: number): string => n.toLocaleString('en-US');
