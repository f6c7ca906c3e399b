import { randomUUID } from 'node:crypto';
import type { SpotConfig } from '../config/schema.js';
import type { Advice, Candidate, Reason, RunRecord, Settings } from '../types.js';
import { selectModel, MAX_TRAINING_ROWS, type Selection, type SelectOptions } from '../../models/select.js';
import { partitionsFor, proposals, type CandidateInput } from './candidates.js';
import {
  adaptiveExecution,
  byRecency,
  effectiveBaseline,
  expectedShuffleBytes,
  memoryNeedPerCore,
  trainingRows,
  type LaunchedAdvice,
} from './features.js';
import { boundedList, coreHours } from './candidate-list.js';
export { MAX_CANDIDATES } from './candidate-list.js';
import { sameSettings } from './guard-rails.js';
import {
  baselineReplay,
  checkedWhatIf,
  describesItsRun,
  THIN_WHAT_IF_MAX_SELF_ERROR,
  whatIfContest,
  type WhatIfRun,
} from './what-if-run.js';
import type { Regressor, TrainingRow } from '../../models/types.js';
import { isBlend } from '../../models/blend.js';
import type { Outcome } from '../../models/track-record.js';
import { advisorSpecs, readTrack, SPILL_AWARE, type Predictor } from './explore.js';
import { nearRunsFactor, nearRunsMs, ownRunsMs, referenceMs, riskOf } from './risk.js';
import { cliffsFor } from './cliff.js';
import { clearOfSpillAt, heavierTasks, jobSpills, spillingRun } from './spill.js';
import { pinnedSettings, SETTING_NAMES } from './keys.js';
import { choose, meetsLimit, noRiskierThan, type ReferenceWhy } from './objective.js';
import { reasonText } from './reason-text.js';
import { outcomeSpread } from './outcomes.js';
import { ruleSettings, shufflePartitionsFor } from './rules.js';
import {
  failedOnAsMuchMemory,
  inputPerPartition,
  memoryAfterFailure,
  memoryPerCore,
  partitionsAfterFailure,
} from './memory-raise.js';

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
  /** A recent run of a similar input size with its stages, for the one-run what-if. */
  whatIf?: WhatIfRun;
  /** Predicted and actual durations of this job's advised runs (outcomes.ts): they widen the models' intervals. */
  outcomes?: Outcome[];
  /** The job's advice records: what each run was launched with by Spot, not by the job (features.ts ownSettings). */
  launched?: LaunchedAdvice[];
  /** How the model is selected (default selectModel): spot-submit looks a kept one up (submit/model-cache.ts). */
  select?: (rows: TrainingRow[], opts: SelectOptions) => Selection | undefined;
}

/**
 * Below this many executors the executor shape may change: one executor fewer is a third of the cores or more, a
 * step the limit rarely lets through, so a job launched on two or three fat executors kept them at every input
 * (bench/loop --shapes random:200 --seed s5: 2 × 8 cores on 1–370 GiB inputs, 1.00× the fixed core-hours where the
 * best grid setting used 0.68×). Splitting them keeps memory per core (candidates.ts rounds it up), so each task's
 * execution memory, and its spill, stay as they were; the models see the total cores that decide the waves.
 */
const FEW_EXECUTORS = 4;

/** Decisions worded by core-hours: under dynamic allocation those are at the ceiling. */
const CEILING_PRICED = new Set(['fewest-core-hours', 'kept-baseline']);

/** Whether a candidate keeps the anchor's executor shape, or splits one of its few executors into smaller ones. */
const keepsShape = (s: Settings, anchor: Settings) =>
  s.executorCores === anchor.executorCores ||
  (anchor.executors < FEW_EXECUTORS && s.executorCores < anchor.executorCores);

/**
 * Whether a successful run, on as little memory per core as the baseline or less, gave its tasks as much of the input
 * as the baseline's partition count gives them at `inputBytes` or more: the baseline's count has run tasks that big.
 */
function ranAsBaseline(recent: RunRecord[], baseline: Settings, inputBytes: number): boolean {
  const own = baseline.shufflePartitions;
  const perCore = memoryPerCore(baseline);
  if (own === undefined || perCore === undefined || inputBytes <= 0) return true;
  const here = inputPerPartition(inputBytes, own);
  return succeededOnAsLittleMemory(recent, perCore).some(
    (r) => inputPerPartition(r.inputBytes, r.shufflePartitions ?? own) >= here,
  );
}

/** Successful runs of a known input on `perCore` bytes of executor memory per core or less. */
const succeededOnAsLittleMemory = (recent: RunRecord[], perCore: number) =>
  recent.filter((r) => {
    const runPerCore = memoryPerCore(r);
    return r.succeeded && r.inputBytes > 0 && runPerCore !== undefined && runPerCore <= perCore;
  });

/**
 * The most recent failed run that shows the baseline failing at an input of `inputBytes`: on the baseline's memory
 * per core or more, its tasks given as much of the input as the baseline's partition count gives them here or less
 * (whatever its own input: a larger one on finer partitions failed with smaller tasks than the baseline's here), or
 * a little more, and more than the most a successful run on as little memory per core gave its tasks (`good`: the
 * failure's bound lies somewhere between the two, and past what succeeded a launch may fail, memory-raise.ts
 * partitionsAfterFailure). Without that, a run on 400 partitions that failed at 782 GiB
 * said nothing of 762 GiB, and the kept baseline failed there, and at 632 GiB, where runs had succeeded up to 401 GiB
 * (bench/loop --schedule huge --cluster all --shapes random:30 --seed q11, random 13: 2 of the last 12 launches
 * failed on 11 of 13 clusters). Only where `partitions` gives each task less than that boundary: otherwise no count
 * within reach answers it.
 */
function failedAsBaseline(
  recent: RunRecord[],
  baseline: Settings,
  inputBytes: number,
  partitions: number,
): { run: RunRecord; good?: RunRecord } | undefined {
  const own = baseline.shufflePartitions;
  const perCore = memoryPerCore(baseline);
  if (own === undefined || perCore === undefined || inputBytes <= 0 || partitions <= own) return undefined;
  const shareOf = (r: RunRecord) => inputPerPartition(r.inputBytes, r.shufflePartitions ?? own);
  const here = inputPerPartition(inputBytes, own);
  const succeeded = succeededOnAsLittleMemory(recent, perCore);
  for (const { run } of failedOnAsMuchMemory(recent, perCore)) {
    const runShare = shareOf(run);
    // The most a successful run gave its tasks, short of this failure's.
    const good = succeeded
      .filter((r) => shareOf(r) < runShare)
      .reduce<RunRecord | undefined>((a, r) => (a && shareOf(a) >= shareOf(r) ? a : r), undefined);
    const near = good && here < runShare ? shareOf(good) : undefined;
    const tasks = inputPerPartition(inputBytes, partitions);
    if (near !== undefined ? here > near && tasks <= near : here >= runShare && tasks < runShare)
      return { run, ...(near !== undefined ? { good } : {}) };
  }
  return undefined;
}

/** The decision with its coded reasons; `decidedBy` and `notes` are their words, for readers of the record. */
export function advise(req: AdviseRequest): Advice {
  const advice = decide(req);
  const reasons = advice.reasons ?? [];
  return { ...advice, decidedBy: reasons[0] ? reasonText(reasons[0]) : '', notes: reasons.slice(1).map(reasonText) };
}

function decide(req: AdviseRequest): Advice {
  const config = req.config;
  const recent = byRecency(req.records);
  const pinned = pinnedSettings(req.pinned);
  const eb = effectiveBaseline(req.baseline, recent, req.launched);
  const baseline = eb.settings;
  // Under dynamic allocation the executor count is set as its ceiling (src/submit/inject.ts): with the ceiling pinned
  // the count cannot be, and a cut planned anyway would be a saving no run could have.
  if (baseline.dynamicAllocation && pinned.has('maxExecutors')) pinned.add('executors');
  const notes: Reason[] = [];
  const note = (code: string, values: Reason['values'] = {}) => notes.push({ code, values });
  let decision: Reason = { code: 'kept-baseline', values: {} };
  if (eb.fromHistory.length) note('baseline-from-history', { keys: eb.fromHistory.join(', ') });
  if (eb.fromDefaults.length) note('baseline-from-defaults', { keys: eb.fromDefaults.join(', ') });
  if (baseline.dynamicAllocation) {
    // Under dynamic allocation Spark holds the executors between the launch's floor (the cluster limit spark-floors.ts
    // raised to its minExecutors) and its maxExecutors: a baseline taken from history outside them is no run this
    // launch could make, and comparing against it would contradict the floor. A ceiling the launch sets is what it
    // may scale up to on this input, whatever a past run of another size held: measured from a 9.8 GB run's 20
    // executors, a 70 GB launch capped at 18 ran 1.93× the time its own ceiling of 100 took (an outside loop).
    // Without one, Spark's default (no limit) lets it scale up to what the cluster grants, which
    // advisor.cluster.maxExecutors stands for: baselined at the 36 executors a 16 GiB run held, a 41 GiB launch that
    // set no ceiling was capped at 28 and ran 1.34× the time the launch as written took (an outside loop).
    const unbounded = req.baseline.dynamicAllocation === true && req.baseline.maxExecutors === undefined;
    const ceiling = req.baseline.maxExecutors ?? (unbounded ? config.cluster.maxExecutors : undefined);
    const held = Math.min(
      Math.max(ceiling ?? baseline.executors, config.cluster.minExecutors),
      ceiling ?? Number.POSITIVE_INFINITY,
    );
    if (held !== baseline.executors) {
      note('baseline-dynamic-bounds', {
        from: baseline.executors,
        executors: held,
        ceiling: held === ceiling,
        ...(unbounded ? { unbounded: true } : {}),
      });
      baseline.executors = held;
    }
  }
  const rows = trainingRows(recent, MAX_TRAINING_ROWS);
  let inputBytes = req.inputBytes;
  if ((inputBytes === undefined || inputBytes <= 0) && rows[0]) {
    // Any input the job has had may come next: advice for the largest holds for the smaller ones too, since a cut
    // in cores costs a large input the most. bench/loop --no-input-size --cluster all, the over-provisioned job's
    // worst launch: the last run's size assumed, 1.86× the fixed run time; the largest of the last 10 runs', 1.96×
    // (a 135 GiB input after ten of at most 36 GiB); the largest of every run learnt from, 1.07×. Only an input
    // larger than any before can still be cut too far.
    inputBytes = Math.max(...rows.map((r) => r.inputBytes));
    note('input-assumed-largest', { runs: rows.length, inputBytes, ...(req.inputBytes === 0 ? { given: 0 } : {}) });
  }
  const size = inputBytes ?? 0;
  const advice: Advice = {
    id: req.adviceIdFactory?.() ?? randomUUID(),
    createdAt: (req.now ?? new Date()).toISOString(),
    app: req.app,
    mode: config.mode,
    baseline: req.baseline,
    plannedBaseline: baseline,
    chosen: {},
    injected: {},
    pinned: req.pinned,
    candidates: [],
    trainingRunIds: [],
    decidedBy: '',
    notes: [],
  };
  // Under dynamic allocation a candidate's core-hours hold its ceiling the whole run: the most it may cost, which the
  // decision's words must say (a launch priced at 40 executors × its run time used 0.71 of that, scaling down).
  const dynamic = (r: Reason): Reason =>
    baseline.dynamicAllocation && CEILING_PRICED.has(r.code) ? { ...r, values: { ...r.values, dynamic: true } } : r;
  const done = (): Advice => ({ ...advice, reasons: [dynamic(decision), ...notes] });
  if (req.inputBytes !== undefined) advice.inputBytes = req.inputBytes;

  const toChosen = (s: Partial<Settings>): Partial<Settings> => {
    const out: Partial<Settings> = {};
    for (const k of SETTING_NAMES) {
      const v = s[k];
      if (v === undefined || pinned.has(k)) continue;
      if (eb.fromDefaults.includes(k) && v === baseline[k]) continue; // nothing to say about an unchanged default
      (out as Record<string, unknown>)[k] = v;
    }
    const changed =
      (out.executors ?? baseline.executors) !== baseline.executors ||
      (out.executorCores ?? baseline.executorCores) !== baseline.executorCores;
    if (changed && baseline.dynamicAllocation && out.executors !== undefined && !pinned.has('maxExecutors')) {
      // Under dynamic allocation the executor count is where Spark starts; the ceiling is what bounds the cost.
      // It stays on: the job's own scaling (and its release of idle executors) is kept.
      out.maxExecutors = out.executors;
      note('dynamic-allocation-ceiling', { executors: out.executors });
    }
    return out;
  };
  const shuffleBytes = expectedShuffleBytes(recent, inputBytes);
  const adaptive = adaptiveExecution(recent) ?? true;

  // The selection learns from the runs of about this size when they alone show core scaling (models/band.ts).
  const sel =
    rows.length >= config.minRuns
      ? (req.select ?? selectModel)(rows, {
          queryBytes: inputBytes,
          specs: advisorSpecs(jobSpills(recent)),
          ...(req.outcomes?.length ? { outcomes: req.outcomes } : {}),
        })
      : undefined;
  const history = { runs: rows.length, minRuns: config.minRuns };
  // Too little history to fit a model: the latest run's stages replayed at other settings, when the store has them;
  // else rules of thumb.
  // Built once: it may answer (thin history), compete with the fit, and judge its own run against the baseline.
  const checked = req.whatIf && checkedWhatIf(req.whatIf, recent, size);
  if (checked?.readCeiling) note('read-ceiling', checked.readCeiling);
  const whatIf = checked?.model;
  const replay = !sel && size > 0 ? whatIf : undefined;
  const thin = replay && describesItsRun(replay) ? replay : undefined;
  if (replay && !thin)
    note('thin-history-what-if-off', {
      runId: req.whatIf!.runId,
      selfError: replay.selfError,
      maxSelfError: THIN_WHAT_IF_MAX_SELF_ERROR,
    });
  if (!sel && !thin) {
    const rule = ruleSettings(inputBytes, baseline, pinned, config);
    if (!rule) {
      advice.chosen = toChosen(req.baseline);
      decision = { code: 'thin-history-no-input', values: history };
      return done();
    }
    const s: Partial<Settings> = { ...rule.settings };
    if (shuffleBytes !== undefined && !pinned.has('shufflePartitions')) {
      s.shufflePartitions = shufflePartitionsFor(
        shuffleBytes,
        (s.executors ?? baseline.executors) * baseline.executorCores,
        config.targetPartitionBytes,
        adaptive,
        baseline.shufflePartitions,
      );
    }
    const raised = memoryAfterFailure(recent, { ...baseline, ...s }, size, pinned, config);
    if (raised) {
      s.executorMemoryBytes = raised.bytes;
      notes.push(raised.reason);
    }
    advice.chosen = toChosen(s);
    decision = { code: 'thin-history-rule', values: { ...history, ...rule.values } };
    advice.trainingRunIds = rows.map((r) => r.id);
    return done();
  }

  advice.trainingRunIds = rows.slice(0, MAX_TRAINING_ROWS).map((r) => r.id);
  let model: Regressor & Predictor;
  // Whether the replay may judge its own run against the limit: not where the other runs of this size show it worse
  // than the cross-run fit. A replay that cut an RDD scan's 9 block splits as Spark SQL sizes files, 10% off the other
  // 1 GiB runs (the fit 4%), called 200 cores 11 s faster than such runs took, and a run at 0.87× the fixed time
  // passed for an overrun that sent the next launch back to all 200 (an outside closed loop, bimodal ETL, seed 2).
  let replayJudges = true;
  if (sel) {
    advice.model = {
      name: sel.model.name,
      validationError: sel.model.validationError,
      description: `${sel.model.describe()}. Chosen because ${sel.reason}.`,
    };
    const contest = req.whatIf ? whatIfContest(sel.model, req.whatIf, recent, size, whatIf) : undefined;
    if (contest) note('what-if', contest.values);
    if (contest?.wins) advice.model = contest.wins;
    model = contest?.wins ? contest.model : sel.model;
    replayJudges = !contest || contest.values.error === undefined || !!contest.wins;
  } else {
    model = thin!;
    advice.model = { name: thin!.name, validationError: thin!.selfError, description: thin!.describe() };
    note('thin-history-what-if', { ...history, runId: req.whatIf!.runId, selfError: thin!.selfError });
  }
  const track = readTrack(recent, model, baseline, size, config.maxSlowdown, {
    local: model.family === 'what-if',
    sigmaFloor: outcomeSpread(req.outcomes ?? []),
    replay: req.whatIf && replayJudges ? baselineReplay(req.whatIf, baseline, recent, whatIf) : undefined,
  });
  const anchor = track.anchor;
  const range = !sel || sel.spec.constrained ? undefined : sel.spread.range;
  const spill = spillingRun(recent, size);
  if (spill) note('spill', { runId: spill.id, spilledBytes: spill.memoryBytesSpilled ?? 0 });
  // No candidate, the baseline's partitions included, gives its tasks more than a run that succeeded where a run
  // with larger tasks failed (memory-raise.ts).
  const afterFailure = partitionsAfterFailure(recent, memoryPerCore(baseline), size, baseline.shufflePartitions);
  if (afterFailure && !pinned.has('shufflePartitions') && shuffleBytes !== undefined)
    note('partitions-after-failure', {
      runId: afterFailure.run.id,
      goodRunId: afterFailure.good.id,
      partitions: afterFailure.partitions,
    });
  const candidateInput: CandidateInput = {
    anchor,
    baseline,
    pinned,
    config,
    needPerCore: memoryNeedPerCore(recent),
    shuffleBytes,
    adaptive,
    spills: !!spill,
    clearOfSpill: baseline.shufflePartitions !== undefined && clearOfSpillAt(recent, baseline.shufflePartitions),
    floorPartitions: Math.max(track.floorPartitions, afterFailure?.partitions ?? 0),
    wholePartitionStraggler: adaptive && (whatIf?.wholePartitionStragglers ?? 0) > 0 && checked?.wholeKey !== true,
  };
  const partitions = partitionsFor(candidateInput, baseline.executors * baseline.executorCores);
  if (checked?.wholeKey !== undefined) note('whole-key', { runId: req.whatIf!.runId, wholeKey: checked.wholeKey });
  // Under AQE a replay of a run on more partitions than the job's own grows a whole partition's longest task at the
  // job's count; until the job's runs tell whether it would (whole-key.ts), the baseline is priced
  // at the count its executors would be advised with, the faster of the two: the limit measured from the slower one
  // let cuts through that ran 1.29× the fixed time on a hot key (bench/loop --cluster hot-key, skewed shuffle).
  const replayedFiner =
    (whatIf?.wholePartitionStages ?? 0) > 0 &&
    (req.whatIf?.shufflePartitions ?? 0) > (baseline.shufflePartitions ?? Infinity);
  const priced =
    adaptive &&
    replayedFiner &&
    checked?.wholeKey === undefined &&
    partitions !== undefined &&
    partitions > (baseline.shufflePartitions ?? Infinity)
      ? { ...baseline, shufflePartitions: partitions }
      : baseline;
  // A waves fit blended with the fits that validated as well counts no wave (cliff.ts).
  const cliffs = cliffsFor(model.family, rows, !!sel && model === sel.model && isBlend(sel.fitted.parts.inside));
  // A cross-run fit's cut below the cores known good is checked against the replay of a run's stages (risk.ts).
  const second = whatIf && model.family !== 'what-if' && describesItsRun(whatIf) ? whatIf : undefined;
  const risk = riskOf({ model, track, inputBytes: size, reference: anchor, baseline: priced, replay: second });
  const predict = (s: Settings) => risk(s, cliffs(s, baseline, anchor));
  const scoreRisk = (s: Settings, rejected?: Reason): Candidate => {
    const { slowdownHigh, modelMs, ...prediction } = predict(s);
    const c: Candidate = {
      settings: s,
      prediction,
      coreHours: coreHours(s, prediction.durationMs),
      slowdownHigh,
      modelMs,
    };
    if (rejected) c.rejected = rejected;
    return c;
  };
  const baseCand = scoreRisk(priced);
  if (track.anchorRun) note('anchor', { runId: track.anchorRun.id });
  for (const r of track.overruns.slice(0, 3))
    note('overrun', {
      runId: r.id,
      failed: !r.succeeded,
      floorCores: Math.ceil(track.floorCores),
      ...(track.floorPartitions > 0 ? { floorPartitions: Math.ceil(track.floorPartitions) } : {}),
    });
  const cands = proposals(candidateInput)
    .filter((p) => !sameSettings(p.settings, priced))
    // Keep the executor shape (cores, and memory per core): the models see total cores, not how they are packed.
    .filter((p) => pinned.has('executorCores') || keepsShape(p.settings, anchor))
    .map((p) => {
      const m = p.settings.executors * p.settings.executorCores;
      let rejected = p.rejected;
      if (!rejected && m < track.floorCores)
        rejected = { code: 'below-overrun-floor', values: { floorCores: Math.ceil(track.floorCores) } };
      if (!rejected && range && (m < range.minCores || m > range.maxCores))
        rejected = { code: 'outside-flexible-range', values: { minCores: range.minCores, maxCores: range.maxCores } };
      if (!rejected && spill && model.family !== SPILL_AWARE && heavierTasks(p.settings, anchor))
        rejected = { code: 'spill-heavier-tasks', values: {} };
      return scoreRisk(p.settings, rejected);
    });
  // The point the runs near the baseline's cores were measured against: the band's correction of the model alone.
  const nearMs = nearRunsMs(track, track.bias * model.predictMs(priced, size));
  const anchored = referenceMs(track, baseline, baseCand.prediction.durationMs, predict(anchor).durationMs, nearMs);
  // A replay's task count for the baseline just above a full wave may fit in it: the limit is measured from the
  // count a little lower, so that no cut is priced against a baseline a wave slower than it runs (bench/loop
  // --cluster parallel-jump --seed s98, over-provisioned ETL: 20 GiB counted as 161 splits for 160 slots, two waves
  // where the fixed settings ran one; a cut to 21 executors, predicted no slower, ran 1.44× the fixed time).
  const lowMs = model.lowMarginMs?.(priced, size);
  const nearRuns = nearRunsFactor(track);
  const atWave = lowMs !== undefined && nearRuns * track.bias * lowMs < anchored;
  const predicted = atWave ? nearRuns * track.bias * lowMs : anchored;
  // Nor slower than the runs on the baseline's own settings took (risk.ts ownRunsMs).
  const own = ownRunsMs(track, model, baseline, size);
  const byOwnRuns = own !== undefined && own < predicted;
  const reference = byOwnRuns ? own : predicted;
  // Said by the job's own runs when they set it; else by how much the runs near the baseline's cores raised the
  // baseline's point, if at all.
  let limitWhy: ReferenceWhy;
  if (byOwnRuns) limitWhy = { ownRuns: track.ownBaseline!.runs };
  else {
    const raisedBy = atWave ? nearRuns : nearMs / baseCand.prediction.durationMs;
    limitWhy = { ...(atWave ? { wave: true } : {}), ...(raisedBy > 1 ? { nearRuns: raisedBy } : {}) };
  }
  const choice = choose(cands, baseCand, config, reference, limitWhy);
  decision = choice.reason;
  let chosen = choice.chosen === baseCand ? req.baseline : choice.chosen.settings;
  let ran = choice.chosen;
  if (choice.chosen === baseCand && partitions !== undefined && partitions !== baseline.shufflePartitions) {
    // The executor count stays; the shuffle partitions still follow the expected shuffle size, where that change
    // alone meets the limit the candidates had to: scored like a candidate, its run is held to its prediction.
    // Unchecked, fewer partitions of a skewed shuffle without AQE ran 1.5–1.96× the fixed time (bench/loop
    // --shapes random:50 --cluster all --seed s3, random 13: 400 partitions cut to 80 for 7 GiB).
    const withPartitions = priced !== baseline ? baseCand : scoreRisk({ ...baseline, shufflePartitions: partitions });
    // Nor a finer count raised around a skewed partition that the replay prices dearer than the job's own: under AQE a
    // finer cut that coalesces into more tasks than the slots adds a wave (an outside closed loop: 400 for 200 ran 255
    // tasks on 200 slots, 1.14× the time). A raise for the shuffle's size is left to the limit alone: it answers
    // spill, which the replay does not price, and would be kept out by a wave's rounding.
    const dearer =
      candidateInput.wholePartitionStraggler &&
      withPartitions.coreHours > (priced !== baseline ? scoreRisk(baseline) : baseCand).coreHours * (1 + 1e-9);
    // The baseline as it stands has no duration to be slower than where a run that gave each task as much of the
    // shuffle or less, on as much memory per core or more, failed: it fails again. Smaller tasks are the one change
    // within reach that answers a task's memory running out, so the count for the shuffle's size goes in whatever
    // the limit says (an outside closed loop, bench/loop's random shape 13 on memory-cliff with inputs past its
    // range: the baseline's 400 partitions, kept as the runs' spread let no change within the limit, failed on 15
    // launches of 24, where runs on 800 or more partitions had succeeded at those sizes; now 6).
    const failed = failedAsBaseline(recent, baseline, size, partitions);
    if (failed?.good) note('baseline-near-failed', { runId: failed.run.id, goodRunId: failed.good.id, partitions });
    else if (failed) note('baseline-failed', { runId: failed.run.id, partitions });
    // Nor is a count priced no riskier than the baseline as it stands held to more than the baseline is, where no
    // successful run shows the baseline's count giving its tasks as much as it would here: a fit blind to the
    // partition count prices it as the baseline, and on a noisy job the noise's share alone put that high end over
    // the limit, so the baseline's 400 partitions were kept for 781 GiB, past the 404 GiB they had run, and the run
    // failed, where every launch on finer partitions had succeeded (bench/loop --schedule huge --cluster driver-bound
    // --shapes random:30 --seed p1, random 13).
    const within =
      meetsLimit(withPartitions, baseCand, config, reference, limitWhy) ||
      (noRiskierThan(withPartitions, baseCand, config) && !ranAsBaseline(recent, baseline, size));
    if (failed || (within && !dearer)) {
      chosen = { ...req.baseline, shufflePartitions: partitions };
      note('partitions-with-baseline', { partitions });
      // The executors kept, not the baseline whole: its headline says so.
      if (decision.code === 'kept-baseline') decision = { ...decision, values: { ...decision.values, partitions } };
      ran = withPartitions;
    }
  }
  // Said only of a count that runs: a finer one the replay prices dearer stays out (above).
  if (candidateInput.wholePartitionStraggler && (chosen.shufflePartitions ?? 0) > (baseline.shufflePartitions ?? 0))
    note('finer-partitions', {
      runId: req.whatIf!.runId,
      stages: whatIf!.wholePartitionStragglers,
      partitions: chosen.shufflePartitions!,
      baselinePartitions: baseline.shufflePartitions ?? 0,
    });
  // Whatever was chosen fails again where a failed run shows more partitions do not answer its tasks' memory running
  // out (memory-raise.ts): the memory per core goes up, the rest stays, and the raised settings are scored like any
  // candidate (their run is held to that prediction).
  const planned: Settings = { ...baseline, ...chosen };
  const raised = memoryAfterFailure(recent, planned, size, pinned, config);
  let listedRan = ran;
  if (raised) {
    chosen = { ...chosen, executorMemoryBytes: raised.bytes };
    listedRan = scoreRisk({ ...planned, executorMemoryBytes: raised.bytes });
    notes.push(raised.reason);
  }
  advice.chosen = toChosen(chosen);
  // The baseline is listed with its own settings, at the price its limit was measured from.
  const base = priced === baseline ? baseCand : { ...baseCand, settings: baseline };
  const listed = boundedList(cands, base, ran);
  // The raised settings are the ones that run: listed in the chosen one's place, after the baseline kept as it was.
  advice.candidates =
    listedRan === ran
      ? listed
      : ran === base
        ? [base, listedRan, ...listed.slice(1)]
        : listed.map((c) => (c === ran ? listedRan : c));
  return done();
}
