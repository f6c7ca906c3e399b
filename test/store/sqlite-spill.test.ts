import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { unpackText } from '../../src/store/sqlite/packed.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { fillRuns } from '../report/fill.js';

// Run records carry spill and GC figures; a store written before they did gets them from the aggregated
// documents that SQL can still read (JSON text), and the others' runs keep none (unknown, not zero).

const dir = mkdtempSync(join(tmpdir(), 'spot-spill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FIGURES = ['memoryBytesSpilled', 'diskBytesSpilled', 'jvmGcTimeMs', 'executorRunTimeMs'] as const;

describe('sqlite: spill figures in run records', () => {
  test('new runs carry them; the migration fills them in from text documents, never from compressed ones', async () => {
    const path = join(dir, 'before.db');
    const fresh = await SqliteStore.open(path);
    const written = await fillRuns(fresh, 2);
    await fresh.close();
    for (const r of written) for (const k of FIGURES) assert.equal(typeof r[k], 'number', `${r.id} ${k}`);
    const [textId, packedId] = [written[0]!.id, written[1]!.id];

    // Back to the schema before the figures: records without them, one document as JSON text with a spill in it.
    const db = new Database(path);
    db.function('as_text', (doc: unknown) => (Buffer.isBuffer(doc) ? unpackText(doc) : doc));
    db.prepare(
      "UPDATE agg SET doc = json_set(as_text(doc), '$.attempt.aggs.stages.memoryBytesSpilled.sum', 7e9) WHERE doc_id = ?",
    ).run(textId);
    db.exec(`UPDATE runs SET record = json_remove(record, ${FIGURES.map((k) => `'$.${k}'`).join(', ')})`);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();

    const migrated = await SqliteStore.open(path);
    const records = new Map((await migrated.records({})).map((r) => [r.id, r]));
    await migrated.close();
    const text = records.get(textId)!;
    assert.equal(text.memoryBytesSpilled, 7e9);
    assert.equal(text.executorRunTimeMs, written[0]!.executorRunTimeMs);
    assert.equal(text.jvmGcTimeMs, written[0]!.jvmGcTimeMs);
    const packed = records.get(packedId)!;
    for (const k of FIGURES) assert.equal(k in packed, false, `${k} of a run whose document SQL cannot read`);
  });
});
