import { historyHost } from '../history/client.js';
import { latestAttempt } from '../history/listing.js';
import { applicationSchema, describeProblem } from '../history/schema.js';
import type { ShsApplication } from '../types.js';
import { crawlListedApp } from './app.js';
import type { CrawlDeps, CrawlError } from './types.js';

export type CrawlAppResult =
  | { outcome: 'new'; docIds: string[]; unenriched?: boolean }
  /** The History Server knows the app but has not seen it finish yet: nothing was stored. */
  | { outcome: 'incomplete' }
  | { outcome: 'failed'; error: CrawlError };

/**
 * Crawls one app by id, whether or not it is stored already (spot-submit's crawlAfter: the run that just
 * finished, at once; a later crawl enriching an app stored while Menas was down). A History Server that does
 * not know the app (yet) throws HistoryNotFoundError, so a caller can poll; a failure after that is stored as
 * an error document like in a full crawl.
 */
export async function crawlApp(
  deps: Pick<CrawlDeps, 'client' | 'store' | 'config' | 'historyUrl' | 'menas' | 'now' | 'onEvent'>,
  appId: string,
): Promise<CrawlAppResult> {
  const path = `applications/${encodeURIComponent(appId)}`;
  const body = await deps.client.getJson<unknown>(path);
  const parsed = applicationSchema.safeParse(body);
  const app: ShsApplication & { invalid?: string } = parsed.success
    ? (parsed.data as ShsApplication)
    : { id: appId, name: '', attempts: [], invalid: describeProblem(parsed.error, body) };
  // As the History Server decides it, by the latest attempt: an earlier one left incomplete never completes.
  const latest = latestAttempt(app.attempts);
  if (parsed.success && (latest === undefined || latest.completed === false)) {
    return { outcome: 'incomplete' };
  }
  const result = await crawlListedApp(
    { deps: deps as CrawlDeps, historyHost: historyHost(deps.historyUrl), now: deps.now ?? new Date() },
    app,
  );
  if (result.outcome === 'failed') return { outcome: 'failed', error: result.error };
  // 'skipped': another crawler stored it meanwhile; what is stored is what this one would have stored.
  if (result.outcome === 'skipped')
    return { outcome: 'new', docIds: (await deps.store.getAgg(appId)).map((a) => a.docId) };
  return result;
}
