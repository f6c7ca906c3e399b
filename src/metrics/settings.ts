import type { Metric } from './types.js';

// Facts about how the app ran rather than how fast: dynamic allocation on/off (Spark's default is off),
// and stages that failed for good (the latest attempt of a stage FAILED), which marks a failed run.

export const dynamicAllocation: Metric = {
  name: 'dynamic_allocation',
  needs: 'none',
  compute(input) {
    return { dynamic_allocation: input.sparkProperties.spark_dynamicAllocation_enabled === true };
  },
};

export const failedStages: Metric = {
  name: 'failed_stages',
  needs: 'none',
  compute(input) {
    const latest = new Map<number, { attemptId: number; status: string }>();
    for (const s of input.stages) {
      const seen = latest.get(s.stageId);
      if (!seen || s.attemptId >= seen.attemptId) latest.set(s.stageId, s);
    }
    let failed = 0;
    for (const s of latest.values()) if (s.status === 'FAILED') failed += 1;
    return { failed_stages: failed };
  },
};

/** Bytes the app read from storage: inputBytes summed over the latest attempt of each stage. */
export const inputBytes: Metric = {
  name: 'input_bytes',
  needs: 'none',
  compute(input) {
    const latest = new Map<number, { attemptId: number; inputBytes: number }>();
    for (const s of input.stages) {
      const seen = latest.get(s.stageId);
      if (!seen || s.attemptId >= seen.attemptId) latest.set(s.stageId, s);
    }
    let total = 0;
    for (const s of latest.values()) total += s.inputBytes;
    return { input_bytes: total };
  },
};
