import { HistoryBadResponseError, HistoryHttpError, HistoryUnreachableError } from '../history/errors.js';
import { listCompletedApps, type ListedApp } from '../history/listing.js';
import { historyHost } from '../history/client.js';
import { hasCrawlLeases } from '../store/crawl-leases.js';
import { crawlListedApp, type AppResult, type AppScope } from './app.js';
import { enrichLater } from './enrich-later.js';
import { errorDoc, errorMessage, errorType } from './error-doc.js';
import { DEFAULT_LEASE_MS, leaseOwner, leaseOwnerGone } from './lease-owner.js';
import { runPool } from './pool.js';
import { selectNewApps } from './select.js';
import { countApp, emptySummary } from './summary.js';
import type { CrawlDeps, CrawlSummary } from './types.js';
import { crawlWindow, isEmptyWindow } from './window.js';

/**
 * After this many apps in a row fail because of the server (unreachable, 5xx, a page instead of the API's JSON), the
 * server is in trouble, not the apps: the crawl stops rather than file an error against every app of the window (each
 * counting towards crawler.maxAppRetries, after which later crawls leave the app alone).
 */
const SERVER_TROUBLE_IN_A_ROW = 8;

/**
 * Whether a failure says the server is in trouble: 'yes' when any app would have met it (unreachable), 'maybe' for an
 * error status or a page instead of JSON (a History Server failing on one app's log answers so too), else 'no'.
 */
function serverTrouble(cause: unknown): 'yes' | 'maybe' | 'no' {
  if (cause instanceof HistoryUnreachableError) return 'yes';
  if (cause instanceof HistoryHttpError) return cause.status >= 500 || cause.status === 429 ? 'maybe' : 'no';
  // An answer that is not JSON at all (an error page, a proxy's login page), not JSON of an unexpected shape.
  return cause instanceof HistoryBadResponseError && cause.sample !== undefined ? 'maybe' : 'no';
}

/**
 * One pass over the crawl window: list completed apps window by window, skip those already stored or given up
 * on, crawl the rest `crawler.concurrency` at a time. A bad app becomes an error document; it never stops the
 * crawl. A listing that fails (the History Server cannot be reached) is recorded as a 'listing' error and thrown.
 */
export async function crawlOnce(deps: CrawlDeps): Promise<CrawlSummary> {
  const started = Date.now();
  const { config, store, onEvent } = deps;
  const crawler = config.crawler;
  const now = deps.now ?? new Date();
  const window = crawlWindow(crawler, now, deps.since);
  const host = historyHost(deps.historyUrl);
  const summary = emptySummary();
  const leases = hasCrawlLeases(store) ? store : undefined;
  const owner = leaseOwner();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  onEvent?.({ type: 'start', window });
  if (isEmptyWindow(window)) {
    summary.elapsedMs = Date.now() - started;
    onEvent?.({ type: 'done', summary });
    return summary;
  }

  let listingFailed = false;
  async function* listed(): AsyncGenerator<ListedApp> {
    try {
      for await (const app of listCompletedApps(deps.client, {
        from: window.from,
        to: window.to,
        stepSeconds: crawler.timeStepSeconds,
        maxAppsPerListing: crawler.maxAppsPerListing,
        onWindow: (w, apps) => {
          summary.windows += 1;
          onEvent?.({ type: 'window', window: w, apps });
        },
        onInvalid: (problem) =>
          onEvent?.({ type: 'warning', message: `listing entry without an app id skipped: ${problem}` }),
        onFullListing: () =>
          onEvent?.({
            type: 'warning',
            message:
              'the History Server ignores minEndDate, maxEndDate or limit (its answer did not fit the query): listing all apps once and filtering here',
          }),
      })) {
        summary.listed += 1;
        onEvent?.({ type: 'listed', appId: app.id, total: summary.listed });
        yield app;
      }
    } catch (error) {
      listingFailed = true;
      throw error;
    }
  }

  const candidates = selectNewApps(listed(), {
    store,
    maxTries: Math.max(1, crawler.maxAppRetries),
    onSkip: (app, why) => {
      summary[why] += 1;
      onEvent?.({ type: 'app', appId: app.id, outcome: why });
    },
  });

  let troubleInARow = 0;
  const scope = (): AppScope => ({ deps, historyHost: host, now: deps.now ?? new Date() });
  // With leases, crawlers sharing a store split the apps: one another crawler holds (or has just stored) is
  // skipped here, so no two fetch it and none records an error for an app that is in fact stored.
  const crawlClaimed = async (app: ListedApp): Promise<AppResult> => {
    if (!leases) return crawlListedApp(scope(), app);
    const [taken] = await leases.claimApps([app.id], owner, leaseMs, new Date(), leaseOwnerGone);
    if (taken === undefined) return { outcome: 'skipped' };
    try {
      if (app.invalid === undefined && (await store.getAgg(app.id)).length > 0) return { outcome: 'skipped' };
      return await crawlListedApp(scope(), app);
    } finally {
      await leases.releaseApps([app.id], owner);
    }
  };
  try {
    await runPool(
      candidates,
      async (app) => {
        const result = await crawlClaimed(app);
        if (result.outcome === 'skipped') {
          countApp(summary, app.id, 'skipped', onEvent);
          return;
        }
        if (result.outcome === 'new') {
          troubleInARow = 0;
          countApp(summary, app.id, 'new', onEvent);
          return;
        }
        countApp(summary, app.id, 'failed', onEvent, result.error);
        // An app that failed before and fails again so may be its own trouble: it neither counts nor breaks the run.
        const trouble = serverTrouble(result.cause);
        if (trouble === 'yes' || (trouble === 'maybe' && !app.priorFailures)) troubleInARow++;
        else if (trouble === 'no') troubleInARow = 0;
        if (troubleInARow >= SERVER_TROUBLE_IN_A_ROW) throw result.cause;
      },
      { concurrency: crawler.concurrency, signal: deps.signal },
    );
  } catch (error) {
    if (listingFailed) {
      summary.errors.push({ appId: 'n/a', stage: 'listing', type: errorType(error), message: errorMessage(error) });
      // Best effort: the listing's failure is the news, not a store that cannot record it.
      await store
        .putError(errorDoc({ appId: 'n/a', historyHost: host, stage: 'listing', error, now: new Date() }))
        .catch(() => undefined);
    }
    summary.elapsedMs = Date.now() - started;
    onEvent?.({ type: 'done', summary, error });
    throw error;
  }
  summary.enriched = await enrichLater(deps);
  summary.stopped = Boolean(deps.signal?.aborted);
  summary.elapsedMs = Date.now() - started;
  onEvent?.({ type: 'done', summary });
  return summary;
}
