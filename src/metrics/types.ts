import type { JsonObject, JsonValue } from '../types.js';

/** One non-driver executor as the summary metrics see it: numbers and epoch milliseconds. */
export interface ExecutorView {
  id: string;
  totalCores: number;
  totalDuration: number;
  totalInputBytes: number;
  maxMemory: number;
  completedTasks: number;
  /** Start and end of its life (addTime/removeTime, else the attempt's start/end), epoch ms. */
  startMs?: number;
  stopMs?: number;
  /** totalCores x lifetime, core-ms (x_coreCost). */
  coreCostMs: number;
}

export interface StageView {
  stageId: number;
  attemptId: number;
  status: string;
  firstTaskMs?: number;
  completionMs?: number;
  /** x_duration: completion - first task launch, 0 for stages that never ran. */
  durationMs: number;
  inputBytes: number;
  outputBytes: number;
}

export interface SummaryInput {
  /** attempt.duration, ms. */
  durationMs: number;
  executors: ExecutorView[];
  stages: StageView[];
  /** The column aggregations already computed (attempt.aggs.allexecutors.executors / attempt.aggs.stages). */
  executorAggs: JsonObject;
  stageAggs: JsonObject;
  /** Cast Spark properties, underscore keys. */
  sparkProperties: Record<string, JsonValue>;
  /** Jobs that ended failed (attempt.x_failedJobs); undefined when the source could not say. */
  failedJobs?: number;
}

/**
 * What a metric needs before it means anything: 'stages' = the original's condition (executors, stages, and
 * stages that ran); 'executors' = at least one non-driver executor; 'none' = always.
 */
export type Precondition = 'stages' | 'executors' | 'none';

export interface Metric {
  name: string;
  needs: Precondition;
  compute(input: SummaryInput): Record<string, number | boolean>;
}

/** HDFS block, the original's unit of input size. */
export const HDFS_BLOCK = 128 * 2 ** 20;
export const HOUR_MS = 3.6e6;

export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export function max(xs: number[]): number | undefined {
  return xs.length === 0 ? undefined : xs.reduce((a, b) => Math.max(a, b));
}

export function ranStages(stages: StageView[]): (StageView & { firstTaskMs: number; completionMs: number })[] {
  return stages.filter(
    (s): s is StageView & { firstTaskMs: number; completionMs: number } =>
      s.firstTaskMs !== undefined && s.completionMs !== undefined,
  );
}

/** Largest stage input (the original's D); 0 when no stage reported any. */
export function maxStageInput(input: SummaryInput): number {
  return max(input.stages.map((s) => s.inputBytes)) ?? 0;
}

export function maxStageOutput(input: SummaryInput): number {
  return max(input.stages.map((s) => s.outputBytes)) ?? 0;
}

/** Whether every executor's life has ended: else (an attempt still running) what it cost is not known yet. */
export function lifetimesKnown(input: SummaryInput): boolean {
  return input.executors.every((e) => e.stopMs !== undefined);
}

export function coreCost(input: SummaryInput): number {
  return sum(input.executors.map((e) => e.coreCostMs));
}

export function parallelWork(input: SummaryInput): number {
  return sum(input.executors.map((e) => e.totalDuration));
}
