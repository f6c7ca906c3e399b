import { randomUUID } from 'node:crypto';
import type { SpotConfig } from '../config/schema.js';
import type { Advice, Candidate, RunRecord, Settings } from '../types.js';
import { selectModel, MAX_TRAINING_ROWS } from '../../models/select.js';
import { partitionsFor, proposals, type CandidateInput } from './candidates.js';
import { adaptiveExecution, byRecency, effectiveBaseline, expectedShuffleBytes, memoryNeedPerCore, trainingRows } from './features.js';
import { sameSettings } from './guard-rails.js';
import { advisorSpecs, bandRows, readTrack, riskPrediction } from './explore.js';
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
    if (changed && baseline.dynamicAllocation && out.executors !== undefined && !pinned.has('maxExecutors')) {
      // Under dynamic allocation the executor count is where Spark starts; the ceiling is what bounds the cost.
      // It stays on: the job's own scaling (and its release of idle executors) is kept.
      out.maxExecutors = out.executors;
      notes.push(`dynamic allocation stays on: the advised executor count ${out.executors} is its ceiling (spark.dynamicAllocation.maxExecutors)`);
    }
    return out;
  };
  const shuffleBytes = expectedShuffleBytes(recent, inputBytes);
  const adaptive = adaptiveExecution(recent) ?? true;

  const sel = rows.length >= config.minRuns ? selectModel(bandRows(rows, size), { queryBytes: inputBytes, specs: advisorSpecs() }) : undefined;
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
      s.shufflePartitions = shufflePartitionsFor(shuffleBytes, (s.executors ?? baseline.executors) * baseline.executorCores, config.targetPartitionBytes, adaptive, baseline.shufflePartitions);
    }
    advice.chosen = toChosen(s);
    advice.decidedBy = `${why}: ${rule.reason}`;
    advice.trainingRunIds = rows.map((r) => r.id);
    return advice;
  }

  const model = sel.model;
  advice.model = { name: model.name, validationError: model.validationError, description: `${model.describe()}. Chosen because ${sel.reason}.` };
  advice.trainingRunIds = rows.slice(0, MAX_TRAINING_ROWS).map((r) => r.id);
  const track = readTrack(recent, model, baseline, size, config.maxSlowdown);
  const anchor = track.anchor;
  const predict = (s: Settings) => riskPrediction(model, track, s, size, anchor);
  const scoreRisk = (s: Settings, rejected?: string): Candidate => {
    const prediction = predict(s);
    const c: Candidate = { settings: s, prediction, coreHours: coreHours(s, prediction.durationMs) };
    if (rejected) c.rejected = rejected;
    return c;
  };
  const baseCand = scoreRisk(baseline);
  if (track.anchorRun) notes.push(`steps measured from ${track.anchorRun.id}, the last good run of a similar input size`);
  for (const r of track.overruns.slice(0, 3)) notes.push(`run ${r.id} ${r.succeeded ? 'overran the slowdown limit beyond the noise' : 'failed'}: candidates keep more than ${Math.ceil(track.floorCores)} cores`);
  const range = sel.spec.constrained ? undefined : sel.spread.range;
  const candidateInput: CandidateInput = { anchor, baseline, pinned, config, needPerCore: memoryNeedPerCore(recent), shuffleBytes, adaptive };
  const cands = proposals(candidateInput)
    .filter((p) => !sameSettings(p.settings, baseline))
    // Keep the executor shape (cores, and memory per core): the models see total cores, not how they are packed.
    .filter((p) => pinned.has('executorCores') || p.settings.executorCores === anchor.executorCores)
    .map((p) => {
      const m = p.settings.executors * p.settings.executorCores;
      let rejected = p.rejected;
      if (!rejected && m < track.floorCores) rejected = `fewer than ${Math.ceil(track.floorCores)} cores, the floor a run that overran set`;
      if (!rejected && range && (m < range.minCores || m > range.maxCores)) rejected = `outside the ${range.minCores}–${range.maxCores} cores the flexible model was trained on`;
      return scoreRisk(p.settings, rejected);
    });
  const choice = choose(cands, baseCand, config);
  advice.decidedBy = choice.decidedBy;
  let chosen = choice.chosen === baseCand ? req.baseline : choice.chosen.settings;
  const partitions = partitionsFor(candidateInput, baseline.executors * baseline.executorCores);
  if (choice.chosen === baseCand && partitions !== undefined && partitions !== baseline.shufflePartitions) {
    // The executor count stays; the shuffle partitions still follow the expected shuffle size.
    chosen = { ...req.baseline, shufflePartitions: partitions };
    notes.push(`shuffle partitions ${partitions} for the expected shuffle size with the baseline's executors`);
  }
  advice.chosen = toChosen(chosen);
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
