import { randomUUID } from 'node:crypto';
import type { SpotConfig } from '../config/schema.js';
import type { Advice, Candidate, RunRecord, Settings } from '../types.js';
import { launchSpecs, selectModel, withInterval, MAX_TRAINING_ROWS, type Selection } from '../../models/select.js';
import type { Model } from '../../models/types.js';
import { proposals } from './candidates.js';
import { adaptiveExecution, byRecency, effectiveBaseline, expectedShuffleBytes, memoryNeedPerCore, runSettings, trainingRows } from './features.js';
import { regressionReason, sameSettings } from './guard-rails.js';
import { pinnedSettings, SETTING_NAMES } from './keys.js';
import { choose } from './objective.js';
import { ruleSettings, shufflePartitionsFor } from './rules.js';

export { TUNED_KEYS } from './keys.js';

// One decision: from a job's history and the settings its command line asks for, the settings for its
// next run and every reason behind them. Pure and synchronous: the caller reads the store and writes the
// Advice record; this only computes.

export interface AdviseRequest {
  app: string;
  inputBytes?: number;
  baseline: Partial<Settings>;
  /** Spark conf keys, e.g. 'spark.executor.instances'. */
  pinned: string[];
  records: RunRecord[];
  config: SpotConfig['advisor'];
  now?: Date;
  adviceIdFactory?: () => string;
}

/** Candidates kept in the Advice record (besides the baseline and the chosen one). */
export const MAX_CANDIDATES = 50;

function coreHours(s: Settings, durationMs: number): number {
  return (s.executors * s.executorCores * durationMs) / 3.6e6;
}

function score(model: Model, s: Settings, inputBytes: number, rejected?: string): Candidate {
  const prediction = model.predict(s, inputBytes);
  const c: Candidate = { settings: s, prediction, coreHours: coreHours(s, prediction.durationMs) };
  if (rejected) c.rejected = rejected;
  return c;
}

export function advise(req: AdviseRequest): Advice {
  const config = req.config;
  const recent = byRecency(req.records);
  const pinned = pinnedSettings(req.pinned);
  const eb = effectiveBaseline(req.baseline, recent);
  const baseline = eb.settings;
  const notes: string[] = [];
  if (eb.fromHistory.length) notes.push(`baseline ${eb.fromHistory.join(', ')} taken from the last successful run (not set on the command line)`);
  if (eb.fromDefaults.length) notes.push(`baseline ${eb.fromDefaults.join(', ')} assumed at Spark's defaults (not set, no history)`);
  const rows = trainingRows(recent, MAX_TRAINING_ROWS);
  let inputBytes = req.inputBytes;
  if ((inputBytes === undefined || inputBytes <= 0) && rows[0]) {
    inputBytes = rows[0].inputBytes;
    notes.push('input size unknown: assumed the last run\'s');
  }
  const size = inputBytes ?? 0;
  const advice: Advice = {
    id: req.adviceIdFactory?.() ?? randomUUID(),
    createdAt: (req.now ?? new Date()).toISOString(),
    app: req.app,
    mode: config.mode,
    baseline: req.baseline,
    chosen: {},
    injected: {},
    pinned: req.pinned,
    candidates: [],
    trainingRunIds: [],
    decidedBy: '',
    notes,
  };
  if (req.inputBytes !== undefined) advice.inputBytes = req.inputBytes;
  if (config.objective === 'deadline' && !config.deadlineSeconds) notes.push('objective deadline without advisor.deadlineSeconds: minimising cost instead');

  const toChosen = (s: Partial<Settings>): Partial<Settings> => {
    const out: Partial<Settings> = {};
    for (const k of SETTING_NAMES) {
      const v = s[k];
      if (v === undefined || pinned.has(k)) continue;
      if (eb.fromDefaults.includes(k) && v === baseline[k]) continue; // nothing to say about an unchanged default
      (out as Record<string, unknown>)[k] = v;
    }
    const changed = (out.executors ?? baseline.executors) !== baseline.executors || (out.executorCores ?? baseline.executorCores) !== baseline.executorCores;
    if (changed && baseline.dynamicAllocation && !pinned.has('dynamicAllocation')) {
      out.dynamicAllocation = false;
      notes.push('dynamic allocation turned off so that the recommended executor count is what runs');
    }
    return out;
  };
  const shuffleBytes = expectedShuffleBytes(recent, inputBytes);
  const adaptive = adaptiveExecution(recent) ?? true;

  const sel = rows.length >= config.minRuns ? selectModel(rows, { queryBytes: inputBytes, specs: launchSpecs() }) : undefined;
  if (!sel) {
    const why = `too little history (${rows.length} successful run${rows.length === 1 ? '' : 's'}; advisor.minRuns is ${config.minRuns})`;
    const rule = ruleSettings(inputBytes, baseline, pinned, config);
    if (!rule) {
      advice.chosen = toChosen(req.baseline);
      advice.decidedBy = `${why} and no input size: kept the baseline`;
      return advice;
    }
    const s: Partial<Settings> = { ...rule.settings };
    if (shuffleBytes !== undefined && !pinned.has('shufflePartitions')) {
      s.shufflePartitions = shufflePartitionsFor(shuffleBytes, (s.executors ?? baseline.executors) * baseline.executorCores, config.targetPartitionBytes, adaptive);
    }
    advice.chosen = toChosen(s);
    advice.decidedBy = `${why}: ${rule.reason}`;
    advice.trainingRunIds = rows.map((r) => r.id);
    return advice;
  }

  const model = sel.model;
  advice.model = { name: model.name, validationError: model.validationError, description: `${model.describe()}. Chosen because ${sel.reason}.` };
  advice.trainingRunIds = rows.slice(0, MAX_TRAINING_ROWS).map((r) => r.id);
  const baseCand = score(model, baseline, size);

  const last = recent[0];
  const lastAdvised = last?.adviceId !== undefined && !sameSettings(runSettings(last), baseline) ? last : undefined;
  const regressed = lastAdvised ? checkRegression(sel, rows, lastAdvised, baseline, config.maxSlowdown) : undefined;
  if (regressed) {
    advice.chosen = toChosen(req.baseline);
    advice.candidates = [baseCand];
    advice.decidedBy = `reverted to the baseline: ${regressed}`;
    return advice;
  }
  // Steps are measured from the last run Spot advised (×maxStepFactor per run), else from the baseline.
  const anchor: Settings = lastAdvised?.succeeded ? { ...baseline, ...runSettings(lastAdvised) } : baseline;
  if (lastAdvised) notes.push(`steps measured from the last advised run ${lastAdvised.id}`);
  const cands = proposals({ anchor, baseline, pinned, config, needPerCore: memoryNeedPerCore(recent), shuffleBytes, adaptive })
    .filter((p) => !sameSettings(p.settings, baseline))
    .map((p) => score(model, p.settings, size, p.rejected));
  const choice = choose(cands, baseCand, config);
  advice.decidedBy = choice.decidedBy;
  advice.chosen = toChosen(choice.chosen === baseCand ? req.baseline : choice.chosen.settings);
  advice.candidates = boundedList(cands, baseCand, choice.chosen);
  return advice;
}

/**
 * Baseline first, the chosen one next, then the cheapest admissible ones, the closest rejected ones, and
 * a sample of the chosen core count's curve over executor counts (what `spot explain` charts).
 */
function boundedList(cands: Candidate[], base: Candidate, chosen: Candidate): Candidate[] {
  const rest = cands.filter((c) => c !== chosen);
  const ok = rest.filter((c) => !c.rejected).sort((a, b) => a.coreHours - b.coreHours);
  const no = rest.filter((c) => c.rejected).sort((a, b) => a.prediction.high - b.prediction.high);
  const curve = rest
    .filter((c) => c.settings.executorCores === chosen.settings.executorCores)
    .sort((a, b) => a.settings.executors - b.settings.executors);
  const step = Math.max(1, Math.ceil(curve.length / 20));
  const keep = new Set([...ok.slice(0, 25), ...no.slice(0, 5), ...curve.filter((_, i) => i % step === 0 || i === curve.length - 1)]);
  const head = chosen === base ? [base] : [base, chosen];
  return [...head, ...ok.filter((c) => keep.has(c)), ...no.filter((c) => keep.has(c))].slice(0, MAX_CANDIDATES + 2);
}

/** Refits the chosen model without the last advised run and asks whether that run went worse than promised. */
function checkRegression(sel: Selection, rows: ReturnType<typeof trainingRows>, run: RunRecord, baseline: Settings, maxSlowdown: number): string | undefined {
  if (!run.succeeded) return regressionReason({ run });
  const others = rows.filter((r) => r.id !== run.id).slice(0, MAX_TRAINING_ROWS);
  if (others.length < Math.max(2, sel.spec.minRows)) return undefined;
  const refit = withInterval(sel.spec.fit(others), sel.spread, sel.model.validationError, others.length);
  const p = refit.predict(runSettings(run), run.inputBytes);
  return regressionReason({ run, predictedHigh: p.high, baselineBound: maxSlowdown * refit.predictMs(baseline, run.inputBytes) });
}
