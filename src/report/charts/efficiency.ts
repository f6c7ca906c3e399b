import type { ChartDef } from './types.js';
import { bucketStart, dayAxis, dayBucket, HEIGHT, inBucket, WIDTH } from './types.js';
import { binCounts, standIns } from './summaries.js';

// Estimated core efficiency (task time over allocated core time, computed by the crawl): how much of what
// was paid for did work. The distribution shows the typical run; the daily quartiles show the trend.
// Both panels take their figures summarised in code (a count per bin; per bucket of the day axis, three values
// with the bucket's quartiles), not one row per attempt: the same bars and lines, and the same labels, at a
// cost that does not grow with the attempts read.

/** The histogram's bins: 0.05 wide over [0, 1]. */
const BIN = { step: 0.05, extent: [0, 1] as [number, number] };

// Per day, month or year, as the axis buckets the span (types.ts dayBucket): "daily" over months misread the line.
const READING =
  'Efficiency is task time divided by allocated core time: runs near 1 kept every core busy, runs near 0 paid for cores that waited; a falling median per {bucket} means runs are getting more over-provisioned.';

export const efficiency: ChartDef = {
  id: 'efficiency',
  title: 'Estimated core efficiency',
  reading: inBucket(READING, 'day'),
  build(data) {
    const values = data.attempts
      .filter((a) => a.efficiency !== undefined)
      .map((a) => ({ day: a.day, efficiency: a.efficiency! }));
    if (!values.length)
      return { empty: 'No attempt has an estimated core efficiency (it needs executors and stages that ran).' };
    const days = values.map((v) => v.day);
    const x = dayAxis(days);
    const bucketOf = bucketStart(days);
    const quartiles = standIns(
      values,
      (v) => bucketOf(v.day),
      (v) => v.efficiency,
      (v, e) => ({ day: bucketOf(v.day), efficiency: e }),
      'quartiles',
    );
    const bucket = dayBucket(days);
    return {
      reading: inBucket(READING, bucket),
      spec: {
        hconcat: [
          {
            width: WIDTH / 2 - 20,
            height: HEIGHT,
            title: 'runs by efficiency',
            data: {
              values: binCounts(
                values.map((v) => v.efficiency),
                BIN,
              ).map(({ mid, runs }) => ({ efficiency: mid, runs })),
            },
            mark: 'bar',
            encoding: {
              x: { field: 'efficiency', type: 'quantitative', bin: BIN, title: 'estimated core efficiency' },
              y: { aggregate: 'sum', field: 'runs', type: 'quantitative', title: 'runs' },
            },
          },
          {
            width: WIDTH / 2 + 20,
            height: HEIGHT,
            title: `median and quartiles per ${bucket}`,
            data: { values: quartiles },
            layer: [
              {
                mark: { type: 'area', opacity: 0.25 },
                encoding: {
                  x,
                  y: {
                    aggregate: 'q1',
                    field: 'efficiency',
                    type: 'quantitative',
                    title: 'estimated core efficiency',
                    scale: { domain: [0, 1] },
                  },
                  y2: { aggregate: 'q3', field: 'efficiency' },
                },
              },
              {
                mark: { type: 'line', point: true },
                encoding: { x, y: { aggregate: 'median', field: 'efficiency', type: 'quantitative' } },
              },
            ],
          },
        ],
      },
    };
  },
};
