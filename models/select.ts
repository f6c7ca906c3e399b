import { flexibleSpecs } from './flexible.js';
import { extrapolationDistance, interval, trainingRange, type Spread } from './interval.js';
import { physicalSpecs } from './physical.js';
import type { Model, ModelSettings, ModelSpec, Regressor, TrainingRow } from './types.js';
import { crossValidate, logSigma, type Validation } from './validate.js';

// Model selection per app key. With a short history a flexible model wins a small validation fold by
// chance (issue 3: a free choice among six models did worse than Ernest alone), so only the physically
// shaped models compete at first; flexible ones must beat them by a clear margin on a long history.
// Near-ties go to the simpler model.

/** Flexible models are considered only from this many runs on. */
export const FLEXIBLE_MIN_ROWS = 12;
/** A flexible model must have this much lower validation error (relative) than the best physical one. */
export const FLEXIBLE_MARGIN = 0.25;
/** Validation errors within this of the best (relative, plus half a percentage point) count as a tie. */
export const TIE_TOLERANCE = 0.05;
/** Only the most recent runs are learnt from: jobs change, and the fit must stay fast. */
export const MAX_TRAINING_ROWS = 100;

export interface Score {
  name: string;
  error: number;
  constrained: boolean;
  complexity: number;
}

export interface Selection {
  model: Model;
  /** The chosen member of the family and its held-out spread (to refit it on a subset, e.g. without one run). */
  spec: ModelSpec;
  spread: Spread;
  scores: Score[];
  /** Why this model, in words. */
  reason: string;
}

export interface SelectOptions {
  /** Input size the model will be asked about; validation weighs runs of similar size most. */
  queryBytes?: number;
  specs?: ModelSpec[];
}

export function allSpecs(): ModelSpec[] {
  return [...physicalSpecs(), ...flexibleSpecs()];
}

/**
 * The family without the random forest. Its first fit costs ~90 ms of cold start in a fresh process,
 * too much on spot-submit's launch path, and in bench/accuracy it never beat the physical models.
 */
export function launchSpecs(): ModelSpec[] {
  return allSpecs().filter((s) => s.family !== 'forest');
}

function pickSimplest(vals: Validation[]): Validation | undefined {
  const best = Math.min(...vals.map((v) => v.error));
  const tied = vals.filter((v) => v.error <= best * (1 + TIE_TOLERANCE) + 0.005);
  tied.sort((a, b) => a.spec.complexity - b.spec.complexity || a.error - b.error);
  return tied[0];
}

export function effectiveCount(v: Validation): number {
  const w = v.heldOut.map((h) => h.weight);
  const s = w.reduce((a, b) => a + b, 0);
  const s2 = w.reduce((a, b) => a + b * b, 0);
  return s2 > 0 ? (s * s) / s2 : 0;
}

export function withInterval(reg: Regressor, spread: Spread, validationError: number, trainingRuns: number): Model {
  return {
    name: reg.name,
    family: reg.family,
    loss: reg.loss,
    params: reg.params,
    describe: () => reg.describe(),
    predictMs: (s, d) => reg.predictMs(s, d),
    predict: (s: ModelSettings, d: number) =>
      interval(reg.predictMs(s, d), spread, extrapolationDistance(spread.range, s, d), s, d),
    validationError,
    trainingRuns,
  };
}

/** Picks and fits the model for one app key's history (most recent first). Undefined below 2 runs. */
export function selectModel(history: TrainingRow[], opts: SelectOptions = {}): Selection | undefined {
  const rows = history.filter((r) => r.durationMs > 0 && r.executors > 0 && r.executorCores > 0).slice(0, MAX_TRAINING_ROWS);
  if (rows.length < 2) return undefined;
  const specs = (opts.specs ?? allSpecs()).filter(
    (s) => rows.length - 1 >= s.minRows && (s.constrained || rows.length >= FLEXIBLE_MIN_ROWS),
  );
  const vals = specs.map((s) => crossValidate(s, rows, opts.queryBytes)).filter((v) => Number.isFinite(v.error));
  if (vals.length === 0) return undefined;
  const constrained = pickSimplest(vals.filter((v) => v.spec.constrained));
  const flexible = vals.filter((v) => !v.spec.constrained).sort((a, b) => a.error - b.error)[0];
  let chosen = constrained ?? flexible!;
  let reason: string;
  if (constrained && flexible && flexible.error < constrained.error * (1 - FLEXIBLE_MARGIN)) {
    chosen = flexible;
    reason = `${flexible.spec.name} beat the best physical model (${constrained.spec.name}) by more than ${FLEXIBLE_MARGIN * 100}% in validation`;
  } else {
    const best = Math.min(...vals.filter((v) => v.spec.constrained).map((v) => v.error));
    reason =
      chosen.error > best
        ? `${chosen.spec.name} is the simplest of the models within ${TIE_TOLERANCE * 100}% of the lowest validation error`
        : `${chosen.spec.name} has the lowest validation error`;
    if (rows.length < FLEXIBLE_MIN_ROWS) reason += `; with fewer than ${FLEXIBLE_MIN_ROWS} runs only physical models compete`;
  }
  const method = rows.length <= 25 ? 'leave-one-out' : '5-fold';
  const spread: Spread = {
    logSigma: logSigma(chosen.heldOut),
    n: Math.max(2, Math.round(effectiveCount(chosen))),
    range: trainingRange(rows),
  };
  const model = withInterval(chosen.spec.fit(rows), spread, chosen.error, rows.length);
  const scores = vals
    .map((v) => ({ name: v.spec.name, error: v.error, constrained: v.spec.constrained, complexity: v.spec.complexity }))
    .sort((a, b) => a.error - b.error);
  return { model, spec: chosen.spec, spread, scores, reason: `${reason} (${method} cross-validation over ${rows.length} runs)` };
}

/** Fits one spec on all rows with an interval from its own cross-validation (for fixed-model baselines). */
export function fitWithValidation(spec: ModelSpec, rows: TrainingRow[], queryBytes?: number): Model {
  const v = crossValidate(spec, rows, queryBytes);
  const spread: Spread = { logSigma: logSigma(v.heldOut), n: Math.max(2, Math.round(effectiveCount(v))), range: trainingRange(rows) };
  return withInterval(spec.fit(rows), spread, v.error, rows.length);
}
