import { gram, nnlsGram } from './nnls.js';
import { fmtSeconds, sizeGiB, totalCores, waves } from './features.js';
import type { Loss, ModelSettings, ModelSpec, Regressor, TrainingRow } from './types.js';
import type { Split } from './validate.js';

// The constrained, physically shaped models: a duration is a sum of non-negative times, each a known
// function of the settings and the input size. Fitted by NNLS in seconds; with the relative loss, each row
// is divided by its duration so that a long run does not outweigh many short ones.

interface Term {
  /** Parameter name, e.g. "theta1". */
  param: string;
  /** The term in words, with {v} where the fitted value goes. */
  words: string;
  value(s: ModelSettings, inputBytes: number): number;
}

interface Family {
  family: string;
  title: string;
  terms: Term[];
  /** No term depends on the input size: the family cannot say anything about another input size. */
  sizeFree?: boolean;
  /** A term fitted to an effect seen inside the history only: the family does not answer beyond it. */
  local?: boolean;
  /** Fitted only where the reference model answers (reference.ts), never a candidate of its own. */
  referenceOnly?: boolean;
}

const one: Term['value'] = () => 1;

export const FAMILIES: Family[] = [
  {
    family: 'amdahl',
    title: 'Amdahl (serial + parallel/cores)',
    sizeFree: true,
    terms: [
      { param: 'a', words: '{v}', value: one },
      { param: 'b', words: '{v}·(1/cores)', value: (s) => 1 / totalCores(s) },
    ],
  },
  {
    family: 'amdahl-size',
    title: 'size-aware Amdahl (serial + work·GiB/cores)',
    terms: [
      { param: 'a', words: '{v}', value: one },
      { param: 'b', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
    ],
  },
  {
    family: 'waves',
    title: 'lightweight waves (t_seq + w·⌈⌈D/128 MiB⌉/cores⌉)',
    terms: [
      { param: 't_seq', words: '{v}', value: one },
      { param: 'w', words: '{v}·waves', value: (s, d) => waves(s, d) },
    ],
  },
  {
    // Input size scales the serial part too (reading, planning and writing on the driver grow with the input),
    // apart from the parallel work that the task slots share.
    family: 'amdahl-split',
    title: 'input-aware Amdahl (serial + serial·GiB + work·GiB/cores)',
    terms: [
      { param: 'a', words: '{v}', value: one },
      { param: 's', words: '{v}·GiB', value: (_, d) => sizeGiB(d) },
      { param: 'b', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
    ],
  },
  {
    family: 'ernest',
    title: 'Ernest (θ0 + θ1·GiB/cores + θ2·ln cores + θ3·cores)',
    terms: [
      { param: 'theta0', words: '{v}', value: one },
      { param: 'theta1', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
      { param: 'theta2', words: '{v}·ln(cores)', value: (s) => Math.log(totalCores(s)) },
      { param: 'theta3', words: '{v}·cores', value: (s) => totalCores(s) },
    ],
  },
  {
    // Ernest without its fixed time: what does not shrink with the cores grows as ln cores (reference.ts).
    family: 'ernest-growing',
    referenceOnly: true,
    title: 'Ernest with no fixed time (θ1·GiB/cores + θ2·ln cores + θ3·cores)',
    terms: [
      { param: 'theta1', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
      { param: 'theta2', words: '{v}·ln(cores)', value: (s) => Math.log(totalCores(s)) },
      { param: 'theta3', words: '{v}·cores', value: (s) => totalCores(s) },
    ],
  },
  {
    // Ernest with its overheads per executor, as its paper has them per machine (start-up, shuffle fetches
    // and aggregation trees grow with executors, not with cores), and a serial term in input size.
    family: 'ernest-split',
    title: 'executor-aware Ernest (θ0 + θs·GiB + θ1·GiB/cores + θ2·ln executors + θ3·executors)',
    terms: [
      { param: 'theta0', words: '{v}', value: one },
      { param: 'thetaS', words: '{v}·GiB', value: (_, d) => sizeGiB(d) },
      { param: 'theta1', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
      { param: 'theta2', words: '{v}·ln(executors)', value: (s) => Math.log(Math.max(1, s.executors)) },
      { param: 'theta3', words: '{v}·executors', value: (s) => s.executors },
    ],
  },
  {
    // Work that grows faster than the data per core: when a task's share of the input outgrows its memory,
    // Spark spills and re-reads, so halving the cores more than doubles the time (Scout's lr and pagerank runs).
    // The square stands in for a threshold whose place only the history shows: local to the history's range
    // (from 3 or 4 core counts it extrapolated worse than Ernest in bench/accuracy).
    family: 'ernest-spill',
    local: true,
    title: 'spill-aware Ernest (θ0 + θs·GiB + θ1·GiB/cores + θ4·(GiB/cores)² + θ3·executors)',
    terms: [
      { param: 'theta0', words: '{v}', value: one },
      { param: 'thetaS', words: '{v}·GiB', value: (_, d) => sizeGiB(d) },
      { param: 'theta1', words: '{v}·GiB/cores', value: (s, d) => sizeGiB(d) / totalCores(s) },
      { param: 'theta4', words: '{v}·(GiB/cores)²', value: (s, d) => (sizeGiB(d) / totalCores(s)) ** 2 },
      { param: 'theta3', words: '{v}·executors', value: (s) => s.executors },
    ],
  },
];

class PhysicalRegressor implements Regressor {
  readonly name: string;
  constructor(
    readonly fam: Family,
    readonly loss: Loss,
    readonly coef: number[],
  ) {
    this.name = `${fam.family}/${loss}`;
  }
  get family(): string {
    return this.fam.family;
  }
  get params(): Record<string, number> {
    return Object.fromEntries(this.fam.terms.map((t, i) => [t.param, this.coef[i]!]));
  }
  predictMs(s: ModelSettings, inputBytes: number): number {
    const sec = this.fam.terms.reduce((sum, t, i) => sum + this.coef[i]! * t.value(s, inputBytes), 0);
    return sec * 1000;
  }
  describe(): string {
    const parts = this.fam.terms.map((t, i) => t.words.replace('{v}', fmtSeconds(this.coef[i]!)));
    const fit = this.loss === 'relative' ? 'NNLS on relative error' : 'NNLS on absolute error';
    return `${this.fam.title}, fitted by ${fit}: T = ${parts.join(' + ')}, where cores = executors × cores per executor`;
  }
}

/**
 * A fitted physical model rebuilt from its family, loss and parameters (as `params` gives them); undefined for an
 * unknown family or a missing parameter.
 */
export function physicalRegressor(family: string, loss: Loss, params: Record<string, number>): Regressor | undefined {
  const fam = FAMILIES.find((f) => f.family === family);
  if (!fam || (loss !== 'absolute' && loss !== 'relative')) return undefined;
  const coef = fam.terms.map((t) => params[t.param]);
  return coef.every((c): c is number => typeof c === 'number' && Number.isFinite(c))
    ? new PhysicalRegressor(fam, loss, coef)
    : undefined;
}

/**
 * A family's term values for each row (weighted by the loss) and their normal equations over all rows: formed once,
 * then every validation split's fit subtracts its few held-out rows instead of summing its many training rows.
 */
interface Design {
  a: number[][];
  b: number[];
  full: { ata: number[][]; atb: number[] };
  /** Each column's largest |value| over all rows, and the first row that holds it. */
  fullMax: number[];
  fullMaxAt: number[];
}
const designs = new WeakMap<TrainingRow[], Map<string, Design>>();

function designOf(fam: Family, loss: Loss, rows: TrainingRow[]): Design {
  const key = `${fam.family}/${loss}`;
  const cached = designs.get(rows)?.get(key);
  if (cached) return cached;
  const a: number[][] = [];
  const b: number[] = [];
  for (const r of rows) {
    const y = r.durationMs / 1000;
    const w = loss === 'relative' ? 1 / Math.max(y, 1e-3) : 1;
    a.push(fam.terms.map((t) => t.value(r, r.inputBytes) * w));
    b.push(y * w);
  }
  const all = a.map((_, i) => i);
  const fullMax = fam.terms.map((_, j) => a.reduce((m, row) => Math.max(m, Math.abs(row[j]!)), 1e-300));
  const fullMaxAt = fullMax.map((m, j) =>
    Math.max(
      0,
      a.findIndex((row) => Math.abs(row[j]!) === m),
    ),
  );
  const d = { a, b, full: gram(a, b, all), fullMax, fullMaxAt };
  if (!designs.has(rows)) designs.set(rows, new Map());
  designs.get(rows)!.set(key, d);
  return d;
}

/** Largest |value| of column j over the rows `at`: the column's scale. */
function columnMax(d: Design, j: number, at: number[]): number {
  let m = 1e-300;
  for (const i of at) m = Math.max(m, Math.abs(d.a[i]![j]!));
  return m;
}

/**
 * NNLS coefficients on the rows `train`. `test`, when given, is every other row of the design: the normal
 * equations are then the full ones less the test rows', and a column's scale is the full one unless a test row
 * held its maximum.
 */
function coefAt(fam: Family, d: Design, train: number[], test?: number[]): number[] {
  const n = d.a.length;
  const p = fam.terms.length;
  const all = d.full.ata.length === p && train.length === n;
  const complement = !all && test !== undefined && train.length + test.length === n && test.length < train.length;
  let g = d.full;
  if (complement) {
    const out = gram(d.a, d.b, test);
    g = {
      ata: d.full.ata.map((row, j) => row.map((v, k) => v - out.ata[j]![k]!)),
      atb: d.full.atb.map((v, j) => v - out.atb[j]!),
    };
  } else if (!all) g = gram(d.a, d.b, train);
  // Scale columns to unit maximum so that NNLS tolerances mean the same for every term.
  const scale = d.fullMax.map((m, j) =>
    all || (complement && !test.includes(d.fullMaxAt[j]!)) ? m : columnMax(d, j, train),
  );
  const ata = g.ata.map((row, j) => row.map((v, k) => v / (scale[j]! * scale[k]!)));
  const atb = g.atb.map((v, j) => v / scale[j]!);
  return nnlsGram(ata, atb).map((v, j) => v / scale[j]!);
}

function fitAt(fam: Family, loss: Loss, d: Design, at: number[]): Regressor {
  return new PhysicalRegressor(fam, loss, coefAt(fam, d, at));
}

/** Each split's predictions (ms) for its held-out rows, from the design's term values without a regressor. */
function predictSplits(fam: Family, loss: Loss, rows: TrainingRow[], splits: Split[]): number[][] {
  const d = designOf(fam, loss, rows);
  return splits.map((sp) => {
    const x = coefAt(fam, d, sp.train, sp.test);
    return sp.test.map((i) => {
      let sec = 0;
      for (let j = 0; j < x.length; j++) sec += x[j]! * d.a[i]![j]!;
      // The relative loss divided each row's terms by its duration (designOf): multiply it back.
      return (loss === 'relative' ? sec * Math.max(rows[i]!.durationMs / 1000, 1e-3) : sec) * 1000;
    });
  });
}

export function fitPhysical(fam: Family, loss: Loss, rows: TrainingRow[]): Regressor {
  return fitAt(
    fam,
    loss,
    designOf(fam, loss, rows),
    rows.map((_, i) => i),
  );
}

/** The candidates: every family but those only the reference model fits. */
export function physicalSpecs(): ModelSpec[] {
  return FAMILIES.filter((fam) => !fam.referenceOnly).flatMap((fam) =>
    (['absolute', 'relative'] as const).map((loss) => specOf(fam, loss)),
  );
}

/** The spec of one family and loss, by name ("ernest/relative"). */
export function physicalSpec(name: string): ModelSpec | undefined {
  const [family, loss] = name.split('/');
  const fam = FAMILIES.find((f) => f.family === family);
  return fam && (loss === 'absolute' || loss === 'relative') ? specOf(fam, loss) : undefined;
}

function specOf(fam: Family, loss: Loss): ModelSpec {
  return {
    name: `${fam.family}/${loss}`,
    family: fam.family,
    loss,
    complexity: fam.terms.length,
    constrained: true,
    minRows: fam.terms.length,
    usesInputSize: !fam.sizeFree,
    local: fam.local,
    fit: (rows: TrainingRow[]) => fitPhysical(fam, loss, rows),
    fitSubsets: (rows: TrainingRow[], subsets: number[][]) => {
      const d = designOf(fam, loss, rows);
      return subsets.map((at) => fitAt(fam, loss, d, at));
    },
    predictSplits: (rows: TrainingRow[], splits: Split[]) => predictSplits(fam, loss, rows, splits),
  };
}
