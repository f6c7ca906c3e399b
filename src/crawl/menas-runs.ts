import { enceladusJob } from '../enceladus/classification.js';
import type { MenasRuns } from '../enceladus/enrich.js';
import type { MenasClient } from '../enceladus/menas-client.js';
import { wellFormed } from '../common/json.js';
import type { AppAttempt } from '../types.js';

// The fetch phase's second source: for an Enceladus job (known by its app name), the runs Menas lists for
// the app id. Fetched here, beside the History Server's attempts, so that building documents asks nobody.

/**
 * What Menas answered for the app, or undefined when there is nothing to ask (menas.url unset, not an
 * Enceladus job). A failure is an answer too: the reason the app is stored unenriched, to be enriched later.
 */
export async function fetchMenasRuns(
  menas: MenasClient | undefined,
  attempts: AppAttempt[],
  warn: (m: string) => void,
): Promise<MenasRuns | undefined> {
  const first = attempts[0];
  // The same text the raw document keeps for the app's id and name.
  if (!menas || !first || !enceladusJob(wellFormed(first.app.name))) return undefined;
  const appId = wellFormed(first.app.id);
  try {
    return { runs: await menas.runsBySparkAppId(appId) };
  } catch (err) {
    const unavailable = `Menas unavailable: ${err instanceof Error ? err.message : String(err)}`;
    warn(`${appId}: ${unavailable}; stored without its Enceladus run, a later crawl adds it`);
    return { unavailable };
  }
}
