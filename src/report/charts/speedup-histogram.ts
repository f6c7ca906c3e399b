import { histogramSpec, logBins } from './bins.js';
import type { ChartDef } from './types.js';
import { HEIGHT, WIDTH } from './types.js';
import { plural } from '../../format.js';

// Estimated speedup over one core (summary estimated_speedup: work plus sequential time over duration): how
// parallel the runs actually were, whatever they were given (the original Spot's speedup histogram).
export const speedupHistogram: ChartDef = {
  id: 'speedup-histogram',
  title: 'Estimated speedup over one core',
  reading:
    'Each bar counts the runs whose speedup (one-core time over actual time) falls in its range: runs far below their core count paid for parallelism they did not use.',
  build(data) {
    const values = data.attempts.map((a) => a.speedup).filter((v): v is number => v !== undefined);
    const bins = logBins(values, (v) => `${v}×`);
    if (!bins.length) return { empty: 'No attempt with stage data yet.' };
    return {
      note: `${plural(values.length, 'attempt')}.`,
      spec: histogramSpec(bins, 'speedup', '#54a24b', WIDTH, HEIGHT),
    };
  },
};
