import type { Settings } from '../types.js';

// The limits every recommendation stays inside, whatever the model says: small steps, enough memory, the user's
// pins. (The retreat after a run that went wrong is explore.ts's floor.)

/** Integers within ×factor / ÷factor of the anchor, inside [min, max]. */
export function stepRange(anchor: number, factor: number, min: number, max: number): [number, number] {
  const lo = Math.max(min, Math.ceil(anchor / factor - 1e-9));
  const hi = Math.min(max, Math.floor(anchor * factor + 1e-9));
  return lo <= hi ? [lo, hi] : [Math.min(Math.max(anchor, min), max), Math.min(Math.max(anchor, min), max)];
}

export function withinStep(value: number, anchor: number, factor: number): boolean {
  return value >= anchor / factor - 1e-9 && value <= anchor * factor + 1e-9;
}

/** Headroom over the observed peak heap: GC needs slack, and the next input may be somewhat larger. */
export const MEMORY_HEADROOM = 1.25;
const MEMORY_GRAIN = 256 * 1024 ** 2;
/**
 * Spark refuses an executor heap under 1.5 × its 300 MiB reserved memory (UnifiedMemoryManager: "Executor memory
 * ... must be at least 471859200"): the advice never goes below the next whole grain above that.
 */
export const MIN_EXECUTOR_MEMORY = 2 * MEMORY_GRAIN;

/** Smallest executor memory for `cores` concurrent tasks, from the memory per core recent runs needed. */
export function memoryFloor(needPerCore: number | undefined, cores: number): number | undefined {
  if (!needPerCore) return undefined;
  return Math.ceil((needPerCore * cores) / MEMORY_GRAIN) * MEMORY_GRAIN;
}

/** Rounds memory up to whole 256 MiB so the injected value reads naturally (e.g. 4608m, 5g). */
export function roundMemory(bytes: number): number {
  return Math.ceil(bytes / MEMORY_GRAIN) * MEMORY_GRAIN;
}

export function sameSettings(a: Partial<Settings>, b: Partial<Settings>): boolean {
  return (
    a.executors === b.executors &&
    a.executorCores === b.executorCores &&
    (a.executorMemoryBytes ?? 0) === (b.executorMemoryBytes ?? 0) &&
    (a.shufflePartitions ?? 0) === (b.shufflePartitions ?? 0)
  );
}
