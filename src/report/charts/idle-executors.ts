import { formatPercent } from '../../format.js';
import type { ChartDef } from './types.js';
import { bucketStart, count, dayAxis, dayBucket, inBucket, WIDTH } from './types.js';

// Executors that completed no task (the original Spot's "zero-task executors" plot): allocated, paid for,
// never used; typically too many executors for the input, or dynamic allocation asking for more than it needs.

// With no idle core time only the share is drawn: the words then name no lower panel. The bars are per day, month or
// year, as the axis buckets the span (types.ts dayBucket).
const SHARE = 'the share of runs each {bucket} that had at least one executor that ran no task';
const READING = `The top panel is ${SHARE}; the bottom panel is the core-hours those idle executors held, which were paid for and wasted.`;
const SHARE_ONLY = `The panel is ${SHARE}; none of them held any core time.`;

export const idleExecutors: ChartDef = {
  id: 'idle-executors',
  title: 'Idle executors (no task completed)',
  reading: inBucket(READING, 'day'),
  build(data) {
    const values = data.attempts
      .filter((a) => a.idleExecutors !== undefined)
      .map((a) => ({ day: a.day, withIdle: a.idleExecutors! > 0 ? 1 : 0, idleCoreHours: a.idleCoreHours ?? 0 }));
    if (!values.length) return { empty: 'No attempt with executor data yet.' };
    const share = values.filter((v) => v.withIdle).length / values.length;
    const days = values.map((v) => v.day);
    const x = dayAxis(days);
    // One row per bucket of the axis, carrying the bucket's share and sum: the bars the rows per attempt draw.
    const buckets = perBucket(values, bucketStart(days));
    const sharePanel = {
      width: WIDTH,
      height: 150,
      mark: { type: 'bar' as const, color: '#e45756' },
      encoding: {
        x: { ...x, title: null },
        y: {
          aggregate: 'mean' as const,
          field: 'withIdle',
          type: 'quantitative' as const,
          title: 'share of runs',
          axis: { format: '.0%' },
          scale: { domain: [0, 1] },
        },
      },
    };
    const hoursPanel = {
      width: WIDTH,
      height: 150,
      mark: { type: 'bar' as const, color: '#f58518' },
      encoding: {
        x,
        y: {
          aggregate: 'sum' as const,
          field: 'idleCoreHours',
          type: 'quantitative' as const,
          title: 'idle core-hours',
        },
      },
    };
    const attempts = values.length === 1 ? 'the one attempt read' : `the ${count(values.length)} attempts read`;
    const note = `${formatPercent(share)} of ${attempts} had an idle executor.`;
    const bucket = dayBucket(days);
    // With no idle core time the lower panel would be an empty axis: one line says so instead.
    if (!values.some((v) => v.idleCoreHours > 0)) {
      return {
        note: `${note} No idle executor held any core time.`,
        reading: inBucket(SHARE_ONLY, bucket),
        spec: { data: { values: buckets }, ...sharePanel, encoding: { ...sharePanel.encoding, x } },
      };
    }
    return {
      note,
      reading: inBucket(READING, bucket),
      spec: { data: { values: buckets }, vconcat: [sharePanel, hoursPanel] },
    };
  },
};

/** Per bucket: the share of attempts with an idle executor (the panel's mean) and their idle core-hours (its sum). */
function perBucket(
  values: { day: number; withIdle: number; idleCoreHours: number }[],
  bucketOf: (day: number) => number,
) {
  const by = new Map<number, { day: number; attempts: number; idle: number; idleCoreHours: number }>();
  for (const v of values) {
    const day = bucketOf(v.day);
    const b = by.get(day) ?? { day, attempts: 0, idle: 0, idleCoreHours: 0 };
    b.attempts += 1;
    b.idle += v.withIdle;
    b.idleCoreHours += v.idleCoreHours;
    by.set(day, b);
  }
  return [...by.values()].map((b) => ({ day: b.day, withIdle: b.idle / b.attempts, idleCoreHours: b.idleCoreHours }));
}
