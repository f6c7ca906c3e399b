import { leastSquares } from './lstsq.js';

// Lawson–Hanson non-negative least squares (Solving Least Squares Problems, 1974, ch. 23):
// min ||A x - b||₂ subject to x ≥ 0. Ernest fits its model this way (scipy.optimize.nnls); we do too,
// because every term of the physical models is a time that cannot be negative.

export interface NnlsResult {
  x: number[];
  /** ||A x - b||₂ at the solution. */
  residualNorm: number;
  iterations: number;
}

function residual(rows: number[][], b: number[], x: number[]): number[] {
  return rows.map((r, i) => b[i]! - r.reduce((s, v, j) => s + v * x[j]!, 0));
}

/** Solves min ||A x - b|| with x ≥ 0, A given as rows. */
export function nnls(rows: number[][], b: number[], maxIterations = 0): NnlsResult {
  const n = rows[0]?.length ?? 0;
  const limit = maxIterations || 3 * n + 30;
  const x: number[] = new Array(n).fill(0);
  const passive: boolean[] = new Array(n).fill(false);
  const colScale = Math.max(1e-300, ...rows.flat().map(Math.abs));
  const bScale = Math.max(1e-300, ...b.map(Math.abs));
  const tol = 1e-12 * colScale * bScale * Math.max(1, rows.length);
  let iterations = 0;

  const solvePassive = (): number[] => {
    const idx = passive.flatMap((p, j) => (p ? [j] : []));
    const sub = leastSquares(rows.map((r) => idx.map((j) => r[j]!)), b);
    const z: number[] = new Array(n).fill(0);
    idx.forEach((j, k) => (z[j] = sub[k]!));
    return z;
  };

  while (iterations < limit) {
    // Gradient of ½||b - Ax||² with the sign flipped: w = Aᵀ(b - Ax).
    const r = residual(rows, b, x);
    const w = new Array(n).fill(0).map((_, j) => rows.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
    let best = -1;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j]! > tol && (best < 0 || w[j]! > w[best]!)) best = j;
    if (best < 0) break; // KKT conditions hold
    passive[best] = true;
    iterations++;
    // Inner loop: step back towards the feasible region until the passive solution is positive.
    for (;;) {
      const z = solvePassive();
      const negative = passive.map((p, j) => p && z[j]! <= 0);
      if (!negative.some(Boolean)) {
        z.forEach((v, j) => (x[j] = v));
        break;
      }
      let alpha = Infinity;
      for (let j = 0; j < n; j++) if (negative[j]) alpha = Math.min(alpha, x[j]! / (x[j]! - z[j]!));
      for (let j = 0; j < n; j++) {
        x[j] = x[j]! + alpha * (z[j]! - x[j]!);
        if (passive[j] && x[j]! <= 1e-15 * (1 + Math.abs(z[j]!))) {
          passive[j] = false;
          x[j] = 0;
        }
      }
      if (!passive.some(Boolean)) break;
    }
  }
  const r = residual(rows, b, x);
  return { x: x.map((v) => Math.max(0, v)), residualNorm: Math.sqrt(r.reduce((s, v) => s + v * v, 0)), iterations };
}
