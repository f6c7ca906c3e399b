import type { RunRecord } from '../../src/types.js';
import { GIB, gridRun, truthSec } from '../support/etl-grid.js';

// The crawled history the explain tests share: job "etl" over a grid of settings at 40–44 GiB, most recent first.

export { GIB };
/** 30 s serial, 20 core-seconds per GiB, 0.4 s per core of coordination. */
export const truthMs = (e: number, c: number, bytes: number) => truthSec(e, c, bytes) * 1000;
export const appId = (i: number) => `application_1700000000000_${String(i).padStart(4, '0')}`;

export function history(): RunRecord[] {
  return Array.from({ length: 12 }, (_, i) => {
    const g = gridRun(i);
    return {
      id: `${appId(i)}-0`,
      appId: appId(i),
      app: 'etl',
      ...g,
      executorMemoryBytes: g.executorCores * 4 * GIB,
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 20 - i)).toISOString(),
      source: 'crawl' as const,
    };
  });
}
