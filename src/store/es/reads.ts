import { esReason, storeError } from './client.js';
import type { EsHttp, EsRequest } from './http.js';

/** A document by id (real-time, needs no refresh), with what optimistic concurrency needs. */
export async function getById<T>(
  client: EsHttp,
  index: string,
  id: string,
): Promise<{ doc: T; seqNo: number; primaryTerm: number } | undefined> {
  const res = await client.call<{
    found?: boolean;
    _source?: T;
    _seq_no?: number;
    _primary_term?: number;
    error?: unknown;
  }>({
    method: 'GET',
    path: `${encodeURIComponent(index)}/_doc/${encodeURIComponent(id)}`,
    accept: [404],
  });
  // a 404 with an error body is a missing index; without, a missing document: both mean "not stored"
  if (res.status === 404 || !res.body.found || res.body._source === undefined) return undefined;
  return { doc: res.body._source, seqNo: res.body._seq_no ?? 0, primaryTerm: res.body._primary_term ?? 1 };
}

/**
 * Makes what was written to `indexes` searchable now: writes skip the per-request refresh, so a store refreshes an
 * index it wrote before it searches it, and everything it wrote when it closes.
 */
async function refreshIndexes(
  client: EsHttp,
  indexes: string[],
  retry: Pick<EsRequest, 'retryConnection' | 'retryBusy'> = {},
): Promise<void> {
  if (indexes.length === 0) return;
  await client.call({ method: 'POST', path: `${indexes.map(encodeURIComponent).join(',')}/_refresh`, ...retry });
}

/** Where a store says something the user should know that fails nothing: one line, no prefix and no newline. */
export type Warn = (line: string) => void;

/** A store's warnings go to stderr unless the caller (the CLI, a test) takes them. */
export const stderrWarn: Warn = (line) => void process.stderr.write(`spot: warning: ${line}\n`);

/**
 * The refreshes of one store: before it searches an index it wrote, and of all it wrote as it closes. Roles without
 * the index privilege `maintenance` (in `manage`) may write but not refresh. Their writes are stored all the same, and
 * the cluster makes them searchable by itself: within its refresh interval (1 s unless set), at once for a shard no one
 * searched lately (the search waits for its refresh). So a refused refresh fails nothing: it is said once, and not
 * asked again.
 */
export class Refreshes {
  private refused = false;

  constructor(
    private readonly client: EsHttp,
    private readonly url: string,
    private readonly warn: Warn,
  ) {}

  /** Before a search of what this store wrote: a refusal for want of privilege goes on without it, any other fails. */
  async beforeSearch(indexes: string[]): Promise<void> {
    if (this.refused) return;
    try {
      await refreshIndexes(this.client, indexes);
    } catch (err) {
      if (!this.refusedFor(err, indexes)) throw err;
    }
  }

  /**
   * As the store closes, so that the next command (`spot crawl --once && spot runs`) sees its writes at once. The
   * writes are already acknowledged, so a cluster that has stopped answering costs at most one try and fails
   * nothing; it is still said, once: a command that shows nothing new would otherwise read as lost writes.
   */
  async onClose(indexes: string[]): Promise<void> {
    if (this.refused) return;
    try {
      await refreshIndexes(this.client, indexes, { retryConnection: false, retryBusy: false });
    } catch (err) {
      if (this.refusedFor(err, indexes)) return;
      const why = storeError(this.url, err, `refreshing ${indexes.join(', ')} as the store closed`).message;
      this.warn(
        `${why}; the last writes may not be searchable yet (the cluster makes them so within its refresh interval, 1 s unless set)`,
      );
    }
  }

  /** Whether the cluster refused the refresh for want of privilege (then said, once). */
  private refusedFor(err: unknown, indexes: string[]): boolean {
    const { status, type } = esReason(err);
    if (status !== 403) return false;
    this.refused = true;
    this.warn(
      `${this.url} refused to refresh ${indexes.join(', ')} (403${type ? ` ${type}` : ''}): the roles lack the ` +
        "index privilege maintenance (or manage; OpenSearch's action indices:admin/refresh), so what this command " +
        "writes is searchable within the cluster's refresh interval (1 s unless set) rather than at once",
    );
    return true;
  }
}
