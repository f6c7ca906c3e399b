import { skewOf } from '../common/task-summary.js';
import { adaptiveChange } from './adaptive-setting.js';
import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// Task skew: slowest task over the median task of the worst stage, from the event log's tasks, or else from the
// task summaries a History Server of Spark 3.4+ serves (each stage's x_task_skew, src/documents/stage-fields.ts).
export const taskSkew: FindingDef = {
  id: 'taskSkew',
  higherIsWorse: true,
  // Spark splits a partition over skewedPartitionFactor × the median (and its byte threshold) in a join.
  setting: adaptiveChange('skewJoin', { key: 'spark.sql.adaptive.skewJoin.skewedPartitionFactor', change: 'decrease' }),
  measure(input) {
    if (!input.tasks) {
      const worst = agg(input.stageAggs, 'x_task_skew', 'max');
      return worst === undefined ? undefined : { value: worst, data: 'stage' };
    }
    let worst: { value: number; stage: string } | undefined;
    for (const s of input.tasks.stages) {
      const ratio = skewOf(s.tasks, s.median_ms, s.max_ms);
      if (ratio !== undefined && (!worst || ratio > worst.value)) worst = { value: ratio, stage: s.stage };
    }
    return worst && { value: worst.value, data: 'task', detail: { stage: worst.stage } };
  },
};
