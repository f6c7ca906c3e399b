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
  const { ata, atb } = gram(
    rows,
    b,
    rows.map((_, i) => i),
  );
  const { x, iterations } = nnlsNormal(ata, atb, maxIterations || 3 * n + 30);
  let rss = 0;
  for (let i = 0; i < rows.length; i++) {
    let e = b[i]!;
    for (let j = 0; j < n; j++) e -= rows[i]![j]! * x[j]!;
    rss += e * e;
  }
  return { x, residualNorm: Math.sqrt(rss), iterations };
}

/** The normal equations (AᵀA, Aᵀb) of the rows picked by `at`, each column divided by `scale` (1 when absent). */
export function gram(
  rows: number[][],
  b: number[],
  at: number[],
  scale?: number[],
): { ata: number[][]; atb: number[] } {
  const n = rows[0]?.length ?? 0;
  const ata: number[][] = Array.from({ length: n }, () => new Array(n).fill(0));
  const atb: number[] = new Array(n).fill(0);
  const div = scale ?? new Array<number>(n).fill(1);
  const r: number[] = new Array(n).fill(0);
  for (const i of at) {
    const src = rows[i]!;
    for (let j = 0; j < n; j++) r[j] = src[j]! / div[j]!;
    for (let j = 0; j < n; j++) {
      atb[j] = atb[j]! + r[j]! * b[i]!;
      const row = ata[j]!;
      for (let k = j; k < n; k++) row[k] = row[k]! + r[j]! * r[k]!;
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) ata[j]![k] = ata[k]![j]!;
  return { ata, atb };
}

/** NNLS from normal equations already formed (gram): fits on many subsets of one design share its rows. */
export function nnlsGram(ata: number[][], atb: number[]): number[] {
  return nnlsNormal(ata, atb, 3 * atb.length + 30).x;
}

function nnlsNormal(ata: number[][], atb: number[], limit: number): { x: number[]; iterations: number } {
  const n = atb.length;
  const x: number[] = new Array(n).fill(0);
  const passive: boolean[] = new Array(n).fill(false);
  const scale = Math.max(1e-300, ...ata.map((r, j) => r[j]!), ...atb.map(Math.abs));
  const tol = 1e-12 * scale;
  let iterations = 0;

  const solvePassive = (): number[] => {
    const idx: number[] = [];
    for (let j = 0; j < n; j++) if (passive[j]) idx.push(j);
    const sub = solveGram(ata, atb, idx);
    const z: number[] = new Array(n).fill(0);
    for (let k = 0; k < idx.length; k++) z[idx[k]!] = sub[k]!;
    return z;
  };

  while (iterations < limit) {
    // Negative gradient of ½||Ax - b||²: w = Aᵀb − AᵀA x.
    const w = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      let s = atb[j]!;
      for (let k = 0; k < n; k++) s -= ata[j]![k]! * x[k]!;
      w[j] = s;
    }
    let best = -1;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j]! > tol && (best < 0 || w[j]! > w[best]!)) best = j;
    if (best < 0) break; // KKT conditions hold
    passive[best] = true;
    iterations++;
    // Inner loop: step back towards the feasible region until the passive solution is positive. A column that
    // depends on the others gets 0 from the solve: with x also 0 there the step is 0 and the column leaves.
    for (let inner = 0; inner <= n; inner++) {
      const z = solvePassive();
      let anyNegative = false;
      let alpha = Infinity;
      for (let j = 0; j < n; j++) {
        if (!passive[j] || z[j]! > 0) continue;
        anyNegative = true;
        alpha = Math.min(alpha, x[j]! - z[j]! > 0 ? x[j]! / (x[j]! - z[j]!) : 0);
      }
      if (!anyNegative) {
        for (let j = 0; j < n; j++) x[j] = z[j]!;
        break;
      }
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

/**
 * Smallest pivot, relative to its column's own diagonal entry, of a column not (numerically) dependent on earlier ones.
 */
const DEPENDENT_PIVOT = 1e-12;

/**
 * Solves the normal equations restricted to the columns `idx` by Cholesky factorisation. A column whose pivot is
 * tiny next to its own diagonal entry depends on the earlier ones: it gets 0, as a rank-revealing QR would give it.
 * A p×p Cholesky per step is what keeps a selection's ~200 fits cheap on spot-submit's launch path.
 */
function solveGram(ata: number[][], atb: number[], idx: number[]): number[] {
  const p = idx.length;
  const l: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const kept: boolean[] = new Array<boolean>(p).fill(false);
  for (let j = 0; j < p; j++) {
    let d = ata[idx[j]!]![idx[j]!]!;
    for (let k = 0; k < j; k++) if (kept[k]) d -= l[j]![k]! * l[j]![k]!;
    if (!(d > DEPENDENT_PIVOT * ata[idx[j]!]![idx[j]!]!)) continue;
    kept[j] = true;
    const root = Math.sqrt(d);
    l[j]![j] = root;
    for (let i = j + 1; i < p; i++) {
      let s = ata[idx[i]!]![idx[j]!]!;
      for (let k = 0; k < j; k++) if (kept[k]) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / root;
    }
  }
  // Forward (L y = b) then back (Lᵀ x = y) substitution over the kept columns.
  const y: number[] = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    if (!kept[i]) continue;
    let s = atb[idx[i]!]!;
    for (let k = 0; k < i; k++) if (kept[k]) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x: number[] = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    if (!kept[i]) continue;
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) if (kept[k]) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}
