import { advise } from '../../src/advisor/advise.js';
import type { Advice, RunRecord, Settings } from '../../src/types.js';
import { advisorSchema, type SpotConfig } from '../../src/config/schema.js';
import { GIB, gridRun, truthSec } from '../support/etl-grid.js';

export { GIB, truthSec };

export function config(over: Partial<SpotConfig['advisor']> = {}): SpotConfig['advisor'] {
  return advisorSchema.parse(over);
}

/** Runs of job "etl" over a grid of settings, most recent first, with a small deterministic wobble. */
export function runs(n: number, over: Partial<RunRecord> = {}): RunRecord[] {
  const out: RunRecord[] = [];
  for (let i = 0; i < n; i++) {
    const g = gridRun(i);
    out.push({
      id: `run-${i}`,
      app: 'etl',
      ...g,
      executorMemoryBytes: g.executorCores * 4 * GIB,
      peakExecutorMemoryBytes: g.executorCores * 1.5 * GIB,
      shuffleWriteBytes: g.inputBytes * 0.5,
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 1) + (n - i) * 86_400_000).toISOString(),
      source: 'import',
      ...over,
    });
  }
  return out;
}

/** The settings the advisor tests launch "etl" with: over-provisioned for its grid history. */
export const BASELINE: Settings = { executors: 32, executorCores: 4, executorMemoryBytes: 16 * GIB };

/** The advice for a 42 GiB launch of "etl" at BASELINE after 12 runs of the grid; `over` changes any of it. */
export function askEtl(over: Partial<Parameters<typeof advise>[0]> = {}): Advice {
  return advise({
    app: 'etl',
    inputBytes: 42 * GIB,
    baseline: BASELINE,
    pinned: [],
    records: runs(12),
    config: config(),
    ...over,
  });
}
