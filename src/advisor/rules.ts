import type { SpotConfig } from '../config/schema.js';
import type { Reason, Settings } from '../types.js';
import { inputTasks, waves } from '../../models/features.js';
import { stepRange } from './guard-rails.js';

// Rules of thumb for a job without enough history to fit a model, nor a crawled run to replay (the one-run
// what-if answers when there is one): 2–3 tasks per core (Spark's tuning guide), input read in ~128 MiB partitions,
// shuffle partitions of about advisor.targetPartitionBytes; a cut of a quarter at most, never across a wave.

const TASKS_PER_CORE = 2.5;
/**
 * The largest cut without a model. It is blind: on a job whose time is all parallel work it costs the cut's factor
 * in run time, so a cut of a quarter keeps such a job within the 1.30× a launch may take (bench/loop, the parallel
 * clusters: cuts of up to half, up to 1.87× the fixed run time).
 */
const THIN_HISTORY_CUT = 1.25;

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
  let keptWaves = false;
  let scanWaves = 0;
  const cut = Math.min(config.maxStepFactor, THIN_HISTORY_CUT);
  if (!pinned.has('executors')) {
    const [, hi] = stepRange(anchor.executors, config.maxStepFactor, limits.minExecutors, limits.maxExecutors);
    const [lo] = stepRange(anchor.executors, cut, limits.minExecutors, limits.maxExecutors);
    let want = Math.ceil(tasks / TASKS_PER_CORE / cores);
    // Under the cost objective the rule never adds executors: more tasks per core makes a run longer, not dearer,
    // so without a model there is no evidence that more executors would pay for themselves.
    if (config.objective === 'cost') want = Math.min(want, anchor.executors);
    let executors = Math.min(hi, Math.max(lo, want));
    // Nor does it cut across a wave of the scan: an input that fills the slots in w waves of 128 MiB splits needs
    // ceil(tasks / w) slots to stay at w waves, and one slot fewer adds a wave of the full split size.
    scanWaves = waves(anchor, inputBytes);
    const sameWaves = Math.ceil(Math.ceil(tasks / scanWaves) / cores);
    if (executors < anchor.executors && executors < sameWaves) {
      executors = Math.min(anchor.executors, sameWaves);
      keptWaves = true;
    }
    out.executors = executors;
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
      cutFactor: cut,
      keptWaves,
      scanWaves,
      costOnly: config.objective === 'cost',
    },
  };
}
