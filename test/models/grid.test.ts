import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { durationSpan, observedRuns } from '../../models/between.js';
import { fitLinear } from '../../models/flexible.js';
import { gridRange } from '../../models/grid.js';
import { modelFromParts, selectModel } from '../../models/select.js';
import { GIB, history } from './synthetic.js';

// A history run as a grid (two input sizes, each at seven core counts): inside it, a linear fit over every run
// answers, within the durations of the runs around the question; outside it, and on a history whose input
// varies from run to run, the selection answers as it did before.

/** Serial time growing with the input, parallel work over the cores, and an overhead that grows with them. */
const truth = (e: number, c: number, d: number) => 20 + (2 * d) / GIB + (300 + (40 * d) / GIB) / (e * c) + 0.3 * e * c;
const grid = { executors: [2, 3, 4, 5, 6, 8, 12], cores: [2], gib: [10, 40] };

describe('grid of sizes and core counts', () => {
  const rows = history(truth, grid, 0.03);

  test('a history of a few sizes, two of them run at four core counts or more, is a grid spanning them', () => {
    assert.deepEqual(gridRange(rows), { minCores: 4, maxCores: 24, minBytes: 10 * GIB, maxBytes: 40 * GIB });
    // One size run at more cores than the other: the grid spans both sizes' core counts.
    const more = [...rows, ...history(truth, { executors: [16], cores: [2], gib: [40] }, 0, 2)];
    assert.equal(gridRange(more)?.maxCores, 32);
  });

  test('inputs that vary from run to run, one size, or one size at few core counts make no grid', () => {
    const varying = rows.map((r, i) => ({ ...r, inputBytes: r.inputBytes * (1 + 0.05 * (i % 6)) }));
    assert.equal(gridRange(varying), undefined);
    assert.equal(gridRange(history(truth, { executors: [2, 3, 4, 6, 8, 12], cores: [2, 4], gib: [10] })), undefined);
    const few = [
      ...rows.filter((r) => r.inputBytes === 10 * GIB),
      ...history(truth, { executors: [2, 3, 4], cores: [2, 2], gib: [40] }, 0.03),
    ];
    assert.equal(few.length, 13);
    assert.equal(gridRange(few), undefined, 'the large size at three core counts');
    assert.equal(gridRange(rows.slice(0, 11)), undefined, 'fewer runs than a flexible model needs');
    assert.equal(gridRange(rows.map((r) => ({ ...r, inputBytes: 0 }))), undefined);
  });

  test('inside the grid the linear fit over every run answers, within the runs around it, and says so', () => {
    const sel = selectModel(rows, { queryBytes: 40 * GIB })!;
    assert.ok(sel.findings.some((f) => f.code === 'grid'));
    assert.match(sel.reason, /grid of input sizes and 4–24 cores/);
    const linear = fitLinear(rows);
    const runs = observedRuns(rows);
    for (const executors of [2, 5, 7, 12]) {
      const s = { executors, executorCores: 2 };
      const span = durationSpan(runs, s, 40 * GIB);
      const ms = linear.predictMs(s, 40 * GIB);
      const want = span ? Math.min(span.high, Math.max(span.low, ms)) : ms;
      assert.ok(Math.abs(sel.model.predictMs(s, 40 * GIB) / want - 1) < 1e-12, `${executors} executors`);
      const p = sel.model.predict(s, 40 * GIB);
      assert.ok(p.low <= p.durationMs && p.durationMs <= p.high);
    }
  });

  test('outside the grid, in cores or in size, the selection answers as without it', () => {
    const sel = selectModel(rows, { queryBytes: 40 * GIB })!;
    const { grid, ...rest } = sel.fitted.parts;
    assert.ok(grid);
    const without = modelFromParts({ ...sel.fitted, parts: rest });
    for (const [s, d] of [
      [{ executors: 16, executorCores: 2 }, 40 * GIB],
      [{ executors: 1, executorCores: 2 }, 40 * GIB],
      [{ executors: 4, executorCores: 2 }, 80 * GIB],
    ] as const) {
      assert.notEqual(sel.model.predictMs(s, d), grid.regressor.predictMs(s, d));
      assert.deepEqual(sel.model.predict(s, d), without.predict(s, d));
    }
    const inside = { executors: 4, executorCores: 2 };
    assert.notEqual(sel.model.predictMs(inside, 20 * GIB), without.predictMs(inside, 20 * GIB));
  });

  test('a core count one size lacks and the other has is inside the grid: the fit over both sizes answers', () => {
    const missing = rows.filter((r) => !(r.inputBytes === 40 * GIB && r.executors === 2));
    const s = { executors: 2, executorCores: 2 };
    const sel = selectModel(missing, { queryBytes: 40 * GIB })!;
    // Below the fewest cores run at 40 GiB nothing bounds the answer: it is the fit's own.
    assert.equal(sel.model.predictMs(s, 40 * GIB), fitLinear(missing).predictMs(s, 40 * GIB));
    assert.ok(Math.abs(sel.model.predictMs(s, 40 * GIB) / (truth(2, 2, 40 * GIB) * 1000) - 1) < 0.05);
  });
});
