import { leastSquares } from './lstsq.js';

// Lawson–Hanson non-negative least squares (Solving Least Squares Problems, 1974, ch. 23):
// min ||A x - b||₂ subject to x ≥ 0. Ernest fits its model this way (scipy.optimize.nnls); we do too,
// because every term of the physical models is a time that cannot be negative.
// The models have at most a handful of columns, so the algorithm works on the normal equations
// (AᵀA, Aᵀb): one pass over the rows, then every iteration is a tiny p×p solve. That keeps
// cross-validation over hundreds of runs within the advisor's time budget.

export interface NnlsResult {
  x: number[];
  /** ||A x - b||₂ at the solution. */
  residualNorm: number;
  iterations: number;
}

/** Solves min ||A x - b|| with x ≥ 0, A given as rows. */
export function nnls(rows: number[][], b: number[], maxIterations = 0): NnlsResult {
  const n = rows[0]?.length ?? 0;
  const ata: number[][] = Array.from({ length: n }, () => new Array(n).fill(0));
  const atb: number[] = new Array(n).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let j = 0; j < n; j++) {
      atb[j] = atb[j]! + r[j]! * b[i]!;
      const row = ata[j]!;
      for (let k = j; k < n; k++) row[k] = row[k]! + r[j]! * r[k]!;
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) ata[j]![k] = ata[k]![j]!;
  const { x, iterations } = nnlsNormal(ata, atb, maxIterations || 3 * n + 30);
  let rss = 0;
  for (let i = 0; i < rows.length; i++) {
    let e = b[i]!;
    for (let j = 0; j < n; j++) e -= rows[i]![j]! * x[j]!;
    rss += e * e;
  }
  return { x, residualNorm: Math.sqrt(rss), iterations };
}

function nnlsNormal(ata: number[][], atb: number[], limit: number): { x: number[]; iterations: number } {
  const n = atb.length;
  const x: number[] = new Array(n).fill(0);
  const passive: boolean[] = new Array(n).fill(false);
  const scale = Math.max(1e-300, ...ata.map((r, j) => r[j]!), ...atb.map(Math.abs));
  const tol = 1e-12 * scale;
  let iterations = 0;

  const solvePassive = (): number[] => {
    const idx = passive.flatMap((p, j) => (p ? [j] : []));
    const sub = leastSquares(idx.map((j) => idx.map((k) => ata[j]![k]!)), idx.map((j) => atb[j]!));
    const z: number[] = new Array(n).fill(0);
    idx.forEach((j, k) => (z[j] = sub[k]!));
    return z;
  };

  while (iterations < limit) {
    // Negative gradient of ½||Ax - b||²: w = Aᵀb − AᵀA x.
    const w = atb.map((v, j) => v - ata[j]!.reduce((s, a, k) => s + a * x[k]!, 0));
    let best = -1;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j]! > tol && (best < 0 || w[j]! > w[best]!)) best = j;
    if (best < 0) break; // KKT conditions hold
    passive[best] = true;
    iterations++;
    // Inner loop: step back towards the feasible region until the passive solution is positive. A column that
    // depends on the others gets 0 from the solve: with x also 0 there the step is 0 and the column leaves.
    for (let inner = 0; inner <= n; inner++) {
      const z = solvePassive();
      const negative = passive.map((p, j) => p && z[j]! <= 0);
      if (!negative.some(Boolean)) {
        z.forEach((v, j) => (x[j] = v));
        break;
      }
      let alpha = Infinity;
      for (let j = 0; j < n; j++) if (negative[j]) alpha = Math.min(alpha, x[j]! - z[j]! > 0 ? x[j]! / (x[j]! - z[j]!) : 0);
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
  return { x: x.map((v) => Math.max(0, v)), iterations };
}
