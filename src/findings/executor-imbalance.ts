import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// Executor imbalance: task time of the busiest executor over the typical one (median from tasks, mean
// from the History Server's executor summaries).
export const executorImbalance: FindingDef = {
  id: 'executorImbalance',
  higherIsWorse: true,
  setting: { key: 'spark.locality.wait', change: 'set', value: '0s' },
  measure(input) {
    const t = input.tasks;
    if (t && t.executors >= 2 && t.executor_median_ms > 0)
      return { value: t.executor_max_ms / t.executor_median_ms, data: 'task' };
    const max = agg(input.executorAggs, 'totalDuration', 'max');
    const mean = agg(input.executorAggs, 'totalDuration', 'mean');
    const count = agg(input.executorAggs, 'totalDuration', 'count_not_null') ?? 0;
    return count >= 2 && max !== undefined && mean ? { value: max / mean, data: 'stage' } : undefined;
  },
};
