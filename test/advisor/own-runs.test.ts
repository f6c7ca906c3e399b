import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readTrack, Z90 } from '../../src/advisor/explore.js';
import { ownRunsMs } from '../../src/advisor/risk.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import type { Model } from '../../models/types.js';
import type { Candidate, RunRecord, Settings } from '../../src/types.js';
import { askEtl, BASELINE, GIB, runs } from './history.js';

// The slowdown limit is measured from a baseline no slower than the job's runs on its own settings took: a model that
// prices those settings slower than they ran loosened the limit for every cut.

// 20 s + 2000 core-seconds of work per 100 GiB over the cores; 4× that work on 20 partitions (a coarse shuffle).
const model: Model = {
  name: 'test/coarse',
  family: 'test',
  loss: 'relative',
  params: {},
  validationError: 0.05,
  trainingRuns: 10,
  describe: () => 'test',
  predictMs: (s, d) =>
    1000 * (20 + ((s.shufflePartitions === 20 ? 4 : 1) * 2000 * d) / (100 * GIB) / (s.executors * s.executorCores)),
  predict: () => ({ durationMs: 0, low: 0, high: 0 }),
};
const baseline: Settings = { executors: 40, executorCores: 4, executorMemoryBytes: 16 * GIB, shufflePartitions: 20 };
const run = (id: string, gib: number, factor: number, over: Partial<Settings> = {}): RunRecord => {
  const s = { ...baseline, ...over };
  return {
    id,
    app: 'etl',
    inputBytes: gib * GIB,
    ...s,
    succeeded: true,
    source: 'crawl',
    durationMs: factor * model.predictMs(s, gib * GIB),
    endTime: `2024-01-${String(30 - Number(id.replace(/\D/g, ''))).padStart(2, '0')}T00:00:00Z`,
  };
};
// Cuts on 200 partitions ran as the model says.
const cuts = [run('r1', 50, 1, { executors: 20, shufflePartitions: 200 }), run('r2', 48, 1, { executors: 24 })];

describe('advisor: the runs on the baseline’s own settings', () => {
  test('put a ceiling over its point at the one-sided 90% bound of the noise', () => {
    // Two runs on the baseline's settings took 0.6× the model's point for them.
    const track = readTrack([...cuts, run('r3', 45, 0.6), run('r4', 55, 0.6)], model, baseline, 50 * GIB, 1.1);
    assert.equal(track.ownBaseline?.runs, 2);
    const ceiling = ownRunsMs(track, model, baseline, 50 * GIB)!;
    const expected = 0.6 * model.predictMs(baseline, 50 * GIB) * Math.exp(Z90 * track.sigma);
    assert.ok(Math.abs(ceiling - expected) < 1e-6, `${ceiling} vs ${expected}`);
    assert.ok(ceiling < model.predictMs(baseline, 50 * GIB));
  });

  test('none without a run on all of its settings at a similar input size', () => {
    const without = (r: RunRecord) => readTrack([...cuts, r], model, baseline, 50 * GIB, 1.1).ownBaseline;
    assert.equal(without(run('r3', 50, 0.6, { executors: 38 })), undefined, 'other cores');
    assert.equal(without(run('r3', 50, 0.6, { shufflePartitions: 200 })), undefined, 'other partitions');
    assert.equal(without(run('r3', 50, 0.6, { executorMemoryBytes: 32 * GIB })), undefined, 'more memory');
    assert.equal(without(run('r3', 120, 0.6)), undefined, 'more than twice the input');
    assert.equal(without({ ...run('r3', 50, 0.6), succeeded: false }), undefined, 'failed');
    assert.equal(ownRunsMs(readTrack(cuts, model, baseline, 50 * GIB, 1.1), model, baseline, 50 * GIB), undefined);
  });

  test("the advice's limit is measured from what the run on the baseline's settings took, and says so", () => {
    // The grid's run on the baseline's 32 × 4 took 0.6× the time the job's other runs say it takes.
    const own = (r: RunRecord) => r.executors === BASELINE.executors && r.executorCores === BASELINE.executorCores;
    const records = runs(12).map((r) => (own(r) ? { ...r, durationMs: r.durationMs * 0.6 } : r));
    const ownRun = records.find(own)!;
    const a = askEtl({ records });
    const v = a.reasons![0]!.values;
    assert.equal(v.baselineOwnRuns, 1, JSON.stringify(v));
    const basePoint = a.candidates[0]!.prediction.durationMs;
    assert.ok((v.baselineMs as number) < basePoint, `${v.baselineMs} vs the baseline's point ${basePoint}`);
    // Within the noise's bound of what the run took (its input, 43 GiB, a little larger than the 42 GiB asked).
    assert.ok((v.baselineMs as number) < ownRun.durationMs * 1.1, `${v.baselineMs} vs ${ownRun.durationMs}`);
    const ran = a.candidates.find(
      (c: Candidate) =>
        c !== a.candidates[0] && JSON.stringify(c.settings) === JSON.stringify({ ...BASELINE, ...a.chosen }),
    );
    assert.ok(ran && ran.slowdownHigh! <= (v.boundMs as number), JSON.stringify(ran));
    assert.match(a.decidedBy, /\(taken as no slower than the run on its own settings of a similar input size took\)/);
    assert.match(reasonText({ code: 'kept-baseline', values: { ...v, baselineOwnRuns: 3 } }), /the 3 runs on its own/);
    // Where the run on the baseline's settings took what the model says, its point stands.
    assert.equal(askEtl().reasons![0]!.values.baselineOwnRuns, undefined);
  });
});
