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
  /** Newest `finishedTime` among the stored apps of one ResourceManager host. */
  latestYarnFinishedTime(yarnHost: string): Promise<Date | undefined>;
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

export function isYarnStore(store: object): store is YarnStore {
  return (
    typeof (store as Partial<YarnStore>).putYarnApps === 'function' &&
    typeof (store as Partial<YarnStore>).yarnAppsById === 'function'
  );
}

export function isMonitorStore(store: object): store is MonitorStore {
  return typeof (store as Partial<MonitorStore>).sourceActivity === 'function';
}
