import type { TaskTable } from './replay/tasks.js';

// The one-run what-if from real tasks: each stage's tasks, in launch order, go to whichever of `slots` task
// slots frees first (list scheduling), stage after stage in the order they first ran; stages that ran at the
// same time (concurrent jobs) are scheduled together, as one phase. The run's time outside stages (driver work)
// is kept as observed. Its self-error at the observed slot count is set against a
// stage-average wave estimate (ceil(tasks / slots) waves of the stage's mean task), the estimate stage
// summaries allow.

/**
 * Task durations per phase, in launch order: a phase is a stage attempt, or stages whose task spans overlapped
 * in time (they ran side by side, so they share the slots), in order of first launch.
 */
function phases(t: TaskTable): Float64Array[] {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const st = t.stage[i]!;
    const launch = t.cols.launch[i]!;
    first.set(st, Math.min(first.get(st) ?? Infinity, launch));
    last.set(st, Math.max(last.get(st) ?? -Infinity, launch + t.cols.duration[i]!));
  }
  const phaseOf = new Map<number, number>();
  let phase = -1;
  let end = -Infinity;
  for (const st of [...first.keys()].sort((x, y) => first.get(x)! - first.get(y)!)) {
    if (!(first.get(st)! < end)) phase += 1;
    phaseOf.set(st, phase);
    end = Math.max(end, last.get(st)!);
  }
  const order = Array.from({ length: t.length }, (_, i) => i).sort((x, y) => t.cols.launch[x]! - t.cols.launch[y]!);
  const buckets: number[][] = Array.from({ length: phase + 1 }, () => []);
  for (const i of order) buckets[phaseOf.get(t.stage[i]!)!]!.push(t.cols.duration[i]!);
  return buckets.map((b) => Float64Array.from(b));
}

/** Makespan of list scheduling `durations` (in order) over `slots` slots: a binary heap of slot free times. */
export function listSchedule(durations: Float64Array, slots: number): number {
  const n = Math.max(1, Math.min(slots, durations.length));
  const heap = new Float64Array(n);
  let makespan = 0;
  for (const d of durations) {
    const end = heap[0]! + d;
    makespan = Math.max(makespan, end);
    // replace the root (earliest free slot) and sift down
    let i = 0;
    heap[0] = end;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && heap[l]! < heap[m]!) m = l;
      if (r < n && heap[r]! < heap[m]!) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return makespan;
}

export function waveEstimate(durations: Float64Array, slots: number): number {
  if (durations.length === 0) return 0;
  let sum = 0;
  for (const d of durations) sum += d;
  return Math.ceil(durations.length / Math.max(1, slots)) * (sum / durations.length);
}

/**
 * Most tasks running at once: the slots the run actually had. `slots[e]`, when known, caps what executor `e` counts:
 * Spark logs a failed task's finish after the scheduler has already launched the next task in its slot, so the
 * two overlap by a few milliseconds, and an uncapped count would give a run of two one-core executors three slots.
 */
export function observedSlots(t: TaskTable, slots: readonly (number | undefined)[] = []): number {
  const points: [number, number, number][] = [];
  for (let i = 0; i < t.length; i++) {
    const start = t.cols.launch[i]!;
    points.push([start, 1, t.executor[i]!], [start + t.cols.duration[i]!, -1, t.executor[i]!]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const running = new Map<number, number>();
  const counted = (e: number, n: number) => Math.min(n, slots[e] ?? Number.POSITIVE_INFINITY);
  let total = 0;
  let most = 0;
  for (const [, d, e] of points) {
    const before = running.get(e) ?? 0;
    running.set(e, before + d);
    total += counted(e, before + d) - counted(e, before);
    most = Math.max(most, total);
  }
  return most;
}

/** Time during which at least one task ran, ms. */
export function busyTime(t: TaskTable): number {
  const spans = Array.from(
    { length: t.length },
    (_, i) => [t.cols.launch[i]!, t.cols.launch[i]! + t.cols.duration[i]!] as const,
  );
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (s > end) {
      total += e - s;
      end = e;
    } else if (e > end) {
      total += e - end;
      end = e;
    }
  }
  return total;
}

export interface WhatIf {
  slots: number;
  observed_ms: number;
  list_ms: number;
  wave_ms: number;
  /** |predicted − observed| / observed at the observed slot count. */
  list_error: number;
  wave_error: number;
  /** Predictions at half and double the slots. */
  at: { slots: number; list_ms: number; wave_ms: number }[];
}

/** `executorSlots[e]`: the tasks executor `e` of `t` could run at once, where known (see observedSlots). */
export function taskWhatIf(
  t: TaskTable,
  durationMs: number,
  executorSlots: readonly (number | undefined)[] = [],
): WhatIf | undefined {
  if (t.length === 0 || durationMs <= 0) return undefined;
  const stages = phases(t);
  const slots = Math.max(1, observedSlots(t, executorSlots));
  const outside = Math.max(0, durationMs - busyTime(t));
  const predict = (s: number) => ({
    slots: s,
    list_ms: outside + stages.reduce((a, d) => a + listSchedule(d, s), 0),
    wave_ms: outside + stages.reduce((a, d) => a + waveEstimate(d, s), 0),
  });
  const at = predict(slots);
  return {
    slots,
    observed_ms: durationMs,
    list_ms: at.list_ms,
    wave_ms: at.wave_ms,
    list_error: Math.abs(at.list_ms - durationMs) / durationMs,
    wave_error: Math.abs(at.wave_ms - durationMs) / durationMs,
    at: [Math.max(1, Math.floor(slots / 2)), slots * 2].map(predict),
  };
}
