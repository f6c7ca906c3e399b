import { coreCost, lifetimesKnown, max, parallelWork, ranStages, sum, type Metric } from './types.js';
import { stageUnion } from './parallelism.js';

// Task time, stage time and the sequential remainder (spec §2.3): W, stages_sum, stages_interval, Q, T1.

export const work: Metric = {
  name: 'work',
  needs: 'stages',
  compute(input) {
    const ran = ranStages(input.stages);
    const first = -(max(ran.map((s) => -s.firstTaskMs)) ?? 0);
    const last = max(ran.map((s) => s.completionMs)) ?? 0;
    const W = parallelWork(input);
    const seq = input.durationMs - stageUnion(input.stages).parallelPart;
    return {
      parallel_work: W,
      stages_sum: sum(input.stages.map((s) => s.durationMs)),
      stages_interval: last - first,
      seq_part: seq,
      est_seq_time: seq + W,
    };
  },
};

export const speedup: Metric = {
  name: 'speedup',
  needs: 'stages',
  compute(input): Record<string, number> {
    const T = input.durationMs;
    if (T === 0) return {};
    const P = stageUnion(input.stages).parallelPart;
    const Q = T - P;
    return {
      estimated_speedup: (Q + parallelWork(input)) / T,
      parallel_fraction: P / T,
      seq_fraction: Q / T,
    };
  },
};

export const coreEfficiency: Metric = {
  name: 'core_efficiency',
  needs: 'stages',
  compute(input): Record<string, number> {
    if (!lifetimesKnown(input)) return {};
    const C = coreCost(input);
    if (C === 0) return { core_cost: 0 };
    const W = parallelWork(input);
    return {
      core_cost: C,
      estimated_core_efficiency: W / C,
      unused_core_cost: C - W,
      x_unused_core_cost_hours: (C - W) / 3.6e6,
    };
  },
};
