import type { Metric } from './types.js';

// Facts about how the app ran rather than how fast: dynamic allocation on/off (Spark's default is off),
// stages that failed for good (the latest attempt of a stage FAILED) and jobs that failed (a job can fail with
// none of its stages failed: an exception in the driver's part of it), either of which marks a failed run.

/** The latest attempt of each stage: a stage retried after a fetch failure is listed once per attempt. */
function latestAttempts<S extends { stageId: number; attemptId: number }>(stages: readonly S[]): S[] {
  const latest = new Map<number, S>();
  for (const s of stages) {
    const seen = latest.get(s.stageId);
    if (!seen || s.attemptId >= seen.attemptId) latest.set(s.stageId, s);
  }
  return [...latest.values()];
}

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
    let failed = 0;
    for (const s of latestAttempts(input.stages)) if (s.status === 'FAILED') failed += 1;
    return { failed_stages: failed };
  },
};

/** Jobs that ended failed; no field when the source could not say (a History Server without `jobs`). */
export const failedJobs: Metric = {
  name: 'failed_jobs',
  needs: 'none',
  compute(input) {
    const fields: Record<string, number> = {};
    if (input.failedJobs !== undefined) fields.failed_jobs = input.failedJobs;
    return fields;
  },
};

/** Bytes the app read from storage: inputBytes summed over the latest attempt of each stage. */
export const inputBytes: Metric = {
  name: 'input_bytes',
  needs: 'none',
  compute(input) {
    let total = 0;
    for (const s of latestAttempts(input.stages)) total += s.inputBytes;
    return { input_bytes: total };
  },
};
