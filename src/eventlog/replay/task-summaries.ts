import { TASK_QUANTILES, taskQuantiles } from '../../common/task-summary.js';
import type { Obj } from './fields.js';
import type { TaskTable } from './tasks.js';

// Each stage attempt's `taskMetricsDistributions` as Spot stores it from a Spark 3.4+ History Server asked for
// TASK_QUANTILES (compactTaskSummary's shape), so a replayed log answers the same task-time questions. Spark
// summarises only successful tasks (AppStatusStore.taskSummary), so failed and killed ones are left out, and an
// attempt without one gets no summary, as the server then sends none.

/** Stage key (stageKey) → summary, for the attempts with a successful task. */
export function taskSummaries(t: TaskTable): Map<string, Obj> {
  const byStage = new Map<number, { duration: number[]; runTime: number[]; readBytes: number[] }>();
  for (let i = 0; i < t.length; i++) {
    if (!t.succeeded[i]) continue;
    let acc = byStage.get(t.stage[i]!);
    if (!acc) {
      acc = { duration: [], runTime: [], readBytes: [] };
      byStage.set(t.stage[i]!, acc);
    }
    acc.duration.push(t.cols.duration[i]!);
    acc.runTime.push(t.cols.runTime[i]!);
    acc.readBytes.push(t.cols.shuffleReadBytes[i]!);
  }
  const out = new Map<string, Obj>();
  for (const [index, acc] of byStage) {
    // Non-empty lists, so both are defined; the store's names are the server's (runTime is executorRunTime).
    out.set(t.stageKeys[index]!, {
      quantiles: [...TASK_QUANTILES],
      duration: taskQuantiles(acc.duration)!,
      executorRunTime: taskQuantiles(acc.runTime)!,
      // As the server sends it for every stage (zeros where no task read shuffle data).
      shuffleReadMetrics: { readBytes: taskQuantiles(acc.readBytes)! },
    });
  }
  return out;
}
