import type { SpotConfig } from '../config/schema.js';
import type { Reason, Settings } from '../types.js';
import { inputTasks } from '../../models/features.js';
import { stepRange } from './guard-rails.js';

// Rules of thumb for a job without enough history to fit a model (Spark's tuning guide): 2–3 tasks per
// core, input read in ~128 MiB partitions, shuffle partitions of about advisor.targetPartitionBytes.

const TASKS_PER_CORE = 2.5;

export interface RuleAdvice {
  settings: Partial<Settings>;
  /** The rule's numbers (the advisor adds the history counts and codes it). */
  values: Reason['values'];
}

/**
 * Shuffle partitions: bytes per target size, at least 2 per core; whole waves unless AQE will coalesce. Under
 * AQE never fewer than the job already asks for (`current`): AQE merges small partitions itself, while fewer
 * partitions make every one bigger, a skewed one most of all.
 */
export function shufflePartitionsFor(
  shuffleBytes: number,
  totalCores: number,
  targetBytes: number,
  adaptive: boolean,
  current?: number,
): number {
  const bySize = Math.ceil(shuffleBytes / targetBytes);
  const p = Math.max(bySize, 2 * totalCores);
  return adaptive ? Math.max(p, current ?? 0) : Math.ceil(p / totalCores) * totalCores;
}

export function ruleSettings(
  inputBytes: number | undefined,
  anchor: Settings,
  pinned: Set<keyof Settings>,
  config: SpotConfig['advisor'],
): RuleAdvice | undefined {
  if (!inputBytes || inputBytes <= 0) return undefined;
  const tasks = inputTasks(inputBytes);
  const cores = anchor.executorCores;
  const limits = config.cluster;
  const out: Partial<Settings> = {};
  if (!pinned.has('executors')) {
    const [lo, hi] = stepRange(anchor.executors, config.maxStepFactor, limits.minExecutors, limits.maxExecutors);
    let want = Math.ceil(tasks / TASKS_PER_CORE / cores);
    // Under the cost objective the rule never adds executors: more tasks per core makes a run longer, not dearer,
    // so without a model there is no evidence that more executors would pay for themselves. The cores it removes
    // are not always idle: 2–3 tasks per core are 2–3 waves of the scan, and a job whose time is nearly all
    // parallel work pays up to the step factor for them (bench/loop, the parallel clusters' first launches: up to
    // 1.67× the fixed run time). The first launches buy the spread of core counts the models learn from.
    if (config.objective === 'cost') want = Math.min(want, anchor.executors);
    out.executors = Math.min(hi, Math.max(lo, want));
  }
  const m = (out.executors ?? anchor.executors) * cores;
  return {
    settings: out,
    values: {
      inputTasks: tasks,
      tasksPerCore: TASKS_PER_CORE,
      coresWanted: Math.ceil(tasks / TASKS_PER_CORE),
      cores: m,
      stepFactor: config.maxStepFactor,
      costOnly: config.objective === 'cost',
    },
  };
}
