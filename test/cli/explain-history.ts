import type { RunRecord } from '../../src/types.js';

// The crawled history the explain tests share: job "etl" over a grid of settings at 40–44 GiB, most recent first.

export const GIB = 1024 ** 3;
/** 30 s serial, 20 core-seconds per GiB, 0.4 s per core of coordination. */
export const truthMs = (e: number, c: number, bytes: number) =>
  (30 + (20 * bytes) / GIB / (e * c) + 0.4 * e * c) * 1000;
export const appId = (i: number) => `application_1700000000000_${String(i).padStart(4, '0')}`;

export function history(): RunRecord[] {
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
  return Array.from({ length: 12 }, (_, i) => {
    const [e, c] = grid[i % grid.length]!;
    const bytes = (40 + (i % 5)) * GIB;
    return {
      id: `${appId(i)}-0`,
      appId: appId(i),
      app: 'etl',
      inputBytes: bytes,
      executors: e,
      executorCores: c,
      executorMemoryBytes: c * 4 * GIB,
      durationMs: truthMs(e, c, bytes) * (1 + 0.02 * Math.sin(i * 2.3)),
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 20 - i)).toISOString(),
      source: 'crawl' as const,
    };
  });
}
