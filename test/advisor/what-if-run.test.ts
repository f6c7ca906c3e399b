import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { whatIfCandidate, whatIfRun } from '../../src/advisor/what-if-run.js';
import type { RawDoc, RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';

const iso = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms).toISOString();
const MIB = 1024 ** 2;

/**
 * A job whose truth is waves: 10 s of driver time, a scan of 320 splits of 128 MiB at 2 s each (40 GiB), then
 * 200 shuffle tasks of 0.5 s. Duration on m slots: 10 + 2·⌈320/m⌉ + 0.5·⌈200/m⌉ s.
 */
const truth = (m: number) => 1000 * (10 + 2 * Math.ceil(320 / m) + 0.5 * Math.ceil(200 / m));

function raw(executors: number): RawDoc {
  const m = executors * 4;
  const scan = 2000 * Math.ceil(320 / m);
  const shuffle = 500 * Math.ceil(200 / m);
  return {
    id: `app-${executors}`,
    name: 'etl',
    history_host: 'h',
    spot: { time_processed: iso(0), history_host: 'h' },
    app_specific_data: { classification: {}, tag: '' },
    attempts: [
      {
        startTime: iso(0),
        duration: truth(m),
        allexecutors: Array.from({ length: executors }, (_, i) => ({ id: String(i + 1), totalCores: 4 })),
        stages: [
          {
            status: 'COMPLETE',
            stageId: 0,
            attemptId: 0,
            numTasks: 320,
            executorRunTime: 320 * 2000,
            inputBytes: 320 * 128 * MIB,
            shuffleReadBytes: 0,
            submissionTime: iso(10_000),
            completionTime: iso(10_000 + scan),
          },
          {
            status: 'COMPLETE',
            stageId: 1,
            attemptId: 0,
            numTasks: 200,
            executorRunTime: 200 * 500,
            inputBytes: 0,
            shuffleReadBytes: 200 * 5 * MIB,
            submissionTime: iso(10_000 + scan),
            completionTime: iso(10_000 + scan + shuffle),
          },
        ],
      },
    ],
  } as RawDoc;
}

const record = (i: number, executors: number): RunRecord => ({
  id: `app-${executors}-0`,
  appId: `app-${executors}`,
  app: 'etl',
  inputBytes: 40 * GIB,
  executors,
  executorCores: 4,
  shufflePartitions: 200,
  adaptiveExecution: false,
  durationMs: truth(executors * 4),
  succeeded: true,
  endTime: iso(86_400_000 * (30 - i)),
  source: 'crawl',
});

describe('the one-run what-if in the advisor', () => {
  const records = [record(0, 40), record(1, 30), record(2, 20), record(3, 35), record(4, 25)];

  test('replays the most recent run of a similar size, once enough others can check it', () => {
    assert.equal(whatIfCandidate(records, 40 * GIB)?.id, 'app-40-0');
    assert.equal(whatIfCandidate(records.slice(0, 2), 40 * GIB), undefined, 'one other run cannot check it');
    assert.equal(whatIfCandidate(records, 400 * GIB), undefined, 'no run of a similar size');
  });

  test('competes with the cross-run fit by its error on the other runs of this size, and wins on a job made of waves', () => {
    const w = whatIfRun(records[0]!, raw(40))!;
    const a = advise({
      app: 'etl',
      inputBytes: 40 * GIB,
      baseline: { executors: 40, executorCores: 4 },
      pinned: [],
      records,
      whatIf: w,
      config: config(),
    });
    const why = a.reasons!.find((r) => r.code === 'what-if')!;
    assert.equal(why.values.runId, 'app-40-0');
    assert.ok((why.values.selfError as number) < 1e-9);
    assert.ok((why.values.error as number) < 1e-9, JSON.stringify(why.values));
    assert.equal(a.model?.name, 'what-if/one-run');
    // It sees the wave cliffs: the chosen setting is no slower than the limit allows in truth.
    const m = a.chosen.executors! * 4;
    assert.ok(truth(m) <= 1.1 * truth(160), `${m} slots: ${truth(m)} ms`);
  });
});
