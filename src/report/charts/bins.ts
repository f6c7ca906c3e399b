// Histograms over values that span orders of magnitude (durations, sizes, speedups): bins at 1-2-5 steps
// (1, 2, 5, 10, 20, 50, ...), drawn as ordered bars labelled with their range, so the shape reads the same
// whether a job takes seconds or hours.

export interface Bin {
  /** Lower edge; bins are [lower, upper). */
  lower: number;
  label: string;
  runs: number;
}

const STEPS = [1, 2, 5];

function edgeAtOrBelow(v: number): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  let edge = decade;
  for (const s of STEPS) if (s * decade <= v) edge = s * decade;
  return edge;
}

function nextEdge(edge: number): number {
  const decade = 10 ** Math.floor(Math.log10(edge) + 1e-9);
  const step = Math.round(edge / decade);
  return step === 1 ? 2 * decade : step === 2 ? 5 * decade : 10 * decade;
}

/** Bin edges: the largest at or below a value, and the one after an edge. */
interface Edges {
  atOrBelow(v: number): number;
  next(edge: number): number;
}

const DECIMAL: Edges = { atOrBelow: edgeAtOrBelow, next: nextEdge };

/** The binary unit (1, 1024, 1024², ...) a size is written in: the largest at or below it. */
function binaryUnit(v: number): number {
  let unit = 1;
  while (unit * 1024 <= v) unit *= 1024;
  return unit;
}

/**
 * 1-2-5 steps of each binary unit (1, 2, 5, ... 500 KiB, then 1 MiB), for sizes labelled in KiB, MiB, GiB: decimal
 * steps of bytes read "9.3 GiB–19 GiB".
 */
export const BINARY: Edges = {
  atOrBelow(v) {
    const unit = binaryUnit(v);
    return unit * edgeAtOrBelow(Math.max(1, v / unit));
  },
  next(edge) {
    const unit = binaryUnit(edge);
    const step = nextEdge(Math.round(edge / unit));
    return step >= 1000 ? unit * 1024 : unit * step;
  },
};

/** Positive finite values into 1-2-5 bins from the smallest to the largest, empty bins included. */
export function logBins(values: number[], format: (v: number) => string, edges: Edges = DECIMAL): Bin[] {
  const xs = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!xs.length) return [];
  const lo = edges.atOrBelow(Math.min(...xs));
  const hi = Math.max(...xs);
  const bins: Bin[] = [];
  for (let edge = lo; edge <= hi; edge = edges.next(edge))
    bins.push({ lower: edge, label: `${format(edge)}–${format(edges.next(edge))}`, runs: 0 });
  for (const x of xs) {
    let i = bins.length - 1;
    while (i > 0 && bins[i]!.lower > x) i--;
    bins[i]!.runs += 1;
  }
  return bins;
}

/** A bar chart of bins in their order. */
export function histogramSpec(bins: Bin[], xTitle: string, color: string, width: number, height: number) {
  return {
    width,
    height,
    data: { values: bins },
    mark: { type: 'bar' as const, color },
    encoding: {
      x: {
        field: 'label',
        type: 'ordinal' as const,
        sort: bins.map((b) => b.label),
        title: xTitle,
        axis: { labelAngle: -40 },
      },
      y: { field: 'runs', type: 'quantitative' as const, title: 'runs' },
    },
  };
}
