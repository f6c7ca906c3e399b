import type { RunRecord, Settings } from '../../src/types.js';
import { GIB } from './history.js';

// A job whose runs on its own settings spread so widely that no change meets the slowdown limit: the advice after a
// failed run (baseline-failed, memory-after-failure) must come from the failure, not from the models.

export const noisyBaseline: Settings = {
  executors: 8,
  executorCores: 4,
  executorMemoryBytes: 16 * GIB,
  shufflePartitions: 200,
};

/** Runs on the baseline at 40–58 GiB, their shuffle twice their input, with a wide run-to-run spread. */
export function noisyHistory(): RunRecord[] {
  return Array.from({ length: 10 }, (_, i) => {
    const inputBytes = (40 + 2 * i) * GIB;
    return {
      id: `run-${i}`,
      app: 'etl',
      ...noisyBaseline,
      inputBytes,
      shuffleWriteBytes: 2 * inputBytes,
      adaptiveExecution: false,
      durationMs: (60 + (5 * inputBytes) / GIB) * 1000 * Math.exp(0.5 * Math.sin(i * 2.3)),
      succeeded: true,
      endTime: new Date(Date.UTC(2024, 0, 20 - i)).toISOString(),
      source: 'import',
      adviceId: `adv-${i}`,
    };
  });
}
