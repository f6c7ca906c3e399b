import type { ChartDef } from './types.js';
import { count, dayAxis, WIDTH } from './types.js';

// Executors that completed no task (the original Spot's "zero-task executors" plot): allocated, paid for,
// never used; typically too many executors for the input, or dynamic allocation asking for more than it needs.

export const idleExecutors: ChartDef = {
  id: 'idle-executors',
  title: 'Idle executors (no task completed)',
  reading:
    'The top panel is the share of runs each day that had at least one executor that ran no task; the bottom panel is the core-hours those idle executors held, which were paid for and wasted.',
  build(data) {
    const values = data.attempts
      .filter((a) => a.idleExecutors !== undefined)
      .map((a) => ({ day: a.day, withIdle: a.idleExecutors! > 0 ? 1 : 0, idleCoreHours: a.idleCoreHours ?? 0 }));
    if (!values.length) return { empty: 'No attempt with executor data yet.' };
    const share = values.filter((v) => v.withIdle).length / values.length;
    return {
      note: `${(share * 100).toFixed(1)}% of the ${count(values.length)} attempts read had an idle executor.`,
      spec: {
        data: { values },
        vconcat: [
          {
            width: WIDTH,
            height: 150,
            mark: { type: 'bar', color: '#e45756' },
            encoding: {
              x: { ...dayAxis(), title: null },
              y: { aggregate: 'mean', field: 'withIdle', type: 'quantitative', title: 'share of runs', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
            },
          },
          {
            width: WIDTH,
            height: 150,
            mark: { type: 'bar', color: '#f58518' },
            encoding: {
              x: dayAxis(),
              y: { aggregate: 'sum', field: 'idleCoreHours', type: 'quantitative', title: 'idle core-hours' },
            },
          },
        ],
      },
    };
  },
};
