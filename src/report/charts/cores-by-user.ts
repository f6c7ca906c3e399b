import type { ChartDef } from './types.js';
import { dayBucket, perBucket, stackedDayBars, TOP_JOBS, topKeys } from './types.js';
import { plural } from '../../format.js';

const OTHER_USERS = '(other users)';

// Cores over time by user, weighted by how long they were held: each day, a user's allocated core-hours over
// 24 hours is the number of cores they held on average that day. (Counting executors per run, as Kibana could,
// weighs a one-minute run like a ten-hour one.)
const WORDS = {
  title: 'Cores held per {bucket}, by user',
  reading:
    'Each bar is the mean number of cores held over a {bucket} (allocated core-hours ÷ its hours), split by the Spark user who held them: it weighs each run by how long its cores were held.',
};

export const coresByUser: ChartDef = {
  id: 'cores-by-user',
  ...perBucket([], WORDS),
  build(data) {
    const usable = data.attempts.filter((a) => a.allocatedCoreHours !== undefined && a.allocatedCoreHours > 0);
    if (!usable.length) return { empty: 'No attempt with executor data yet.' };
    const userOf = (a: (typeof usable)[number]) => a.user ?? '(unknown user)';
    const users = new Set(topKeys(usable, userOf, (a) => a.allocatedCoreHours!, TOP_JOBS));
    const days = usable.map((a) => a.day);
    // Bars sum over the axis's bucket, so the mean over a bucket divides by the bucket's hours, not a day's.
    const hours = { day: 24, month: 24 * 30.44, year: 24 * 365.25 }[dayBucket(days)] ?? 24;
    const values = usable.map((a) => ({
      day: a.day,
      user: users.has(userOf(a)) ? userOf(a) : OTHER_USERS,
      cores: a.allocatedCoreHours! / hours,
    }));
    return {
      ...perBucket(days, WORDS),
      // "The rest" only where there is one: as the core-hours chart says its jobs.
      note: `${plural(users.size, 'user')} with the most core-hours by name${values.some((v) => v.user === OTHER_USERS) ? `, the rest as ${OTHER_USERS}` : ''}.`,
      spec: stackedDayBars({
        values,
        y: { field: 'cores', title: 'mean cores held' },
        color: { field: 'user', title: 'user' },
      }),
    };
  },
};
