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

/** The spark-submit options a pin may name instead of a conf key, with or without their dashes. */
const PIN_ALIASES: Record<string, keyof Settings> = {
  '--num-executors': 'executors',
  'num-executors': 'executors',
  '--executor-cores': 'executorCores',
  'executor-cores': 'executorCores',
  '--executor-memory': 'executorMemoryBytes',
  'executor-memory': 'executorMemoryBytes',
};

/**
 * Whether a pin names a setting at all: a Spark conf key (spark.*) or one of the option spellings. Anything else,
 * such as `--spot-pin app.jar`, is a pin whose value was forgotten and the next word taken for it.
 */
export const isPinKey = (pin: string): boolean => pin.trim().startsWith('spark.') || pin.trim() in PIN_ALIASES;

/** Settings whose conf key is pinned. Explicit option spellings (--num-executors) are accepted too. */
export function pinnedSettings(pinned: string[]): Set<keyof Settings> {
  const out = new Set<keyof Settings>();
  for (const p of pinned) {
    const key = p.trim();
    const name = PIN_ALIASES[key] ?? SETTING_NAMES.find((n) => TUNED_KEYS[n] === key);
    if (name) out.add(name);
  }
  return out;
}
