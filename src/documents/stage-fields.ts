import { num } from '../common/json.js';
import { summarySkew } from '../common/task-summary.js';

// Per-stage fields (spec §2.3, "Stage fields"). Stages that never ran (no first task or no completion) keep
// the original's markers: duration 0, throughputs -1. A stage that ran in under a millisecond used to raise
// ZeroDivisionError and lose the whole attempt (spec §9.4); its throughput is unmeasurable, so it is null,
// which the aggregations skip: it neither turns max into Infinity nor drags min down to the -1 marker.

export function addStageFields(stage: Record<string, unknown>, warn: (m: string) => void): Record<string, unknown> {
  const st = { ...stage };
  const first = typeof st.firstTaskLaunchedTime === 'string' ? Date.parse(st.firstTaskLaunchedTime) : NaN;
  const done = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : NaN;
  const submitted = typeof st.submissionTime === 'string' ? Date.parse(st.submissionTime) : NaN;
  if (Number.isFinite(first) && Number.isFinite(done)) {
    const duration = done - first;
    st.x_scheduling_overhead = Number.isFinite(submitted) ? first - submitted : 0;
    st.x_duration = duration;
    st.throughput_bytes = ratio(num(st.inputBytes), duration);
    st.throughput_records = ratio(num(st.inputRecords), duration);
  } else {
    if (st.status !== 'SKIPPED' && st.status !== 'PENDING') {
      warn(`incomplete stage ${String(st.stageId)} attempt ${String(st.attemptId)} (status ${String(st.status)})`);
    }
    st.x_scheduling_overhead = 0;
    st.x_duration = 0;
    st.throughput_bytes = -1;
    st.throughput_records = -1;
  }
  const cpuNs = num(st.executorCpuTime);
  if (cpuNs !== undefined) st.x_executorCpuTime_ms = cpuNs / 1e6;
  const tasks = num(st.numCompleteTasks);
  if (tasks !== undefined && tasks !== 0) {
    const inB = num(st.inputBytes);
    const outB = num(st.outputBytes);
    if (inB !== undefined) st.x_average_task_input_bytes = inB / tasks;
    if (outB !== undefined) st.x_average_task_output_bytes = outB / tasks;
    const skew = summarySkew(st, tasks);
    if (skew !== undefined) st.x_task_skew = skew;
  }
  return st;
}

function ratio(a: number | undefined, b: number): number | null {
  if (a === undefined || b <= 0) return null;
  return a / b;
}
