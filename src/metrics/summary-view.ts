import type { JsonObject } from '../types.js';

// attempt.aggs.summary is stored under the original Spot's field names (documents, and jq filters written
// against them, stay compatible). Code reads it through this typed view; the table below is the one place
// those names are written on the reading side.

/** The view's numeric figures and the summary field each is stored under. */
export const SUMMARY_NUMBERS = {
  /** Task time over allocated core time. */
  coreEfficiency: 'estimated_core_efficiency',
  /** Executors that completed no task, and the core-hours they held. */
  idleExecutors: 'idle_executors',
  idleExecutorsFraction: 'idle_executors_fraction',
  idleCoreHours: 'idle_executors_core_hours',
  allocatedCoreHours: 'allocated_core_hours',
  /** Allocated core time, core-ms (cores × executor lifetime). */
  coreCostMs: 'core_cost',
  /** Input read from storage, summed over the latest attempt of each stage. */
  inputBytes: 'input_bytes',
  /** Estimated speedup over one core; sequential (outside any stage) and parallel (inside stages) time, ms. */
  speedup: 'estimated_speedup',
  seqMs: 'seq_part',
  parallelMs: 'parallel_part',
  maxConcurrentExecutors: 'max_concurrent_executors',
  failedStages: 'failed_stages',
  /** Jobs that ended failed; absent where the source could not say (read as none). */
  failedJobs: 'failed_jobs',
} as const;

/** The view's on/off facts and their summary fields. */
export const SUMMARY_FLAGS = { dynamicAllocation: 'dynamic_allocation' } as const;

/** An attempt's summary figures; a figure the summary lacks (or holds as something else) is undefined. */
export type SummaryView = { [K in keyof typeof SUMMARY_NUMBERS]?: number } & {
  [K in keyof typeof SUMMARY_FLAGS]?: boolean;
};

const entries = <T extends object>(o: T) => Object.entries(o) as [keyof T & string, string][];

export function summaryView(summary: JsonObject | undefined): SummaryView {
  const view: Record<string, number | boolean> = {};
  if (!summary) return view;
  for (const [k, field] of entries(SUMMARY_NUMBERS)) {
    const v = summary[field];
    if (typeof v === 'number' && Number.isFinite(v)) view[k] = v;
  }
  for (const [k, field] of entries(SUMMARY_FLAGS)) {
    const v = summary[field];
    if (typeof v === 'boolean') view[k] = v;
  }
  return view;
}
