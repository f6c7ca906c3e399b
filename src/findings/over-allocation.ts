import type { FindingDef } from './types.js';

// Over-allocation: the share of allocated core time that ran tasks. From tasks, their run time over the
// allocated core time; from stages, the summary's estimated core efficiency.
export const overAllocation: FindingDef = {
  id: 'overAllocation',
  higherIsWorse: false,
  setting: { key: 'spark.executor.instances', change: 'decrease' },
  measure(input) {
    const allocated = input.summary.coreCostMs;
    if (input.tasks && allocated && allocated > 0) {
      return { value: Math.min(1, input.tasks.run_ms / allocated), data: 'task' };
    }
    const efficiency = input.summary.coreEfficiency;
    return efficiency === undefined ? undefined : { value: efficiency, data: 'stage' };
  },
};
