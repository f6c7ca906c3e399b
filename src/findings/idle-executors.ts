import type { FindingDef } from './types.js';

// Idle executors: the share of executors that completed no task (held, never used). Dynamic allocation releases
// them; a run that had it on asked for more than its tasks could use, which its ceiling bounds.
export const idleExecutors: FindingDef = {
  id: 'idleExecutors',
  higherIsWorse: true,
  setting: (input) =>
    input.summary.dynamicAllocation === true || input.sparkProperties.spark_dynamicAllocation_enabled === true
      ? { key: 'spark.dynamicAllocation.maxExecutors', change: 'decrease' }
      : { key: 'spark.dynamicAllocation.enabled', change: 'set', value: 'true' },
  measure(input) {
    const fraction = input.summary.idleExecutorsFraction;
    if (fraction === undefined) return undefined;
    return { value: fraction, data: 'stage', detail: { idle: input.summary.idleExecutors ?? 0 } };
  },
};
