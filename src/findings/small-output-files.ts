import { adaptiveChange } from './adaptive-setting.js';
import { agg } from './figures.js';
import type { FindingDef } from './types.js';

/** Fewer written files than this are not a small-files problem whatever their size. */
const MANY_FILES = 50;
const MIB = 1024 ** 2;

// Small output files: bytes per writing task (each writes at least one file) in the stage that writes most files.
export const smallOutputFiles: FindingDef = {
  id: 'smallOutputFiles',
  higherIsWorse: false,
  // Coalescing aims at partitions of the advisory size: a larger one writes fewer, larger files.
  setting: adaptiveChange('coalescePartitions', {
    key: 'spark.sql.adaptive.advisoryPartitionSizeInBytes',
    change: 'increase',
  }),
  measure(input) {
    if (input.tasks) {
      const s = [...input.tasks.stages].sort((a, b) => b.output_tasks - a.output_tasks)[0];
      if (!s || s.output_tasks < MANY_FILES) return undefined;
      return {
        value: s.output_bytes / s.output_tasks / MIB,
        data: 'task',
        detail: { stage: s.stage, files: s.output_tasks },
      };
    }
    const tasks = agg(input.stageAggs, 'numCompleteTasks', 'max') ?? 0;
    const perTask = agg(input.stageAggs, 'x_average_task_output_bytes', 'max');
    return tasks >= MANY_FILES && perTask ? { value: perTask / MIB, data: 'stage' } : undefined;
  },
};
