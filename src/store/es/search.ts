import { EsResponseError, type EsHttp } from './http.js';

export type Query = Record<string, unknown>;
export type Sort = Record<string, 'asc' | 'desc'>[];

export const PAGE = 1_000;

/**
 * Every hit (or the first `limit`) in sort order, paged with search_after, so neither 10,000 hits (the
 * result window) nor a limit above it is a ceiling. The sort must end in a unique field (a tiebreaker).
 */
export async function searchAll<T>(
  client: EsHttp,
  index: string,
  request: { query: Query; sort: Sort; source?: string[]; limit?: number },
): Promise<T[]> {
  const out: T[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const size = request.limit === undefined ? PAGE : Math.min(PAGE, request.limit - out.length);
    if (size <= 0) break;
    const hits = await searchPage<T>(client, index, { ...request, size, ...(after ? { after } : {}) });
    for (const h of hits) out.push(h.source);
    if (hits.length < size) break;
    after = hits[hits.length - 1]!.sort;
  }
  return out;
}

/** One page of hits after `after` (the sort values of the last hit before), with each hit's sort values. */
export async function searchPage<T>(
  client: EsHttp,
  index: string,
  request: { query: Query; sort: Sort; size: number; after?: unknown[]; source?: string[] },
): Promise<{ source: T; sort: unknown[] }[]> {
  const res = await client
    .call<{ hits?: { hits?: { _source?: T; sort?: unknown[] }[] } }>({
      method: 'POST',
      path: `${encodeURIComponent(index)}/_search`,
      // A shard without a copy to search (a node gone) would otherwise leave its documents out of a 200 answer: a job's
      // history read in part, advice fitted on what remains. Refused instead (503), it is retried as busy answers are.
      query: { allow_partial_search_results: false },
      body: {
        query: request.query,
        sort: request.sort.map(withUnmappedType),
        size: request.size,
        track_total_hits: false,
        ...(request.source ? { _source: request.source } : {}),
        ...(request.after ? { search_after: request.after } : {}),
      },
    })
    .catch((err: unknown) => {
      // An index not created yet (a store opened to read, which creates none) holds no history yet.
      if (err instanceof EsResponseError && err.status === 404 && err.type === 'index_not_found_exception') {
        return { body: { hits: { hits: [] } } };
      }
      throw err;
    });
  const hits = res.body.hits?.hits;
  if (!Array.isArray(hits)) throw new Error(`the answer to a search of ${index} holds no hits list`);
  return hits.map((h) => ({ source: h._source as T, sort: h.sort ?? [] }));
}

export const all = (filters: Query[]): Query =>
  filters.length === 0 ? { match_all: {} } : { bool: { filter: filters } };

// A field no document of an index has yet (an index the original Spot wrote, or an empty one) is
// unmapped there; sorting on it would fail the whole search instead of sorting those hits last.
const DATE_SORT_FIELDS = new Set(['attempt.endTime', 'spot.time_processed', 'endTime', 'createdAt']);

function withUnmappedType(
  entry: Record<string, 'asc' | 'desc'>,
): Record<string, { order: 'asc' | 'desc'; unmapped_type: string }> {
  const [field, order] = Object.entries(entry)[0]!;
  return { [field]: { order, unmapped_type: DATE_SORT_FIELDS.has(field) ? 'date' : 'keyword' } };
}
