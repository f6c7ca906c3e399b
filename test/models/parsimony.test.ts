import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { aicc, aiccOf, earnsItsTerms, leadBeyond } from '../../models/parsimony.js';
import { preferred } from '../../models/choose.js';
import { physicalSpecs } from '../../models/physical.js';
import { selectModel } from '../../models/select.js';
import type { TrainingRow } from '../../models/types.js';
import type { Validation } from '../../models/validate.js';
import { GIB, history } from './synthetic.js';

const specs = physicalSpecs();
const spec = (name: string) => specs.find((s) => s.name === name)!;
const grid = { executors: [2, 4, 6, 8, 10, 12], cores: [1, 2], gib: [10] };
// A job without overheads that grow with the cluster, and one with them.
const amdahl = (e: number, c: number) => 30 + 2400 / (e * c);
const overhead = (e: number, c: number) => 20 + 960 / (e * c) + e * c;

describe('a fuller model earns its extra terms beyond the core counts', () => {
  test('AICc: no evidence from n ≤ p + 1 runs, a penalty that grows with the parameters', () => {
    assert.equal(aicc(1, 3, 2), Infinity);
    assert.ok(Number.isFinite(aicc(1, 4, 2)));
    assert.ok(aicc(1, 12, 4) > aicc(1, 12, 2), 'the same residual costs more with more parameters');
    assert.ok(aicc(0.5, 12, 2) < aicc(1, 12, 2), 'a smaller residual scores lower');
    assert.ok(Number.isFinite(aicc(0, 12, 2)), 'an exact fit stays comparable');
  });

  const earns = (rows: TrainingRow[]) =>
    earnsItsTerms(
      spec('ernest/relative'),
      spec('amdahl/relative'),
      rows.length,
      aiccOf(rows, (s) => s.fit(rows)),
    );

  test('runs to spare: the overhead terms must explain more than noise', () => {
    assert.equal(earns(history(amdahl, grid, 0.05, 1)), false);
    assert.equal(earns(history(overhead, grid, 0.01, 1)), true);
  });

  test('one run per parameter: nothing to weigh the fuller fit by, it answers', () => {
    assert.equal(earns(history(overhead, { executors: [4, 8, 12, 16], cores: [1], gib: [10] })), true);
  });

  test('noisy runs of a job without overheads: the answer beyond them keeps the simpler curve', () => {
    const rows = history(amdahl, grid, 0.05, 1);
    const sel = selectModel(rows)!;
    const up = sel.findings.find((f) => f.code === 'beyond-cores' && f.values.direction === 'up');
    assert.equal(up?.values.fullestOfLevels, undefined, String(up?.values.model));
    const real = amdahl(40, 1) * 1000;
    const predicted = sel.model.predict({ executors: 40, executorCores: 1 }, 10 * GIB).durationMs;
    // The fuller executor-aware Ernest the old rule took here predicted 1.52× the real time.
    assert.ok(Math.abs(predicted / real - 1) < 0.1, `${predicted} vs ${real}`);
  });
});

describe('the candidate that leads beyond the core counts', () => {
  const rows = history(amdahl, grid, 0.05, 1);
  const score = aiccOf(rows, (s) => s.fit(rows));
  const order = (name: string) => specs.findIndex((s) => s.name === name);
  // Held-out errors on three runs at the last core counts, as an extrapolation-shaped split leaves them.
  const val = (name: string, errors: number[]): Validation => ({
    spec: spec(name),
    error: errors.reduce((a, b) => a + b, 0) / errors.length,
    heldOut: errors.map((e, i) => ({ id: `h${i}`, relError: e, logRatio: e, weight: 1 })),
  });

  test('held-out errors that cannot be told apart: the fit on every run with the lowest AICc leads', () => {
    const best = val('ernest-split/relative', [0.01, 0.08, 0.03]);
    const amdahlVal = val('amdahl/relative', [0.05, 0.02, 0.09]);
    const lead = leadBeyond([best, amdahlVal], best, score, preferred(order));
    assert.equal(lead.spec.name, 'amdahl/relative');
    assert.ok(score(spec('amdahl/relative')) < score(spec('ernest-split/relative')));
  });

  test('held-out errors clearly worse than the best: validation decides', () => {
    const best = val('ernest-split/relative', [0.01, 0.02, 0.015]);
    const worse = val('amdahl/relative', [0.3, 0.32, 0.31]);
    assert.equal(leadBeyond([best, worse], best, score, preferred(order)), best);
  });

  test('too few runs for AICc: the best held-out error leads', () => {
    const few = history(amdahl, { executors: [4, 8, 12], cores: [1], gib: [10] });
    const best = val('amdahl-split/relative', [0.01]);
    const other = val('amdahl/relative', [0.02]);
    const lead = leadBeyond(
      [other, best],
      best,
      aiccOf(few, (s) => s.fit(few)),
      preferred(order),
    );
    assert.equal(lead, best);
  });

  test('the finding says when AICc led, with the runs it weighed', () => {
    const sel = selectModel(history(amdahl, grid, 0.05, 4))!;
    const up = sel.findings.find((f) => f.code === 'beyond-cores' && f.values.direction === 'up');
    assert.equal(up?.values.aiccOfRuns, 12);
    assert.match(sel.reason, /the lowest AICc over all 12 runs among those within 2 standard errors/);
  });
});
