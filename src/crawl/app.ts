import { adviceIdOf, buildDocuments, DocumentError } from '../documents/build.js';
import { redactorFor } from '../common/redact.js';
import { HistoryBadResponseError } from '../history/errors.js';
import { fetchAppAttempts } from '../history/fetch-attempt.js';
import type { ListedApp } from '../history/listing.js';
import { hasEnrichmentQueue } from '../store/crawl-leases.js';
import { StoreAccessError } from '../store/errors.js';
import type { RunStore } from '../store/types.js';
import type { HistoryClient } from '../history/client.js';
import type { AggDoc, AppAttempt, ErrorStage, RunRecord, ShsApplication } from '../types.js';
import { errorDoc, errorMessage, errorType } from './error-doc.js';
import { fetchMenasRuns } from './menas-runs.js';
import { appEnd } from './select.js';
import type { CrawlDeps, CrawlError } from './types.js';

// One app, end to end: fetch every attempt (and, for an Enceladus job, its Menas runs), build the documents,
// store them. The aggregated documents go last: their presence is what marks an app as crawled, so a crawler
// killed at any point before them simply fetches the app again next time (every put is idempotent by id), and
// one killed after them has lost nothing.

export type AppResult =
  /** `unenriched`: stored without its optional Menas enrichment (Menas could not be asked). */
  | { outcome: 'new'; docIds: string[]; unenriched?: boolean }
  | { outcome: 'failed'; error: CrawlError; cause: unknown }
  /** Failed here, but another crawler stored the app meanwhile: nothing to record. */
  | { outcome: 'skipped' };

export interface AppScope {
  deps: Omit<CrawlDeps, 'client' | 'historyUrl'> & { client?: HistoryClient };
  historyHost: string;
  now: Date;
  /** Where the attempts come from: the History Server unless given (event logs bring their own). */
  fetchAttempts?: (app: ShsApplication) => Promise<AppAttempt[]>;
}

export async function crawlListedApp(scope: AppScope, app: ListedApp): Promise<AppResult> {
  const { deps, historyHost, now } = scope;
  const { store, config } = deps;
  let stage: ErrorStage = app.invalid === undefined ? 'raw' : 'listing';
  try {
    if (app.invalid !== undefined) {
      throw new HistoryBadResponseError(
        deps.client?.url('applications') ?? app.id,
        `listing entry of ${app.id}: ${app.invalid}`,
      );
    }
    const attempts = scope.fetchAttempts
      ? await scope.fetchAttempts(app)
      : await fetchAppAttempts(deps.client!, app, { taskSummaries: config.crawler.taskSummaries });
    const warn = (message: string) => deps.onEvent?.({ type: 'warning', appId: app.id, message });
    const menasRuns = await fetchMenasRuns(deps.menas, attempts, warn);
    const built = buildDocuments(attempts, {
      historyHost,
      now,
      menasRuns,
      appKeyPattern: config.advisor.appKeyPattern,
      defaultTimezone: config.menas.defaultTimezone,
      redactor: redactorFor(config.redaction.patterns),
      warn,
    });
    stage = 'store';
    await store.putRaw(built.raw);
    await keyRecordsByAdvice(store, built.records);
    if (built.records.length > 0) await store.putRecords(built.records);
    // Linked before the aggregated documents are written, so a crash in between cannot lose the link.
    await linkAdvice(store, built.aggs, app.id);
    await store.putAgg(built.aggs);
    const unenriched = typeof built.raw.spot.unenriched === 'string';
    await noteEnrichment(store, app.id, built.raw.spot.unenriched, now);
    return { outcome: 'new', docIds: built.aggs.map((a) => a.docId), ...(unenriched ? { unenriched } : {}) };
  } catch (cause) {
    // The store's security refused the write: no app is at fault, and filing an error against each would give them up.
    if (cause instanceof StoreAccessError) throw cause;
    if (cause instanceof DocumentError) stage = cause.stage;
    // Another crawler may have stored the app while this one failed on it (its History Server answered
    // differently, or this one timed out): an error document would then count against an app that is fine.
    if (stage !== 'store' && (await storedAlready(store, app.id))) return { outcome: 'skipped' };
    const doc = errorDoc({ appId: app.id, historyHost, stage, error: cause, now, appEndTime: appEnd(app) });
    // If the store cannot take even this, the crawl cannot record anything: let it stop.
    await store.putError(doc);
    return {
      outcome: 'failed',
      error: { appId: app.id, stage, type: errorType(cause), message: errorMessage(cause) },
      cause,
    };
  }
}

async function storedAlready(store: RunStore, appId: string): Promise<boolean> {
  return (await store.getAgg(appId).catch(() => [])).length > 0;
}

/** Keeps the store's list of apps waiting for Menas in step with what was just stored. */
async function noteEnrichment(store: RunStore, appId: string, unenriched: unknown, now: Date): Promise<void> {
  if (!hasEnrichmentQueue(store)) return;
  if (typeof unenriched === 'string') await store.markUnenriched(appId, unenriched, now);
  else await store.clearUnenriched(appId);
}

/**
 * A run launched through spot-submit learns under the job key its advice was given for. The app may rename
 * itself in code (SparkSession.builder.appName) so that its crawled name yields another key; without this the
 * next launch would find no history.
 */
async function keyRecordsByAdvice(store: RunStore, records: RunRecord[]): Promise<void> {
  for (const record of records) {
    if (!record.adviceId) continue;
    const advice = await store.getAdvice(record.adviceId);
    if (advice && advice.app !== record.app) record.app = advice.app;
  }
}

async function linkAdvice(store: RunStore, aggs: AggDoc[], appId: string): Promise<void> {
  // The final attempt is linked last so that its run id is the one the advice keeps.
  const ordered = [...aggs].sort((a, b) => Number(a.isFinalAttempt) - Number(b.isFinalAttempt));
  for (const agg of ordered) {
    const adviceId = adviceIdOf(agg);
    if (!adviceId) continue;
    // Only an advice this store knows: the app may have been launched against another Spot's store.
    if (!(await store.getAdvice(adviceId))) continue;
    await store.linkAdvice(adviceId, { applicationId: appId, runId: agg.docId, finishedAt: agg.attempt.endTime });
  }
}
