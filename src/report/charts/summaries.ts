// Figures a chart would otherwise ask Vega to compute from one row per run, computed here the way Vega
// computes them, so a chart over thousands of runs hands Vega a few rows per bar or box and draws the same
// marks, with the same labels (test/report/summarised.test.ts renders both ways and compares).

/** Vega's bin transform: [lower, lower + step), the last bin closed, with this slack for rounding. */
const EPSILON = 1e-14;

/**
 * Runs per bin of a `bin: { step, extent }` encoding, each bin given by its middle (which Vega puts back in the
 * same bin); values outside the extent are kept as they are, one row per value, for Vega to place as before.
 */
export function binCounts(
  values: number[],
  bin: { step: number; extent: [number, number] },
): { mid: number; runs: number }[] {
  const [start, stop] = bin.extent;
  const { step } = bin;
  const counts = new Map<number, number>();
  for (const v of values) {
    const key =
      v < start || v > stop
        ? v
        : start + step * Math.floor(EPSILON + (Math.min(v, stop - step) - start) / step) + step / 2;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([mid, runs]) => ({ mid, runs }));
}

/** d3-array's quantileSorted (R-7: linear between the two nearest ranks), which Vega's q1, median and q3 use. */
function quantileSorted(xs: Float64Array, p: number): number {
  const i = (xs.length - 1) * p;
  const lo = Math.floor(i);
  const a = xs[lo]!;
  return lo + 1 >= xs.length ? a : a + (xs[lo + 1]! - a) * (i - lo);
}

/**
 * Values that stand in for a group's: Vega's q1, median and q3 of them (and min and max, for `box`) are those
 * of the group. `box`: min, q1, median, q3, max (five sorted values put q1, median and q3 on ranks 1, 2, 3).
 * `quartiles`: 2·q1 − median, median, 2·q3 − median (three values whose interpolated quartiles are q1 and q3).
 */
export function standIns<T, R>(
  rows: T[],
  group: (r: T) => string | number,
  value: (r: T) => number,
  make: (first: T, value: number) => R,
  kind: 'box' | 'quartiles',
): R[] {
  const groups = new Map<string | number, { first: T; xs: number[] }>();
  for (const r of rows) {
    const k = group(r);
    const g = groups.get(k);
    if (g) g.xs.push(value(r));
    else groups.set(k, { first: r, xs: [value(r)] });
  }
  const out: R[] = [];
  for (const { first, xs } of groups.values()) {
    const s = Float64Array.from(xs).sort();
    const [q1, median, q3] = [0.25, 0.5, 0.75].map((p) => quantileSorted(s, p)) as [number, number, number];
    const values =
      kind === 'box' ? [s[0]!, q1, median, q3, s[s.length - 1]!] : [2 * q1 - median, median, 2 * q3 - median];
    for (const v of values) out.push(make(first, v));
  }
  return out;
}
