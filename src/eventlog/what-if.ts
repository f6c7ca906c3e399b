import type { TaskTable } from './replay/tasks.js';

// The one-run what-if from real tasks: each stage's tasks, in launch order, go to whichever of `slots` task
// slots frees first (list scheduling), stage after stage in the order they first ran; the run's time outside
// stages (driver work) is kept as observed. Its self-error at the observed slot count is set against a
// stage-average wave estimate (ceil(tasks / slots) waves of the stage's mean task), the estimate stage
// summaries allow.

export interface StageTasks {
  /** Task durations in launch order, ms. */
  durations: Float64Array;
  firstLaunch: number;
}

/** Tasks grouped by stage attempt, stages in order of their first launch. */
export function stagesInOrder(t: TaskTable): StageTasks[] {
  const order = Array.from({ length: t.length }, (_, i) => i);
  order.sort((a, b) => t.stage[a]! - t.stage[b]! || t.cols.launch[a]! - t.cols.launch[b]!);
  const stages: StageTasks[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    const stage = t.stage[order[start]!]!;
    while (end < order.length && t.stage[order[end]!] === stage) end++;
    const durations = new Float64Array(end - start);
    for (let k = start; k < end; k++) durations[k - start] = t.cols.duration[order[k]!]!;
    stages.push({ durations, firstLaunch: t.cols.launch[order[start]!]! });
    start = end;
  }
  return stages.sort((a, b) => a.firstLaunch - b.firstLaunch);
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

/** Most tasks running at once: the slots the run actually had. */
export function observedSlots(t: TaskTable): number {
  const points: [number, number][] = [];
  for (let i = 0; i < t.length; i++) {
    const start = t.cols.launch[i]!;
    points.push([start, 1], [start + t.cols.duration[i]!, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, d] of points) most = Math.max(most, (running += d));
  return most;
}

/** Time during which at least one task ran, ms. */
export function busyTime(t: TaskTable): number {
  const spans = Array.from({ length: t.length }, (_, i) => [t.cols.launch[i]!, t.cols.launch[i]! + t.cols.duration[i]!] as const);
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

export function taskWhatIf(t: TaskTable, durationMs: number): WhatIf | undefined {
  if (t.length === 0 || durationMs <= 0) return undefined;
  const stages = stagesInOrder(t);
  const slots = Math.max(1, observedSlots(t));
  const outside = Math.max(0, durationMs - busyTime(t));
  const predict = (s: number) => ({
    slots: s,
    list_ms: outside + stages.reduce((a, st) => a + listSchedule(st.durations, s), 0),
    wave_ms: outside + stages.reduce((a, st) => a + waveEstimate(st.durations, s), 0),
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
