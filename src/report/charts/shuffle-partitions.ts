import type { ChartDef } from './types.js';
import { count, HEIGHT } from './types.js';
import { standIns } from './summaries.js';

// The original Spot's "small files" plot: jobs left at Spark's default of 200 shuffle partitions write many
// tiny tasks (and files) on small inputs and too few on big ones, unless adaptive execution coalesces them.
// Each box is drawn from five values standing in for its attempts (summaries.ts): the same box.

export const DEFAULT_SHUFFLE_PARTITIONS = 200;

export const shufflePartitions: ChartDef = {
  id: 'shuffle-partitions',
  title: 'Shuffle partitions: the default 200 against a chosen value, with and without adaptive execution',
  reading:
    'Boxes compare the efficiency of runs left at spark.sql.shuffle.partitions = 200 with runs that set it, split by adaptive query execution: a low box at 200 without AQE points at jobs whose partitioning does not fit their input.',
  build(data) {
    const values = data.attempts
      .filter((a) => a.efficiency !== undefined)
      .map((a) => ({
        partitions:
          (a.shufflePartitions ?? DEFAULT_SHUFFLE_PARTITIONS) === DEFAULT_SHUFFLE_PARTITIONS
            ? '200 (default)'
            : 'set by the job',
        aqe: a.adaptiveExecution === undefined ? 'AQE unknown' : a.adaptiveExecution ? 'AQE on' : 'AQE off',
        efficiency: a.efficiency!,
      }));
    if (!values.length) return { empty: 'No attempt has an estimated core efficiency.' };
    const groups = new Map<string, number>();
    for (const v of values) groups.set(`${v.aqe}, ${v.partitions}`, (groups.get(`${v.aqe}, ${v.partitions}`) ?? 0) + 1);
    const note = `${[...groups.entries()]
      .sort()
      .map(([k, n]) => `${k}: ${count(n)}`)
      .join('; ')} attempts.`;
    return {
      note,
      spec: {
        data: {
          values: standIns(
            values,
            (v) => `${v.aqe}, ${v.partitions}`,
            (v) => v.efficiency,
            (v, efficiency) => ({ ...v, efficiency }),
            'box',
          ),
        },
        mark: { type: 'boxplot', extent: 'min-max', size: 36 },
        encoding: {
          column: { field: 'aqe', type: 'nominal', title: null, sort: ['AQE off', 'AQE on', 'AQE unknown'] },
          x: {
            field: 'partitions',
            type: 'nominal',
            title: 'spark.sql.shuffle.partitions',
            sort: ['200 (default)', 'set by the job'],
            axis: { labelAngle: 0 },
          },
          y: { field: 'efficiency', type: 'quantitative', title: 'estimated core efficiency' },
          color: { field: 'partitions', type: 'nominal', legend: null },
        },
        width: 180,
        height: HEIGHT,
      },
    };
  },
};
