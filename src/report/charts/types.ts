import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../data.js';
import { thousands } from '../../format.js';

// A chart is a title, one sentence on what to read from it, and a pure function from the report's rows to a
// Vega-Lite spec. With nothing to plot it says why in a short note instead of drawing empty axes.

/**
 * A chart drawn, or why not. A chart whose bars sum over its day axis's bucket names the bucket it drew in its
 * title and reading (`perBucket`): "per day" over a span of months would misread every bar.
 */
type ChartResult = { spec: TopLevelSpec; note?: string; title?: string; reading?: string } | { empty: string };

export interface ChartDef {
  id: string;
  /** As drawn over days; a chart over months or years says so in its result. */
  title: string;
  reading: string;
  /** 'runs': built from `data.runs` alone, so it is drawn while the rest of the data is read. */
  reads?: 'runs';
  build(data: ReportData): ChartResult;
}

export const WIDTH = 560;
export const HEIGHT = 240;
/** Series shown by name before the rest are folded into one. */
export const TOP_JOBS = 8;
export const OTHER = '(other jobs)';

const DAY_MS = 86_400_000;
/** Fewest days a day axis spans, so one day of data is one bar among blank days, not a bar across the width. */
const MIN_DAYS_SHOWN = 7;
/** About this many ticks, whatever the span. */
const TICKS = 8;

/** The time bucket a day axis draws for data spanning these days: days up to three months, then months, then
 * years past six years. `months` is the bucket's length in months (0: one day). */
function bucketOf(days: number[]) {
  const first = days.length ? Math.min(...days) : 0;
  const last = days.length ? Math.max(...days) : 0;
  const spanDays = Math.round((last - first) / DAY_MS) + 1;
  const crossesYear = new Date(first).getUTCFullYear() !== new Date(last).getUTCFullYear();
  const bucket =
    spanDays <= 92
      ? { unit: 'utcyearmonthdate' as const, months: 0, format: crossesYear ? '%b %d, %Y' : '%b %d', name: 'day' }
      : spanDays <= 6 * 366
        ? { unit: 'utcyearmonth' as const, months: 1, format: '%b %Y', name: 'month' }
        : { unit: 'utcyear' as const, months: 12, format: '%Y', name: 'year' };
  return { ...bucket, first, last, spanDays };
}

/**
 * The start of the bucket each day falls in, on the axis `dayAxis(days)` draws: rows summarised per bucket in
 * code (a median, a share of runs) draw what the chart would compute from one row per run.
 */
export function bucketStart(days: number[]): (day: number) => number {
  const { months } = bucketOf(days);
  if (months === 0) return (day) => day;
  return (day) => {
    const d = new Date(day);
    return Date.UTC(d.getUTCFullYear(), months === 12 ? 0 : d.getUTCMonth(), 1);
  };
}

/**
 * A UTC time axis for rows with a `day` field (ms at UTC midnight), bucketed by the span of the data (bucketOf),
 * so bars stay visible and labels carry the year when the data crosses one. Ticks are listed, one every few
 * whole buckets, so no label repeats.
 */
export function dayAxis(days: number[], title?: string) {
  const { first, last, spanDays, ...bucket } = bucketOf(days);
  const { domain, ticks } = bucket.months ? monthTicks(first, last, bucket.months) : dayTicks(first, last, spanDays);
  return {
    field: 'day',
    type: 'temporal' as const,
    timeUnit: bucket.unit,
    scale: { type: 'utc' as const, domain },
    title: title ?? `${bucket.name} (UTC)`,
    axis: { format: bucket.format, values: ticks, labelOverlap: true },
  };
}

/** At least MIN_DAYS_SHOWN days around the data, a tick every few whole days counted from the first. */
function dayTicks(first: number, last: number, spanDays: number): { domain: [number, number]; ticks: number[] } {
  const pad = Math.max(0, MIN_DAYS_SHOWN - spanDays);
  const start = first - Math.ceil(pad / 2) * DAY_MS;
  const end = last + (1 + Math.floor(pad / 2)) * DAY_MS;
  const days = Math.round((end - start) / DAY_MS);
  const step = Math.max(1, Math.ceil(days / TICKS));
  const ticks: number[] = [];
  for (let d = 0; d < days; d += step) ticks.push(start + d * DAY_MS);
  return { domain: [start, end], ticks };
}

/** Whole months (or years, as 12 months) from the first bucket to the end of the last, a tick every few. */
function monthTicks(first: number, last: number, months: number): { domain: [number, number]; ticks: number[] } {
  const f = new Date(first),
    l = new Date(last);
  const floor = (y: number, m: number) => Date.UTC(y, m, 1);
  const startY = f.getUTCFullYear(),
    startM = months === 12 ? 0 : f.getUTCMonth();
  const count = Math.floor(((l.getUTCFullYear() - startY) * 12 + l.getUTCMonth() - startM) / months) + 1;
  const step = Math.max(1, Math.ceil(count / TICKS));
  const ticks: number[] = [];
  for (let i = 0; i < count; i += step) ticks.push(floor(startY, startM + i * months));
  return { domain: [floor(startY, startM), floor(startY, startM + count * months)], ticks };
}

/** The time bucket a day axis over these days uses ("day", "month" or "year"), for notes and titles. */
export const dayBucket = (days: number[]): string => bucketOf(days).name;

/** Words written with `{bucket}` where the day axis's bucket ("day", "month", "year") goes. */
export const inBucket = (text: string, bucket: string): string => text.replaceAll('{bucket}', bucket);

/** A title and reading written with `{bucket}` where the day axis's bucket goes. */
export function perBucket(days: number[], text: { title: string; reading: string }) {
  const bucket = dayBucket(days);
  return { title: inBucket(text.title, bucket), reading: inBucket(text.reading, bucket) };
}

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
export const count = (n: number): string => thousands(n);

/**
 * Bars per day (or month, or year: the day axis's bucket) of a summed quantity, stacked by a key: the tall layers
 * are where the quantity goes. `sort` orders the layers (the folded rest last). Rows are summed per day and key
 * first, so the chart takes a few values per day however many runs there are; the bars are the same sums.
 */
export function stackedDayBars(o: {
  values: { day: number }[];
  xTitle?: string;
  y: { field: string; title: string };
  color: { field: string; title: string; sort?: string[] };
}): TopLevelSpec {
  const days = o.values.map((v) => v.day);
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: sumPerDay(o.values, o.color.field, o.y.field) },
    mark: 'bar',
    encoding: {
      x: dayAxis(days, o.xTitle),
      y: { aggregate: 'sum', field: o.y.field, type: 'quantitative', title: o.y.title },
      color: {
        field: o.color.field,
        type: 'nominal',
        ...(o.color.sort ? { sort: o.color.sort } : {}),
        title: o.color.title,
        legend: { labelLimit: 220 },
      },
    },
  } as TopLevelSpec;
}

/** One row per day and key with the sum of `field`, in the order each pair is first seen. */
function sumPerDay(rows: { day: number }[], key: string, field: string): Record<string, number | string>[] {
  const sums = new Map<string, Record<string, number | string>>();
  for (const r of rows as unknown as Record<string, number | string>[]) {
    const id = `${r.day} ${r[key]}`;
    const row = sums.get(id);
    if (row) (row[field] as number) += r[field] as number;
    else sums.set(id, { day: r.day!, [key]: r[key]!, [field]: r[field]! });
  }
  return [...sums.values()];
}
