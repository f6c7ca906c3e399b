import type { FindingDef } from './types.js';

// Over-allocation: the share of allocated core time that ran tasks. A task holds its core from launch to finish
// (deserialising, running, serialising its result), so the share is the summary's estimated core efficiency: task
// durations over allocated core time, the figure `spot runs` shows as EFFICIENCY and the report plots. For an
// event-log run those durations are its tasks' own; the tasks' executor run time alone would leave the rest out
// and grade the same run several times worse than its EFFICIENCY says. It is the fallback only when the summary
// has no efficiency (an attempt whose executors' lifetimes are not all known).
export const overAllocation: FindingDef = {
  id: 'overAllocation',
  higherIsWorse: false,
  setting: { key: 'spark.executor.instances', change: 'decrease' },
  measure(input) {
    const data = input.tasks ? 'task' : 'stage';
    const efficiency = input.summary.coreEfficiency;
    if (efficiency !== undefined) return { value: Math.min(1, efficiency), data };
    const allocated = input.summary.coreCostMs;
    if (input.tasks && allocated && allocated > 0) {
      return { value: Math.min(1, input.tasks.run_ms / allocated), data: 'task' };
    }
    return undefined;
  },
};
