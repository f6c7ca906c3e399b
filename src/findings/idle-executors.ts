import { field } from './figures.js';
import type { FindingDef } from './types.js';

// Idle executors: the share of executors that completed no task (held, never used).
export const idleExecutors: FindingDef = {
  id: 'idleExecutors',
  higherIsWorse: true,
  setting: { key: 'spark.dynamicAllocation.enabled', change: 'set', value: 'true' },
  measure(input) {
    const fraction = field(input.summary, 'idle_executors_fraction');
    if (fraction === undefined) return undefined;
    return { value: fraction, data: 'stage', detail: { idle: field(input.summary, 'idle_executors') ?? 0 } };
  },
};
