import type { ChartDef } from './types.js';
import { dayBucket, perBucket, stackedDayBars, topKeys } from './types.js';
import { plural } from '../../format.js';

// Who holds the cluster: what YARN billed finished applications (every type, not only Spark), day by day,
// by queue and by user. The tall layers are where a queue's capacity goes.

const TOP = 8;
const OTHERS = { queue: '(other queues)', user: '(other users)' };

function usage(by: 'queue' | 'user'): ChartDef {
  const words = {
    title: `YARN vcore-hours per {bucket}, by ${by}`,
    reading: `Bar height is the vcore-hours YARN billed to applications that finished that {bucket} (its vcoreSeconds, all application types); each layer is one ${by}.`,
  };
  return {
    id: `yarn-${by}-usage`,
    ...perBucket([], words),
    build(data) {
      const rows = data.yarn?.apps ?? [];
      if (!rows.length) return { empty: 'No YARN application stored (spot crawl --yarn URL).' };
      const keys = topKeys(
        rows,
        (r) => r[by],
        (r) => r.vcoreHours,
        TOP,
      );
      const shown = new Set(keys);
      const days = rows.map((r) => r.day);
      const values = rows.map((r) => ({
        day: r.day,
        key: shown.has(r[by]) ? r[by] : OTHERS[by],
        vcoreHours: r.vcoreHours,
      }));
      const order = values.some((v) => v.key === OTHERS[by]) ? [...keys, OTHERS[by]] : keys;
      return {
        ...perBucket(days, words),
        note: `${plural(rows.length, 'finished YARN application')}; the ${keys.length === 1 ? `one ${by}` : `${keys.length} ${by}s`} with the most vcore-hours by name.`,
        spec: stackedDayBars({
          values,
          xTitle: `finish ${dayBucket(days)} (UTC)`,
          y: { field: 'vcoreHours', title: 'vcore-hours' },
          color: { field: 'key', title: by, sort: order },
        }),
      };
    },
  };
}

export const yarnQueueUsage = usage('queue');
export const yarnUserUsage = usage('user');
