import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { aggDoc, iso, T0 } from '../store/factories.js';

// A database written before the YARN tables existed (schema version 1) gains them on open and keeps its runs.

const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a version-1 database is migrated: YARN tables added, runs kept, the status figures use the new indexes', async () => {
  const path = join(dir, 'old.db');
  // What a version-1 Spot left behind: its schema, and an aggregated document as JSON text.
  const raw = new Database(path);
  raw.exec(MIGRATIONS[0]!);
  const doc = aggDoc('app-1');
  raw
    .prepare(
      'INSERT INTO agg (doc_id, app_id, name, tag, history_host, end_time, duration, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      doc.docId,
      doc.id,
      doc.name,
      doc.app_specific_data.tag,
      doc.history_host,
      Date.parse(doc.attempt.endTime),
      doc.attempt.duration,
      JSON.stringify(doc),
    );
  raw.pragma('user_version = 1');
  raw.close();

  const store = await SqliteStore.open(path);
  try {
    assert.equal((await store.getAgg('app-1')).length, 1);
    await store.putYarnApps([
      {
        id: 'application_1_0001',
        startedTime: iso(T0),
        finishedTime: iso(T0),
        spot: { time_processed: iso(T0), yarn_host: 'rm' },
      },
    ]);
    assert.equal((await store.latestYarnFinishedTime('rm'))?.toISOString(), iso(T0));
    assert.equal(await store.latestYarnFinishedTime('other-rm'), undefined);
  } finally {
    await store.close();
  }
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT MAX(time_processed) FROM agg WHERE history_host = ?')
      .all('shs-a') as { detail: string }[];
    assert.match(plan.map((p) => p.detail).join(' '), /agg_host_time_processed/);
  } finally {
    db.close();
  }
});
