import type { ChartDef } from './types.js';
import { plural } from '../../format.js';
import { OTHER, perBucket, stackedDayBars, TOP_JOBS, topKeys } from './types.js';

// Where the cluster's core time goes, day by day: the jobs worth tuning first are the tall layers.

const WORDS = {
  title: 'Allocated core-hours per {bucket}, by job',
  reading:
    'Bar height is the core-hours allocated to runs that ended that {bucket} (cores × executor lifetime, idle time included); the biggest layers are the jobs where tuning saves the most.',
};

export const coreHoursPerDay: ChartDef = {
  id: 'core-hours-per-day',
  ...perBucket([], WORDS),
  reads: 'runs',
  build(data) {
    // Runs without core time, or with none allocated, would only draw an empty axis.
    const usable = data.runs.filter((r) => r.coreHours !== undefined && r.coreHours > 0);
    if (!usable.length)
      return { empty: 'No run with allocated core time (imported runs without core time are not counted).' };
    const jobs = topKeys(
      usable,
      (r) => r.app,
      (r) => r.coreHours!,
      TOP_JOBS,
    );
    const shown = new Set(jobs);
    const values = usable.map((r) => ({ day: r.day, job: shown.has(r.app) ? r.app : OTHER, coreHours: r.coreHours! }));
    const order = values.some((v) => v.job === OTHER) ? [...jobs, OTHER] : jobs;
    return {
      ...perBucket(
        values.map((v) => v.day),
        WORDS,
      ),
      note: `${plural(jobs.length, 'job')} with the most core-hours by name${order.length > jobs.length ? ', the rest together' : ''}.`,
      spec: stackedDayBars({
        values,
        y: { field: 'coreHours', title: 'allocated core-hours' },
        color: { field: 'job', title: 'job', sort: order },
      }),
    };
  },
};
