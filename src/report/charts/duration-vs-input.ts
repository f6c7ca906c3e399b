import type { ChartDef } from './types.js';
import { GIB, plural } from '../../format.js';
import { HEIGHT, TOP_JOBS, topKeys, WIDTH } from './types.js';

// Duration against input size per job key: the relation the models learn. A job whose cloud of points is
// flat does not scale with its input (fixed overheads dominate); one that fans out runs with varying settings.

/** Points per job, most recent first: enough to see the shape, few enough to keep the SVG small. */
const POINTS_PER_JOB = 300;

export const durationVsInput: ChartDef = {
  id: 'duration-vs-input',
  title: 'Duration against input size, per job',
  reading:
    'Each point is a successful run of one of the busiest jobs (log scales): points on a rising line scale with input; a flat band means fixed overhead dominates, a wide spread at one size means the settings or the cluster varied.',
  reads: 'runs',
  build(data) {
    const usable = data.runs.filter((r) => r.succeeded && r.inputBytes > 0 && r.durationMs > 0);
    if (!usable.length) return { empty: 'No successful run with a known input size yet.' };
    const jobs = topKeys(
      usable,
      (r) => r.app,
      () => 1,
      TOP_JOBS,
    );
    const values = jobs.flatMap((job) =>
      usable
        .filter((r) => r.app === job)
        .sort((a, b) => b.endMs - a.endMs)
        .slice(0, POINTS_PER_JOB)
        .map((r) => ({ job, inputGiB: r.inputBytes / GIB, minutes: r.durationMs / 60_000 })),
    );
    const shown = new Set(jobs);
    const hidden = new Set(usable.filter((r) => !shown.has(r.app)).map((r) => r.app)).size;
    const note = `${plural(jobs.length, 'busiest job')} by run count, at most ${POINTS_PER_JOB} recent runs each${hidden ? `; ${plural(hidden, 'other job')} not shown` : ''}.`;
    return {
      note,
      spec: {
        width: WIDTH,
        height: HEIGHT + 60,
        data: { values },
        mark: { type: 'point', filled: true, opacity: 0.6, size: 30 },
        encoding: {
          x: { field: 'inputGiB', type: 'quantitative', scale: { type: 'log' }, title: 'input (GiB, log scale)' },
          y: { field: 'minutes', type: 'quantitative', scale: { type: 'log' }, title: 'duration (minutes, log scale)' },
          color: { field: 'job', type: 'nominal', sort: jobs, title: 'job', legend: { labelLimit: 220 } },
        },
      },
    };
  },
};
