import type { TopLevelSpec } from 'vega-lite';

// Small charts of the kinds the report draws (stacked bars on a UTC day axis, boxes on a log scale, points, lines
// and rules in layers, binned bars in facets). The build draws them before it keeps V8's compiled code of the
// chart bundle (scripts/report-bundle.mjs), so the functions a chart runs are in that cache, not only the bundle's
// top level. (Drawing them at run time in the chart thread while the store is read was measured too, with
// bench/report.ts: slower, as it took the core the read needed.)

const values = [0, 1, 2, 3].map((i) => ({ day: Date.UTC(2024, 0, 1 + i), job: `j${i % 2}`, v: i + 1, w: 4 - i }));

export const WARM_UP: TopLevelSpec[] = [
  {
    data: { values },
    hconcat: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', scale: { type: 'utc' } },
          y: { aggregate: 'sum', field: 'v', type: 'quantitative' },
          color: { field: 'job', type: 'nominal', sort: ['j1', 'j0'] },
        },
      },
      {
        mark: { type: 'boxplot', extent: 'min-max' },
        encoding: {
          x: { field: 'job', type: 'nominal' },
          y: { field: 'v', type: 'quantitative', scale: { type: 'log' } },
        },
      },
    ],
  },
  {
    data: { values },
    layer: [
      {
        mark: { type: 'point' },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'w', type: 'quantitative' } },
      },
      {
        mark: { type: 'line' },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'w', type: 'quantitative' } },
      },
      { mark: { type: 'rule' }, encoding: { y: { datum: 2, type: 'quantitative' } } },
    ],
  },
  {
    data: { values },
    facet: { row: { field: 'job', type: 'nominal' } },
    spec: {
      mark: 'bar',
      encoding: { x: { field: 'v', bin: true, type: 'quantitative' }, y: { aggregate: 'count', type: 'quantitative' } },
    },
  },
];
