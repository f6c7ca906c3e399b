import { splitCredentials } from '../history/auth.js';
import type { SpotConfig } from '../config/schema.js';
import type { YarnAppDoc, YarnDoc, YarnErrorDoc } from '../yarn/types.js';
import { StoreError } from './errors.js';
import { bulkWrite, refusedError, type WriteOp } from './es/bulk.js';
import { createClient, esReason, storeError } from './es/client.js';
import type { EsHttp } from './es/http.js';
import { ensureIndexes } from './es/indexes.js';
import { askServer, refuseServerless } from './es/server.js';
import { indexNames } from './es/mappings.js';
import { Refreshes, stderrWarn, type Warn } from './es/reads.js';
import { all, searchAll, searchPage, type Query, type Sort } from './es/search.js';
import { epochMs, schedulerIds } from './common.js';
import type { YarnDocKind, YarnDocsByKind, YarnExport, YarnStore } from './yarn.js';

// The original Spot's YARN indexes, <prefix>_yarn_{cluster,apps,scheduler}_<cluster> (index patterns
// spot_yarn_*_* of its dashboards), and YARN error documents in the err index as the original wrote them.
// Strings map to text with a .keyword sub-field (what the dashboards aggregate on); times map as dates.

const YARN_KINDS = ['cluster', 'apps', 'scheduler'] as const;
type YarnKind = (typeof YARN_KINDS)[number];

const date = { type: 'date' } as const;
const textWithKeyword = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } as const;
const spot = { properties: { time_processed: date, yarn_host: textWithKeyword, doc_type: textWithKeyword } };
const mapping = (extra: Record<string, unknown> = {}) => ({
  dynamic: true,
  date_detection: false,
  dynamic_templates: [{ whole_numbers_as_double: { match_mapping_type: 'long', mapping: { type: 'double' } } }],
  properties: { spot, ...extra },
});
const MAPPINGS: Record<YarnKind, Record<string, unknown>> = {
  cluster: mapping(),
  apps: mapping({ id: textWithKeyword, startedTime: date, finishedTime: date }),
  scheduler: mapping(),
};

export function yarnIndexNames(
  config: Pick<SpotConfig['elasticsearch'], 'indexPrefix' | 'cluster'>,
): Record<YarnKind, string> {
  const name = (kind: YarnKind) => `${config.indexPrefix}_yarn_${kind}_${config.cluster}`.toLowerCase();
  return { cluster: name('cluster'), apps: name('apps'), scheduler: name('scheduler') };
}

const BY_FINISH: Record<string, 'asc' | 'desc'>[] = [{ finishedTime: 'desc' }, { 'id.keyword': 'asc' }];

/** How each kind is read in pages for `spot store copy`: a sort whose values are unique per document (per poll). */
const EXPORT_SORT: Record<YarnDocKind, Sort> = {
  cluster: [{ 'spot.yarn_host.keyword': 'asc' }, { 'spot.time_processed': 'asc' }],
  apps: [{ 'id.keyword': 'asc' }],
  scheduler: [{ 'spot.yarn_host.keyword': 'asc' }, { 'spot.time_processed': 'asc' }],
  errors: [{ docId: 'asc' }],
};
/** The result window: a page, and so a poll, is at most this many documents. */
const MAX_PAGE = 10_000;

export class ElasticsearchYarnStore implements YarnStore, YarnExport {
  private readonly dirty = new Set<string>();
  private readonly refreshes: Refreshes;

  private constructor(
    private readonly client: EsHttp,
    private readonly url: string,
    private readonly idx: Record<YarnKind, string>,
    private readonly errIndex: string,
    warn: Warn,
  ) {
    this.refreshes = new Refreshes(client, url, warn);
  }

  /**
   * `create: false` (a copy's source) creates no index: one that is not there reads as empty. `warn` takes the
   * warning of a failed refresh at close (default stderr).
   */
  static async open(
    given: SpotConfig['elasticsearch'],
    options: { create?: boolean; warn?: Warn } = {},
  ): Promise<ElasticsearchYarnStore> {
    if (!given.url) throw new StoreError('elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL)');
    // user:password@ in the URL is basic auth, and no message repeats it (as the main store does)
    const { url, username, password } = splitCredentials(given.url);
    const config = { ...given, url, username: given.username ?? username, password: given.password ?? password };
    refuseServerless(config);
    const client = createClient(config);
    const names = yarnIndexNames(config);
    try {
      await askServer(client, config.url);
      if (options.create === false)
        return new ElasticsearchYarnStore(
          client,
          config.url,
          names,
          indexNames(config).err,
          options.warn ?? stderrWarn,
        );
      await ensureIndexes(client, indexNames(config), config.indexPrefix); // the err index, with its mapping
      for (const kind of YARN_KINDS) {
        const index = encodeURIComponent(names[kind]);
        const exists = await client.call({ method: 'HEAD', path: index, accept: [404] });
        if (exists.status === 200) continue;
        await client.call({ method: 'PUT', path: index, body: { mappings: MAPPINGS[kind] } }).catch((err: unknown) => {
          if (esReason(err).type !== 'resource_already_exists_exception') throw err;
        });
      }
    } catch (err) {
      await client.close().catch(() => undefined);
      throw storeError(config.url, err, 'opening the YARN indexes');
    }
    return new ElasticsearchYarnStore(client, config.url, names, indexNames(config).err, options.warn ?? stderrWarn);
  }

  private async write(doing: string, ops: WriteOp[]): Promise<void> {
    if (!ops.length) return;
    let failures: Awaited<ReturnType<typeof bulkWrite>>;
    try {
      failures = await bulkWrite(this.client, ops);
    } catch (err) {
      throw storeError(this.url, err, doing);
    }
    for (const o of ops) this.dirty.add(o.index);
    if (failures.length > 0) {
      throw refusedError(this.url, failures, ops.length, doing);
    }
  }

  private async search<T>(index: string, query: Query, limit?: number): Promise<T[]> {
    try {
      if (this.dirty.delete(index)) await this.refreshes.beforeSearch([index]);
      return await searchAll<T>(this.client, index, {
        query,
        sort: BY_FINISH,
        ...(limit === undefined ? {} : { limit }),
      });
    } catch (err) {
      throw storeError(this.url, err, `searching ${index}`);
    }
  }

  async putYarnCluster(doc: YarnDoc): Promise<void> {
    const t = epochMs(doc.spot.time_processed, 'spot.time_processed of a YARN cluster document');
    await this.write('storing a YARN cluster document', [
      { index: this.idx.cluster, id: `${doc.spot.yarn_host}-${t}`, op: 'create', doc },
    ]);
  }

  async putYarnApps(docs: YarnAppDoc[]): Promise<void> {
    for (const d of docs) epochMs(d.finishedTime, `finishedTime of ${d.id}`);
    await this.write(
      'storing YARN application documents',
      docs.map((doc) => ({ index: this.idx.apps, id: doc.id, op: 'index', doc })),
    );
  }

  async putYarnScheduler(docs: YarnDoc[]): Promise<void> {
    const ids = schedulerIds(docs);
    const ops = docs.map((doc, i): WriteOp => ({ index: this.idx.scheduler, id: ids[i]!, op: 'create', doc }));
    await this.write('storing YARN scheduler documents', ops);
  }

  async putYarnError(doc: YarnErrorDoc): Promise<void> {
    await this.write('storing a YARN error document', [
      { index: this.errIndex, id: doc.docId, op: 'create', doc: { docId: doc.docId, spot: doc.spot } },
    ]);
  }

  async latestYarnFinishedTime(yarnHost: string, notAfter?: Date): Promise<Date | undefined> {
    const until = notAfter ? [{ range: { finishedTime: { lte: notAfter.toISOString() } } }] : [];
    const [newest] = await this.search<YarnAppDoc>(
      this.idx.apps,
      all([{ term: { 'spot.yarn_host.keyword': yarnHost } }, ...until]),
      1,
    );
    return newest ? new Date(newest.finishedTime) : undefined;
  }

  async yarnApps(filter: { since?: Date; limit?: number }): Promise<YarnAppDoc[]> {
    const since = filter.since ? [{ range: { finishedTime: { gte: filter.since.toISOString() } } }] : [];
    return this.search<YarnAppDoc>(this.idx.apps, all(since), filter.limit);
  }

  async yarnAppsById(ids: string[]): Promise<Map<string, YarnAppDoc>> {
    const out = new Map<string, YarnAppDoc>();
    for (let i = 0; i < ids.length; i += 1000) {
      const docs = await this.search<YarnAppDoc>(
        this.idx.apps,
        all([{ terms: { 'id.keyword': ids.slice(i, i + 1000) } }]),
      );
      for (const d of docs) out.set(d.id, d);
    }
    return out;
  }

  async yarnPage<K extends YarnDocKind>(
    kind: K,
    cursor: string | undefined,
    size: number,
  ): Promise<{ docs: YarnDocsByKind[K][]; next?: string }> {
    const index = kind === 'errors' ? this.errIndex : this.idx[kind as Exclude<YarnDocKind, 'errors'>];
    // YARN errors share the err index with the History Server crawler's: theirs name a ResourceManager host
    const query = kind === 'errors' ? all([{ exists: { field: 'spot.yarn_host' } }]) : all([]);
    try {
      if (this.dirty.delete(index)) await this.refreshes.beforeSearch([index]);
      const there = await this.client.call({ method: 'HEAD', path: encodeURIComponent(index), accept: [404] });
      if (there.status === 404) return { docs: [] };
      const after = cursor === undefined ? undefined : (JSON.parse(cursor) as unknown[]);
      for (let n = Math.min(size, MAX_PAGE); ; n = Math.min(2 * n, MAX_PAGE)) {
        const hits = await searchPage<YarnDocsByKind[K]>(this.client, index, {
          query,
          sort: EXPORT_SORT[kind],
          size: n,
          ...(after ? { after } : {}),
        });
        if (hits.length < n) return { docs: hits.map((h) => h.source) };
        if (kind !== 'scheduler') return { docs: hits.map((h) => h.source), next: JSON.stringify(hits.at(-1)!.sort) };
        // whole polls only: the last one may go on in the next page
        const last = JSON.stringify(hits.at(-1)!.sort);
        const whole = hits.filter((h) => JSON.stringify(h.sort) !== last);
        if (whole.length > 0) return { docs: whole.map((h) => h.source), next: JSON.stringify(whole.at(-1)!.sort) };
        if (n === MAX_PAGE) throw new StoreError(`a poll in ${index} holds more than ${MAX_PAGE} scheduler documents`);
      }
    } catch (err) {
      throw storeError(this.url, err, `reading ${index}`);
    }
  }

  /** Refreshes what this process wrote, so the next command (`spot crawl --yarn --once && spot report`) sees it. */
  async close(): Promise<void> {
    const written = [...this.dirty];
    this.dirty.clear();
    await this.refreshes.onClose(written);
    await this.client.close();
  }
}
