import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { checkedWhatIf, whatIfRun } from '../../src/advisor/what-if-run.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import type { RawDoc, RunRecord } from '../../src/types.js';
import { config, GIB } from './history.js';
import { twoStageDoc, twoStageRecord } from './two-stage-doc.js';

// A job on storage that serves 40 scan tasks' reads at once, no more (a shared file system's bandwidth): 10 s of
// driver time; a scan of 128 MiB splits that take 2 s each alone, and as much longer as more than 40 read at once;
// then 200 shuffle tasks of 0.5 s at 40 GiB, in proportion to the input, each on its own.

const SERVED = 40;

function parts(slots: number, gib: number) {
  const splits = 8 * gib;
  const scanTaskMs = 2000 * Math.max(1, Math.min(slots, splits) / SERVED);
  const shuffleTaskMs = 500 * (gib / 40);
  return {
    splits,
    scanTaskMs,
    scanMs: Math.ceil(splits / slots) * scanTaskMs,
    shuffleTaskMs,
    shuffleMs: Math.ceil(200 / slots) * shuffleTaskMs,
  };
}

const truth = (slots: number, gib = 40) => {
  const p = parts(slots, gib);
  return 10_000 + p.scanMs + p.shuffleMs;
};

const appOf = (executors: number, gib: number) => `app-${executors}-${gib}`;

function raw(executors: number, gib: number): RawDoc {
  const p = parts(executors * 4, gib);
  return twoStageDoc({
    id: appOf(executors, gib),
    executors,
    durationMs: truth(executors * 4, gib),
    splits: p.splits,
    scanTaskMs: p.scanTaskMs,
    scanMs: p.scanMs,
    shuffleMiB: 5 * (gib / 40),
    shuffleTaskMs: p.shuffleTaskMs,
    shuffleMs: p.shuffleMs,
  });
}

const record = (i: number, executors: number, gib: number, taskTime = true): RunRecord => {
  const p = parts(executors * 4, gib);
  const r = twoStageRecord(i, appOf(executors, gib), executors, gib * GIB, truth(executors * 4, gib));
  return taskTime ? { ...r, executorRunTimeMs: p.splits * p.scanTaskMs + 200 * p.shuffleTaskMs } : r;
};

// The fixed 40 executors on 40 GiB, and cuts that ran about as long (a cut to 15 tells 40 tasks from 80).
const history = [
  record(0, 40, 40),
  record(1, 30, 40),
  record(2, 15, 40),
  record(3, 20, 20),
  record(4, 10, 20),
  record(5, 40, 20),
];

describe('a read ceiling the runs show', () => {
  test('the replay learns it from the other runs, and prices a cut on a capped scan as the storage serves it', () => {
    const w = whatIfRun(history[0]!, raw(40, 40))!;
    const checked = checkedWhatIf(w, history, 40 * GIB);
    assert.equal(checked.readCeiling?.knotTasks, SERVED, JSON.stringify(checked.readCeiling));
    assert.ok((checked.readCeiling!.error as number) < 0.01);
    assert.ok((checked.readCeiling!.plainError as number) > 0.1);
    for (const slots of [40, 80, 120, 160]) {
      const ms = checked.model.predictMs({ executors: slots / 4, executorCores: 4 }, 40 * GIB);
      assert.ok(Math.abs(ms / truth(slots) - 1) < 0.01, `${slots} slots: ${ms} ms for ${truth(slots)}`);
    }
  });

  test('no ceiling is looked for where task time per byte does not grow with the cores', () => {
    // The same runs with their task time unknown: the replay misses them as much, but nothing shows a shared read.
    const unknown = history.map((r, i) => record(i, r.executors, r.inputBytes / GIB, false));
    const w = whatIfRun(unknown[0]!, raw(40, 40))!;
    assert.equal(checkedWhatIf(w, unknown, 40 * GIB).readCeiling, undefined);
  });

  test('the advice cuts a capped job to the cores the storage can feed, and says why', () => {
    const base = { executors: 40, executorCores: 4, shufflePartitions: 200 };
    const a = advise({
      app: 'etl',
      inputBytes: 40 * GIB,
      baseline: base,
      pinned: [],
      records: history,
      whatIf: whatIfRun(history[0]!, raw(40, 40))!,
      config: config(),
    });
    const why = a.reasons!.find((r) => r.code === 'read-ceiling');
    assert.ok(why, JSON.stringify(a.reasons));
    assert.match(reasonText(why), /40 scan tasks/);
    const m = (a.chosen.executors ?? 40) * 4;
    assert.ok(m <= 80, `${m} slots`);
    assert.ok(truth(m) <= 1.1 * truth(160), `${m} slots: ${truth(m)} ms against ${truth(160)} ms`);
  });
});
