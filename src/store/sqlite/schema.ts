import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

// The schema as an ordered list of migrations: entry i takes a database from version i to i + 1.
// Never edit a released entry; append a new one. The version lives in PRAGMA user_version.

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE raw (
    app_id TEXT PRIMARY KEY,
    doc    TEXT NOT NULL
  );
  CREATE TABLE agg (
    doc_id       TEXT PRIMARY KEY,
    app_id       TEXT NOT NULL,
    name         TEXT NOT NULL,
    tag          TEXT,
    history_host TEXT,
    end_time     INTEGER NOT NULL,
    duration     INTEGER,
    doc          TEXT NOT NULL
  );
  CREATE INDEX agg_tag_end  ON agg (tag, end_time);
  CREATE INDEX agg_name_end ON agg (name, end_time);
  CREATE INDEX agg_end      ON agg (end_time);
  CREATE INDEX agg_app      ON agg (app_id);
  CREATE TABLE errors (
    doc_id         TEXT PRIMARY KEY,
    app_id         TEXT NOT NULL,
    time_processed INTEGER NOT NULL,
    type           TEXT,
    stage          TEXT,
    doc            TEXT NOT NULL
  );
  CREATE INDEX errors_app  ON errors (app_id);
  CREATE INDEX errors_time ON errors (time_processed);
  CREATE TABLE runs (
    id       TEXT PRIMARY KEY,
    app      TEXT NOT NULL,
    end_time INTEGER NOT NULL,
    source   TEXT NOT NULL,
    record   TEXT NOT NULL
  );
  CREATE INDEX runs_app_end ON runs (app, end_time);
  CREATE TABLE advice (
    id         TEXT PRIMARY KEY,
    app        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    doc        TEXT NOT NULL
  );
  CREATE INDEX advice_app_created ON advice (app, created_at);
  CREATE INDEX advice_created     ON advice (created_at);
  `,
  // The YARN crawler's documents, and what `spot status` asks per History Server: its newest run and the
  // latest processing time (an index on the expression keeps that a lookup, not a scan of every document).
  `
  CREATE TABLE yarn_cluster (
    doc_id         TEXT PRIMARY KEY,
    yarn_host      TEXT NOT NULL,
    time_processed INTEGER NOT NULL,
    doc            TEXT NOT NULL
  );
  CREATE INDEX yarn_cluster_host_time ON yarn_cluster (yarn_host, time_processed);
  CREATE TABLE yarn_apps (
    app_id         TEXT PRIMARY KEY,
    yarn_host      TEXT NOT NULL,
    finished_time  INTEGER NOT NULL,
    time_processed INTEGER NOT NULL,
    doc            TEXT NOT NULL
  );
  CREATE INDEX yarn_apps_host_finished ON yarn_apps (yarn_host, finished_time);
  CREATE INDEX yarn_apps_finished      ON yarn_apps (finished_time);
  CREATE TABLE yarn_scheduler (
    doc_id         TEXT PRIMARY KEY,
    yarn_host      TEXT NOT NULL,
    time_processed INTEGER NOT NULL,
    doc_type       TEXT NOT NULL,
    doc            TEXT NOT NULL
  );
  CREATE INDEX yarn_scheduler_host_time ON yarn_scheduler (yarn_host, time_processed);
  CREATE TABLE yarn_errors (
    doc_id         TEXT PRIMARY KEY,
    yarn_host      TEXT NOT NULL,
    time_processed INTEGER NOT NULL,
    type           TEXT,
    stage          TEXT,
    doc            TEXT NOT NULL
  );
  CREATE INDEX yarn_errors_time ON yarn_errors (time_processed);
  CREATE INDEX agg_host_end       ON agg (history_host, end_time);
  CREATE INDEX agg_host_processed ON agg (history_host, json_extract(doc, '$.spot.time_processed'));
  `,
  // Crawlers sharing the file split the apps by short leases; apps stored while Menas was down wait here.
  `
  CREATE TABLE crawl_leases (
    app_id     TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX crawl_leases_expiry ON crawl_leases (expires_at);
  CREATE TABLE unenriched (
    app_id   TEXT PRIMARY KEY,
    noted_at INTEGER NOT NULL,
    note     TEXT
  );
  `,
  // Lean at scale. Raw and aggregated documents become compressed blobs (packed.ts), which SQL cannot look
  // into: what queries read moves to columns, the report's few fields to a small `summary` JSON, and run
  // records get the end-time index their newest-first reads walk. Only columns and indexes change here (quick
  // on any size of store, one transaction); the documents themselves are re-encoded in resumable batches by
  // `spot store compact` (compact.ts), and until then read as the JSON text they are.
  `
  DROP INDEX agg_host_processed;
  ALTER TABLE agg ADD COLUMN time_processed TEXT;
  ALTER TABLE agg ADD COLUMN summary TEXT;
  CREATE INDEX agg_host_time_processed ON agg (history_host, time_processed);
  CREATE INDEX runs_end ON runs (end_time DESC, id);
  `,
  // Fitted models kept per job (src/submit/model-cache.ts), so that a launch looks its model up instead of fitting
  // it: one row per job and input-size point, with the fingerprint of the runs it was fitted on and the model
  // code's version, so that a stale or foreign row is refitted, never trusted.
  `
  CREATE TABLE models (
    app         TEXT NOT NULL,
    query       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    version     TEXT NOT NULL,
    stored_at   INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (app, query)
  );
  `,
  // Spill and GC figures in run records (src/documents/record.ts sums them over stages). A run stored before
  // takes them from its aggregated document while that is still JSON text; SQL cannot read a compressed one, and
  // such a run keeps no figures (the advisor treats its spill as unknown). json_patch drops the null of a
  // figure the document lacks.
  `
  UPDATE runs SET record = json_patch(record, json_object(
      'memoryBytesSpilled', json_extract(agg.doc, '$.attempt.aggs.stages.memoryBytesSpilled.sum'),
      'diskBytesSpilled',   json_extract(agg.doc, '$.attempt.aggs.stages.diskBytesSpilled.sum'),
      'jvmGcTimeMs',        json_extract(agg.doc, '$.attempt.aggs.stages.jvmGcTime.sum'),
      'executorRunTimeMs',  json_extract(agg.doc, '$.attempt.aggs.stages.executorRunTime.sum')))
  FROM agg
  WHERE agg.doc_id = runs.id AND typeof(agg.doc) = 'text' AND json_valid(agg.doc)
    AND json_type(runs.record, '$.memoryBytesSpilled') IS NULL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function version(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(path: string, found: number): void {
  if (found > SCHEMA_VERSION) {
    throw new StoreError(
      `${path} has schema version ${found}, but this Spot knows only up to ${SCHEMA_VERSION}: upgrade Spot to use this database`,
    );
  }
}

/** The tables of the first migration: every Spot store has them, at any schema version. */
const SPOT_TABLES = ['raw', 'agg', 'errors', 'runs', 'advice'];

/**
 * Refuses, before anything is written to it, a file that is not a Spot store of a schema this Spot knows. An
 * empty database (a new or 0-byte file) is a new store. One with tables is Spot's only when it has the tables of
 * the first migration and a schema version (set in the transaction that creates them): any other is another
 * program's database, to which migrating would add Spot's tables.
 */
export function refuseUnusable(db: Database.Database, path: string): void {
  const { found, schema } = db.transaction(() => ({
    found: version(db),
    schema: db.prepare('SELECT type, name FROM sqlite_master').all() as { type: string; name: string }[],
  }))();
  if (schema.length === 0 && found === 0) return;
  const tables = new Set(schema.filter((s) => s.type === 'table').map((s) => s.name));
  if (found === 0 || !SPOT_TABLES.every((t) => tables.has(t))) {
    throw new StoreError(
      `${path} is not a Spot store (an SQLite database without Spot's tables), and Spot leaves it untouched: point store.path or SPOT_HOME elsewhere`,
    );
  }
  refuseNewer(path, found);
}

/**
 * Brings the database to SCHEMA_VERSION. The check-and-apply runs under BEGIN IMMEDIATE, so when two
 * processes open a fresh file at once, the second waits and then finds the work done.
 */
export function migrate(db: Database.Database, path: string): void {
  const seen = version(db);
  refuseNewer(path, seen);
  if (seen === SCHEMA_VERSION) return; // the common case takes no write lock
  db.transaction(() => {
    const current = version(db);
    refuseNewer(path, current);
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
