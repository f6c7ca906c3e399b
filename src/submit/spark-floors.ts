import type { SpotConfig } from '../config/schema.js';
import type { Reason } from '../types.js';
import { INITIAL_EXECUTORS_KEY } from '../advisor/keys.js';
import { effectiveValue } from './settings.js';
import type { SubmitArgs } from './args.js';

// Settings of the launch that Spark checks the advised ones against, refusing to start the app when they clash:
// - spark.dynamicAllocation.minExecutors above maxExecutors (ExecutorAllocationManager.validateSettings throws),
//   and under dynamic allocation Spot advises maxExecutors as the executor count it chose; a start the launch keeps
//   (spark.dynamicAllocation.initialExecutors pinned, or set in fill mode) bounds it too, as Spark starts there
//   whatever the ceiling, and a lower ceiling would be a saving no run has;
// - spark.executor.cores below spark.task.cpus (SparkContext refuses an executor that cannot run one task; cores
//   that are no multiple of it stay idle, which Spark warns of as wasted resources).
// Each narrows what the advisor may choose, so a cut never fails the job before its first task.

type AdvisorConfig = SpotConfig['advisor'];

const value = (args: SubmitArgs, props: Map<string, string>, key: string) => effectiveValue(args, key, props)?.trim();

function positiveInt(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Whether a launch's spark.dynamicAllocation.initialExecutors stays as it is: pinned, or in fill mode (override lowers
 * it to the advised ceiling, src/submit/inject.ts). Kept, it bounds the ceiling from below.
 */
export function keepsInitialExecutors(mode: SpotConfig['advisor']['mode'], pinned: readonly string[]): boolean {
  return pinned.includes(INITIAL_EXECUTORS_KEY) || mode === 'fill';
}

/** The advisor's config with the launch's floors applied, and a reason for each floor that binds. */
export function withSparkFloors(
  config: AdvisorConfig,
  args: SubmitArgs,
  props: Map<string, string>,
  /** Whether the launch's initialExecutors stays as it is (pinned, or fill mode) rather than lowered to the ceiling. */
  keepsStart = false,
): { config: AdvisorConfig; reasons: Reason[] } {
  const reasons: Reason[] = [];
  let cluster = config.cluster;
  const dynamic = value(args, props, 'spark.dynamicAllocation.enabled')?.toLowerCase() === 'true';
  const minExecutors = dynamic ? positiveInt(value(args, props, 'spark.dynamicAllocation.minExecutors')) : undefined;
  if (minExecutors !== undefined && minExecutors > cluster.minExecutors) {
    cluster = { ...cluster, minExecutors: Math.min(minExecutors, cluster.maxExecutors) };
    reasons.push({ code: 'dynamic-allocation-floor', values: { minExecutors } });
  }
  const initialExecutors = dynamic && keepsStart ? positiveInt(value(args, props, INITIAL_EXECUTORS_KEY)) : undefined;
  if (initialExecutors !== undefined && initialExecutors > cluster.minExecutors) {
    cluster = { ...cluster, minExecutors: Math.min(initialExecutors, cluster.maxExecutors) };
    reasons.push({ code: 'dynamic-allocation-start-floor', values: { initialExecutors } });
  }
  const taskCpus = positiveInt(value(args, props, 'spark.task.cpus'));
  if (taskCpus !== undefined && cluster.executorCores.some((c) => c % taskCpus !== 0)) {
    cluster = { ...cluster, executorCores: cluster.executorCores.filter((c) => c % taskCpus === 0) };
    reasons.push({ code: 'task-cpus-floor', values: { taskCpus } });
  }
  return { config: cluster === config.cluster ? config : { ...config, cluster }, reasons };
}
