import type { FindingDef } from './types.js';

// Idle executors: the share of executors that completed no task (held, never used).
export const idleExecutors: FindingDef = {
  id: 'idleExecutors',
  higherIsWorse: true,
  setting: { key: 'spark.dynamicAllocation.enabled', change: 'set', value: 'true' },
  measure(input) {
    const fraction = input.summary.idleExecutorsFraction;
    if (fraction === undefined) return undefined;
    return { value: fraction, data: 'stage', detail: { idle: input.summary.idleExecutors ?? 0 } };
  },
};
