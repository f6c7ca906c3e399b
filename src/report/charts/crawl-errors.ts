import type { ChartDef } from './types.js';
import { dayAxis, dayBucket, HEIGHT, inBucket, WIDTH } from './types.js';

// The original Spot's internal-errors dashboard: apps the crawl could not read, by error type and day.

// Per day, month or year, as the axis buckets the span (its x axis title says which).
const READING =
  'Each bar counts the error documents the crawl wrote that {bucket}, by error type: a sudden wall of one type usually means the History Server or the network was down, a steady trickle points at apps Spot cannot parse.';

export const crawlErrors: ChartDef = {
  id: 'crawl-errors',
  title: 'Crawl errors by type',
  reading: inBucket(READING, 'day'),
  build(data) {
    if (!data.errors.length) return { empty: 'No crawl errors stored.' };
    const days = data.errors.map((e) => e.day);
    return {
      reading: inBucket(READING, dayBucket(days)),
      spec: {
        width: WIDTH,
        height: HEIGHT - 60,
        data: { values: data.errors.map((e) => ({ day: e.day, type: e.type })) },
        mark: 'bar',
        encoding: {
          x: dayAxis(days, `${dayBucket(days)} the crawl ran (UTC)`),
          y: { aggregate: 'count', type: 'quantitative', title: 'errors', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'type', type: 'nominal', title: 'error type', legend: { labelLimit: 220 } },
        },
      },
    };
  },
};
