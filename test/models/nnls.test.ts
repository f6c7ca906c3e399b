import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nnls } from '../../models/nnls.js';
import { leastSquares, rank } from '../../models/lstsq.js';
import { mulberry32 } from '../../src/simulator/random.js';

function norm(rows: number[][], b: number[], x: number[]): number {
  return Math.sqrt(rows.reduce((s, r, i) => s + (b[i]! - r.reduce((t, v, j) => t + v * x[j]!, 0)) ** 2, 0));
}

/** The exact NNLS optimum by trying every set of free columns (fine for up to 5 columns). */
function bruteForce(rows: number[][], b: number[]): number {
  const n = rows[0]!.length;
  let best = norm(rows, b, new Array(n).fill(0));
  for (let mask = 1; mask < 1 << n; mask++) {
    const idx = [...Array(n).keys()].filter((j) => mask & (1 << j));
    const sub = leastSquares(
      rows.map((r) => idx.map((j) => r[j]!)),
      b,
    );
    if (sub.some((v) => v < -1e-12)) continue;
    const x = new Array(n).fill(0);
    idx.forEach((j, k) => {
      x[j] = sub[k];
    });
    best = Math.min(best, norm(rows, b, x));
  }
  return best;
}

describe('rank', () => {
  test('counts the columns a fit can tell apart, whatever their scale', () => {
    // Ernest's terms (1, GiB/cores, ln cores, cores) at three core counts of one input size: four columns, rank 3.
    const ernest = (cores: number, gib: number) => [1, gib / cores, Math.log(cores), cores];
    assert.equal(rank([4, 8, 12].map((c) => ernest(c, 10))), 3);
    assert.equal(rank([4, 8, 12].flatMap((c) => [ernest(c, 10), ernest(c, 40)])), 4);
    assert.equal(
      rank([
        [1e-9, 1e9],
        [2e-9, 2e9],
      ]),
      1,
    );
    assert.equal(rank([]), 0);
  });
});

describe('leastSquares', () => {
  test('solves an exactly determined system', () => {
    const x = leastSquares(
      [
        [2, 1],
        [1, 3],
      ],
      [5, 10],
    );
    assert.ok(Math.abs(x[0]! - 1) < 1e-9 && Math.abs(x[1]! - 3) < 1e-9, String(x));
  });
  test('gives a dependent column coefficient 0 instead of failing', () => {
    const x = leastSquares(
      [
        [1, 2],
        [2, 4],
        [3, 6],
      ],
      [1, 2, 3],
    );
    assert.ok(x.every(Number.isFinite));
    assert.ok(
      norm(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
        x,
      ) < 1e-9,
    );
  });
});

describe('nnls (Lawson–Hanson)', () => {
  test('stays non-negative and matches the brute-force optimum on 300 random problems', () => {
    const r = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(r() * 5);
      const m = n + Math.floor(r() * 8);
      const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => r() * 2 - 1));
      const b = Array.from({ length: m }, () => r() * 4 - 2);
      const { x, residualNorm } = nnls(rows, b);
      assert.ok(
        x.every((v) => v >= 0),
        `negative coefficient in trial ${trial}: ${x}`,
      );
      assert.ok(Math.abs(residualNorm - norm(rows, b, x)) < 1e-9);
      const opt = bruteForce(rows, b);
      assert.ok(residualNorm <= opt + 1e-7 * (1 + opt), `trial ${trial}: nnls ${residualNorm} > optimum ${opt}`);
    }
  });

  test('returns the unconstrained solution when it is already non-negative', () => {
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const { x } = nnls(rows, [1, 2, 3]);
    assert.ok(Math.abs(x[0]! - 1) < 1e-9 && Math.abs(x[1]! - 2) < 1e-9, String(x));
  });

  test('clamps a coefficient that least squares would make negative', () => {
    // Unconstrained: x = (2, -1). NNLS must set x1 = 0 and refit x0.
    const rows = [
      [1, 1],
      [1, 2],
      [1, 3],
    ];
    const b = rows.map((r) => 2 * r[0]! - 1 * r[1]!);
    const { x } = nnls(rows, b);
    assert.equal(x[1], 0);
    assert.ok(Math.abs(x[0]! - 0) < 1e-9, String(x)); // mean of (1, 0, -1)
  });

  test('finishes when a column repeats another (one input size next to the intercept)', () => {
    // The duplicate gets 0 from the solve while it is still 0: the step back must not divide 0 by 0.
    const rows = [
      [1, 5, 0.5],
      [1, 5, 0.25],
      [1, 5, 0.125],
    ];
    const { x, residualNorm } = nnls(rows, [10, 6, 4]);
    assert.ok(x.every(Number.isFinite), String(x));
    assert.ok(residualNorm < 1e-9, String(residualNorm));
  });
});
