import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { aicc, earnsItsTerms } from '../../models/parsimony.js';
import { physicalSpecs } from '../../models/physical.js';
import { selectModel } from '../../models/select.js';
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

  test('runs to spare: the overhead terms must explain more than noise', () => {
    const noisy = history(amdahl, grid, 0.05, 1);
    assert.equal(earnsItsTerms(spec('ernest/relative'), spec('amdahl/relative'), noisy), false);
    const real = history(overhead, grid, 0.01, 1);
    assert.equal(earnsItsTerms(spec('ernest/relative'), spec('amdahl/relative'), real), true);
  });

  test('one run per parameter: nothing to weigh the fuller fit by, it answers', () => {
    const rows = history(overhead, { executors: [4, 8, 12, 16], cores: [1], gib: [10] });
    assert.equal(earnsItsTerms(spec('ernest/relative'), spec('amdahl/relative'), rows), true);
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
