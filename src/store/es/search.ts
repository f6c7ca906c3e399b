import type { Client } from '@elastic/elasticsearch';

export type Query = Record<string, unknown>;
export type Sort = Record<string, 'asc' | 'desc'>[];

const PAGE = 1_000;

/**
 * Every hit (or the first `limit`) in sort order, paged with search_after, so neither 10,000 hits (the
 * result window) nor a limit above it is a ceiling. The sort must end in a unique field (a tiebreaker).
 */
export async function searchAll<T>(
  client: Client,
  index: string,
  request: { query: Query; sort: Sort; source?: string[]; limit?: number },
): Promise<T[]> {
  const out: T[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const want = request.limit === undefined ? PAGE : Math.min(PAGE, request.limit - out.length);
    if (want <= 0) break;
    const res = await client.search<T>({
      index,
      query: request.query,
      sort: request.sort as never,
      size: want,
      track_total_hits: false,
      ...(request.source ? { _source: request.source } : {}),
      ...(after ? { search_after: after as never } : {}),
    });
    const hits = res.hits.hits;
    for (const h of hits) out.push(h._source as T);
    if (hits.length < want) break;
    after = hits[hits.length - 1]!.sort as unknown[];
  }
  return out;
}

export const all = (filters: Query[]): Query => (filters.length === 0 ? { match_all: {} } : { bool: { filter: filters } });
