import type { ExecutorView, StageView, SummaryInput } from '../metrics/index.js';
import type { JsonObject, JsonValue } from '../types.js';
import { num } from '../common/json.js';

// The summary metrics work on plain numbers; this turns executors and stages (already carrying their x_*
// fields, dates as ISO strings) into those views. Missing counters read as 0, missing times as unknown.

function ms(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function executorView(ex: Record<string, unknown>): ExecutorView {
  return {
    id: String(ex.id),
    totalCores: num(ex.totalCores) ?? 0,
    totalDuration: num(ex.totalDuration) ?? 0,
    totalInputBytes: num(ex.totalInputBytes) ?? 0,
    maxMemory: num(ex.maxMemory) ?? 0,
    completedTasks: num(ex.completedTasks) ?? 0,
    startMs: ms(ex.x_startTime),
    stopMs: ms(ex.x_stopTime),
    coreCostMs: num(ex.x_coreCost) ?? 0,
  };
}

function stageView(st: Record<string, unknown>): StageView {
  const first = ms(st.firstTaskLaunchedTime);
  const done = ms(st.completionTime);
  const ran = first !== undefined && done !== undefined;
  return {
    stageId: num(st.stageId) ?? -1,
    attemptId: num(st.attemptId) ?? 0,
    status: typeof st.status === 'string' ? st.status : '',
    firstTaskMs: ran ? first : undefined,
    completionMs: ran ? done : undefined,
    durationMs: num(st.x_duration) ?? 0,
    inputBytes: num(st.inputBytes) ?? 0,
    outputBytes: num(st.outputBytes) ?? 0,
  };
}

export function summaryInput(args: {
  duration: unknown;
  executors: Record<string, unknown>[];
  stages: Record<string, unknown>[];
  executorAggs: JsonObject;
  stageAggs: JsonObject;
  sparkProperties: Record<string, JsonValue>;
  failedJobs?: unknown;
}): SummaryInput {
  const failedJobs = num(args.failedJobs);
  return {
    ...(failedJobs === undefined ? {} : { failedJobs }),
    durationMs: num(args.duration) ?? 0,
    executors: args.executors.map(executorView),
    stages: args.stages.map(stageView),
    executorAggs: args.executorAggs,
    stageAggs: args.stageAggs,
    sparkProperties: args.sparkProperties,
  };
}
