import { historyHost } from '../history/client.js';
import type { ShsApplication } from '../types.js';
import { crawlListedApp } from './app.js';
import type { CrawlDeps, CrawlError } from './types.js';

export type CrawlAppResult =
  | { outcome: 'new'; docIds: string[] }
  /** The History Server knows the app but has not seen it finish yet: nothing was stored. */
  | { outcome: 'incomplete' }
  | { outcome: 'failed'; error: CrawlError };

/**
 * Crawls one app by id, whether or not it is stored already (spot-submit's crawlAfter: the run that just
 * finished, at once). A History Server that does not know the app (yet) throws HistoryNotFoundError, so a
 * caller can poll; a failure after that is stored as an error document like in a full crawl.
 */
export async function crawlApp(
  deps: Pick<CrawlDeps, 'client' | 'store' | 'config' | 'historyUrl' | 'menas' | 'now' | 'onEvent'>,
  appId: string,
): Promise<CrawlAppResult> {
  const app = await deps.client.getJson<ShsApplication>(`applications/${encodeURIComponent(appId)}`);
  const attempts = Array.isArray(app.attempts) ? app.attempts : [];
  if (attempts.length === 0 || attempts.some((a) => a.completed === false)) return { outcome: 'incomplete' };
  const result = await crawlListedApp(
    { deps: deps as CrawlDeps, historyHost: historyHost(deps.historyUrl), now: deps.now ?? new Date() },
    app,
  );
  return result.outcome === 'new' ? result : { outcome: 'failed', error: result.error };
}
