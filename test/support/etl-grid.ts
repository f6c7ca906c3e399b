// The recurring job "etl" that the advisor, explain and predict tests learn from: a grid of settings at 40–44 GiB,
// whose durations follow a job that stops scaling early, with a small deterministic wobble.

export const GIB = 1024 ** 3;

/** 30 s serial, 20 core-seconds per GiB, 0.4 s per core of coordination. */
export function truthSec(executors: number, cores: number, bytes: number): number {
  const m = executors * cores;
  return 30 + (20 * bytes) / GIB / m + 0.4 * m;
}

const GRID = [
  [4, 4],
  [8, 4],
  [16, 4],
  [32, 4],
  [8, 2],
  [16, 2],
  [4, 8],
  [12, 4],
  [24, 4],
  [6, 4],
] as const;

/** The i-th run of the grid: its settings, input size and duration. */
export function gridRun(i: number): {
  executors: number;
  executorCores: number;
  inputBytes: number;
  durationMs: number;
} {
  const [executors, executorCores] = GRID[i % GRID.length]!;
  const inputBytes = (40 + (i % 5)) * GIB;
  const durationMs = truthSec(executors, executorCores, inputBytes) * 1000 * (1 + 0.02 * Math.sin(i * 2.3));
  return { executors, executorCores, inputBytes, durationMs };
}
