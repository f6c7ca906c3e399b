import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { attemptSummary } from '../../src/store/attempt-summary.js';
import { StoreError } from '../../src/store/errors.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { PAGE_SIZE } from '../../src/store/sqlite/open.js';
import { unpack, unpackText } from '../../src/store/sqlite/packed.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { toAttemptRow } from '../../src/report/data.js';
import { spot } from '../support/cli.js';
import { fillRuns, putErrors } from '../report/fill.js';
import { aggDoc, T0 } from './factories.js';

// Compressed documents, the migration of a store written before them, and `spot store compact`.

const dir = mkdtempSync(join(tmpdir(), 'spot-compact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A filled store turned back into what schema version 3 left on disk (before compression): JSON text, 4 KB pages, its
 * indexes.
 */
function toVersion2(path: string): void {
  const db = new Database(path);
  db.function('as_text', (doc: unknown) => (Buffer.isBuffer(doc) ? unpackText(doc) : doc));
  db.exec(`
    UPDATE raw SET doc = as_text(doc);
    UPDATE agg SET doc = as_text(doc);
    DROP INDEX agg_host_time_processed;
    DROP INDEX runs_end;
    ALTER TABLE agg DROP COLUMN time_processed;
    ALTER TABLE agg DROP COLUMN summary;
    CREATE INDEX agg_host_processed ON agg (history_host, json_extract(doc, '$.spot.time_processed'));
    DROP TABLE IF EXISTS models;
  `);
  db.pragma('journal_mode = DELETE');
  db.pragma('page_size = 4096');
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.pragma('user_version = 3');
  db.close();
}

function value(path: string, sql: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}
const count = (path: string, sql: string) => value(path, sql) as number;

/** Everything a reader of the store can see, to compare a store with itself before and after. */
async function snapshot(store: SqliteStore) {
  const docs = await store.query({ limit: -1 });
  const ids = [...new Set(docs.map((d) => d.id))].sort();
  return {
    docs,
    raw: await Promise.all(ids.map((id) => store.getRaw(id))),
    agg: await Promise.all(ids.map((id) => store.getAgg(id))),
    summaries: await store.attemptSummaries({ limit: -1 }),
    records: await store.records({}),
    errors: await store.errors({}),
    activity: await store.sourceActivity(new Date(0)),
  };
}

describe('sqlite: compressed documents and spot store compact', () => {
  test('a version-3 store (before compression) reads the same before and after compaction; a compaction stopped half-way finishes when run again', async () => {
    const path = join(dir, 'v2.db');
    const fresh = await SqliteStore.open(path);
    await fillRuns(fresh, 4);
    await putErrors(fresh, 2);
    const expected = await snapshot(fresh);
    await fresh.close();
    assert.equal(expected.docs.length, 12);
    toVersion2(path);
    assert.equal(count(path, "SELECT count(*) FROM agg WHERE typeof(doc) = 'text'"), 12);

    const migrated = await SqliteStore.open(path);
    assert.deepEqual(await snapshot(migrated), expected, 'text documents read as they are');
    let batches = 0;
    await assert.rejects(
      migrated.compact({
        batch: 5,
        onBatch: () => {
          if (++batches === 2) throw new Error('killed');
        },
      }),
      /killed/,
    );
    const packed =
      count(path, "SELECT count(*) FROM raw WHERE typeof(doc) = 'blob'") +
      count(path, "SELECT count(*) FROM agg WHERE typeof(doc) = 'blob'");
    assert.equal(packed, 10, 'the two batches before the stop are kept');
    assert.deepEqual(await snapshot(migrated), expected, 'half text, half compressed');
    await migrated.close();

    const again = await SqliteStore.open(path);
    const result = await again.compact({ batch: 5 });
    assert.equal(result.rawReencoded + result.aggReencoded, 24 - 10);
    assert.ok(result.bytesAfter < result.bytesBefore, `${result.bytesAfter} < ${result.bytesBefore}`);
    assert.deepEqual(await snapshot(again), expected);
    await again.close();
    assert.equal(count(path, "SELECT count(*) FROM raw WHERE typeof(doc) = 'text'"), 0);
    assert.equal(
      count(path, "SELECT count(*) FROM agg WHERE typeof(doc) = 'text' OR summary IS NULL OR time_processed IS NULL"),
      0,
    );
    assert.equal(count(path, 'PRAGMA page_size'), PAGE_SIZE);
    assert.equal(count(path, 'PRAGMA user_version'), SCHEMA_VERSION);
    assert.equal(value(path, 'PRAGMA journal_mode'), 'wal');
  });

  test('new documents are written compressed, each aggregated one beside the summary a report reads', async () => {
    const path = join(dir, 'new.db');
    const store = await SqliteStore.open(path);
    await fillRuns(store, 2);
    const docs = await store.query({ limit: -1 });
    await store.close();
    assert.equal(count(path, "SELECT count(*) FROM raw WHERE typeof(doc) <> 'blob'"), 0);
    assert.equal(count(path, "SELECT count(*) FROM agg WHERE typeof(doc) <> 'blob'"), 0);
    assert.equal(count(path, 'PRAGMA page_size'), PAGE_SIZE);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT summary, doc FROM agg').all() as { summary: string; doc: Buffer }[];
    db.close();
    for (const r of rows) assert.deepEqual(JSON.parse(r.summary), attemptSummary(unpack(r.doc)));
    // The report draws the same from a summary as from the whole document.
    for (const d of docs) assert.deepEqual(toAttemptRow(attemptSummary(d)), toAttemptRow(d));
    assert.ok(
      docs.some((d) => toAttemptRow(d)?.shufflePartitions !== undefined && toAttemptRow(d)?.efficiency !== undefined),
    );
  });

  test('newest-first reads of runs and attempts walk an index instead of sorting the table', async () => {
    const path = join(dir, 'plan.db');
    await (await SqliteStore.open(path)).close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
    try {
      assert.match(plan('SELECT record FROM runs ORDER BY end_time DESC, id LIMIT 10'), /USING INDEX runs_end/);
      assert.match(plan('SELECT summary FROM agg ORDER BY end_time DESC, doc_id LIMIT 10'), /USING INDEX agg_end/);
    } finally {
      db.close();
    }
  });

  test('a document with a codec this Spot does not know is one StoreError', () => {
    assert.throws(
      () => unpack(Buffer.from([9, 1, 2, 3])),
      (e: unknown) => e instanceof StoreError && /codec 9.*upgrade Spot/.test(e.message),
    );
  });

  test('compacted while another process reads: the size said is what the file comes to; the log left is cut back', async () => {
    const path = join(mkdtempSync(join(dir, 'reader-')), 'spot.db');
    const store = await SqliteStore.open(path);
    const walBytes = () => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    try {
      // About 24 MiB of documents that do not compress, so that the vacuumed database outgrows the log's limit.
      for (let b = 0; b < 12; b++) {
        const docs = Array.from({ length: 50 }, (_, k) => {
          const doc = aggDoc(`app-${b}-${k}`, { endMs: T0 + b * 100 + k });
          (doc.attempt as unknown as Record<string, unknown>).bulk = randomBytes(30_000).toString('base64');
          return doc;
        });
        await store.putAgg(docs);
      }
      // Another process mid-read (a spot-submit launch reading the job's runs) all through the compaction.
      const reader = new Database(path, { readonly: true });
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM agg').get();
      const result = await store.compact();
      reader.exec('COMMIT');
      reader.close();
      // The file and its log hold the database twice over for now: what is said is what the file comes to.
      assert.ok(result.bytesAfter <= result.bytesBefore, `${result.bytesBefore} -> ${result.bytesAfter}`);
      assert.ok((result.walBytes ?? 0) > 16 * 1024 * 1024, `write-ahead log of ${result.walBytes} bytes`);
      // Once the reader is done, the next writes empty the log and cut it back, though this connection stays open
      // (as a looping crawl's does for weeks).
      for (let i = 0; i < 2; i++) await store.putAgg([aggDoc(`later-${i}`, { endMs: T0 })]);
      assert.ok(walBytes() <= 16 * 1024 * 1024, `write-ahead log of ${walBytes()} bytes left`);
    } finally {
      await store.close();
    }
  });

  test('spot store compact: one line with the sizes, exit 0; on Elasticsearch a usage error, exit 2', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await fillRuns(store, 2);
    await store.close();
    toVersion2(join(home, 'spot.db'));
    const res = await spot(home, ['store', 'compact']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /^spot store compact: 12 documents compressed; [\d.]+ \w*B -> [\d.]+ \w*B\n$/);
    const again = await spot(home, ['store', 'compact']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^spot store compact: [\d.]+ \w*B -> [\d.]+ \w*B\n$/);

    const empty = mkdtempSync(join(dir, 'home-'));
    const none = await spot(empty, ['store', 'compact']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, new RegExp(`^spot: no Spot store at ${join(empty, 'spot.db')} yet: \`spot crawl\``));
    assert.ok(!existsSync(join(empty, 'spot.db')), 'no store is created to be compacted');

    writeFileSync(
      join(home, '.spotrc.yml'),
      'store:\n  type: elasticsearch\nelasticsearch:\n  url: http://127.0.0.1:9\n',
    );
    const es = await spot(home, ['store', 'compact']);
    assert.equal(es.code, 2);
    assert.match(es.stderr, /^spot: spot store compact works on SQLite stores/);
  });
});
