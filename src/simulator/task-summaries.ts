import type { TaskTimes } from './stages.js';

// `stages?withSummaries=true&quantiles=…` as Spark 3.4+ answers it: each stage carries the distribution of its
// successful tasks' metrics at the quantiles asked (default 0, ¼, ½, ¾, 1), each value picked at index
// min(⌊q·n⌋, n − 1) of the sorted tasks (AppStatusStore.taskSummary), and the same for its executors. Only a few
// of Spark's many metrics are served: enough that a reader must pick the task times out of them.

const DEFAULT_QUANTILES = '0.0,0.25,0.5,0.75,1.0';
/** A task's wall time beyond its run time: deserializing it (the stage's executorDeserializeTime is 4 ms a task). */
const DESERIALIZE_MS = 4;

/** Spark's parseQuantileString, sorted as stageList sorts them; a message for a value that is no number. */
export function parseQuantiles(raw: string | null): number[] | { error: string } {
  const parts = (raw ?? DEFAULT_QUANTILES).split(',');
  const out: number[] = [];
  for (const s of parts) {
    const q = Number(s);
    if (s.trim() === '' || !Number.isFinite(q))
      return { error: `Bad value for parameter "quantiles".  Expected a double, got "${s}"` };
    out.push(q);
  }
  return out.sort((a, b) => a - b);
}

/** The stage with its task and executor distributions added. */
export function withSummary(stage: object, times: TaskTimes | undefined, quantiles: number[]): object {
  const n = times?.numTasks ?? 0;
  if (!times || n <= 0) return { ...stage, taskMetricsDistributions: null, executorMetricsDistributions: null };
  // Every task took the typical time but the longest, which is last in sorted order.
  const at = (typical: number, longest: number) =>
    quantiles.map((q) => (Math.min(Math.floor(q * n), n - 1) === n - 1 ? longest : typical));
  const run = at(times.typicalMs, times.longestMs);
  const round = (xs: number[]) => xs.map((x) => Math.round(x));
  return {
    ...stage,
    taskMetricsDistributions: {
      quantiles,
      duration: round(run.map((ms) => ms + DESERIALIZE_MS)),
      executorDeserializeTime: quantiles.map(() => DESERIALIZE_MS),
      executorRunTime: round(run),
      jvmGcTime: round(run.map((ms) => ms * 0.03)),
      schedulerDelay: quantiles.map(() => 2),
      peakExecutionMemory: quantiles.map(() => 0),
      inputMetrics: { bytesRead: quantiles.map(() => 0), recordsRead: quantiles.map(() => 0) },
      shuffleWriteMetrics: { writeBytes: quantiles.map(() => 0), writeRecords: quantiles.map(() => 0) },
    },
    executorMetricsDistributions: { quantiles, taskTime: round(run.map((ms) => ms * 4)) },
  };
}
