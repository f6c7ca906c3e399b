import { HistoryNotFoundError } from '../history/errors.js';
import { hasEnrichmentQueue } from '../store/crawl-leases.js';
import { crawlApp } from './crawl-app.js';
import type { CrawlDeps } from './types.js';

// Apps stored while Menas was down are crawled again once it answers: the History Server is asked for the app
// anew and every document is rewritten (each put is idempotent), now with its Enceladus run.

/** Apps re-crawled per crawl, so a long outage never turns one crawl into a re-crawl of everything. */
const ENRICH_PER_CRAWL = 100;

/**
 * Re-crawls waiting apps, oldest first; stops at the first one Menas still cannot enrich. Returns how many were
 * enriched.
 */
export async function enrichLater(deps: CrawlDeps): Promise<number> {
  const { store } = deps;
  if (!deps.menas || !hasEnrichmentQueue(store)) return 0;
  let enriched = 0;
  for (const appId of await store.unenriched(ENRICH_PER_CRAWL)) {
    if (deps.signal?.aborted) break;
    let result: Awaited<ReturnType<typeof crawlApp>>;
    try {
      result = await crawlApp(deps, appId);
    } catch (error) {
      if (!(error instanceof HistoryNotFoundError)) throw error;
      // The History Server no longer keeps the app: it can never be enriched; it stays stored as it is.
      deps.onEvent?.({
        type: 'warning',
        appId,
        message: 'gone from the History Server; it stays without its Enceladus run',
      });
      await store.clearUnenriched(appId);
      continue;
    }
    if (result.outcome === 'new' && result.unenriched) break; // Menas is still down: try again next crawl
    if (result.outcome === 'new') enriched += 1;
  }
  return enriched;
}
