import type { ChartDef } from './types.js';
import { plural } from '../../format.js';
import { HEIGHT, TOP_JOBS, topKeys, WIDTH } from './types.js';

// Per job, the mean sequential (driver: outside any stage) and parallel (inside stages) time of its runs:
// more executors only shorten the parallel part (Amdahl), so a job that is mostly driver time needs fewer.
export const driverVsParallel: ChartDef = {
  id: 'driver-vs-parallel',
  title: 'Sequential (driver) against parallel time, per job',
  reading:
    "Each bar is one job's mean run split into time outside any stage (driver, start-up) and time inside stages: only the parallel part shrinks with more executors.",
  build(data) {
    const usable = data.attempts.filter((a) => a.seqMs !== undefined && a.parallelMs !== undefined);
    if (!usable.length) return { empty: 'No attempt with stage data yet.' };
    const jobs = topKeys(
      usable,
      (a) => a.app,
      () => 1,
      TOP_JOBS,
    );
    const values = jobs.flatMap((job) => {
      const mine = usable.filter((a) => a.app === job);
      const mean = (f: (a: (typeof mine)[number]) => number) =>
        mine.reduce((s, a) => s + f(a), 0) / mine.length / 60_000;
      return [
        {
          job,
          part: 'sequential (driver)',
          minutes: Math.max(
            0,
            mean((a) => a.seqMs!),
          ),
        },
        { job, part: 'parallel (stages)', minutes: mean((a) => a.parallelMs!) },
      ];
    });
    return {
      note: `${plural(jobs.length, 'busiest job')} by attempts read.`,
      spec: {
        width: WIDTH,
        height: Math.max(HEIGHT / 2, jobs.length * 24),
        data: { values },
        mark: 'bar',
        encoding: {
          y: { field: 'job', type: 'nominal', sort: jobs, title: null, axis: { labelLimit: 220 } },
          x: { field: 'minutes', type: 'quantitative', stack: 'zero', title: 'mean minutes per run' },
          color: { field: 'part', type: 'nominal', scale: { range: ['#e45756', '#4c78a8'] }, title: null },
        },
      },
    };
  },
};
