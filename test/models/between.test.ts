import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { durationSpan, edgeStep, observedRuns } from '../../models/between.js';
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

describe('answers above the largest core count', () => {
  // A quarter of the time from 8 to 16 cores, then hardly any gain to 20: the fit from three core counts has no
  // serial part to level off with, and would go on halving the time with every doubling.
  const rows = [run(4, 10, 4000), run(8, 10, 1000), run(10, 10, 950)];
  const speedUp = Math.log(1000 / 950) / Math.log(20 / 16);

  test("the runs' last step, at the question's input size and executor shape, above their core counts only", () => {
    const runs = observedRuns([...rows, run(10, 10, 970, 'again'), run(20, 40, 900)]);
    const step = edgeStep(runs, at(20), 10 * GIB)!;
    assert.equal(step.cores, 20);
    assert.ok(Math.abs(step.elasticity - Math.log(1000 / 960) / Math.log(20 / 16)) < 1e-12, 'by the medians');
    assert.equal(edgeStep(runs, at(10), 10 * GIB), undefined, 'at the largest core count');
    assert.equal(edgeStep(runs, at(2), 10 * GIB), undefined, 'below the smallest');
    assert.equal(edgeStep(runs, { executors: 10, executorCores: 4 }, 10 * GIB), undefined, 'another executor shape');
    assert.equal(edgeStep(runs, at(30), 40 * GIB), undefined, 'one core count of 40 GiB is no step');
    const slower = observedRuns([run(8, 10, 1000), run(10, 10, 1100)]);
    assert.equal(edgeStep(slower, at(20), 10 * GIB)!.elasticity, 0, 'a slow-down bounds at no speed-up');
  });

  test('the selection meets the fit halfway to its edge answer carried on at that speed-up, its interval along', () => {
    const sel = selectModel(rows, { queryBytes: 10 * GIB })!;
    const fit = sel.fitted.parts.above!;
    const edge = fit.predictMs(at(10), 10 * GIB);
    const alone = fit.predictMs(at(20), 10 * GIB);
    const bound = edge * 0.5 ** speedUp;
    assert.ok(alone < bound * 0.7, `the fit alone speeds up far faster (${alone} ms, ${bound} ms)`);
    const p = sel.model.predict(at(20), 10 * GIB);
    assert.ok(Math.abs(p.durationMs / Math.sqrt(alone * bound) - 1) < 1e-9, `${p.durationMs} ms`);
    const unbounded = modelFromParts({ ...sel.fitted, parts: { ...sel.fitted.parts, runs: undefined } });
    const before = unbounded.predict(at(20), 10 * GIB);
    assert.equal(before.durationMs, alone);
    const moved = p.durationMs / before.durationMs;
    assert.ok(Math.abs(p.low / before.low - moved) < 1e-9 && Math.abs(p.high / before.high - moved) < 1e-9);
    assert.match(sel.model.describe(), /above them, speeding up halfway between the fit and the last step/);
  });

  test('a job that kept speeding up as the fit does is answered by the fit', () => {
    const linear = [run(4, 10, 800), run(8, 10, 400), run(10, 10, 320)];
    const sel = selectModel(linear, { queryBytes: 10 * GIB })!;
    assert.equal(sel.model.predictMs(at(20), 10 * GIB), sel.fitted.parts.above!.predictMs(at(20), 10 * GIB));
  });
});
