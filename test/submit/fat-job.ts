import type { RunRecord } from '../../src/types.js';

const GIB = 1024 ** 3;

/**
 * Six crawled runs of 'fat job' at 10 GiB on the given executor counts (newest first), each taking 60 s plus
 * `parallelMs` spread over its executors: over-provisioned, so the advisor has a cut to offer.
 */
export function fatJob(
  executors: number[],
  shape: { executorCores: number; executorMemoryBytes: number; parallelMs: number },
): RunRecord[] {
  return executors.map((n, i) => ({
    id: `app-${i}`,
    app: 'fat job',
    inputBytes: 10 * GIB,
    executors: n,
    executorCores: shape.executorCores,
    executorMemoryBytes: shape.executorMemoryBytes,
    durationMs: 60_000 + shape.parallelMs / n + i * 100,
    succeeded: true,
    endTime: `2024-01-${String(30 - i).padStart(2, '0')}T01:00:00Z`,
    source: 'crawl',
  }));
}
