import { isPlainObject } from '../documents/json.js';
import type { JsonObject } from '../types.js';
import { aggregateCheckpoints } from './checkpoints.js';
import type { EnceladusClassification } from './classification.js';
import type { MenasClient } from './menas-client.js';
import { assignRuns, castRun, matchesRun } from './runs.js';

// Menas enrichment of the raw document: each attempt gets the Enceladus run that it executed, or null.
// Enrichment is optional: when Menas cannot be asked (down, refusing the login, answering garbage) the app is
// stored without it, noted as unenriched, and a later crawl fills it in.

export type EnceladusRuns = { runs: (JsonObject | null)[] } | { unavailable: string };

export async function enceladusRuns(
  menas: MenasClient,
  appId: string,
  classification: EnceladusClassification,
  attemptStarts: (string | undefined)[],
  defaultTimezone: string,
  warn: (m: string) => void,
): Promise<EnceladusRuns> {
  let all: Record<string, unknown>[];
  try {
    all = (await menas.runsBySparkAppId(appId)) as Record<string, unknown>[];
  } catch (err) {
    const unavailable = `Menas unavailable: ${err instanceof Error ? err.message : String(err)}`;
    warn(`${appId}: ${unavailable}; stored without its Enceladus run, a later crawl adds it`);
    return { unavailable };
  }
  return { runs: matchRuns(all, appId, classification, attemptStarts, defaultTimezone, warn) };
}

function matchRuns(
  all: Record<string, unknown>[],
  appId: string,
  classification: EnceladusClassification,
  attemptStarts: (string | undefined)[],
  defaultTimezone: string,
  warn: (m: string) => void,
): (JsonObject | null)[] {
  const matching = all.filter((r) => matchesRun(r, appId, classification));
  if (all.length > matching.length) warn(`${all.length - matching.length} Menas run(s) for ${appId} do not match its name`);
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
