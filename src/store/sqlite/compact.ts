import { statSync } from 'node:fs';
import type { AggDoc } from '../../types.js';
import { aggExtras } from './documents.js';
import { PAGE_SIZE, type Db } from './open.js';
import { packText } from './packed.js';

// `spot store compact`: re-encodes the documents a store wrote before they were compressed, then gives the
// freed pages back to the file system. Each batch commits on its own, and a row is picked by what it still
// lacks, so a compaction killed half-way (or crawled into meanwhile) is simply run again and finishes.

/**
 * Rows per transaction: small enough that a crawler or spot-submit waiting on the lock waits well under its busy
 * timeout.
 */
const COMPACT_BATCH = 200;

export interface CompactResult {
  rawReencoded: number;
  aggReencoded: number;
  bytesBefore: number;
  /** The database file once its write-ahead log is emptied into it (with that log, when it was emptied at once). */
  bytesAfter: number;
  /**
   * The write-ahead log's bytes when another connection was reading (a spot-submit launch, a crawl) and it could not
   * be emptied: it holds the whole vacuumed database until the next write after those readers finish.
   */
  walBytes?: number;
}

export interface CompactOptions {
  batch?: number;
  /** Called after each committed batch (progress; tests stop a compaction half-way from here). */
  onBatch?: (done: { raw: number; agg: number }) => void;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const walPath = (path: string) => `${path}-wal`;

/** The database file and its write-ahead log, in bytes (what the user sees on disk). */
function storeBytes(path: string): number {
  return fileBytes(path) + fileBytes(walPath(path));
}

function reencodeRaw(db: Db, batch: number): number {
  const rows = db.stmt("SELECT app_id, doc FROM raw WHERE typeof(doc) = 'text' LIMIT ?").all(batch) as {
    app_id: string;
    doc: string;
  }[];
  const put = db.stmt('UPDATE raw SET doc = ? WHERE app_id = ?');
  for (const r of rows) put.run(packText(r.doc), r.app_id);
  return rows.length;
}

/** An aggregated row still in JSON text gains its time_processed and summary columns as it is packed. */
function reencodeAgg(db: Db, batch: number): number {
  const rows = db.stmt("SELECT doc_id, doc FROM agg WHERE typeof(doc) = 'text' LIMIT ?").all(batch) as {
    doc_id: string;
    doc: string;
  }[];
  const put = db.stmt('UPDATE agg SET time_processed = ?, summary = ?, doc = ? WHERE doc_id = ?');
  for (const r of rows) {
    const [processed, summary] = aggExtras(JSON.parse(r.doc) as AggDoc);
    put.run(processed, summary, packText(r.doc), r.doc_id);
  }
  return rows.length;
}

/**
 * Rewrites the file without its free pages, at PAGE_SIZE. A WAL database keeps its page size through VACUUM,
 * so the page size changes only when the journal can leave WAL mode for the while: that needs this to be the
 * only connection. With a crawler connected, the file is still vacuumed at its old page size. Returns whether the
 * write-ahead log could be emptied into the file afterwards.
 */
function vacuum(db: Db): boolean {
  const pageSize = db.raw.pragma('page_size', { simple: true }) as number;
  let walOff = false;
  if (pageSize !== PAGE_SIZE) {
    try {
      walOff = db.raw.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch {
      walOff = false; // another connection holds the database: keep WAL and the old page size
    }
    if (walOff) db.raw.pragma(`page_size = ${PAGE_SIZE}`);
  }
  try {
    db.raw.exec('VACUUM');
  } finally {
    if (walOff) db.raw.pragma('journal_mode = WAL');
  }
  // The checkpoint empties the write-ahead log into the file, so the figure printed is what is on disk; a reader in
  // another process (it waits busy_timeout for them) keeps it from doing so: the log then holds the vacuumed database.
  const [checkpoint] = db.raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return checkpoint?.busy === 0;
}

export function compact(db: Db, opts: CompactOptions = {}): CompactResult {
  const batch = opts.batch ?? COMPACT_BATCH;
  const bytesBefore = storeBytes(db.path);
  const done = { raw: 0, agg: 0 };
  for (;;) {
    const n = db.write(() => {
      const raw = reencodeRaw(db, batch);
      const agg = raw < batch ? reencodeAgg(db, batch - raw) : 0;
      done.raw += raw;
      done.agg += agg;
      return raw + agg;
    });
    if (n === 0) break;
    opts.onBatch?.({ ...done });
  }
  const result = { rawReencoded: done.raw, aggReencoded: done.agg, bytesBefore };
  if (vacuum(db)) return { ...result, bytesAfter: storeBytes(db.path) };
  // Not the file and its log as they are for now (the database twice over), but what the file comes to.
  const pages = db.raw.pragma('page_count', { simple: true }) as number;
  const pageSize = db.raw.pragma('page_size', { simple: true }) as number;
  return { ...result, bytesAfter: pages * pageSize, walBytes: fileBytes(walPath(db.path)) };
}
