import type { RawDoc, RunRecord } from '../../src/types.js';

// The raw document of a run of two stages, a scan and then a shuffle read, on executors of 4 cores: what the
// one-run what-if replays (test/advisor/what-if-run.test.ts, read-ceiling.test.ts), and the run's record.

const MIB = 1024 ** 2;
export const iso = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms).toISOString();

export interface TwoStages {
  id: string;
  executors: number;
  durationMs: number;
  /** Scan tasks (one 128 MiB split each), each task's time, and the stage's wall time. */
  splits: number;
  scanTaskMs: number;
  scanMs: number;
  /** Shuffle read: 200 tasks of this many MiB each, each task's time, and the stage's wall time. */
  shuffleMiB: number;
  shuffleTaskMs: number;
  shuffleMs: number;
}

export function twoStageDoc(r: TwoStages): RawDoc {
  return {
    id: r.id,
    name: 'etl',
    history_host: 'h',
    spot: { time_processed: iso(0), history_host: 'h' },
    app_specific_data: { classification: {}, tag: '' },
    attempts: [
      {
        startTime: iso(0),
        duration: r.durationMs,
        allexecutors: Array.from({ length: r.executors }, (_, i) => ({ id: String(i + 1), totalCores: 4 })),
        stages: [
          {
            status: 'COMPLETE',
            stageId: 0,
            attemptId: 0,
            numTasks: r.splits,
            executorRunTime: r.splits * r.scanTaskMs,
            inputBytes: r.splits * 128 * MIB,
            shuffleReadBytes: 0,
            submissionTime: iso(10_000),
            completionTime: iso(10_000 + r.scanMs),
          },
          {
            status: 'COMPLETE',
            stageId: 1,
            attemptId: 0,
            numTasks: 200,
            executorRunTime: 200 * r.shuffleTaskMs,
            inputBytes: 0,
            shuffleReadBytes: 200 * r.shuffleMiB * MIB,
            submissionTime: iso(10_000 + r.scanMs),
            completionTime: iso(10_000 + r.scanMs + r.shuffleMs),
          },
        ],
      },
    ],
  } as RawDoc;
}

/** The record of the run `appId` on `executors` × 4 cores, the i-th most recent, crawled. */
export function twoStageRecord(
  i: number,
  appId: string,
  executors: number,
  inputBytes: number,
  durationMs: number,
): RunRecord {
  return {
    id: `${appId}-0`,
    appId,
    app: 'etl',
    inputBytes,
    executors,
    executorCores: 4,
    shufflePartitions: 200,
    adaptiveExecution: false,
    durationMs,
    succeeded: true,
    endTime: iso(86_400_000 * (30 - i)),
    source: 'crawl',
  };
}
