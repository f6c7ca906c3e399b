import { ranStages, type Metric, type StageView } from './types.js';

// How much of the run had stages running: the union of the stages' [first task, completion] intervals.
// Its complement in the run's duration is the sequential part (driver work, scheduling, start-up).

export function stageUnion(stages: StageView[]): { parallelPart: number; overlapped: boolean } {
  const intervals = ranStages(stages)
    .map((s) => [s.firstTaskMs, s.completionMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let overlapped = false;
  let cur: [number, number] | undefined;
  for (const [start, end] of intervals) {
    if (cur && start < cur[1]) {
      overlapped = true;
      cur[1] = Math.max(cur[1], end);
    } else {
      if (cur) total += cur[1] - cur[0];
      cur = [start, end];
    }
  }
  if (cur) total += cur[1] - cur[0];
  return { parallelPart: total, overlapped };
}

export const parallelism: Metric = {
  name: 'parallelism',
  needs: 'stages',
  compute(input) {
    const { parallelPart, overlapped } = stageUnion(input.stages);
    return { parallel_part: parallelPart, stages_in_parallel: overlapped };
  },
};
