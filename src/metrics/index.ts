import type { JsonObject } from '../types.js';
import { allocatedCoreHours, concurrentExecutors, idleExecutors } from './executors.js';
import { parallelism } from './parallelism.js';
import { dynamicAllocation, failedJobs, failedStages, inputBytes } from './settings.js';
import { inputBlocks, storageMemory } from './storage.js';
import type { Metric, Precondition, SummaryInput } from './types.js';
import { coreEfficiency, speedup, work } from './work.js';

export type { Metric, SummaryInput, ExecutorView, StageView } from './types.js';

/** Every summary metric, in the order their fields appear in attempt.aggs.summary. */
export const METRICS: readonly Metric[] = [
  work,
  parallelism,
  coreEfficiency,
  inputBlocks,
  storageMemory,
  speedup,
  idleExecutors,
  allocatedCoreHours,
  concurrentExecutors,
  dynamicAllocation,
  failedStages,
  failedJobs,
  inputBytes,
];

/** The original's condition for a summary: executors, stages, and at least one stage that ran. */
function holds(needs: Precondition, input: SummaryInput): boolean {
  if (needs === 'none') return true;
  const hasExecutors = input.executors.length > 0;
  if (needs === 'executors') return hasExecutors;
  return (
    hasExecutors &&
    input.stages.length > 0 &&
    'firstTaskLaunchedTime' in input.stageAggs &&
    'completionTime' in input.stageAggs
  );
}

/**
 * Runs each metric whose precondition holds. A metric that throws, or yields a non-finite number, costs only
 * its own fields: the failure is listed in x_metric_errors ({metric: message}) and reported through warn.
 */
export function computeSummary(
  input: SummaryInput,
  warn: (m: string) => void = () => {},
  metrics: readonly Metric[] = METRICS,
): JsonObject {
  const summary: JsonObject = {};
  const errors: JsonObject = {};
  for (const metric of metrics) {
    if (!holds(metric.needs, input)) continue;
    try {
      const fields = metric.compute(input);
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${k} is ${v}`);
      }
      Object.assign(summary, fields);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      errors[metric.name] = message;
      warn(`summary metric ${metric.name} failed: ${message}`);
    }
  }
  if (Object.keys(errors).length > 0) summary.x_metric_errors = errors;
  return summary;
}
