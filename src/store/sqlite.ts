import type { Advice, AdviceOutcome, AggDoc, ErrorDoc, RawDoc, RunFilter, RunRecord, TimeWindow } from '../types.js';
import type { CrawlLeases, EnrichmentQueue, RecordIds } from './crawl-leases.js';
import type { QueryCursor, RunStore, StoredModel } from './types.js';
import type { YarnAppDoc, YarnDoc, YarnErrorDoc } from '../yarn/types.js';
import type {
  MonitorStore,
  SourceActivity,
  YarnDocKind,
  YarnDocsByKind,
  YarnErrorReader,
  YarnExport,
  YarnStore,
} from './yarn.js';
import * as yarn from './sqlite/yarn.js';
import * as advice from './sqlite/advice.js';
import * as documents from './sqlite/documents.js';
import * as leases from './sqlite/leases.js';
import * as models from './sqlite/models.js';
import { compact, type CompactOptions, type CompactResult } from './sqlite/compact.js';
import { BUSY_TIMEOUT_MS, damagedFileError, openDb, type Db } from './sqlite/open.js';
import * as runs from './sqlite/records.js';
import { damagedRowsError } from './sqlite/damaged-rows.js';

/**
 * The embedded store: one SQLite file (WAL, busy timeout, immediate transactions) that several crawlers
 * and spot-submit processes may share. better-sqlite3 is synchronous; the async interface is kept so the
 * callers need not care which store they have.
 */
export class SqliteStore
  implements RunStore, YarnStore, YarnErrorReader, YarnExport, MonitorStore, CrawlLeases, EnrichmentQueue, RecordIds
{
  private constructor(private readonly db: Db) {}

  /** Opens (creating the folder and the schema if needed) the database at `path`. Throws StoreError. */
  static async open(path: string): Promise<SqliteStore> {
    return new SqliteStore(openDb(path));
  }

  async putRaw(doc: RawDoc): Promise<void> {
    documents.putRaw(this.db, doc);
  }
  async putAgg(docs: AggDoc[]): Promise<void> {
    documents.putAgg(this.db, docs);
  }
  async putError(doc: ErrorDoc): Promise<void> {
    documents.putError(this.db, doc);
  }
  async putRecords(records: RunRecord[]): Promise<void> {
    runs.putRecords(this.db, records);
  }
  async knownIds(window: TimeWindow): Promise<Set<string>> {
    return documents.knownIds(this.db, window);
  }
  async errorCounts(appIds: string[], since?: Date): Promise<Map<string, number>> {
    return documents.errorCounts(this.db, appIds, since);
  }
  async latestEndTime(): Promise<Date | undefined> {
    return documents.latestEndTime(this.db);
  }
  async query(filter: RunFilter): Promise<AggDoc[]> {
    return documents.query(this.db, filter);
  }
  async queryPage(filter: RunFilter, after?: QueryCursor): Promise<{ docs: AggDoc[]; next?: QueryCursor }> {
    return documents.queryPage(this.db, filter, after);
  }
  async attemptSummaries(filter: { limit?: number }): Promise<AggDoc[]> {
    return documents.querySummaries(this.db, filter);
  }
  async getRaw(appId: string): Promise<RawDoc | undefined> {
    return documents.getRaw(this.db, appId);
  }
  async getAgg(appId: string): Promise<AggDoc[]> {
    return documents.getAgg(this.db, appId);
  }
  async errors(filter: { limit?: number; since?: Date }): Promise<ErrorDoc[]> {
    return documents.errors(this.db, filter);
  }
  async records(filter: { app?: string; limit?: number }): Promise<RunRecord[]> {
    return runs.records(this.db, filter);
  }
  async apps(): Promise<{ app: string; runs: number }[]> {
    return runs.apps(this.db);
  }
  async runCounts(): Promise<{ runs: number; apps: number }> {
    return runs.runCounts(this.db);
  }
  async putAdvice(a: Advice): Promise<void> {
    advice.putAdvice(this.db, a);
  }
  async getAdvice(id: string): Promise<Advice | undefined> {
    return advice.getAdvice(this.db, id);
  }
  async createAdvice(a: Advice): Promise<void> {
    advice.createAdvice(this.db, a);
  }

  async linkAdvice(id: string, outcome: AdviceOutcome): Promise<void> {
    advice.linkAdvice(this.db, id, outcome);
  }
  async listAdvice(filter: { app?: string; limit?: number }): Promise<Advice[]> {
    return advice.listAdvice(this.db, filter);
  }
  async models(app: string): Promise<StoredModel[]> {
    return models.models(this.db, app);
  }
  async putModel(entry: StoredModel): Promise<void> {
    models.putModel(this.db, entry);
  }
  async putYarnCluster(doc: YarnDoc): Promise<void> {
    yarn.putCluster(this.db, doc);
  }
  async putYarnApps(docs: YarnAppDoc[]): Promise<void> {
    yarn.putApps(this.db, docs);
  }
  async putYarnScheduler(docs: YarnDoc[]): Promise<void> {
    yarn.putScheduler(this.db, docs);
  }
  async putYarnError(doc: YarnErrorDoc): Promise<void> {
    yarn.putError(this.db, doc);
  }
  async yarnErrors(filter: { limit?: number; since?: Date }): Promise<YarnErrorDoc[]> {
    return yarn.errors(this.db, filter);
  }
  async latestYarnFinishedTime(yarnHost: string, notAfter?: Date): Promise<Date | undefined> {
    return yarn.latestFinishedTime(this.db, yarnHost, notAfter);
  }
  async yarnApps(filter: { since?: Date; limit?: number }): Promise<YarnAppDoc[]> {
    return yarn.apps(this.db, filter);
  }
  async yarnAppsById(ids: string[]): Promise<Map<string, YarnAppDoc>> {
    return yarn.appsById(this.db, ids);
  }
  async yarnPage<K extends YarnDocKind>(
    kind: K,
    cursor: string | undefined,
    size: number,
  ): Promise<{ docs: YarnDocsByKind[K][]; next?: string }> {
    return yarn.page(this.db, kind, cursor, size);
  }
  async sourceActivity(errorsSince: Date): Promise<SourceActivity[]> {
    return yarn.sourceActivity(this.db, errorsSince);
  }
  async claimApps(
    appIds: string[],
    owner: string,
    leaseMs: number,
    now = new Date(),
    ownerGone?: (owner: string) => boolean,
  ): Promise<string[]> {
    return leases.claimApps(this.db, appIds, owner, leaseMs, now, ownerGone);
  }
  async releaseApps(appIds: string[], owner: string): Promise<void> {
    leases.releaseApps(this.db, appIds, owner);
  }
  async markUnenriched(appId: string, note: string, now = new Date()): Promise<void> {
    leases.markUnenriched(this.db, appId, note, now);
  }
  async clearUnenriched(appId: string): Promise<void> {
    leases.clearUnenriched(this.db, appId);
  }
  async unenriched(limit: number): Promise<string[]> {
    return leases.unenriched(this.db, limit);
  }
  async knownRecordIds(ids: string[]): Promise<Set<string>> {
    return leases.knownRecordIds(this.db, ids);
  }
  /** Re-encodes documents written before compression and reclaims free space (sqlite/compact.ts). */
  async compact(opts: CompactOptions = {}): Promise<CompactResult> {
    return compact(this.db, opts);
  }
  async close(): Promise<void> {
    if (this.db.raw.open) this.db.raw.close();
  }

  /**
   * How long a write waits for another process's write lock (default: as opened). better-sqlite3 waits synchronously:
   * spot-submit's advice process waits briefly while the job runs, since in the wait it cannot take the job's outcome.
   */
  async busyTimeout(ms = BUSY_TIMEOUT_MS): Promise<void> {
    this.db.raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }
}

// Every method, one rule: SQLite finds a damaged page only when a statement reads it, in any method, so each
// one turns that failure into the StoreError that names the file (sqlite/open.ts); a document that is not JSON,
// into one that names its rows too (sqlite/damaged-rows.ts).
for (const name of Object.getOwnPropertyNames(SqliteStore.prototype)) {
  const method = (SqliteStore.prototype as unknown as Record<string, unknown>)[name];
  if (name === 'constructor' || typeof method !== 'function') continue;
  (SqliteStore.prototype as unknown as Record<string, unknown>)[name] = async function (
    this: SqliteStore,
    ...args: unknown[]
  ) {
    try {
      return await (method as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } catch (err) {
      const db = (this as unknown as { db: Db }).db;
      throw err instanceof SyntaxError ? damagedRowsError(db, err) : damagedFileError(db.path, err);
    }
  };
}
