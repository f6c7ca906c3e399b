import { coreCost, HOUR_MS, lifetimesKnown, type ExecutorView, type Metric } from './types.js';

// Executor-level diagnostics that need no stage: idle executors (the seed's "zero tasks" plot), allocated
// core-hours, and how many executors were alive at once (the executor count under dynamic allocation).

export const idleExecutors: Metric = {
  name: 'idle_executors',
  needs: 'executors',
  compute(input) {
    const idle = input.executors.filter((e) => e.completedTasks === 0);
    return {
      idle_executors: idle.length,
      idle_executors_fraction: idle.length / input.executors.length,
      ...(lifetimesKnown(input)
        ? { idle_executors_core_hours: idle.reduce((a, e) => a + e.coreCostMs, 0) / HOUR_MS }
        : {}),
    };
  },
};

export const allocatedCoreHours: Metric = {
  name: 'allocated_core_hours',
  needs: 'executors',
  compute(input): Record<string, number> {
    return lifetimesKnown(input) ? { allocated_core_hours: coreCost(input) / HOUR_MS } : {};
  },
};

/** Sweep over add/remove events; at equal times a removal counts first (a replacement is not concurrency). */
export function maxConcurrent(executors: ExecutorView[]): number {
  const events: [number, number][] = [];
  for (const e of executors) {
    if (e.startMs === undefined) continue;
    events.push([e.startMs, +1]);
    if (e.stopMs !== undefined) events.push([e.stopMs, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let alive = 0;
  let peak = 0;
  for (const [, delta] of events) {
    alive += delta;
    peak = Math.max(peak, alive);
  }
  return peak;
}

export const concurrentExecutors: Metric = {
  name: 'concurrent_executors',
  needs: 'executors',
  compute(input) {
    return { max_concurrent_executors: maxConcurrent(input.executors) };
  },
};
