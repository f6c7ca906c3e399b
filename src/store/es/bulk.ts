import { setTimeout as sleep } from 'node:timers/promises';
import { EsResponseError, trimReason, type EsHttp } from './http.js';
import { StoreAccessError, StoreError } from '../errors.js';
import { fieldLimitOf, raiseFieldLimit } from './indexes.js';

export interface WriteOp {
  index: string;
  id: string;
  /** `create` keeps the first copy (409 counts as done); `index` overwrites; `delete` removes (404 counts as done). */
  op: 'index' | 'create' | 'delete';
  doc?: unknown;
}

/** A document the server refused for good (not for load): its id and the server's own words. */
export interface ItemFailure {
  op: WriteOp;
  status: number;
  type: string;
  reason: string;
}

export interface BulkRetry {
  /** Extra tries for items (or whole requests) refused for load: 429 and 5xx. */
  retries: number;
  /** First pause; doubles per retry. */
  baseMs: number;
  /** Injected by tests so that retries need no real waiting. */
  sleep?: (ms: number) => Promise<unknown>;
}

export const DEFAULT_BULK_RETRY: BulkRetry = { retries: 5, baseMs: 250 };

interface ItemError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

const CHUNK = 500;
/**
 * Bytes of one bulk request at most: under the smallest request a cluster takes, Amazon OpenSearch Service's 10 MiB
 * on small instance types (Elasticsearch's http.max_content_length is 100 MB). Wide documents (a Spark 3
 * environment, a raw History Server answer) reach that long before CHUNK documents do.
 */
const CHUNK_BYTES = 8 * 1024 * 1024;
const retryable = (status: number) => status === 429 || status >= 500;

/** A write with its bulk lines, serialized once: the request is sized by them. */
interface Line {
  op: WriteOp;
  text: string;
}

/**
 * Writes by id in bulk. Items the server refused for load (429, 5xx) are sent again with backoff; items
 * refused for the field limit get a raised limit and one more try; any other refusal is returned, so one
 * bad document costs only itself, never the rest of its batch. A request the server finds too large (413)
 * is sent again in halves, down to the one document that is too large alone.
 */
export async function bulkWrite(
  client: EsHttp,
  ops: WriteOp[],
  retry: BulkRetry = DEFAULT_BULK_RETRY,
): Promise<ItemFailure[]> {
  const failures: ItemFailure[] = [];
  let chunk: Line[] = [];
  let bytes = 0;
  for (const op of ops) {
    const meta = JSON.stringify({ [op.op]: { _index: op.index, _id: op.id } });
    const text = op.op === 'delete' ? `${meta}\n` : `${meta}\n${JSON.stringify(op.doc)}\n`;
    const size = Buffer.byteLength(text);
    if (chunk.length > 0 && (chunk.length >= CHUNK || bytes + size > CHUNK_BYTES)) {
      failures.push(...(await writeChunk(client, chunk, retry)));
      chunk = [];
      bytes = 0;
    }
    chunk.push({ op, text });
    bytes += size;
  }
  if (chunk.length > 0) failures.push(...(await writeChunk(client, chunk, retry)));
  return failures;
}

async function writeChunk(client: EsHttp, chunk: Line[], retry: BulkRetry): Promise<ItemFailure[]> {
  const failures: ItemFailure[] = [];
  let pending = chunk;
  let raised = false;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const again: Line[] = [];
    const tooWide = new Map<string, { limit: number; lines: Line[] }>();
    const last = attempt >= retry.retries;
    let items: { status: number; error?: ItemError }[];
    try {
      items = await send(client, pending);
    } catch (err) {
      if (err instanceof EsResponseError && err.status === 413) {
        failures.push(...(await writeSmaller(client, pending, retry, err)));
        return failures;
      }
      if (!(err instanceof EsResponseError) || !retryable(err.status) || last) throw err;
      items = pending.map(() => ({ status: err.status, error: { type: err.type, reason: err.reason } }));
    }
    items.forEach((result, i) => {
      const line = pending[i]!;
      const op = line.op;
      const e = result.error;
      if (!e) return;
      if (result.status === 409 && op.op === 'create') return; // already there: the put is idempotent
      if (result.status === 404 && op.op === 'delete') return; // already gone
      const limit = fieldLimitOf(e);
      if (limit !== undefined && !raised) {
        const entry = tooWide.get(op.index) ?? { limit, lines: [] };
        entry.lines.push(line);
        tooWide.set(op.index, entry);
      } else if (retryable(result.status) && !last) {
        again.push(line);
      } else {
        failures.push({
          op,
          status: result.status,
          type: e.type ?? 'unknown',
          reason: itemReason(e),
        });
      }
    });
    for (const [index, { limit, lines }] of tooWide) {
      await raiseFieldLimit(
        client,
        index,
        limit,
        lines.map((l) => l.op.doc),
      );
      again.push(...lines);
    }
    raised ||= tooWide.size > 0;
    if (again.length > 0 && again.length > [...tooWide.values()].reduce((n, t) => n + t.lines.length, 0)) {
      await (retry.sleep ?? sleep)(retry.baseMs * 2 ** attempt);
    }
    pending = again;
  }
  return failures;
}

/**
 * The server's reason with its cause where the cause adds to it: a mapping refusal names the field, its type and the
 * value in `reason` and only the parser's complaint ("For input string") in `caused_by`.
 */
function itemReason(e: ItemError): string {
  const reason = trimReason(e.reason ?? '');
  const cause = trimReason(e.caused_by?.reason ?? '');
  if (cause === '' || reason.includes(cause)) return reason || cause;
  return reason === '' ? cause : `${reason} (${cause})`;
}

/**
 * A request the server found too large, sent again in halves; a document too large on its own is refused alone, in
 * words that say so (Elasticsearch answers 413 with no body at all).
 */
async function writeSmaller(
  client: EsHttp,
  lines: Line[],
  retry: BulkRetry,
  err: EsResponseError,
): Promise<ItemFailure[]> {
  if (lines.length > 1) {
    const half = Math.ceil(lines.length / 2);
    return [
      ...(await writeChunk(client, lines.slice(0, half), retry)),
      ...(await writeChunk(client, lines.slice(half), retry)),
    ];
  }
  const [{ op, text }] = lines as [Line];
  const said = err.reason ? `: ${err.reason}` : '';
  return [
    {
      op,
      status: 413,
      type: err.type ?? 'request_entity_too_large',
      reason:
        `the document alone makes a request of ${Buffer.byteLength(text)} bytes, more than the cluster takes` +
        ` (http.max_content_length)${said}`,
    },
  ];
}

async function send(client: EsHttp, lines: Line[]): Promise<{ status: number; error?: ItemError }[]> {
  const res = await client.call<{ errors: boolean; items: Record<string, { status: number; error?: ItemError }>[] }>({
    method: 'POST',
    path: '_bulk',
    ndjson: lines.map((l) => l.text).join(''),
    retryBusy: false, // retried here, item by item
  });
  if (!Array.isArray(res.body.items)) throw new Error('the answer to a bulk request holds no items list');
  return res.body.items.map(
    (item) =>
      Object.values(item)[0] ?? { status: 500, error: { type: 'missing_item', reason: 'no result for this item' } },
  );
}

/**
 * The error for the documents a bulk write could not store, in one line; "the others" are named only when there are
 * others. Documents the cluster's security refused (a role that may create but not overwrite, or not write that index)
 * come first and make it a StoreAccessError: no document is at fault, and every write like them is refused too.
 */
export function refusedError(url: string, failures: ItemFailure[], total: number, doing: string): StoreError {
  const denied = failures.filter((f) => f.status === 403 && f.type === 'security_exception');
  const first = denied[0] ?? failures[0]!;
  const others = failures.length < total ? ' (the others are stored)' : '';
  const fix = denied.length > 0 ? '; the credentials were accepted, but their roles lack the privilege for this' : '';
  const text =
    `${url} refused ${failures.length} of ${total} document(s) while ${doing}${others}; ` +
    `first: ${first.op.index}/${first.op.id}: ${first.type}: ${first.reason}${fix}`;
  return denied.length > 0
    ? new StoreAccessError(text, { cause: failures })
    : new StoreError(text, { cause: failures });
}
