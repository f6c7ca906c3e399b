import { createHash } from 'node:crypto';
import type { SpotConfig } from '../config/schema.js';
import type { Advice, AdviceOutcome, AggDoc, ErrorDoc, RawDoc, RunFilter, RunRecord, TimeWindow } from '../types.js';
import { splitCredentials } from '../history/auth.js';
import { StoreError, StoreMissingError } from './errors.js';
import type { QueryCursor, RunStore, StoredModel } from './types.js';
import { DEFAULT_QUERY_LIMIT, epochMs, MODELS_PER_JOB, mergeOutcome } from './common.js';
import { bulkWrite, DEFAULT_BULK_RETRY, refusedError, type BulkRetry, type WriteOp } from './es/bulk.js';
import { createClient, esReason, storeError } from './es/client.js';
import type { EsHttp } from './es/http.js';
import { createIndex, existingIndexes } from './es/indexes.js';
import { askServer, refuseServerless, describeServer, type Product, type ServerInfo } from './es/server.js';
import { INDEX_KINDS, indexNames, type IndexKind, type IndexNames } from './es/mappings.js';
import { getById, Refreshes, stderrWarn, type Warn } from './es/reads.js';
import * as q from './es/queries.js';
import { PAGE, searchAll, searchPage } from './es/search.js';

export interface EsOpenOptions {
  /** `store.type: opensearch` asks for OpenSearch: another product is a configuration mistake. */
  expect?: Product;
  bulkRetry?: BulkRetry;
  /** Injected by tests so that retried requests (elasticsearch.retries) need no real waiting. */
  retrySleep?: (ms: number) => Promise<unknown>;
  /**
   * The store must be there already (its agg index), else StoreMissingError: for commands that only read, so a
   * mistyped indexPrefix or cluster creates nothing.
   */
  mustExist?: boolean;
  /**
   * true (the default): missing indexes and their templates are created at open, as a crawl or an import wants.
   * false: opening writes nothing, so that credentials whose roles may only read open the store too; an index that
   * is not there reads as empty history, and the first write to it creates it (spot-submit reads before it writes).
   */
  create?: boolean;
  /** Where the warning of a failed refresh at close goes (default stderr): the command succeeds all the same. */
  warn?: Warn;
}

/**
 * The shared store of the original Spot: one index per document kind and cluster, on Elasticsearch
 * 7.17/8.x/9.x or OpenSearch 1.x/2.x/3.x (one client, told apart by their root response). Writes skip the
 * per-request refresh (slow at crawl volume); instead this process refreshes an index it wrote before it
 * next searches it, so its own reads see its own writes. Other processes see them within ES's refresh
 * interval.
 */
export class ElasticsearchStore implements RunStore {
  private readonly dirty = new Set<string>();
  private readonly refreshes: Refreshes;
  private closed = false;

  private constructor(
    private readonly client: EsHttp,
    private readonly url: string,
    private readonly idx: IndexNames,
    private readonly prefix: string,
    /** The server as detected when the store was opened; undefined when the credentials' roles may not ask. */
    readonly server: ServerInfo | undefined,
    /** Indexes not there at open, by name: created by the first write to them. */
    private readonly missing: Map<string, IndexKind>,
    private readonly bulkRetry: BulkRetry,
    warn: Warn,
  ) {
    this.refreshes = new Refreshes(client, url, warn);
  }

  /** Connects, detects the server, and creates missing indexes unless told not to. Throws StoreError naming the URL. */
  static async open(given: SpotConfig['elasticsearch'], options: EsOpenOptions = {}): Promise<ElasticsearchStore> {
    if (!given.url) throw new StoreError('elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL)');
    // user:password@ in the URL is basic auth, and no message repeats it
    const { url, username, password } = splitCredentials(given.url);
    const config = { ...given, url, username: given.username ?? username, password: given.password ?? password };
    refuseServerless(config);
    const client = createClient(config, options.retrySleep);
    const names = indexNames(config);
    let server: ServerInfo | undefined;
    const missing = new Map<string, IndexKind>();
    try {
      server = await askServer(client, config.url);
      if (options.expect && server && options.expect !== server.product) {
        throw new StoreError(`store.type is '${options.expect}' but ${config.url} runs ${describeServer(server)}`);
      }
      const create = options.create !== false;
      const there = await existingIndexes(client, names, { reader: !create });
      if (options.mustExist && !there.has('agg')) throw new StoreMissingError(`${config.url} (no index ${names.agg})`);
      for (const kind of INDEX_KINDS) {
        if (there.has(kind)) continue;
        if (create) await createIndex(client, names, config.indexPrefix, kind);
        else missing.set(names[kind], kind);
      }
    } catch (err) {
      await client.close().catch(() => undefined);
      if (err instanceof StoreMissingError) throw err;
      throw storeError(config.url, err, 'opening the store');
    }
    return new ElasticsearchStore(
      client,
      config.url,
      names,
      config.indexPrefix,
      server,
      missing,
      options.bulkRetry ?? DEFAULT_BULK_RETRY,
      options.warn ?? stderrWarn,
    );
  }

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(this.url, err, doing);
    }
  }

  /** Every document the server takes is written; those it refuses for good are named in one StoreError. */
  private async write(doing: string, ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    const failures = await this.run(doing, async () => {
      // A write to an index that was not there creates it with its template first, not by the cluster's guesses.
      for (const index of new Set(ops.map((o) => o.index))) {
        const kind = this.missing.get(index);
        if (kind === undefined) continue;
        await createIndex(this.client, this.idx, this.prefix, kind);
        this.missing.delete(index);
      }
      return bulkWrite(this.client, ops, this.bulkRetry);
    });
    for (const o of ops) this.dirty.add(o.index);
    if (failures.length > 0) {
      throw refusedError(this.url, failures, ops.length, doing);
    }
  }

  /** A search of `index`, after a refresh where this store wrote to it since the last one. */
  private async searching<T>(index: string, search: () => Promise<T>): Promise<T> {
    return this.run(`searching ${index}`, async () => {
      if (this.dirty.delete(index)) await this.refreshes.beforeSearch([index]);
      return search();
    });
  }

  private async search<T>(index: string, request: q.SearchRequest): Promise<T[]> {
    return this.searching(index, () => searchAll<T>(this.client, index, request));
  }

  async putRaw(doc: RawDoc): Promise<void> {
    await this.write('storing a raw document', [{ index: this.idx.raw, id: doc.id, op: 'index', doc }]);
  }

  async putAgg(docs: AggDoc[]): Promise<void> {
    for (const d of docs) epochMs(d.attempt?.endTime, `attempt.endTime of ${d.docId}`);
    await this.write(
      'storing aggregated documents',
      docs.map((doc) => ({ index: this.idx.agg, id: doc.docId, op: 'index', doc })),
    );
  }

  async putError(doc: ErrorDoc): Promise<void> {
    // `create`, like the original's err index: the first report of one failure event stays
    await this.write('storing an error document', [{ index: this.idx.err, id: doc.docId, op: 'create', doc }]);
  }

  async putRecords(records: RunRecord[]): Promise<void> {
    for (const r of records) epochMs(r.endTime, `endTime of run ${r.id}`);
    await this.write(
      'storing run records',
      records.map((doc) => ({ index: this.idx.runs, id: recordDocumentId(doc.id), op: 'index', doc })),
    );
  }

  /** Which run record ids are stored already: `spot import` counts its new runs by it, as on SQLite. */
  async knownRecordIds(ids: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const hits = await this.search<{ id: string }>(this.idx.runs, q.recordIdsSearch(ids.slice(i, i + 1000)));
      for (const h of hits) known.add(h.id);
    }
    return known;
  }

  async knownIds(window: TimeWindow): Promise<Set<string>> {
    const hits = await this.search<{ id: string }>(this.idx.agg, q.knownIdsSearch(window));
    return new Set(hits.map((h) => h.id));
  }

  async errorCounts(appIds: string[], since?: Date): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < appIds.length; i += 1000) {
      const hits = await this.search<{ spot: { spark_app_id: string } }>(
        this.idx.err,
        q.errorCountsSearch(appIds.slice(i, i + 1000), since),
      );
      for (const h of hits) counts.set(h.spot.spark_app_id, (counts.get(h.spot.spark_app_id) ?? 0) + 1);
    }
    return counts;
  }

  async latestEndTime(): Promise<Date | undefined> {
    const [hit] = await this.search<{ attempt: { endTime: string } }>(this.idx.agg, q.latestEndSearch());
    return hit ? new Date(hit.attempt.endTime) : undefined;
  }

  async query(filter: RunFilter): Promise<AggDoc[]> {
    return this.search<AggDoc>(this.idx.agg, q.aggSearch(filter));
  }

  /**
   * As `query`, one page after `after`: search_after on the query's own sort (attempt end, doc id), at most a
   * search page at a time.
   */
  async queryPage(filter: RunFilter, after?: QueryCursor): Promise<{ docs: AggDoc[]; next?: QueryCursor }> {
    const { query, sort, limit: asked = DEFAULT_QUERY_LIMIT } = q.aggSearch(filter);
    const limit = Math.min(asked, PAGE);
    const index = this.idx.agg;
    const hits = await this.searching(index, () =>
      searchPage<AggDoc>(this.client, index, {
        query,
        sort,
        size: limit,
        ...(after ? { after: [after.endMs, after.docId] } : {}),
      }),
    );
    const last = hits.at(-1);
    return {
      docs: hits.map((h) => h.source),
      ...(last && hits.length === limit ? { next: { endMs: Number(last.sort[0]), docId: String(last.sort[1]) } } : {}),
    };
  }

  async getRaw(appId: string): Promise<RawDoc | undefined> {
    return (await this.run('reading a raw document', () => getById<RawDoc>(this.client, this.idx.raw, appId)))?.doc;
  }

  async getAgg(appId: string): Promise<AggDoc[]> {
    return this.search<AggDoc>(this.idx.agg, q.aggOfAppSearch(appId));
  }

  async errors(filter: { limit?: number; since?: Date }): Promise<ErrorDoc[]> {
    return this.search<ErrorDoc>(this.idx.err, q.errorsSearch(filter));
  }

  async records(filter: { app?: string; limit?: number }): Promise<RunRecord[]> {
    return this.search<RunRecord>(this.idx.runs, q.recordsSearch(filter));
  }

  async apps(): Promise<{ app: string; runs: number }[]> {
    const hits = await this.search<{ app: string }>(this.idx.runs, q.appsSearch());
    const counts = new Map<string, number>();
    for (const h of hits) counts.set(h.app, (counts.get(h.app) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([app, runs]) => ({ app, runs }));
  }

  async putAdvice(advice: Advice): Promise<void> {
    epochMs(advice.createdAt, `createdAt of advice ${advice.id}`);
    await this.write('storing advice', [{ index: this.idx.advice, id: advice.id, op: 'index', doc: advice }]);
  }

  /** `create` keeps the first copy: a 409 for an id already stored counts as done (es/bulk.ts). */
  async createAdvice(advice: Advice): Promise<void> {
    epochMs(advice.createdAt, `createdAt of advice ${advice.id}`);
    await this.write('storing advice', [{ index: this.idx.advice, id: advice.id, op: 'create', doc: advice }]);
  }

  async getAdvice(id: string): Promise<Advice | undefined> {
    return (await this.run('reading advice', () => getById<Advice>(this.client, this.idx.advice, id)))?.doc;
  }

  /** Read, merge, write with optimistic concurrency: a concurrent link makes ours re-read and merge again. */
  async linkAdvice(id: string, outcome: AdviceOutcome): Promise<void> {
    await this.run('linking advice', async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await getById<Advice>(this.client, this.idx.advice, id);
        if (!current) return;
        try {
          await this.client.call({
            method: 'PUT',
            path: `${encodeURIComponent(this.idx.advice)}/_doc/${encodeURIComponent(id)}`,
            query: { if_seq_no: current.seqNo, if_primary_term: current.primaryTerm },
            body: mergeOutcome(current.doc, outcome),
          });
          this.dirty.add(this.idx.advice);
          return;
        } catch (err) {
          if (esReason(err).status !== 409) throw err;
        }
      }
      throw new StoreError(`advice ${id} kept changing under concurrent links; gave up after 10 tries`);
    });
  }

  async listAdvice(filter: { app?: string; limit?: number }): Promise<Advice[]> {
    return this.search<Advice>(this.idx.advice, q.adviceSearch(filter));
  }

  async models(app: string): Promise<StoredModel[]> {
    return this.search<StoredModel>(this.idx.models, q.modelsSearch(app));
  }

  /**
   * One document per job and input-size point; a job keeps its MODELS_PER_JOB newest, as in SQLite: a job whose
   * input size changes every day would otherwise gather a model per size it ever ran at.
   */
  async putModel(entry: StoredModel): Promise<void> {
    await this.write('storing a fitted model', [
      { index: this.idx.models, id: modelId(entry), op: 'index', doc: entry },
    ]);
    const kept = await this.search<Pick<StoredModel, 'app' | 'query'>>(this.idx.models, {
      ...q.modelsSearch(entry.app),
      source: ['app', 'query'],
      limit: MODELS_PER_JOB + STALE_MODELS_PER_PUT,
    });
    const stale = kept.slice(MODELS_PER_JOB);
    await this.write(
      'dropping older fitted models',
      stale.map((m) => ({ index: this.idx.models, id: modelId(m), op: 'delete' as const })),
    );
  }

  /**
   * Refreshes what this process wrote, so the next command (`spot crawl --once && spot runs`) sees it; never fails,
   * and warns once when the refresh did.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const written = [...this.dirty];
    this.dirty.clear();
    await this.refreshes.onClose(written);
    await this.client.close();
  }
}

/** Older models dropped per put: a store that kept more before (or missed a put's pruning) catches up put by put. */
const STALE_MODELS_PER_PUT = 32;

/**
 * Elasticsearch refuses a document id over 512 bytes, and with it the whole bulk request. An imported run's id is the
 * user's and may be longer: it is stored under its hash. Records are found by their `id` field, never by document id.
 */
function recordDocumentId(id: string): string {
  return Buffer.byteLength(id) <= 512 ? id : `sha256-${createHash('sha256').update(id).digest('hex')}`;
}

/** A hash of the job key and input-size point is a model's id, whatever the job key's length. */
function modelId(m: Pick<StoredModel, 'app' | 'query'>): string {
  return createHash('sha256')
    .update(JSON.stringify([m.app, m.query]))
    .digest('hex');
}
