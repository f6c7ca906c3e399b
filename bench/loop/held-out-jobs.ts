import type { JobShape } from './cluster.js';

// Job shapes the advisor was never tuned on (bench/loop.ts --shapes held-out): each stretches one thing the four
// first shapes keep moderate, so a rule that only fits those shows up here as a slowdown, a failure or no saving.

const GIB = 1024 ** 3;
const common = {
  scanMsPerSplit: 2_500,
  shuffleMsPerMiB: 12,
  spillPenalty: 1.5,
  skew: 1.3,
  adaptive: true,
  stageReads: 1,
};

export const HELD_OUT_JOBS: JobShape[] = [
  {
    // Inputs from a megabyte to a terabyte on one fixed setting, as the recurring jobs Spot is for have.
    ...common,
    name: 'wide-range ETL',
    fixed: { executors: 50, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
    minGiB: 0.001,
    maxGiB: 1000,
    driverMs: 40_000,
    shuffleRatio: 0.2,
  },
  {
    // Only a scan: every second is file splits over the task slots, where a wave more or less shows at once.
    ...common,
    name: 'scan-only',
    fixed: { executors: 30, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
    minGiB: 2,
    maxGiB: 300,
    driverMs: 10_000,
    shuffleRatio: 0,
  },
  {
    // Few fat executors, without AQE: the shape the advisor keeps, and memory per task it must not cut blindly.
    ...common,
    name: 'fat executors',
    fixed: { executors: 10, executorCores: 8, executorMemoryBytes: 32 * GIB, shufflePartitions: 400 },
    minGiB: 1,
    maxGiB: 100,
    driverMs: 25_000,
    shuffleRatio: 0.8,
    spillPenalty: 2,
    adaptive: false,
  },
  {
    // Four minutes on the driver: the executors idle for most of the run.
    ...common,
    name: 'long driver',
    fixed: { executors: 24, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
    minGiB: 1,
    maxGiB: 50,
    driverMs: 240_000,
    shuffleRatio: 0.3,
  },
  {
    // Sized about right for its narrow range of inputs: little to save, and any cut shows as a slowdown.
    ...common,
    name: 'right-sized',
    fixed: { executors: 16, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 },
    minGiB: 20,
    maxGiB: 60,
    driverMs: 20_000,
    shuffleRatio: 0.5,
  },
];
