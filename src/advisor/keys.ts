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

/** Settings whose conf key is pinned. Explicit option spellings (--num-executors) are accepted too. */
export function pinnedSettings(pinned: string[]): Set<keyof Settings> {
  const alias: Record<string, keyof Settings> = {
    '--num-executors': 'executors',
    'num-executors': 'executors',
    '--executor-cores': 'executorCores',
    'executor-cores': 'executorCores',
    '--executor-memory': 'executorMemoryBytes',
    'executor-memory': 'executorMemoryBytes',
  };
  const out = new Set<keyof Settings>();
  for (const p of pinned) {
    const key = p.trim();
    const name = alias[key] ?? SETTING_NAMES.find((n) => TUNED_KEYS[n] === key);
    if (name) out.add(name);
  }
  return out;
}
