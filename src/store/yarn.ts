import type { ErrorDoc } from '../types.js';
import type { YarnAppDoc, YarnDoc, YarnErrorDoc } from '../yarn/types.js';

/**
 * What the YARN crawler and the report's YARN views need from a store, apart from RunStore: the SQLite store
 * implements it, and for Elasticsearch a separate ElasticsearchYarnStore writes the original's YARN indexes.
 */
export interface YarnStore {
  /** Adds one cluster document (one per poll); re-putting the same poll keeps one. */
  putYarnCluster(doc: YarnDoc): Promise<void>;
  /** Overwrites application documents by YARN app id. */
  putYarnApps(docs: YarnAppDoc[]): Promise<void>;
  /** Adds one poll's scheduler documents. */
  putYarnScheduler(docs: YarnDoc[]): Promise<void>;
  putYarnError(doc: YarnErrorDoc): Promise<void>;
  /**
   * Newest `finishedTime` among the stored apps of one ResourceManager host, of those that finished by `notAfter`
   * when given (one stamped in the future would otherwise hide every app that finishes until then).
   */
  latestYarnFinishedTime(yarnHost: string, notAfter?: Date): Promise<Date | undefined>;
  /** Application documents that finished since `since`, newest first. */
  yarnApps(filter: { since?: Date; limit?: number }): Promise<YarnAppDoc[]>;
  /** Application documents by id (for joining Spark runs to what YARN billed). */
  yarnAppsById(ids: string[]): Promise<Map<string, YarnAppDoc>>;
}

/** The YARN documents of each kind, as `spot store copy` reads them. */
export interface YarnDocsByKind {
  cluster: YarnDoc;
  apps: YarnAppDoc;
  scheduler: YarnDoc;
  errors: YarnErrorDoc;
}
export type YarnDocKind = keyof YarnDocsByKind;

/** Every YARN document a store holds, a page at a time, for `spot store copy`. */
export interface YarnExport {
  /**
   * The documents of one kind after `cursor` (undefined: from the start), about `size` of them, in a stable order;
   * `next` is the cursor of the page after, undefined after the last. A page of scheduler documents holds whole
   * polls (every document of one ResourceManager host and poll time), since their ids are numbered within a poll.
   */
  yarnPage<K extends YarnDocKind>(
    kind: K,
    cursor: string | undefined,
    size: number,
  ): Promise<{ docs: YarnDocsByKind[K][]; next?: string }>;
}

export function hasYarnExport(store: object): store is YarnExport {
  return typeof (store as Partial<YarnExport>).yarnPage === 'function';
}

/** What `spot status` reads (today the SQLite store). */
export interface MonitorStore {
  /** Per History Server and ResourceManager host: what was stored last, and errors since `errorsSince`. */
  sourceActivity(errorsSince: Date): Promise<SourceActivity[]>;
}

export interface SourceActivity {
  kind: 'history' | 'yarn';
  host: string;
  /** Newest run stored: the latest attempt end (History Server) or application finish (YARN), ISO-8601. */
  newestRun?: string;
  /** Latest `spot.time_processed` of what the crawler stored from this source, ISO-8601. */
  lastProcessed?: string;
  /** Error documents since `errorsSince`, by error type. */
  errors: Record<string, number>;
}

/**
 * A store that keeps YARN error documents apart from the History Server's (SQLite's yarn_errors table). On
 * Elasticsearch both go to the err index, so `errors()` already returns them and there is no such reader.
 */
export interface YarnErrorReader {
  /** YARN error documents, newest first. */
  yarnErrors(filter: { limit?: number; since?: Date }): Promise<YarnErrorDoc[]>;
}

/** An error document of either crawler: a YARN one carries `spot.yarn_host`, a History Server one `history_host`. */
export type CrawlErrorDoc = ErrorDoc | YarnErrorDoc;

export const isYarnError = (e: CrawlErrorDoc): e is YarnErrorDoc => typeof e.spot === 'object' && 'yarn_host' in e.spot;

/** Every crawler's error documents, newest first: `errors()` and, where kept apart, the YARN ones. */
export async function crawlErrors(
  store: { errors(filter: { limit?: number; since?: Date }): Promise<ErrorDoc[]> },
  filter: { limit?: number; since?: Date },
): Promise<CrawlErrorDoc[]> {
  const reader = store as Partial<YarnErrorReader>;
  const [spark, yarn] = await Promise.all([
    store.errors(filter),
    typeof reader.yarnErrors === 'function' ? reader.yarnErrors(filter) : Promise.resolve([]),
  ]);
  const all: CrawlErrorDoc[] = [...spark, ...yarn];
  const ms = (e: CrawlErrorDoc) => Date.parse(e.spot.time_processed) || 0;
  all.sort((a, b) => ms(b) - ms(a));
  return filter.limit === undefined ? all : all.slice(0, filter.limit);
}

export function isYarnStore(store: object): store is YarnStore {
  return (
    typeof (store as Partial<YarnStore>).putYarnApps === 'function' &&
    typeof (store as Partial<YarnStore>).yarnAppsById === 'function'
  );
}

export function isMonitorStore(store: object): store is MonitorStore {
  return typeof (store as Partial<MonitorStore>).sourceActivity === 'function';
}
