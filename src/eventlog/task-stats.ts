import type { JsonObject } from '../types.js';
import type { StageKind } from './replay/stages.js';
import type { TaskTable } from './replay/tasks.js';
import { taskWhatIf } from './what-if.js';

// What the tasks of one attempt tell that stage sums hide, as plain numbers stored with the attempt
// (attempt.x_tasks): the findings grade them when shown, so thresholds can change without a new crawl.

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface StageAcc {
  durations: number[];
  bytes: number[];
  outputBytes: number;
  outputTasks: number;
  inputBytes: number;
  shuffleReadBytes: number;
}

/**
 * `executorSlots[e]`: the tasks executor `e` of `t` could run at once, where known, for the what-if's slots.
 * `kinds`: by stage key, whether SQL ran it and what sized its input splits, so that a finding can name the setting
 * that decided its task count.
 */
export function taskStats(
  t: TaskTable,
  durationMs = 0,
  executorSlots: readonly (number | undefined)[] = [],
  kinds: ReadonlyMap<string, StageKind> = new Map(),
): JsonObject {
  const stages = new Map<number, StageAcc>();
  const perExecutor = new Map<number, number>();
  let failed = 0;
  let runMs = 0;
  let gcMs = 0;
  let spill = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.cols;
    if (!t.succeeded[i]) failed += 1;
    runMs += c.runTime[i]!;
    gcMs += c.gcTime[i]!;
    spill += c.spillBytes[i]!;
    perExecutor.set(t.executor[i]!, (perExecutor.get(t.executor[i]!) ?? 0) + c.duration[i]!);
    let st = stages.get(t.stage[i]!);
    if (!st) {
      st = { durations: [], bytes: [], outputBytes: 0, outputTasks: 0, inputBytes: 0, shuffleReadBytes: 0 };
      stages.set(t.stage[i]!, st);
    }
    if (!t.succeeded[i]) continue;
    st.durations.push(c.duration[i]!);
    st.bytes.push(c.inputBytes[i]! + c.shuffleReadBytes[i]!);
    st.inputBytes += c.inputBytes[i]!;
    st.shuffleReadBytes += c.shuffleReadBytes[i]!;
    if (c.outputBytes[i]! > 0) {
      st.outputBytes += c.outputBytes[i]!;
      st.outputTasks += 1;
    }
  }
  const stageRows: JsonObject[] = [];
  for (const [index, st] of stages) {
    if (st.durations.length === 0) continue;
    const kind = kinds.get(t.stageKeys[index]!);
    stageRows.push({
      stage: t.stageKeys[index]!,
      tasks: st.durations.length,
      median_ms: median(st.durations),
      max_ms: Math.max(...st.durations),
      median_bytes: median(st.bytes),
      max_bytes: Math.max(...st.bytes),
      output_bytes: st.outputBytes,
      output_tasks: st.outputTasks,
      // Which of the two a stage read says what decided its task count: input splits or shuffle partitions.
      input_bytes: st.inputBytes,
      shuffle_read_bytes: st.shuffleReadBytes,
      ...(kind ? { sql: kind.sql, input_splits: kind.splits ?? 'none' } : {}),
    });
  }
  const executorMs = [...perExecutor.values()];
  const out: JsonObject = {
    tasks: t.length,
    failed_tasks: failed,
    run_ms: runMs,
    gc_ms: gcMs,
    spill_bytes: spill,
    executors: executorMs.length,
    executor_max_ms: executorMs.length ? Math.max(...executorMs) : 0,
    executor_median_ms: median(executorMs),
    stages: stageRows,
  };
  const whatIf = taskWhatIf(t, durationMs, executorSlots);
  if (whatIf) out.what_if = whatIf as unknown as JsonObject;
  return out;
}
