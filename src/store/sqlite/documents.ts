import type { AggDoc, ErrorDoc, RawDoc, RunFilter, TimeWindow } from '../../types.js';
import { attemptSummary } from '../attempt-summary.js';
import { DEFAULT_QUERY_LIMIT, epochMs } from '../common.js';
import type { QueryCursor } from '../types.js';
import type { Db } from './open.js';
import { pack, unpack, type StoredDoc } from './packed.js';

// Raw, aggregated and error documents: raw and aggregated documents compressed (packed.ts), error documents
// (small, and read by SQL) as JSON text, plus the columns the crawler, the advisor and the report filter,
// sort and draw on.

/** The order aggregated documents are read in: newest first, ties by doc id (`queryPage`'s cursor follows it). */
const NEWEST_FIRST = 'ORDER BY end_time DESC, doc_id';
/** A job as `RunFilter.app` names it to the agg table: its name or its tag. */
const NAME_OR_TAG = '(name = ? OR tag = ?)';

export function putRaw(db: Db, doc: RawDoc): void {
  db.stmt('INSERT INTO raw (app_id, doc) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET doc = excluded.doc').run(
    doc.id,
    pack(doc),
  );
}

export function putAgg(db: Db, docs: AggDoc[]): void {
  const rows = docs.map((d) => [
    d.docId,
    d.id,
    d.name,
    d.app_specific_data?.tag ?? null,
    d.history_host ?? null,
    epochMs(d.attempt?.endTime, `attempt.endTime of ${d.docId}`),
    Number.isFinite(d.attempt?.duration) ? d.attempt.duration : null,
    ...aggExtras(d),
  ]);
  const put = db.stmt(
    `INSERT INTO agg (doc_id, app_id, name, tag, history_host, end_time, duration, time_processed, summary, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (doc_id) DO UPDATE SET app_id = excluded.app_id, name = excluded.name, tag = excluded.tag,
       history_host = excluded.history_host, end_time = excluded.end_time, duration = excluded.duration,
       time_processed = excluded.time_processed, summary = excluded.summary, doc = excluded.doc`,
  );
  db.write(() => {
    for (const row of rows) put.run(row);
  });
}

/** What an aggregated row keeps beside its packed document, in column order: time_processed, summary, doc. */
export function aggExtras(d: AggDoc): [string | null, string, Buffer] {
  return [
    typeof d.spot?.time_processed === 'string' ? d.spot.time_processed : null,
    JSON.stringify(attemptSummary(d)),
    pack(d),
  ];
}

/** Keeps the first copy of an error event, as the original's `op_type=create` (and the ES store) does. */
export function putError(db: Db, doc: ErrorDoc): void {
  db.stmt(
    `INSERT INTO errors (doc_id, app_id, time_processed, type, stage, doc) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (doc_id) DO NOTHING`,
  ).run(
    doc.docId,
    doc.spot.spark_app_id,
    epochMs(doc.spot.time_processed, `spot.time_processed of error ${doc.docId}`),
    doc.spot.error?.type ?? null,
    doc.spot.error?.stage ?? null,
    JSON.stringify(doc),
  );
}

export function knownIds(db: Db, window: TimeWindow): Set<string> {
  const rows = db
    .stmt('SELECT DISTINCT app_id FROM agg WHERE end_time BETWEEN ? AND ?')
    .pluck()
    .all(window.from.getTime(), window.to.getTime()) as string[];
  return new Set(rows);
}

export function errorCounts(db: Db, appIds: string[], since?: Date): Map<string, number> {
  const counts = new Map<string, number>();
  if (appIds.length === 0) return counts;
  const rows = db
    .stmt(
      `SELECT app_id, count(*) AS n FROM errors WHERE app_id IN (SELECT value FROM json_each(?))
       AND time_processed >= ? GROUP BY app_id`,
    )
    .all(JSON.stringify(appIds), since?.getTime() ?? Number.MIN_SAFE_INTEGER) as { app_id: string; n: number }[];
  for (const r of rows) counts.set(r.app_id, r.n);
  return counts;
}

export function latestEndTime(db: Db): Date | undefined {
  const ms = db.stmt('SELECT max(end_time) FROM agg').pluck().get() as number | null;
  return ms === null ? undefined : new Date(ms);
}

export function query(db: Db, filter: RunFilter): AggDoc[] {
  const limit = filter.limit ?? DEFAULT_QUERY_LIMIT;
  const since = filter.since?.getTime() ?? Number.MIN_SAFE_INTEGER;
  const rows =
    filter.app === undefined
      ? db.stmt(`SELECT doc FROM agg WHERE end_time >= ? ${NEWEST_FIRST} LIMIT ?`).pluck().all(since, limit)
      : db
          .stmt(`SELECT doc FROM agg WHERE ${NAME_OR_TAG} AND end_time >= ? ${NEWEST_FIRST} LIMIT ?`)
          .pluck()
          .all(filter.app, filter.app, since, limit);
  return (rows as StoredDoc[]).map((d) => unpack<AggDoc>(d));
}

/** As `query`, the page after `after` (newest first; ties by doc id), with the cursor of its last document. */
export function queryPage(db: Db, filter: RunFilter, after?: QueryCursor): { docs: AggDoc[]; next?: QueryCursor } {
  const limit = filter.limit ?? DEFAULT_QUERY_LIMIT;
  const since = filter.since?.getTime() ?? Number.MIN_SAFE_INTEGER;
  // Before the cursor in the order of `query`: an earlier end, or the same end and a later doc id.
  const [endMs, docId] = after ? [after.endMs, after.docId] : [Number.MAX_SAFE_INTEGER, ''];
  const page = `end_time >= ? AND (end_time < ? OR (end_time = ? AND doc_id > ?)) ${NEWEST_FIRST} LIMIT ?`;
  const rows = (
    filter.app === undefined
      ? db.stmt(`SELECT end_time, doc_id, doc FROM agg WHERE ${page}`).all(since, endMs, endMs, docId, limit)
      : db
          .stmt(`SELECT end_time, doc_id, doc FROM agg WHERE ${NAME_OR_TAG} AND ${page}`)
          .all(filter.app, filter.app, since, endMs, endMs, docId, limit)
  ) as { end_time: number; doc_id: string; doc: StoredDoc }[];
  const last = rows.at(-1);
  return {
    docs: rows.map((r) => unpack<AggDoc>(r.doc)),
    ...(last && rows.length === limit ? { next: { endMs: last.end_time, docId: last.doc_id } } : {}),
  };
}

/**
 * As `query`, but each document cut to what a report draws (attempt-summary.ts): the summary column where
 * the row has one, else the whole document (a row not yet re-encoded by `spot store compact`), cut here.
 */
export function querySummaries(db: Db, filter: { limit?: number }): AggDoc[] {
  const rows = db
    .stmt(`SELECT summary, CASE WHEN summary IS NULL THEN doc END AS doc FROM agg ${NEWEST_FIRST} LIMIT ?`)
    .all(filter.limit ?? DEFAULT_QUERY_LIMIT) as { summary: string | null; doc: StoredDoc | null }[];
  return rows.map((r) =>
    r.summary !== null ? (JSON.parse(r.summary) as AggDoc) : attemptSummary(unpack<AggDoc>(r.doc!)),
  );
}

export function getRaw(db: Db, appId: string): RawDoc | undefined {
  const doc = db.stmt('SELECT doc FROM raw WHERE app_id = ?').pluck().get(appId) as StoredDoc | undefined;
  return doc === undefined ? undefined : unpack<RawDoc>(doc);
}

export function getAgg(db: Db, appId: string): AggDoc[] {
  const rows = db.stmt(`SELECT doc FROM agg WHERE app_id = ? ${NEWEST_FIRST}`).pluck().all(appId) as StoredDoc[];
  return rows.map((d) => unpack<AggDoc>(d));
}

export function errors(db: Db, filter: { limit?: number; since?: Date }): ErrorDoc[] {
  return recentErrors<ErrorDoc>(db, 'errors', filter);
}

/** Error documents of a table of them (the crawler's `errors`, the YARN crawler's `yarn_errors`), newest first. */
export function recentErrors<T>(
  db: Db,
  table: 'errors' | 'yarn_errors',
  filter: { limit?: number; since?: Date },
): T[] {
  const rows = db
    .stmt(`SELECT doc FROM ${table} WHERE time_processed >= ? ORDER BY time_processed DESC, doc_id LIMIT ?`)
    .pluck()
    .all(filter.since?.getTime() ?? Number.MIN_SAFE_INTEGER, filter.limit ?? -1) as string[];
  return rows.map((d) => JSON.parse(d) as T);
}
