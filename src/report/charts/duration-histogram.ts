import { formatDuration, plural } from '../../format.js';
import { histogramSpec, logBins } from './bins.js';
import type { ChartDef } from './types.js';
import { HEIGHT, WIDTH } from './types.js';

// How long runs take, over all jobs (the original Spot's duration histogram), on 1-2-5 bins.

/**
 * A bin edge (1, 2 or 5 times a power of ten milliseconds), as every duration is written, but whole: "200 ms", "2 s",
 * not "0.2 s" or "2.0 s".
 */
const edgeLabel = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 10_000 ? `${ms / 1000} s` : formatDuration(ms));

export const durationHistogram: ChartDef = {
  id: 'duration-histogram',
  title: 'Run durations',
  reading:
    'Each bar counts the runs whose duration falls in its range (bins grow 1-2-5): a long right tail is where the hours go; two humps usually mean two kinds of job.',
  reads: 'runs',
  build(data) {
    const bins = logBins(
      data.runs.map((r) => r.durationMs),
      edgeLabel,
    );
    if (!bins.length) return { empty: 'No run with a duration yet.' };
    return {
      note: `${plural(data.runs.length, 'run')}.`,
      spec: histogramSpec(bins, 'duration', '#4c78a8', WIDTH, HEIGHT),
    };
  },
};
