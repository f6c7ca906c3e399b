import { observeAttempt, type RunObs } from '../../models/what-if/observe.js';
import { oneRunWhatIf, type WhatIf } from '../../models/what-if/one-run.js';
import type { Model } from '../../models/types.js';
import type { Advice, RawDoc, Reason, RunRecord, Settings } from '../types.js';
import { NOISE_FLOOR, type BaselineReplay } from './explore.js';
import { similarInput } from './band.js';
import { isUsableRun } from '../../models/family.js';

// The run the one-run what-if replays: the most recent successful run of a similar input size, read from its raw
// document (stages and executors). The caller fetches the document; this picks the run and builds the model.

/**
 * A replay further than this from its own run's duration does not describe the run (stages missing from the
 * History Server, or wall time they do not account for); with too little history to check it on other runs, the
 * advisor then keeps to its rules of thumb.
 */
export const THIN_WHAT_IF_MAX_SELF_ERROR = 0.2;
/** Fewest other runs of a similar size the what-if must be checked on before it may compete. */
const WHAT_IF_MIN_CHECKS = 2;

export interface WhatIfRun {
  runId: string;
  run: RunObs;
  /** Its input size in the launch's unit (RunRecord.inputBytes after the unit conversion). */
  inputBytes: number;
  shufflePartitions?: number;
  adaptive?: boolean;
}

const crawled = (r: RunRecord) => !!r.appId && r.source === 'crawl';
const sizeGap = (r: RunRecord, inputBytes: number) => Math.abs(Math.log(r.inputBytes / inputBytes));

/**
 * The record whose raw document to fetch, or undefined (also when too few other runs could check the what-if): the
 * most recent run of a similar input size. With too few of those to check a replay on, the crawled run nearest in
 * size, to be checked on runs of any size (whatIfError). A cross-run fit then extrapolates in size from a few runs,
 * and where the larger inputs ran on more executors it can call the baseline's cores a cost: bench/loop held-out
 * shapes on `parallel`, scan-only, seed s46, fourth launch: an exact Ernest fit through 41, 43 and 15 GiB runs (30, 29
 * and 16 executors) called 30 executors slower than 12 for 11.3 GiB, which then ran in two waves instead of one, 1.76×
 * the fixed time. The 15 GiB run's stages, replayed, count the waves.
 */
export function whatIfCandidate(records: RunRecord[], inputBytes: number | undefined): RunRecord | undefined {
  if (!inputBytes || inputBytes <= 0) return undefined;
  const similar = records
    .filter((r) => r.succeeded && similarInput(r.inputBytes, inputBytes))
    .slice(0, WHAT_IF_MIN_CHECKS + 1);
  if (similar.length > WHAT_IF_MIN_CHECKS) return similar.find(crawled);
  const sized = records.filter((r) => r.succeeded && r.inputBytes > 0);
  if (sized.length <= WHAT_IF_MIN_CHECKS) return undefined;
  // The nearest in size; of equally near ones, the most recent.
  return sized
    .filter(crawled)
    .reduce<RunRecord | undefined>(
      (best, r) => (!best || sizeGap(r, inputBytes) < sizeGap(best, inputBytes) ? r : best),
      undefined,
    );
}

export function whatIfRun(record: RunRecord, raw: RawDoc | undefined): WhatIfRun | undefined {
  const attempt = raw?.attempts[0];
  const run = attempt ? observeAttempt(attempt as Record<string, unknown>) : undefined;
  if (!run) return undefined;
  const out: WhatIfRun = { runId: record.id, run, inputBytes: record.inputBytes };
  if (record.shufflePartitions !== undefined) out.shufflePartitions = record.shufflePartitions;
  if (record.adaptiveExecution !== undefined) out.adaptive = record.adaptiveExecution;
  return out;
}

/**
 * With too little history to fit a model (fewer than `advisor.minRuns` successful runs), the latest crawled run is
 * replayed whatever its size: a replay of its stages is the only evidence of how the job scales with cores.
 */
export function thinWhatIfCandidate(records: RunRecord[], minRuns: number): RunRecord | undefined {
  // The runs the advisor learns from (advisor/features.ts trainingRows): as many as minRuns, and it fits a model.
  const usable = records.filter(isUsableRun);
  if (usable.length >= minRuns) return undefined;
  return usable.find((r) => r.appId && r.source === 'crawl');
}

/**
 * The what-if's run replayed at the baseline's settings, when the replay describes the run (describesItsRun): what
 * the run would have taken on the baseline, for judging it against the limit. `model` is `w` built, when the caller
 * already has it.
 */
export function baselineReplay(
  w: WhatIfRun,
  baseline: Settings,
  model: WhatIf = buildWhatIf(w),
): BaselineReplay | undefined {
  if (!describesItsRun(model)) return undefined;
  return { runId: w.runId, baselineMs: model.predictMs(baseline, w.inputBytes) };
}

/** Whether the replay lands within THIN_WHAT_IF_MAX_SELF_ERROR of its own run's duration. */
export function describesItsRun(model: WhatIf): boolean {
  return model.selfError <= THIN_WHAT_IF_MAX_SELF_ERROR;
}

export function buildWhatIf(w: WhatIfRun): WhatIf {
  return oneRunWhatIf(w.run, {
    inputBytes: w.inputBytes,
    ...(w.shufflePartitions !== undefined ? { shufflePartitions: w.shufflePartitions } : {}),
    ...(w.adaptive !== undefined ? { adaptive: w.adaptive } : {}),
  });
}

/** Most recent other runs the what-if is checked on. */
const MAX_CHECKS = 10;

/**
 * How the what-if did on the other recent runs of a similar input size (their settings differ from its own run's),
 * or of any known size when too few are similar (`anySize`): the median |relative error|, the same measure as the
 * cross-run models' validation error. Undefined when too few.
 */
function whatIfError(
  model: WhatIf,
  w: WhatIfRun,
  records: RunRecord[],
  inputBytes: number,
): { error: number; anySize: boolean } | undefined {
  const others = records.filter((r) => r.id !== w.runId && isUsableRun(r));
  const similar = others.filter((r) => similarInput(r.inputBytes, inputBytes)).slice(0, MAX_CHECKS);
  const checks =
    similar.length >= WHAT_IF_MIN_CHECKS ? similar : others.filter((r) => r.inputBytes > 0).slice(0, MAX_CHECKS);
  if (checks.length < WHAT_IF_MIN_CHECKS) return undefined;
  const errs = checks
    .map((r) =>
      Math.abs(
        model.predictMs(
          {
            executors: r.executors,
            executorCores: r.executorCores,
            ...(r.shufflePartitions !== undefined ? { shufflePartitions: r.shufflePartitions } : {}),
          },
          r.inputBytes,
        ) /
          r.durationMs -
          1,
      ),
    )
    .sort((a, b) => a - b);
  return { error: (errs[(errs.length - 1) >> 1]! + errs[errs.length >> 1]!) / 2, anySize: checks !== similar };
}

export interface WhatIfContest {
  model: WhatIf;
  /** The reason's numbers: its run, self-error, error on the other runs (when checked), the cross-run fit's. */
  values: Reason['values'];
  /** The Advice's model entry when the what-if predicts instead of the cross-run fit. */
  wins?: NonNullable<Advice['model']>;
}

/**
 * The one-run what-if against the cross-run fit, on the same measure: the error on the other runs of this size, or of
 * any size when too few are (whatIfError). Errors on runs of this size that are both below the noise floor
 * (explore.ts NOISE_FLOOR) cannot be told apart, and then the replay of the stages answers: it counts the waves, the
 * executors' start-up and the stragglers, which a curve through the runs smooths over (bench/loop on twelve clusters:
 * `--cluster all` 0.702× → 0.699× the fixed core-hours, with `--shapes all` 0.566× → 0.563×, `--seed alt,s3` 0.668× →
 * 0.662×, the slowest launch of each as before). `model` is `w` built (buildWhatIf), when the caller already has it.
 */
export function whatIfContest(
  crossRun: Model,
  w: WhatIfRun,
  records: RunRecord[],
  inputBytes: number,
  model: WhatIf = buildWhatIf(w),
): WhatIfContest {
  const checked = whatIfError(model, w, records, inputBytes);
  const values: Reason['values'] = {
    runId: w.runId,
    selfError: model.selfError,
    crossRunError: crossRun.validationError,
  };
  if (checked) values.error = checked.error;
  if (checked?.anySize) values.anySize = true;
  // Checked on runs of other sizes, its error is the replay's reach across sizes, not a tie at this one: a 988 GiB run
  // that spilled on 200 partitions, replayed at 830 GiB on 1,329, called a cut to 33 executors 2% slower, and it ran
  // 1.31× the fixed time (bench/loop --shapes all --cluster memory-cliff --seed s334, wide-range ETL, launch 7).
  const floor = checked?.anySize ? 0 : NOISE_FLOOR;
  if (!checked || checked.error >= Math.max(crossRun.validationError, floor)) return { model, values };
  const others = checked.anySize ? 'of any size' : 'of this size';
  const description = `${model.describe()}. Chosen over ${crossRun.name} (${(crossRun.validationError * 100).toFixed(1)}% validation error) by its error on the other runs ${others}.`;
  return { model, values, wins: { name: model.name, validationError: checked.error, description } };
}
