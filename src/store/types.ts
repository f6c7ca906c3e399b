import type { Advice, AdviceOutcome, AggDoc, ErrorDoc, RawDoc, RunFilter, RunRecord, TimeWindow } from '../types.js';

/** Where a page of `queryPage` ended: its last document's attempt end (epoch ms) and doc id. */
export interface QueryCursor {
  endMs: number;
  docId: string;
}

/**
 * Where Spot keeps what it learns. Two implementations (SQLite, Elasticsearch) pass one contract
 * suite (test/store/contract.ts). Every put is idempotent by id: writing the same document twice
 * leaves one copy, so a crawler killed mid-run can simply run again.
 */
export interface RunStore {
  /** Overwrites the raw document of `doc.id`. */
  putRaw(doc: RawDoc): Promise<void>;
  /** Overwrites the aggregated documents by `docId`. */
  putAgg(docs: AggDoc[]): Promise<void>;
  /** Appends an error document (unique `docId`; re-putting the same docId keeps one). */
  putError(doc: ErrorDoc): Promise<void>;
  /** Upserts run records by id (crawled and imported alike). */
  putRecords(records: RunRecord[]): Promise<void>;

  /** App ids that have an aggregated document whose attempt ended inside the window. */
  knownIds(window: TimeWindow): Promise<Set<string>>;
  /**
   * Number of error documents per app id (for `crawler.maxAppRetries`); with `since`, only those stored since then
   * (an event log's failures since it last changed).
   */
  errorCounts(appIds: string[], since?: Date): Promise<Map<string, number>>;
  /** Latest attempt end time among stored aggregated documents, if any. */
  latestEndTime(): Promise<Date | undefined>;

  /** Aggregated documents, most recent attempt end first. `app` matches the app name or its tag. */
  query(filter: RunFilter): Promise<AggDoc[]>;
  /**
   * Optional: as `query` with no app, each document cut to what a report draws (store/attempt-summary.ts),
   * for a store that can read that without reading whole documents. The report falls back to `query`.
   */
  attemptSummaries?(filter: { limit?: number }): Promise<AggDoc[]>;
  /**
   * As `query`, a page at a time: the `limit` most recent after `after` (the cursor the page before
   * returned), so that a reader of thousands of documents (`spot runs --limit 50000`) holds one page of them.
   */
  queryPage(filter: RunFilter, after?: QueryCursor): Promise<{ docs: AggDoc[]; next?: QueryCursor }>;
  getRaw(appId: string): Promise<RawDoc | undefined>;
  /** Aggregated documents of one app id (all attempts). */
  getAgg(appId: string): Promise<AggDoc[]>;
  errors(filter: { limit?: number; since?: Date }): Promise<ErrorDoc[]>;
  /** Run records of one job key (all when omitted), most recent first. */
  records(filter: { app?: string; limit?: number }): Promise<RunRecord[]>;
  /** Distinct job keys with their run counts. */
  apps(): Promise<{ app: string; runs: number }[]>;
  /** Optional: run records and distinct job keys in the whole store, for a store that counts them without
   * listing every job. The report falls back to `apps`. */
  runCounts?(): Promise<{ runs: number; apps: number }>;

  putAdvice(advice: Advice): Promise<void>;
  /**
   * Stores the advice unless a record of its id is there already, which stays as it is (outcome and all): a write
   * replayed from the outbox (store/outbox.ts) that had landed after all must not undo what was linked since.
   */
  createAdvice(advice: Advice): Promise<void>;
  getAdvice(id: string): Promise<Advice | undefined>;
  /** Records what happened to the launch the advice was for (merging into earlier outcome fields). */
  linkAdvice(id: string, outcome: AdviceOutcome): Promise<void>;
  /** Advice records, newest first. */
  listAdvice(filter: { app?: string; limit?: number }): Promise<Advice[]>;

  /** Optional: fitted models kept per job (store/model-cache.ts); a store without them fits at every launch. */
  models?(app: string): Promise<StoredModel[]>;
  putModel?(entry: StoredModel): Promise<void>;

  close(): Promise<void>;
}

/** One job's fitted model for one input-size point, as model-cache.ts writes it; the store keeps it as given. */
export interface StoredModel {
  app: string;
  /** The input-size point the model was selected for ('' without one). */
  query: string;
  /** Hash of the training runs and options it was fitted on. */
  fingerprint: string;
  /** The model code's version (model-cache.ts MODEL_VERSION). */
  version: string;
  storedAt: string;
  doc: unknown;
}
