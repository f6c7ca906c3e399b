import type { Client } from '@elastic/elasticsearch';
import { esReason } from './client.js';

/** A document by id (real-time, needs no refresh), with what optimistic concurrency needs. */
export async function getById<T>(client: Client, index: string, id: string): Promise<{ doc: T; seqNo: number; primaryTerm: number } | undefined> {
  try {
    const res = await client.get<T>({ index, id });
    if (!res.found || res._source === undefined) return undefined;
    return { doc: res._source, seqNo: res._seq_no ?? 0, primaryTerm: res._primary_term ?? 1 };
  } catch (err) {
    if (esReason(err).status === 404) return undefined;
    throw err;
  }
}
