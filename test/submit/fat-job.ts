import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
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

/**
 * A real SQLite store holding the fat job's runs on 40 and 36 executors × 4 cores, 8g, run with dynamic allocation or
 * not, for `check`; removed afterwards.
 */
export async function withFatJobStore<T>(dynamicAllocation: boolean, check: (store: SqliteStore) => Promise<T>) {
  const dir = mkdtempSync(join(tmpdir(), 'spot-fat-job-'));
  const store = await SqliteStore.open(join(dir, 'spot.db'));
  try {
    const runs = fatJob([40, 36, 40, 36, 40, 36], {
      executorCores: 4,
      executorMemoryBytes: 8 * GIB,
      parallelMs: 10_000,
    });
    await store.putRecords(runs.map((r) => ({ ...r, dynamicAllocation })));
    return await check(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
