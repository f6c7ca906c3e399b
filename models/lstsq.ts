// Dense least squares by Householder QR: small problems (a few columns, up to some hundreds of rows),
// which is all the duration models need. Columns that are (numerically) dependent get coefficient 0,
// so a fit on degenerate history (all runs at one size) still returns a usable answer.

/** Solves min ||A x - b||₂ for A given as rows. Returns x (length = columns). */
export function leastSquares(rows: number[][], b: number[]): number[] {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  if (n === 0) return [];
  const a = rows.map((r) => r.slice());
  const y = b.slice();
  const diag: number[] = new Array(n).fill(0);
  const scale = Math.max(1e-300, ...rows.flat().map(Math.abs));
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += a[i]![j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-12 * scale) {
      diag[j] = 0;
      continue;
    }
    const alpha = a[j]![j]! > 0 ? -norm : norm;
    const v: number[] = new Array(m).fill(0);
    for (let i = j; i < m; i++) v[i] = a[i]![j]!;
    v[j] = v[j]! - alpha;
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i]! ** 2;
    if (vv === 0) {
      diag[j] = alpha;
      continue;
    }
    for (let c = j; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * a[i]![c]!;
      const f = (2 * s) / vv;
      for (let i = j; i < m; i++) a[i]![c] = a[i]![c]! - f * v[i]!;
    }
    let s = 0;
    for (let i = j; i < m; i++) s += v[i]! * y[i]!;
    const f = (2 * s) / vv;
    for (let i = j; i < m; i++) y[i] = y[i]! - f * v[i]!;
    diag[j] = a[j]![j]!;
  }
  // Back substitution on R; dependent columns (tiny pivots) are dropped.
  const x: number[] = new Array(n).fill(0);
  const tol = 1e-10 * Math.max(...diag.map(Math.abs), 1e-300);
  for (let j = k - 1; j >= 0; j--) {
    const d = a[j]![j]!;
    if (Math.abs(d) <= tol) continue;
    let s = y[j]!;
    for (let c = j + 1; c < n; c++) s -= a[j]![c]! * x[c]!;
    x[j] = s / d;
  }
  return x;
}

/** Numerical rank of A given as rows, its columns scaled to unit maximum: how many columns a fit can tell apart. */
export function rank(rows: number[][]): number {
  const n = rows[0]?.length ?? 0;
  const scale = Array.from({ length: n }, (_, j) => Math.max(1e-300, ...rows.map((r) => Math.abs(r[j]!))));
  const a = rows.map((r) => r.map((v, j) => v / scale[j]!));
  let r = 0;
  for (let c = 0; c < n && r < a.length; c++) {
    let p = r;
    for (let i = r + 1; i < a.length; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-9) continue;
    [a[r], a[p]] = [a[p]!, a[r]!];
    for (let i = r + 1; i < a.length; i++) {
      const f = a[i]![c]! / a[r]![c]!;
      for (let k = c; k < n; k++) a[i]![k]! -= f * a[r]![k]!;
    }
    r++;
  }
  return r;
}
