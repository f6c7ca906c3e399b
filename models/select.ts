import { beyondSizes, sizeBand } from './band.js';
import { observedRuns } from './between.js';
import { blend } from './blend.js';
import { BLEND_FACTOR, choose, fullestDetermined, nearBest, preferred, type Choice } from './choose.js';
import { coresAxis, levels, levelSplits, sizeAxis, type Direction } from './extrapolate.js';
import { durationSpecs, FLEXIBLE_MIN_ROWS, usableRows } from './family.js';
import type { Fitted } from './fitted.js';
import { fitGrid, gridHeldOut } from './grid.js';
import { extrapolationDistance, interval, trainingRange, type Spread } from './interval.js';
import {
  answer,
  coresDegenerate,
  pointMs,
  regionRegressor,
  unboundedMs,
  sizeDegenerate,
  UNKNOWN_SIZE_BYTES,
  type Parts,
} from './region.js';
import type { Model, ModelSettings, ModelSpec, Regressor, TrainingRow } from './types.js';
import { crossValidate, nearQuerySize, type Validation } from './validate.js';
import { spreadOf, widenBy, type Outcome } from './track-record.js';
import { findingsOf, reasonOf, type Finding } from './findings.js';
import { aiccOf, earnsItsTerms, leadBeyond } from './parsimony.js';
import { referenceBeyond, referenceOnly } from './reference.js';
import { upperRegime } from './regime.js';
// Model selection per app key. With a short history a flexible model wins a small validation fold by chance,
// so only the physically shaped models compete at first; flexible ones must beat them by a clear margin on a
// long history, and never answer outside the range they were trained on. A question beyond the history's core
// counts is answered by the physical model that extrapolated best in extrapolation-shaped validation, or, where
// that validation's training runs cannot determine Ernest, by Ernest alone (reference.ts).

/** Only the most recent runs are learnt from: jobs change, and the fit must stay fast. */
export const MAX_TRAINING_ROWS = 100;
/** Physical models compete from this many runs: leave-one-out then fits each on two. */
const MIN_SELECT_ROWS = 3;

interface Score {
  name: string;
  error: number;
  constrained: boolean;
  complexity: number;
}

export interface Selection {
  model: Model;
  /** A spec whose fit rebuilds the whole selection on other rows (e.g. without one run). */
  spec: ModelSpec;
  /** The held-out spread inside the history's range. */
  spread: Spread;
  scores: Score[];
  /** Why this model, in words (for the CLI; `findings` carries the same as data). */
  reason: string;
  /** Coded facts about the fit with their numbers: chosen how, validated how, what the history cannot tell. */
  findings: Finding[];
  /** What the model answers from, as data. */
  fitted: FittedParts;
}

export interface SelectOptions {
  /** Input size the model will be asked about; validation weighs runs of similar size most. */
  queryBytes?: number;
  /** The candidates; durationSpecs() (family.ts) unless a caller compares others. */
  specs?: ModelSpec[];
  /** Predicted and actual durations of this job's advised runs: their errors join the interval's residuals. */
  outcomes?: Outcome[];
}

/** Validates and fits on rows that already carry an input size. */
function fitAll(
  rows: TrainingRow[],
  specs: ModelSpec[],
  sized: boolean,
  opts: SelectOptions,
  all: TrainingRow[],
): Fitted | undefined {
  const order = (name: string) => specs.findIndex((s) => s.name === name);
  const range = trainingRange(rows);
  const eligible = specs.filter((s) =>
    s.constrained ? rows.length >= MIN_SELECT_ROWS : rows.length - 1 >= s.minRows && rows.length >= FLEXIBLE_MIN_ROWS,
  );
  const queryBytes = sized ? opts.queryBytes : undefined;
  // A question about an input size beyond the history's is validated the way it will be used.
  const sizesBeyond = beyondSizes(range, queryBytes);
  const sizeDir: Direction | undefined =
    sizesBeyond && !sizeDegenerate(range) && levels(rows, sizeAxis).length > 2 ? sizesBeyond : undefined;
  // An input size beyond the history's is no question for a model that ignores the input size, however few sizes
  // the history ran (the size splits above need three): blended in, such a fit kept the size's effect half out of
  // the answer (bench/accuracy, Scout to the other input size: 21.0% → 20.6%, the 80% interval covering 83.7% →
  // 87.8% of the runs).
  const sizeAware = sizesBeyond ? eligible.filter((s) => s.usesInputSize !== false && !s.local) : eligible;
  // Asked about another input size than the one size the history ran, validation across core counts cannot tell
  // how any model's time grows with the input: the reference model answers (reference.ts).
  const byReference = sizesBeyond && sizeDegenerate(range) ? referenceOnly(sizeAware) : undefined;
  const candidates = byReference ?? sizeAware;
  const vals = candidates.map((s) =>
    sizeDir && s.constrained
      ? crossValidate(s, rows, undefined, levelSplits(rows, sizeDir, sizeAxis))
      : crossValidate(s, rows, queryBytes),
  );
  const chosen = choose(vals, order);
  if (!chosen) return undefined;
  const inside: Choice = byReference ? { ...chosen, code: 'reference' } : chosen;
  const beyond: Partial<Record<Direction, Validation>> = {};
  const beyondVals: Partial<Record<Direction, Validation[]>> = {};
  const fullestAt: Partial<Record<Direction, number>> = {};
  const aiccLed: Partial<Record<Direction, number>> = {};
  const referenceAt: Partial<Record<Direction, number>> = {};
  // Each spec is fitted on these rows once, whichever part (or the check of a fuller fit) asks for it first.
  const fitterOn = (on: TrainingRow[]) => {
    const fits = new Map<ModelSpec, Regressor>();
    return (s: ModelSpec) => fits.get(s) ?? fits.set(s, s.fit(on)).get(s)!;
  };
  const fitOf = fitterOn(rows);
  const score = aiccOf(rows, fitOf);
  // Above the core counts, the model chosen answers as fitted on the runs of the largest ones' regime (regime.ts).
  const upper = upperRegime(rows, range);
  const fitUpperOf = upper.fromCores ? fitterOn(upper.rows) : fitOf;
  // Fitted on runs of several input sizes, a model that ignores the size answers each size with their one curve;
  // the held-out runs at the extreme core counts may all be of another size than the question's, and then its
  // validation there cannot show it (bench/loop parallel-jump, right-sized, seed s42: a 60 GiB question answered
  // in 10 s by such a fit learnt mostly on 9 GiB runs, blended in below the core counts, cut the executors to half
  // and ran 1.76× the fixed time). Such a fit is left out where runs of other sizes than the question's (beyond
  // the factor that validation counts fully) joined it; the question beyond the history's sizes is the extreme case.
  const otherSizes = !!sizeDir || rows.some((r) => !nearQuerySize(r.inputBytes, queryBytes));
  const coreLevels = levels(rows, coresAxis).length;
  if (!coresDegenerate(range) && coreLevels > 2) {
    for (const dir of ['up', 'down'] as const) {
      // A question beyond the history's input sizes as well is no question for a model that ignores the size
      // either (bench/accuracy, simulated input ≤2× largest on 6/12 runs: 8.0/7.9% → 7.8/7.7%).
      const splits = levelSplits(rows, dir, coresAxis);
      const bv = eligible
        .filter((s) => s.constrained && !s.local && (s.usesInputSize !== false || !otherSizes))
        .map((s) => crossValidate(s, rows, queryBytes, splits));
      const c = choose(bv, order);
      if (!c) continue;
      const ref = referenceBeyond(bv, c.chosen, rows, splits, dir, (s) => crossValidate(s, rows, queryBytes, splits));
      if (ref) {
        beyond[dir] = ref;
        beyondVals[dir] = [ref];
        referenceAt[dir] = coreLevels;
        continue;
      }
      const lead = leadBeyond(bv, c.chosen, score, preferred(order));
      if (lead !== c.chosen) aiccLed[dir] = rows.length;
      const fullest = fullestDetermined(bv, lead, coreLevels);
      const fuller = fullest && earnsItsTerms(fullest[0]!.spec, lead.spec, rows.length, score) ? fullest : undefined;
      beyond[dir] = fuller ? fuller[0]! : lead;
      if (fuller) fullestAt[dir] = coreLevels;
      // The fuller fit is blended only with its equals: the simpler ones it ties with are what it reduces to.
      beyondVals[dir] = fuller ?? bv;
    }
  }
  const widen = widenBy(opts.outcomes);
  const insideSpread = widen(spreadOf(inside.chosen.heldOut, range));
  const spreadBeyond = (v?: Validation) => (v ? widen(spreadOf(v.heldOut, range, true)) : insideSpread);
  // Physical fits that validated about as well as the chosen one are blended with it, one fit per model form: the
  // chosen one for its own, else the one preferred among ties (choose.ts: the relative loss). The blend averages
  // over forms, whose answers elsewhere validation could not tell apart; a form's two losses are one form fitted
  // twice, and with both in, the absolute loss's fit, which lets the longest runs dominate, weighed as much as
  // another form (bench/accuracy, simulated within range / cores ≤2× largest / input ≤2× largest on 12 runs:
  // 6.4/7.2/7.6% → 6.1/7.1/7.3%, cores ≤2× largest on 6 runs 9.3% → 8.9%; within range on 30 runs 5.4% → 5.5%,
  // Scout leave-one-out 4.8% → 4.9%; on 400 other simulated jobs per cell, 7 of 9 cells alike or better).
  const blended = (vs: Validation[], first: Validation, fit = fitOf) =>
    blend(
      oneOfEachForm([
        first,
        ...nearBest(
          vs.filter((v) => v.spec.constrained && v !== first),
          order,
          BLEND_FACTOR,
          first.error,
        ),
      ]).map((v) => fit(v.spec)),
    );
  // Beyond the history's input sizes only fits no fuller than the chosen one join it: the size splits extrapolate
  // from a narrow span of sizes, too little to tell a fuller fit from the simpler one it reduces to there, and its
  // further terms carry a size effect nothing checked (bench/accuracy, simulated input ≤2× largest on 6/12/30 runs:
  // 8.3/8.1/6.6% blending every near-best fit, 8.0/7.9/6.6% without the fuller ones).
  const physical = blended(
    sizeDir ? vals.filter((v) => v.spec.complexity <= inside.physical.spec.complexity) : vals,
    inside.physical,
  );
  const parts: Parts = {
    inside: inside.chosen.spec.constrained ? physical : inside.chosen.spec.fit(rows),
    physical,
    above: beyond.up && blended(beyondVals.up!, beyond.up, fitUpperOf),
    below: beyond.down && blended(beyondVals.down!, beyond.down),
    range,
    sized,
    runs: observedRuns(all),
  };
  const grid = sized ? fitGrid(all) : undefined;
  if (grid) parts.grid = grid;
  const spreads = {
    inside: insideSpread,
    above: spreadBeyond(beyond.up),
    below: spreadBeyond(beyond.down),
    ...(grid ? { grid: widen(spreadOf(gridHeldOut(all, queryBytes), grid.range)) } : {}),
  };
  const flexibleHeldBack = specs.some((s) => !s.constrained && !eligible.includes(s));
  return {
    parts,
    vals,
    validation: sizeDir ?? 'folds',
    inside,
    beyond,
    fullestAt,
    aiccOf: aiccLed,
    referenceAt,
    ...(beyond.up && upper.fromCores ? { upperFrom: upper.fromCores } : {}),
    spreads,
    flexibleHeldBack,
  };
}

/** The first of each model form (family), in the order given. */
function oneOfEachForm(vals: Validation[]): Validation[] {
  const seen = new Set<string>();
  return vals.filter((v) => !seen.has(v.spec.family) && !!seen.add(v.spec.family));
}

/**
 * What a chosen model answers from, as data: enough to rebuild it without fitting (src/store/model-cache.ts keeps it).
 */
export interface FittedParts {
  parts: Parts;
  spreads: Fitted['spreads'];
  validationError: number;
  trainingRuns: number;
}

/** The model that answers from these parts. */
export function modelFromParts(f: FittedParts): Model {
  const reg = regionRegressor(f.parts);
  return {
    ...reg,
    predict: (s: ModelSettings, d: number) => {
      const a = answer(f.parts, s, d);
      const base = a.regressor.predictMs(a.settings, a.inputBytes);
      // Each region has its spread under its own name; a grid kept without one falls back to the inside's.
      const spread = f.spreads[a.region] ?? f.spreads.inside;
      const range = a.region === 'grid' && f.parts.grid ? f.parts.grid.range : f.parts.range;
      const iv = interval(base, spread, extrapolationDistance(range, a.settings, a.inputBytes));
      // A point moved into the observed runs' span, or towards their last speed-up (between.ts), takes its interval
      // along.
      const point = pointMs(a);
      const moved = a.span || a.edge ? point / unboundedMs(a) : 1;
      return { durationMs: point, low: iv.low * a.low * moved, high: iv.high * a.high * moved };
    },
    answeredBy: (s: ModelSettings, d: number) => {
      const a = answer(f.parts, s, d);
      return a.regressor.name === reg.name ? undefined : { model: a.regressor.name, region: a.region };
    },
    validationError: f.validationError,
    trainingRuns: f.trainingRuns,
  };
}

/** Picks and fits the model for one app key's history (most recent first). Undefined below 3 runs. */
export function selectModel(history: TrainingRow[], opts: SelectOptions = {}): Selection | undefined {
  const clean = usableRows(history).slice(0, MAX_TRAINING_ROWS);
  if (clean.length < 2) return undefined;
  // Without any run's input size, every run is taken to have read the same (unknown) amount.
  const sized = clean.some((r) => r.inputBytes > 0);
  const all = sized ? clean : clean.map((r) => ({ ...r, inputBytes: UNKNOWN_SIZE_BYTES }));
  const rows = sized ? sizeBand(all, opts.queryBytes) : all;
  const specs = opts.specs ?? durationSpecs();
  const fitted = fitAll(rows, specs, sized, opts, all);
  if (!fitted) return undefined;
  const parts: FittedParts = {
    parts: fitted.parts,
    spreads: fitted.spreads,
    validationError: fitted.inside.chosen.error,
    trainingRuns: rows.length,
  };
  const model = modelFromParts(parts);
  const spec: ModelSpec = {
    name: model.name,
    family: model.family,
    loss: model.loss,
    complexity: fitted.inside.chosen.spec.complexity,
    constrained: fitted.inside.chosen.spec.constrained,
    minRows: MIN_SELECT_ROWS,
    fit: (other) => selectModel(other, { ...opts, specs })?.model ?? fitted.parts.inside,
  };
  const scores = fitted.vals
    .filter((v) => Number.isFinite(v.error))
    .map((v) => ({ name: v.spec.name, error: v.error, constrained: v.spec.constrained, complexity: v.spec.complexity }))
    .sort((a, b) => a.error - b.error);
  const findings = findingsOf(fitted, rows, sized);
  if (rows.length < all.length)
    findings.splice(1, 0, {
      code: 'size-band',
      values: {
        runs: rows.length,
        of: all.length,
        minBytes: fitted.parts.range.minBytes,
        maxBytes: fitted.parts.range.maxBytes,
      },
    });
  return { model, spec, spread: fitted.spreads.inside, scores, reason: reasonOf(findings), findings, fitted: parts };
}
