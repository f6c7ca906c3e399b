import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// Failed tasks (share of all tasks; retried work) and failed stages (count; the job likely failed or redid them).
export const failedTasks: FindingDef = {
  id: 'failedTasks',
  higherIsWorse: true,
  measure(input) {
    if (input.tasks)
      return input.tasks.tasks > 0 ? { value: input.tasks.failed_tasks / input.tasks.tasks, data: 'task' } : undefined;
    const failed = agg(input.stageAggs, 'numFailedTasks', 'sum');
    const done = agg(input.stageAggs, 'numCompleteTasks', 'sum') ?? 0;
    return failed === undefined || failed + done === 0 ? undefined : { value: failed / (failed + done), data: 'stage' };
  },
};

export const failedStages: FindingDef = {
  id: 'failedStages',
  higherIsWorse: true,
  measure(input) {
    const n = input.summary.failedStages;
    return n === undefined ? undefined : { value: n, data: 'stage' };
  },
};
