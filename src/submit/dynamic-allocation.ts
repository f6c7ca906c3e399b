import { effectiveValue } from './settings.js';
import type { SubmitArgs } from './args.js';

// Spark refuses to start an app whose spark.dynamicAllocation.minExecutors exceeds its maxExecutors
// (ExecutorAllocationManager.validateSettings throws), and under dynamic allocation Spot advises maxExecutors as
// the executor count it chose. So the minimum a launch sets is a floor under every executor count Spot advises:
// a cut below it would fail the job before its first task.

const ENABLED = 'spark.dynamicAllocation.enabled';
const MIN_EXECUTORS = 'spark.dynamicAllocation.minExecutors';

/** The launch's spark.dynamicAllocation.minExecutors when it runs with dynamic allocation and sets one above 0. */
export function dynamicAllocationFloor(args: SubmitArgs, props: Map<string, string>): number | undefined {
  if (effectiveValue(args, ENABLED, props)?.trim().toLowerCase() !== 'true') return undefined;
  const min = Number(effectiveValue(args, MIN_EXECUTORS, props)?.trim());
  return Number.isInteger(min) && min > 0 ? min : undefined;
}
