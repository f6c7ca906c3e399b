import type { RunRecord } from '../../src/types.js';
import { advisorSchema, type SpotConfig } from '../../src/config/schema.js';

export const GIB = 1024 ** 3;

/** A job that stops scaling early: 30 s serial, 20 core-seconds per GiB, 0.4 s per core of coordination. */
export function truthSec(executors: number, cores: number, bytes: number): number {
  const m = executors * cores;
  return 30 + (20 * bytes) / GIB / m + 0.4 * m;
}

export function config(over: Partial<SpotConfig['advisor']> = {}): SpotConfig['advisor'] {
  return advisorSchema.parse(over);
}

/** Runs of job "etl" over a grid of settings, most recent first, with a small deterministic wobble. */
export function runs(n: number, over: Partial<RunRecord> = {}): RunRecord[] {
  const out: RunRecord[] = [];
  const grid = [
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
  for (let i = 0; i < n; i++) {
    const [e, c] = grid[i % grid.length]!;
    const bytes = (40 + (i % 5)) * GIB;
    out.push({
      id: `run-${i}`,
      app: 'etl',
      inputBytes: bytes,
      executors: e,
      executorCores: c,
      executorMemoryBytes: c * 4 * GIB,
      durationMs: truthSec(e, c, bytes) * 1000 * (1 + 0.02 * Math.sin(i * 2.3)),
      peakExecutorMemoryBytes: c * 1.5 * GIB,
      shuffleWriteBytes: bytes * 0.5,
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 1) + (n - i) * 86_400_000).toISOString(),
      source: 'import',
      ...over,
    });
  }
  return out;
}
