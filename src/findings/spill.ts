import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// Spill: bytes spilled over bytes read (input plus shuffle read). Spark counts one spill twice, as the objects it
// took out of memory (memoryBytesSpilled) and as the file they became (diskBytesSpilled): the memory figure is the
// spill, as the advisor's note reads it; their sum counted it twice.
export const spill: FindingDef = {
  id: 'spill',
  higherIsWorse: true,
  setting: { key: 'spark.executor.memory', change: 'increase' },
  measure(input) {
    const read =
      (agg(input.stageAggs, 'inputBytes', 'sum') ?? 0) + (agg(input.stageAggs, 'shuffleReadBytes', 'sum') ?? 0);
    if (read <= 0) return undefined;
    if (input.tasks) return { value: input.tasks.spill_bytes / read, data: 'task' };
    return { value: (agg(input.stageAggs, 'memoryBytesSpilled', 'sum') ?? 0) / read, data: 'stage' };
  },
};
