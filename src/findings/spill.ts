import { agg } from './figures.js';
import type { FindingDef } from './types.js';

// Spill: bytes spilled (memory and disk) over bytes read (input plus shuffle read).
export const spill: FindingDef = {
  id: 'spill',
  higherIsWorse: true,
  setting: { key: 'spark.executor.memory', change: 'increase' },
  measure(input) {
    const read =
      (agg(input.stageAggs, 'inputBytes', 'sum') ?? 0) + (agg(input.stageAggs, 'shuffleReadBytes', 'sum') ?? 0);
    if (read <= 0) return undefined;
    if (input.tasks) return { value: input.tasks.spill_bytes / read, data: 'task' };
    const spilled =
      (agg(input.stageAggs, 'memoryBytesSpilled', 'sum') ?? 0) + (agg(input.stageAggs, 'diskBytesSpilled', 'sum') ?? 0);
    return { value: spilled / read, data: 'stage' };
  },
};
