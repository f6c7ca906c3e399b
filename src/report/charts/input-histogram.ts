import { formatBytes, plural } from '../../format.js';
import { BINARY, histogramSpec, logBins } from './bins.js';
import type { ChartDef } from './types.js';
import { count, HEIGHT, WIDTH } from './types.js';

// How much runs read (the original Spot's input-size histogram), on 1-2-5 bins.
export const inputHistogram: ChartDef = {
  id: 'input-histogram',
  title: 'Input sizes',
  reading:
    'Each bar counts the runs whose input falls in its range (bins grow 1-2-5): most clusters run many small inputs and a few large ones; settings tuned for the large ones waste cores on the small.',
  reads: 'runs',
  build(data) {
    const known = data.runs.filter((r) => r.inputBytes > 0);
    const bins = logBins(
      known.map((r) => r.inputBytes),
      formatBytes,
      BINARY,
    );
    if (!bins.length) return { empty: 'No run with a known input size yet.' };
    return {
      note: `${count(known.length)} of ${plural(data.runs.length, 'run')} ${known.length === 1 ? 'has' : 'have'} a known input size.`,
      spec: histogramSpec(bins, 'input', '#72b7b2', WIDTH, HEIGHT),
    };
  },
};
