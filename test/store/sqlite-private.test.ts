import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { unpackText, type StoredDoc } from '../../src/store/sqlite/packed.js';
import { buildDocuments } from '../../src/documents/build.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { largeBlocksAttempt } from '../documents/fixtures.js';

// The database holds what the History Server showed about every app: it is created for its owner only,
// and what it stores is valid UTF-8 text whatever the server sent.

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite file is private and its text valid UTF-8', () => {
  test('spot.db is created 0600 (its -wal too) in a folder created 0700', async () => {
    const root = mkdtempSync(join(tmpdir(), 'spot-private-'));
    const prev = process.umask(0o022);
    try {
      const path = join(root, 'home', 'spot.db');
      const store = await SqliteStore.open(path);
      await store.putRecords([
        {
          id: 'r1',
          app: 'a',
          inputBytes: 1,
          executors: 1,
          executorCores: 1,
          durationMs: 1,
          succeeded: true,
          endTime: '2024-01-01T00:00:00.000Z',
          source: 'import',
        },
      ]);
      assert.equal(mode(join(root, 'home')), 0o700);
      assert.equal(mode(path), 0o600);
      assert.equal(mode(`${path}-wal`), 0o600);
      await store.close();
    } finally {
      process.umask(prev);
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a lone surrogate sent by the server (JSON "\\ud800") is stored as U+FFFD, never as broken UTF-16', async () => {
    const root = mkdtempSync(join(tmpdir(), 'spot-utf8-'));
    try {
      const a = largeBlocksAttempt([['spark.acme.note', 'bad \ud800 text']]);
      a.app = { id: 'app-utf8', name: 'daily \udc00 sales' };
      const built = await buildDocuments([a], { historyHost: 'shs', now: new Date('2024-05-01T00:00:00Z') });
      const path = join(root, 'spot.db');
      const store = await SqliteStore.open(path);
      await store.putRaw(built.raw);
      await store.putAgg(built.aggs);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        // Documents are stored compressed: their text is what unpacking gives back.
        const texts = [
          ...(db.prepare('SELECT doc FROM raw').pluck().all() as StoredDoc[]).map((d) => Buffer.from(unpackText(d))),
          ...(db.prepare('SELECT doc FROM agg').pluck().all() as StoredDoc[]).map((d) => Buffer.from(unpackText(d))),
          ...(db.prepare('SELECT CAST(name AS BLOB) FROM agg').pluck().all() as Buffer[]),
        ].map((b) => new TextDecoder('utf-8', { fatal: true }).decode(b));
        for (const t of texts) assert.doesNotMatch(t, /\\ud[89a-f][0-9a-f]{2}|[\ud800-\udfff]/i);
        assert.ok(texts.some((t) => t.includes('daily \ufffd sales')));
        assert.ok(texts.some((t) => t.includes('bad \ufffd text')));
      } finally {
        db.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
