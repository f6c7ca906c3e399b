import type { Client } from '@elastic/elasticsearch';
import { StoreError } from '../errors.js';
import { fieldLimitOf, raiseFieldLimit } from './indexes.js';

export interface WriteOp {
  index: string;
  id: string;
  /** `create` keeps the first copy (409 counts as done); `index` overwrites. */
  op: 'index' | 'create';
  doc: unknown;
}

interface ItemError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

const CHUNK = 500;

/** Writes by id in bulk; documents refused for the field limit get a raised limit and one retry. */
export async function bulkWrite(client: Client, ops: WriteOp[]): Promise<void> {
  for (let i = 0; i < ops.length; i += CHUNK) await writeChunk(client, ops.slice(i, i + CHUNK), true);
}

async function writeChunk(client: Client, ops: WriteOp[], mayRaise: boolean): Promise<void> {
  if (ops.length === 0) return;
  const operations = ops.flatMap((o) => [{ [o.op]: { _index: o.index, _id: o.id } }, o.doc as object]);
  const res = await client.bulk({ operations });
  if (!res.errors) return;
  const tooWide = new Map<string, { limit: number; ops: WriteOp[] }>();
  const failures: string[] = [];
  res.items.forEach((item, i) => {
    const result = Object.values(item)[0] as { status: number; error?: ItemError } | undefined;
    const op = ops[i]!;
    if (!result?.error) return;
    if (result.status === 409 && op.op === 'create') return; // already there: the put is idempotent
    const limit = fieldLimitOf(result.error);
    if (limit !== undefined && mayRaise) {
      const entry = tooWide.get(op.index) ?? { limit, ops: [] };
      entry.ops.push(op);
      tooWide.set(op.index, entry);
      return;
    }
    const e = result.error;
    failures.push(`${op.index}/${op.id}: ${e.type}: ${e.caused_by?.reason ?? e.reason}`);
  });
  if (failures.length > 0) {
    throw new StoreError(`Elasticsearch refused ${failures.length} document(s); first: ${failures[0]}`);
  }
  for (const [index, { limit, ops: retry }] of tooWide) {
    await raiseFieldLimit(client, index, limit, retry.map((o) => o.doc));
    await writeChunk(client, retry, false);
  }
}
