import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// GC share: JVM garbage-collection time over task run time. A task's GC time also counts collections while it was
// deserialized, before its run time starts, and a young JVM collects as it loads classes: over a few seconds of task
// time that alone can exceed the run time (a 72 ms run showed over 100%), which says nothing about executor memory.

/** Task run time, summed over the run's tasks, below which its GC share is not graded. */
const MIN_RUN_MS = 10_000;

export const gcShare: FindingDef = {
  id: 'gcShare',
  higherIsWorse: true,
  setting: { key: 'spark.executor.memory', change: 'increase' },
  measure(input) {
    if (input.tasks && input.tasks.run_ms > 0)
      return input.tasks.run_ms < MIN_RUN_MS
        ? undefined
        : { value: input.tasks.gc_ms / input.tasks.run_ms, data: 'task' };
    const gc = agg(input.stageAggs, 'jvmGcTime', 'sum');
    const run = agg(input.stageAggs, 'executorRunTime', 'sum');
    return gc === undefined || !run || run < MIN_RUN_MS ? undefined : { value: gc / run, data: 'stage' };
  },
};
