import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// GC share: JVM garbage-collection time over task run time.
export const gcShare: FindingDef = {
  id: 'gcShare',
  higherIsWorse: true,
  setting: { key: 'spark.executor.memory', change: 'increase' },
  measure(input) {
    if (input.tasks && input.tasks.run_ms > 0) return { value: input.tasks.gc_ms / input.tasks.run_ms, data: 'task' };
    const gc = agg(input.stageAggs, 'jvmGcTime', 'sum');
    const run = agg(input.stageAggs, 'executorRunTime', 'sum');
    return gc === undefined || !run ? undefined : { value: gc / run, data: 'stage' };
  },
};
