import { nearest } from '../common/nearest.js';
import type { Settings } from '../types.js';

/** The Spark conf key of each setting Spot tunes (pins name these keys). */
export const TUNED_KEYS: Record<keyof Settings, string> = {
  executors: 'spark.executor.instances',
  executorCores: 'spark.executor.cores',
  executorMemoryBytes: 'spark.executor.memory',
  shufflePartitions: 'spark.sql.shuffle.partitions',
  dynamicAllocation: 'spark.dynamicAllocation.enabled',
  maxExecutors: 'spark.dynamicAllocation.maxExecutors',
};

export const SETTING_NAMES = Object.keys(TUNED_KEYS) as (keyof Settings)[];

/** A standalone master's total cores for the app: where Spot sets the executor count there (src/submit/master.ts). */
export const CORES_MAX_KEY = 'spark.cores.max';

/** spark-submit's explicit options for conf keys; Spark lets them beat `--conf` of the same key. */
export const EXPLICIT_OPTIONS: Record<string, string> = {
  'spark.executor.instances': '--num-executors',
  'spark.executor.cores': '--executor-cores',
  'spark.executor.memory': '--executor-memory',
  [CORES_MAX_KEY]: '--total-executor-cores',
};

/**
 * Where dynamic allocation starts: Spark starts at the largest of it, minExecutors and spark.executor.instances
 * whatever maxExecutors says, so Spot lowers it to the ceiling it advises (src/submit/inject.ts).
 */
export const INITIAL_EXECUTORS_KEY = 'spark.dynamicAllocation.initialExecutors';

/**
 * The conf keys Spot may set on a launch: the tuned settings', spark.cores.max on a standalone master, and where
 * dynamic allocation starts.
 */
const CHANGED_KEYS = [...Object.values(TUNED_KEYS), CORES_MAX_KEY, INITIAL_EXECUTORS_KEY];

/** The conf key a pin names: a conf key as written, or the key of a spark-submit option (with or without dashes). */
export function pinKey(pin: string): string {
  const p = pin.trim();
  const dashed = p.startsWith('--') ? p : `--${p}`;
  return Object.entries(EXPLICIT_OPTIONS).find(([, opt]) => opt === dashed)?.[0] ?? p;
}

/**
 * What is wrong with a pin, in words after the pin's source ("--spot-pin", "advisor.pinned"); undefined when
 * nothing is. A word that names no setting is a value forgotten and the next word taken for it (`--spot-pin
 * app.jar`); a key one slip from one Spot changes (spark.executor.instance) would leave that one unpinned.
 */
export function pinProblem(pin: string): string | undefined {
  const key = pinKey(pin);
  if (CHANGED_KEYS.includes(key)) return undefined;
  if (!key.startsWith('spark.')) {
    return `takes a Spark conf key such as spark.executor.memory (or --num-executors, --executor-cores, --executor-memory), got '${pin}'`;
  }
  const near = nearest(key, CHANGED_KEYS);
  return near ? `'${pin}' names no setting Spot changes (did you mean '${near}'?)` : undefined;
}

/** Settings whose conf key is pinned. Explicit option spellings (--num-executors) are accepted too. */
export function pinnedSettings(pinned: string[]): Set<keyof Settings> {
  const out = new Set<keyof Settings>();
  for (const p of pinned) {
    const key = pinKey(p);
    const name = SETTING_NAMES.find((n) => TUNED_KEYS[n] === key);
    if (name) out.add(name);
  }
  return out;
}
