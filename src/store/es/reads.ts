import { storeError } from './client.js';
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
export async function refreshIndexes(
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
 * The refresh a store makes as it closes, so that the next command sees its writes at once. The writes are already
 * acknowledged and the cluster refreshes by itself within its refresh interval (1 s unless set), so a cluster that has
 * stopped answering costs at most one try and fails nothing: the command's own result stands. It is still said, once:
 * a `spot crawl --once && spot runs` that shows nothing new would otherwise read as lost writes.
 */
export async function refreshOnClose(client: EsHttp, url: string, indexes: string[], warn: Warn): Promise<void> {
  try {
    await refreshIndexes(client, indexes, { retryConnection: false, retryBusy: false });
  } catch (err) {
    const why = storeError(url, err, `refreshing ${indexes.join(', ')} as the store closed`).message;
    warn(
      `${why}; the last writes may not be searchable yet (the cluster makes them so within its refresh interval, 1 s unless set)`,
    );
  }
}
