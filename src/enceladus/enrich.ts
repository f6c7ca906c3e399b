import { isPlainObject } from '../common/json.js';
import type { JsonObject } from '../types.js';
import { aggregateCheckpoints } from './checkpoints.js';
import type { EnceladusClassification } from './classification.js';
import { assignRuns, castRun, matchesRun } from './runs.js';

// Menas enrichment of the raw document: each attempt gets the Enceladus run that it executed, or null.
// The crawl asks Menas (fetch-runs.ts) and hands the answer to the document builder; everything here is pure.

/**
 * What Menas said about one Spark app: the runs it lists for the app id, or why it could not be asked
 * (down, refusing the login, answering garbage): the app is then stored without its run, noted as
 * unenriched, and a later crawl fills it in.
 */
export type MenasRuns = { runs: object[] } | { unavailable: string };

/** For each attempt (newest first), the run it executed, cast for storage, or null. */
export function matchRuns(
  all: object[],
  appId: string,
  classification: EnceladusClassification,
  attemptStarts: (string | undefined)[],
  defaultTimezone: string,
  warn: (m: string) => void,
): (JsonObject | null)[] {
  const matching = (all as Record<string, unknown>[]).filter((r) => matchesRun(r, appId, classification));
  if (all.length > matching.length)
    warn(`${all.length - matching.length} Menas run(s) for ${appId} do not match its name`);
  if (matching.length === 0) warn(`no matching Menas run for ${appId}`);
  else if (matching.length !== attemptStarts.length) {
    warn(`${appId}: ${matching.length} Menas run(s) for ${attemptStarts.length} attempt(s)`);
  }
  const runs = matching.map((r) => castRun(r, defaultTimezone, warn));
  return assignRuns(attemptStarts, runs);
}

/** The aggregated document's copy of an attempt's run: checkpoints summarised. */
export function aggregateRun(run: unknown, defaultTimezone: string): unknown {
  if (!isPlainObject(run) || !isPlainObject(run.controlMeasure)) return run;
  const copy = structuredClone(run);
  const cm = copy.controlMeasure as Record<string, unknown>;
  if (Array.isArray(cm.checkpoints)) cm.checkpoints = aggregateCheckpoints(cm.checkpoints, defaultTimezone);
  return copy;
}
