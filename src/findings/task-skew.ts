import type { FindingDef } from './types.js';

/** Stages with fewer tasks, or whose slowest task is this quick, say nothing about skew. */
const MIN_TASKS = 4;
const MIN_MAX_MS = 1000;

// Task skew: slowest task over the median task of the worst stage. Only tasks show it.
export const taskSkew: FindingDef = {
  id: 'taskSkew',
  higherIsWorse: true,
  setting: { key: 'spark.sql.adaptive.skewJoin.enabled', change: 'set', value: 'true' },
  measure(input) {
    if (!input.tasks) return undefined;
    let worst: { value: number; stage: string } | undefined;
    for (const s of input.tasks.stages) {
      if (s.tasks < MIN_TASKS || s.max_ms < MIN_MAX_MS || s.median_ms <= 0) continue;
      const ratio = s.max_ms / s.median_ms;
      if (!worst || ratio > worst.value) worst = { value: ratio, stage: s.stage };
    }
    return worst && { value: worst.value, data: 'task', detail: { stage: worst.stage } };
  },
};
