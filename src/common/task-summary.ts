import type { JsonObject } from '../types.js';
import { isPlainObject } from './json.js';

// A stage's task-time distribution, in the History Server's own shape (v1 TaskMetricDistributions, served by
// `stages?withSummaries=true&quantiles=…` since Spark 3.4): stage sums hide a straggler, its longest task does
// not. Spot asks for the median and the longest task, and keeps only the task times of what a server sends
// (its further metrics would add dozens of fields to every stored stage).

/** The quantiles Spot asks for: the median task and the longest. */
export const TASK_QUANTILES = [0.5, 1] as const;
/** The `stages` query that asks for them (servers before Spark 3.4 ignore it). */
export const TASK_SUMMARY_QUERY = `withSummaries=true&quantiles=${TASK_QUANTILES.join(',')}`;
/** The metrics kept: a task's wall time, and the part of it the executor ran it. */
const KEPT = ['duration', 'executorRunTime'] as const;
/**
 * And the shuffle bytes a task read (the server's `shuffleReadMetrics.readBytes`): the largest is a partition's
 * size, which the task's time only suggests (a slow node, a pause, a noisy neighbour).
 */
const READ_BYTES = 'readBytes';

/**
 * Values at TASK_QUANTILES of the successful tasks' values, picked as Spark picks them (AppStatusStore.taskSummary:
 * the value at index min(⌊q·n⌋, n − 1) of the sorted values); undefined without a task.
 */
export function taskQuantiles(values: ArrayLike<number>): number[] | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return TASK_QUANTILES.map((q) => sorted[Math.min(Math.floor(q * sorted.length), sorted.length - 1)]!);
}

/** The task-time part of a server's `taskMetricsDistributions`, or undefined when it has none we can read. */
export function compactTaskSummary(dist: unknown): JsonObject | undefined {
  if (!isPlainObject(dist) || !Array.isArray(dist.quantiles)) return undefined;
  const quantiles = dist.quantiles.filter((q): q is number => typeof q === 'number');
  const out: JsonObject = { quantiles };
  const numbers = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length === quantiles.length && v.every((x) => typeof x === 'number');
  for (const k of KEPT) {
    const v = dist[k];
    if (numbers(v)) out[k] = v;
  }
  const read = isPlainObject(dist.shuffleReadMetrics) ? dist.shuffleReadMetrics[READ_BYTES] : undefined;
  if (numbers(read)) out.shuffleReadMetrics = { [READ_BYTES]: read };
  return Object.keys(out).length > 1 ? out : undefined;
}

/** Stages with fewer tasks, or whose longest task is this quick, say nothing about skew. */
const SKEW_MIN_TASKS = 4;
const SKEW_MIN_LONGEST_MS = 1000;

/**
 * The longest task's time over the median's in one stage (task skew), where the stage can say anything about it;
 * one rule for the event log's tasks and the History Server's task summaries.
 */
export function skewOf(tasks: number, medianMs: number, longestMs: number): number | undefined {
  if (tasks < SKEW_MIN_TASKS || longestMs < SKEW_MIN_LONGEST_MS || !(medianMs > 0)) return undefined;
  return longestMs / medianMs;
}

/** A stored stage's task skew from its task summary (the tasks' `duration` at the median and at 1). */
export function summarySkew(stage: Record<string, unknown>, tasks: number): number | undefined {
  const dist = stage.taskMetricsDistributions;
  if (!isPlainObject(dist) || !Array.isArray(dist.quantiles) || !Array.isArray(dist.duration)) return undefined;
  const [quantiles, durations] = [dist.quantiles as unknown[], dist.duration as unknown[]];
  const at = (q: number) => durations[quantiles.indexOf(q)];
  const [median, longest] = [at(0.5), at(1)];
  return typeof median === 'number' && typeof longest === 'number' ? skewOf(tasks, median, longest) : undefined;
}
