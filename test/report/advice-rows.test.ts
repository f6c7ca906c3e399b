import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adviceRows } from '../../src/report/advice-rows.js';
import { chosenCandidate, intervalCoverage } from '../../src/advisor/outcomes.js';
import type { Advice, Candidate, RunRecord } from '../../src/types.js';

// Which prediction a launch is held to, and which duration counts as what happened.

const cand = (executors: number, durationMs: number, extra: Partial<Candidate['settings']> = {}): Candidate => ({
  settings: { executors, executorCores: 4, ...extra },
  prediction: { durationMs, low: durationMs * 0.8, high: durationMs * 1.2 },
  coreHours: (executors * 4 * durationMs) / 3.6e6,
});

function advice(over: Partial<Advice>): Advice {
  return {
    id: 'a1',
    createdAt: '2024-03-01T10:00:00Z',
    app: 'job',
    mode: 'fill',
    baseline: { executors: 10, executorCores: 4 },
    chosen: { executors: 6 },
    injected: { 'spark.executor.instances': '6' },
    pinned: [],
    candidates: [cand(10, 100_000), cand(5, 150_000), cand(6, 130_000)],
    trainingRunIds: [],
    decidedBy: 'x',
    notes: [],
    ...over,
  };
}

const run: RunRecord = {
  id: 'r1',
  app: 'job',
  inputBytes: 1e9,
  executors: 6,
  executorCores: 4,
  durationMs: 140_000,
  coreMs: 24 * 150_000,
  succeeded: true,
  endTime: '2024-03-01T10:05:00Z',
  source: 'crawl',
};

describe('advice rows', () => {
  test('a launch that measured no input was predicted for the largest of its history: its row says so', () => {
    const assumed = advice({
      outcome: { runId: 'r1', exitCode: 0 },
      reasons: [
        { code: 'kept-baseline', values: {} },
        { code: 'input-assumed-largest', values: { runs: 12, inputBytes: 1e11 } },
      ],
    } as Partial<Advice>);
    assert.equal(adviceRows([assumed], [run])[0]!.assumedInputBytes, 1e11);
    assert.equal(adviceRows([{ ...assumed, inputBytes: 1e9 }], [run])[0]!.assumedInputBytes, undefined);
  });

  test('a launch with a crawled run counts on the day the run ended; one without, on the day of its advice', () => {
    const day = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000) * 86_400_000;
    const linked = advice({ createdAt: '2024-03-09T10:00:00Z', outcome: { runId: 'r1', exitCode: 0 } });
    assert.equal(adviceRows([linked], [run])[0]!.day, day(run.endTime));
    const unlinked = advice({ createdAt: '2024-03-09T10:00:00Z', outcome: { exitCode: 0, wallMs: 1000 } });
    assert.equal(adviceRows([unlinked], [run])[0]!.day, day('2024-03-09T00:00:00Z'));
  });

  test('the chosen candidate is found by its settings, not its position', () => {
    assert.equal(chosenCandidate(advice({}))?.settings.executors, 6);
    // The baseline chosen: the advisor lists it first and cheaper alternatives after it.
    assert.equal(chosenCandidate(advice({ chosen: {} }))?.settings.executors, 10);
    assert.equal(chosenCandidate(advice({ chosen: { executors: 6, shufflePartitions: 64 } })), undefined);
  });

  test('applied advice is held to the chosen prediction and the linked run', () => {
    const [row] = adviceRows([advice({ outcome: { runId: 'r1', wallMs: 999_000 } })], [run]);
    assert.equal(row?.applied, true);
    assert.equal(row?.predictedMs, 130_000);
    assert.equal(row?.actualMs, 140_000);
    assert.equal(row?.actualFrom, 'run');
    // Counted as the prediction counts it (6 × 4 cores for 140 s), not from the run's executor lifetimes (coreMs).
    assert.ok(Math.abs(row!.actualCoreHours! - (24 * 140_000) / 3.6e6) < 1e-12);
    assert.equal(row?.baselineCoreHours, (40 * 100_000) / 3.6e6);
  });

  test('a shadow launch is held to the baseline; without a crawled run the wall time counts', () => {
    const [row] = adviceRows(
      [advice({ mode: 'shadow', injected: {}, outcome: { runId: 'not-crawled', wallMs: 99_000 } })],
      [run],
    );
    assert.equal(row?.applied, false);
    assert.equal(row?.predictedMs, 100_000);
    assert.equal(row?.actualMs, 99_000);
    assert.equal(row?.actualFrom, 'wall');
    assert.equal(row?.actualCoreHours, undefined);
  });

  test('a failed launch is not set against its prediction: a non-zero exit, or a crawled run that failed', () => {
    const [byExit] = adviceRows([advice({ outcome: { exitCode: 3, wallMs: 40 } })], [run]);
    assert.equal(byExit?.actualMs, undefined);
    assert.deepEqual(byExit?.failed, { exitCode: 3, afterMs: 40 });
    const [byRun] = adviceRows([advice({ outcome: { exitCode: 0, runId: 'r1' } })], [{ ...run, succeeded: false }]);
    assert.equal(byRun?.actualMs, undefined);
    assert.deepEqual(byRun?.failed, { exitCode: 0, afterMs: 140_000 });
    // So it never counts as a launch under its low end.
    assert.deepEqual(intervalCoverage([byExit!, byRun!]), { within: 0, of: 0, over: 0 });
  });

  test('rule-based advice without candidates has nothing to check', () => {
    assert.deepEqual(adviceRows([advice({ candidates: [] })], [run]), []);
  });

  test('coverage counts the finished launches inside their interval, and those that ran longer than its high end', () => {
    const held = intervalCoverage([
      { lowMs: 80, highMs: 120, actualMs: 100 },
      { lowMs: 80, highMs: 120, actualMs: 120 },
      { lowMs: 80, highMs: 120, actualMs: 121 },
      { lowMs: 80, highMs: 120, actualMs: 79 },
      { lowMs: 80, highMs: 120 },
    ]);
    assert.deepEqual(held, { within: 2, of: 4, over: 1 });
  });
});
