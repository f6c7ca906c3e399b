import type { ChartDef } from './types.js';
import { HEIGHT, topKeys, WIDTH } from './types.js';
import { plural } from '../../format.js';

// Does Spark's own accounting match YARN's bill? For each Spark run that YARN also knows (same application id),
// the core-hours Spark allocated to executors against the vcore-hours YARN billed, coloured by queue.

const TOP_QUEUES = 8;
const OTHER = '(other queues)';

export const sparkVsYarn: ChartDef = {
  id: 'spark-vs-yarn',
  title: "Spark's allocated core-hours against YARN's vcore-hours",
  reading:
    "Each point is a Spark run joined to its YARN application. On the diagonal YARN billed what Spark's executors held; above it YARN billed more (the driver or application master container, executors starting or waiting for tasks before Spark counted them).",
  build(data) {
    const rows = (data.yarn?.joined ?? []).filter((r) => r.sparkCoreHours > 0 && r.yarnVcoreHours > 0);
    if (!rows.length)
      return {
        empty: 'No Spark run matches a stored YARN application (crawl both the History Server and spot crawl --yarn).',
      };
    const queues = new Set(
      topKeys(
        rows,
        (r) => r.queue,
        (r) => r.yarnVcoreHours,
        TOP_QUEUES,
      ),
    );
    const values = rows.map((r) => ({ ...r, queue: queues.has(r.queue) ? r.queue : OTHER }));
    const ratio = rows.reduce((a, r) => a + r.yarnVcoreHours, 0) / rows.reduce((a, r) => a + r.sparkCoreHours, 0);
    const hi = Math.max(...rows.map((r) => Math.max(r.sparkCoreHours, r.yarnVcoreHours)));
    const lo = Math.min(...rows.map((r) => Math.min(r.sparkCoreHours, r.yarnVcoreHours)));
    const scale = { type: 'log' as const, domain: [lo, hi] };
    return {
      note: `${plural(rows.length, 'joined run')}; YARN billed ${ratio.toFixed(2)}× the core-hours Spark allocated.`,
      spec: {
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: {
              values: [
                { x: lo, y: lo },
                { x: hi, y: hi },
              ],
            },
            mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
            encoding: {
              x: { field: 'x', type: 'quantitative', scale },
              y: { field: 'y', type: 'quantitative', scale },
            },
          },
          {
            data: { values },
            mark: { type: 'point', filled: true },
            encoding: {
              x: { field: 'sparkCoreHours', type: 'quantitative', scale, title: 'Spark allocated core-hours (log)' },
              y: { field: 'yarnVcoreHours', type: 'quantitative', scale, title: 'YARN vcore-hours (log)' },
              color: { field: 'queue', type: 'nominal', title: 'queue' },
              tooltip: [{ field: 'appId' }, { field: 'app' }, { field: 'queue' }],
            },
          },
        ],
      },
    };
  },
};
