import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { RandomForestRegression } from 'ml-random-forest';
import { fmtSeconds, sizeGiB, totalCores } from './features.js';
import type { ModelSettings, ModelSpec, Regressor, TrainingRow } from './types.js';

// The flexible models: they fit whatever shape the history has, so they are offered only on long
// histories and must beat the physical ones clearly in validation (select.ts).

const LINEAR_FEATURES = ['GiB', '1/cores', 'GiB/cores', 'ln(cores)', 'cores'];

function linearFeatures(s: ModelSettings, inputBytes: number): number[] {
  const m = totalCores(s);
  const g = sizeGiB(inputBytes);
  return [g, 1 / m, g / m, Math.log(m), m];
}

function forestFeatures(s: ModelSettings, inputBytes: number): number[] {
  const m = totalCores(s);
  const g = sizeGiB(inputBytes);
  return [g, s.executors, s.executorCores, m, g / m, (s.executorMemoryBytes ?? 0) / 1024 ** 3 / s.executorCores];
}

/** Smallest duration a flexible model may predict: it can extrapolate below zero. */
function floorMs(rows: TrainingRow[]): number {
  return 0.2 * Math.min(...rows.map((r) => r.durationMs));
}

/** The fitted weights, intercept last, in seconds: a linear fit is rebuilt from them alone (linearRegressor). */
function linearOf(w: number[], floorSec: number): Regressor {
  return {
    name: 'linear/absolute',
    family: 'linear',
    loss: 'absolute',
    params: Object.fromEntries([
      ...LINEAR_FEATURES.map((f, i) => [f, w[i]!] as const),
      ['intercept', w[LINEAR_FEATURES.length]!],
      ['floor', floorSec],
    ]),
    predictMs: (s, d) => {
      const x = linearFeatures(s, d);
      let sec = w[LINEAR_FEATURES.length]!;
      for (let i = 0; i < x.length; i++) sec += w[i]! * x[i]!;
      return Math.max(floorSec, sec) * 1000;
    },
    describe: () =>
      `multivariate linear regression on engineered features: T = ${fmtSeconds(w[LINEAR_FEATURES.length]!)} + ` +
      LINEAR_FEATURES.map((f, i) => `${fmtSeconds(w[i]!)}·${f}`).join(' + ') +
      ', where cores = executors × cores per executor',
  };
}

export function fitLinear(rows: TrainingRow[]): Regressor {
  const x = rows.map((r) => linearFeatures(r, r.inputBytes));
  const y = rows.map((r) => [r.durationMs / 1000]);
  const mlr = new MultivariateLinearRegression(x, y, { intercept: true, statistics: false });
  return linearOf(
    mlr.weights.map((row) => row[0]!),
    floorMs(rows) / 1000,
  );
}

/** A linear fit rebuilt from its `params`; undefined when one is missing. */
export function linearRegressor(params: Record<string, number>): Regressor | undefined {
  const w = [...LINEAR_FEATURES, 'intercept'].map((f) => params[f]);
  const floor = params.floor;
  return w.every((v): v is number => typeof v === 'number' && Number.isFinite(v)) && Number.isFinite(floor)
    ? linearOf(w, floor!)
    : undefined;
}

/** Trees and rows are capped so that a fit stays within the advisor's time budget. */
const FOREST_TREES = 15;
const FOREST_MAX_ROWS = 80;

/** Last fit per training set: validation (out-of-bag) and the final fit share one training. */
const forestCache = new WeakMap<TrainingRow[], { reg: Regressor; oob: number[] }>();

function trainForest(rows: TrainingRow[]): { reg: Regressor; oob: number[] } {
  const cached = forestCache.get(rows);
  if (cached) return cached;
  const recent = rows.slice(0, FOREST_MAX_ROWS);
  const rf = new RandomForestRegression({
    nEstimators: FOREST_TREES,
    maxFeatures: 0.8,
    seed: 42,
    noOOB: false,
    replacement: true,
    useSampleBagging: true,
    treeOptions: { maxDepth: 6, minNumSamples: 3 },
  } as never);
  // A run that every tree saw has no out-of-bag estimate; the library would throw averaging nothing.
  (rf as unknown as { selection: (v: number[]) => number }).selection = (v) =>
    v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  rf.train(
    recent.map((r) => forestFeatures(r, r.inputBytes)),
    recent.map((r) => r.durationMs / 1000),
  );
  const oobSec = rf.predictOOB();
  const oob = rows.map((_, i) => (i < recent.length ? (oobSec[i] ?? NaN) * 1000 : NaN));
  const out = { reg: forestRegressor(rf, recent.length), oob };
  forestCache.set(rows, out);
  return out;
}

function forestRegressor(rf: RandomForestRegression, n: number): Regressor {
  return {
    name: 'forest/absolute',
    family: 'forest',
    loss: 'absolute',
    params: { trees: FOREST_TREES, rows: n },
    predictMs: (s, d) => (rf.predict([forestFeatures(s, d)])[0] ?? 0) * 1000,
    describe: () =>
      `random forest of ${FOREST_TREES} regression trees on ${n} runs (input GiB, executors, cores, ` +
      'total cores, GiB per core, memory per core); it cannot extrapolate beyond the sizes it has seen',
  };
}

export function flexibleSpecs(): ModelSpec[] {
  return [
    {
      name: 'linear/absolute',
      family: 'linear',
      loss: 'absolute',
      complexity: 6,
      constrained: false,
      minRows: 12,
      fit: fitLinear,
    },
    {
      name: 'forest/absolute',
      family: 'forest',
      loss: 'absolute',
      complexity: 20,
      constrained: false,
      minRows: 40,
      fit: (rows) => trainForest(rows).reg,
      heldOut: (rows) => trainForest(rows).oob,
    },
  ];
}
