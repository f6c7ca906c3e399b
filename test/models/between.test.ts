import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { durationSpan, observedRuns } from '../../models/between.js';
import { modelFromParts, selectModel } from '../../models/select.js';
import { GIB, twoCoreRun as run, twoCores as at } from './synthetic.js';

describe('answers between observed core counts', () => {
  // Halving from 2 to 4 executors, then hardly any gain: a curve of serial + parallel/cores cannot bend that fast.
  const rows = [run(2, 10, 400), run(4, 10, 200), run(8, 10, 190), run(16, 10, 180)];

  test('the span is that of the runs at the nearest core counts either side, at the same input size', () => {
    const runs = observedRuns([...rows, run(6, 40, 900), run(8, 10, 196, 'again')]);
    assert.deepEqual(durationSpan(runs, at(6), 10 * GIB), { low: 190_000, high: 200_000 });
    assert.deepEqual(durationSpan(runs, at(6), 10.5 * GIB), { low: 190_000, high: 200_000 }, 'jitter is one size');
    assert.deepEqual(durationSpan(runs, at(4), 10 * GIB), { low: 190_000, high: 400_000 }, 'not its own level');
    assert.deepEqual(durationSpan(runs, at(5), 40 * GIB), undefined, 'one run of 40 GiB brackets nothing');
    assert.equal(durationSpan(runs, at(1), 10 * GIB), undefined, 'below the fewest cores');
    assert.equal(durationSpan(runs, at(20), 10 * GIB), undefined, 'above the most cores');
    assert.equal(durationSpan(runs, at(6), 20 * GIB), undefined, 'no run of that size');
  });

  test('the selection stays within that span, its interval moved along; beyond the runs it is unbounded', () => {
    const sel = selectModel(rows, { queryBytes: 10 * GIB })!;
    const fit = sel.fitted.parts.inside.predictMs(at(12), 10 * GIB);
    assert.ok(fit < 180_000, `the fit alone leaves the span (${fit} ms)`);
    const p = sel.model.predict(at(12), 10 * GIB);
    assert.equal(p.durationMs, 180_000);
    assert.equal(sel.model.predictMs(at(12), 10 * GIB), 180_000);
    assert.match(
      sel.model.describe(),
      /between two core counts run at the same input size, within the durations of those runs/,
    );
    assert.ok(p.low < p.durationMs && p.durationMs < p.high);
    const unbounded = { ...sel.fitted, parts: { ...sel.fitted.parts, runs: undefined } };
    const before = modelFromParts(unbounded).predict(at(12), 10 * GIB);
    const moved = p.durationMs / before.durationMs;
    assert.ok(Math.abs(p.low / before.low - moved) < 1e-9 && Math.abs(p.high / before.high - moved) < 1e-9);
    // Four times the input of every run: no run bounds it, and the assumed scaling (no change to proportional) stays.
    const bigger = sel.model.predict(at(12), 40 * GIB);
    assert.ok(bigger.durationMs > 180_000 * 1.5, `${bigger.durationMs} ms`);
    const beyond = sel.model.predict(at(32), 10 * GIB);
    assert.equal(beyond.durationMs, modelFromParts(unbounded).predict(at(32), 10 * GIB).durationMs);
  });
});
