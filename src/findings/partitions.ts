import { agg } from './figures.js';
import type { FindingDef, FindingInput, TaskStageFigures } from './types.js';

// Partition size: bytes a task reads (input plus shuffle read). Too many small partitions cost scheduling
// overhead; too few large ones spill and straggle. Judged on the stage that reads the most data.

/** A stage with fewer tasks than this has too few partitions to call them "many small". */
const MANY = 100;
const MIB = 1024 ** 2;

function busiest(input: FindingInput, minTasks: number): TaskStageFigures | undefined {
  let best: TaskStageFigures | undefined;
  for (const s of input.tasks?.stages ?? []) {
    if (s.tasks < minTasks || s.median_bytes <= 0) continue;
    if (!best || s.median_bytes * s.tasks > best.median_bytes * best.tasks) best = s;
  }
  return best;
}

export const smallPartitions: FindingDef = {
  id: 'smallPartitions',
  higherIsWorse: false,
  setting: { key: 'spark.sql.shuffle.partitions', change: 'decrease' },
  measure(input) {
    if (input.tasks) {
      const s = busiest(input, MANY);
      return s && { value: s.median_bytes / MIB, data: 'task', detail: { stage: s.stage, tasks: s.tasks } };
    }
    const tasks = agg(input.stageAggs, 'numTasks', 'max') ?? 0;
    const perTask = agg(input.stageAggs, 'x_average_task_input_bytes', 'mean');
    return tasks >= MANY && perTask ? { value: perTask / MIB, data: 'stage' } : undefined;
  },
};

export const largePartitions: FindingDef = {
  id: 'largePartitions',
  higherIsWorse: true,
  setting: { key: 'spark.sql.shuffle.partitions', change: 'increase' },
  measure(input) {
    if (input.tasks) {
      const s = busiest(input, 1);
      return s && { value: s.median_bytes / MIB, data: 'task', detail: { stage: s.stage, tasks: s.tasks } };
    }
    const perTask = agg(input.stageAggs, 'x_average_task_input_bytes', 'max');
    return perTask ? { value: perTask / MIB, data: 'stage' } : undefined;
  },
};
