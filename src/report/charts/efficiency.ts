import type { ChartDef } from './types.js';
import { dayAxis, HEIGHT, WIDTH } from './types.js';

// Estimated core efficiency (task time over allocated core time, computed by the crawl): how much of what
// was paid for did work. The distribution shows the typical run; the daily quartiles show the trend.

export const efficiency: ChartDef = {
  id: 'efficiency',
  title: 'Estimated core efficiency',
  reading:
    'Efficiency is task time divided by allocated core time: runs near 1 kept every core busy, runs near 0 paid for cores that waited; a falling daily median means runs are getting more over-provisioned.',
  build(data) {
    const values = data.attempts.filter((a) => a.efficiency !== undefined).map((a) => ({ day: a.day, efficiency: a.efficiency! }));
    if (!values.length) return { empty: 'No attempt has an estimated core efficiency (it needs executors and stages that ran).' };
    return {
      spec: {
        data: { values },
        hconcat: [
          {
            width: WIDTH / 2 - 20,
            height: HEIGHT,
            title: 'runs by efficiency',
            mark: 'bar',
            encoding: {
              x: { field: 'efficiency', type: 'quantitative', bin: { step: 0.05, extent: [0, 1] }, title: 'estimated core efficiency' },
              y: { aggregate: 'count', type: 'quantitative', title: 'runs' },
            },
          },
          {
            width: WIDTH / 2 + 20,
            height: HEIGHT,
            title: 'daily median and quartiles',
            layer: [
              {
                mark: { type: 'area', opacity: 0.25 },
                encoding: {
                  x: dayAxis(values.map((v) => v.day)),
                  y: { aggregate: 'q1', field: 'efficiency', type: 'quantitative', title: 'estimated core efficiency', scale: { domain: [0, 1] } },
                  y2: { aggregate: 'q3', field: 'efficiency' },
                },
              },
              {
                mark: { type: 'line', point: true },
                encoding: {
                  x: dayAxis(values.map((v) => v.day)),
                  y: { aggregate: 'median', field: 'efficiency', type: 'quantitative' },
                },
              },
            ],
          },
        ],
      },
    };
  },
};
