import type { RunStore, StoredModel } from '../store/types.js';
import type { Advice, RunRecord } from '../types.js';
import type { Outcome } from '../../models/track-record.js';
import { inLaunchUnit } from './input-unit.js';
import { withLaunchOutcomes } from './launch-outcomes.js';
import { adviceOutcomes } from './outcomes.js';
import { thinWhatIfCandidate, whatIfCandidate, whatIfRun, type WhatIfRun } from './what-if-run.js';

// What the advisor is given besides a command line, read one way for spot-submit and for `spot explain`, so
// that explain shows what a launch would get: the job's runs in the launch's input unit, the outcomes of its
// advised runs (they widen the intervals) and the run the one-run what-if replays.

/**
 * Past runs read: the models fit at most the latest 100 successful ones, and a recurring job's recent history is what
 * predicts its next run.
 */
const HISTORY_LIMIT = 300;
/**
 * Advice records read for the input size each run was launched with and for the outcomes (the models fit at most 100
 * runs).
 */
const ADVICE_LIMIT = 100;

export interface JobHistory {
  /** Most recent first, input sizes in the launch's unit. */
  records: RunRecord[];
  launched: Advice[];
  /** The job's kept models (fitted when its runs were stored), when the store keeps any. */
  kept?: StoredModel[];
}

export async function readJobHistory(
  store: Pick<RunStore, 'records' | 'listAdvice' | 'models'>,
  app: string,
): Promise<JobHistory> {
  const [crawled, launched, kept] = await Promise.all([
    store.records({ app, limit: HISTORY_LIMIT }),
    store.listAdvice({ app, limit: ADVICE_LIMIT }),
    store.models ? store.models(app).catch(() => []) : undefined, // an unreadable cache only costs a fit
  ]);
  const records = inLaunchUnit(withLaunchOutcomes(crawled, launched), launched).records;
  return { records, launched, ...(kept ? { kept } : {}) };
}

export interface HistoryInputs {
  records: RunRecord[];
  outcomes: Outcome[];
  launched: Advice[];
  whatIf?: WhatIfRun;
}

/**
 * The advisor's inputs from a job's history for a launch of `inputBytes` (the what-if's raw document read from the
 * store). With fewer than `minRuns` successful runs the latest crawled one is replayed, whatever its size.
 */
export async function historyInputs(
  store: Pick<RunStore, 'getRaw'>,
  history: JobHistory,
  inputBytes: number | undefined,
  minRuns: number,
): Promise<HistoryInputs> {
  const replay =
    whatIfCandidate(history.records, inputBytes) ??
    (inputBytes && inputBytes > 0 ? thinWhatIfCandidate(history.records, minRuns) : undefined);
  const whatIf = replay?.appId ? whatIfRun(replay, await store.getRaw(replay.appId)) : undefined;
  return {
    records: history.records,
    outcomes: adviceOutcomes(history.records, history.launched),
    launched: history.launched,
    ...(whatIf ? { whatIf } : {}),
  };
}
