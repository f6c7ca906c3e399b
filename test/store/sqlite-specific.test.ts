import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { StoreError } from '../../src/store/errors.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { ROOT } from '../support/paths.js';
import { advice, aggDoc, runRecord, T0 } from './factories.js';

const dir = mkdtempSync(join(tmpdir(), 'spot-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function inspect(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      journal: db.pragma('journal_mode', { simple: true }) as string,
      tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[],
      count: (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
      all: <T>(sql: string) => db.prepare(sql).all() as T[],
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

describe('sqlite store specifics', () => {
  test('an empty file is migrated to the current schema, in WAL mode', async () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    const store = await SqliteStore.open(path);
    await store.putAgg([aggDoc('a')]);
    await store.close();
    const db = inspect(path);
    assert.equal(db.version, SCHEMA_VERSION);
    assert.equal(db.journal, 'wal');
    assert.deepEqual(db.tables, [
      'advice',
      'agg',
      'crawl_leases',
      'errors',
      'models',
      'raw',
      'runs',
      'unenriched',
      'yarn_apps',
      'yarn_cluster',
      'yarn_errors',
      'yarn_scheduler',
    ]);
    assert.equal(db.count('agg'), 1);
  });

  test('re-opening an up-to-date database keeps its data', async () => {
    const path = join(dir, 'reopen.db');
    const first = await SqliteStore.open(path);
    await first.putAgg([aggDoc('a')]);
    await first.close();
    const second = await SqliteStore.open(path);
    assert.deepEqual(
      (await second.query({})).map((d) => d.docId),
      ['a-0'],
    );
    await second.close();
  });

  test('a file that is not SQLite gives one StoreError naming the path', async () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'this is a text file, not a database\n'.repeat(200));
    await assert.rejects(SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
      assert.ok(e.message.includes(path), e.message);
      assert.match(e.message, /not a usable Spot database/);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });

  test('a folder given as the database: one StoreError saying store.path names the file, not to move it away', async () => {
    await assert.rejects(SqliteStore.open(dir), (e: unknown) => {
      assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
      assert.equal(
        e.message,
        `the Spot database ${dir} is a folder: store.path names the database file, e.g. ${join(dir, 'spot.db')}`,
      );
      return true;
    });
  });

  test('a database under a file (store.path /etc/passwd/x.db): one StoreError naming the path, not ENOTDIR', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const path = join(file, 'spot.db');
    await assert.rejects(SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
      assert.equal(e.message, `cannot open the Spot database ${path}: a part of its path is not a folder`);
      return true;
    });
  });

  test('a database damaged past its first pages: the read that finds it gives one StoreError naming the path', async () => {
    const path = join(dir, 'damaged.db');
    const store = await SqliteStore.open(path);
    for (let i = 0; i < 60; i++) await store.putAgg([aggDoc(`app-${i}`, { endMs: T0 + i })]);
    await store.close();
    const bytes = readFileSync(path);
    assert.ok(bytes.length > 6 * 8192, `${bytes.length} bytes`);
    bytes.fill(0x5a, 8192, 6 * 8192); // the schema page survives, so opening succeeds
    writeFileSync(path, bytes);
    const reopened = await SqliteStore.open(path);
    try {
      await assert.rejects(reopened.query({ limit: 100 }), (e: unknown) => {
        assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
        assert.equal(
          e.message,
          `the Spot database ${path} is damaged (database disk image is malformed): restore it from a backup, or move it away and crawl again (sqlite3's .recover may save its rows)`,
        );
        return true;
      });
    } finally {
      await reopened.close();
    }
  });

  test('a stored document that is not JSON: one StoreError naming the file and the rows, and nothing changed', async () => {
    const path = join(dir, 'cut-row.db');
    const store = await SqliteStore.open(path);
    await store.putRecords([runRecord('run-1', 'etl', T0), runRecord('run-2', 'etl', T0 + 1)]);
    await store.putAdvice(advice('adv-1', 'etl', T0));
    await store.close();
    const db = new Database(path);
    db.prepare(`UPDATE runs SET record = '{"id":"run-2","app' WHERE id = 'run-2'`).run();
    db.close();
    const reopened = await SqliteStore.open(path);
    try {
      for (const read of [() => reopened.records({ app: 'etl' }), () => reopened.records({})])
        await assert.rejects(read(), (e: unknown) => {
          assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
          assert.match(e.message, new RegExp(`^the Spot database ${path} holds a document that is not JSON \\(`));
          assert.match(e.message, /\): runs 'run-2'\. Something other than Spot wrote or cut it: restore the file/);
          return true;
        });
      // The rest of the store reads as before.
      assert.equal((await reopened.getAdvice('adv-1'))?.id, 'adv-1');
    } finally {
      await reopened.close();
    }
    assert.equal(inspect(path).count('runs'), 2);
    // A parse error that no stored row explains (here a paging cursor Spot did not write) is not blamed on the file.
    const healthy = await SqliteStore.open(join(dir, 'healthy.db'));
    try {
      await assert.rejects(
        healthy.yarnPage('scheduler', '{not a cursor', 10),
        (e: unknown) => e instanceof SyntaxError,
      );
    } finally {
      await healthy.close();
    }
  });

  test('a database from a newer Spot is refused, and left untouched', async () => {
    const path = join(dir, 'newer.db');
    // What a newer Spot leaves: this one's tables plus its own migration, in its own journal mode.
    await (await SqliteStore.open(path)).close();
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.exec('CREATE TABLE future (x)');
    db.close();
    const before = readFileSync(path);
    await assert.rejects(SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assert.ok(e.message.includes(path), e.message);
      assert.match(e.message, new RegExp(`schema version ${SCHEMA_VERSION + 1}.*upgrade Spot`));
      return true;
    });
    assert.ok(readFileSync(path).equals(before), 'the file is left byte for byte as it was');
    const after = inspect(path);
    assert.equal(after.version, SCHEMA_VERSION + 1);
    assert.ok(after.tables.includes('future'));
  });

  /** A database of another program: its own tables, none of Spot's, and `version` as its user_version. */
  function foreignDb(name: string, version: number): string {
    const path = join(dir, name);
    const db = new Database(path);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('kept')");
    db.pragma(`user_version = ${version}`);
    db.close();
    return path;
  }

  for (const version of [0, 1, SCHEMA_VERSION, SCHEMA_VERSION + 40]) {
    test(`another program's database (user_version ${version}) is refused as no Spot store, byte for byte untouched`, async () => {
      const path = foreignDb(`foreign-${version}.db`, version);
      const before = readFileSync(path);
      await assert.rejects(SqliteStore.open(path), (e: unknown) => {
        assert.ok(e instanceof StoreError, `expected StoreError, got ${String(e)}`);
        assert.equal(
          e.message,
          `${path} is not a Spot store (an SQLite database without Spot's tables), and Spot leaves it untouched: point store.path or SPOT_HOME elsewhere`,
        );
        return true;
      });
      assert.ok(readFileSync(path).equals(before), 'the file is left byte for byte as it was');
      assert.deepEqual(inspect(path).tables, ['notes']);
    });
  }

  test('an SQLite database with no tables yet is a new store', async () => {
    const path = join(dir, 'no-tables.db');
    const db = new Database(path);
    db.pragma('application_id = 7'); // writes the header: a file of one page, no tables
    db.close();
    assert.ok(readFileSync(path).length > 0);
    const store = await SqliteStore.open(path);
    await store.putAgg([aggDoc('a')]);
    await store.close();
    const after = inspect(path);
    assert.equal(after.version, SCHEMA_VERSION);
    assert.equal(after.count('agg'), 1);
  });

  test('two processes writing overlapping ids into one fresh database: no duplicates, no SQLITE_BUSY, no lost update', async () => {
    const path = join(dir, 'shared', 'spot.db');
    const writer = join(ROOT, 'test', 'store', 'sqlite-writer.ts');
    const start = (from: number, to: number, who: string) =>
      execa('node', ['--import', 'tsx', writer, path, String(from), String(to), who], { cwd: ROOT, reject: false });
    const children = [start(0, 600, 'a'), start(300, 900, 'b')];
    const ready = (child: (typeof children)[number]) =>
      new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', () => reject(new Error('writer exited before it was ready')));
      });
    try {
      await Promise.all(children.map(ready));
    } catch (e) {
      // The writer still waiting for "go" would wait forever, and the test with it.
      for (const child of children) child.kill();
      const r = await Promise.all(children);
      assert.fail(`${(e as Error).message}: ${r.map((x) => x.stderr).join('\n')}`);
    }
    const setup = await SqliteStore.open(path);
    await setup.putAdvice(advice('shared-advice', 'etl', T0));
    await setup.close();
    for (const child of children) child.stdin!.end('go\n');
    const [a, b] = await Promise.all(children);
    for (const r of [a!, b!]) {
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stderr, '');
    }
    const db = inspect(path);
    assert.equal(db.version, SCHEMA_VERSION);
    for (const table of ['raw', 'agg', 'runs', 'errors']) assert.equal(db.count(table), 900, table);
    assert.equal(db.count('advice'), 1);
    const [row] = db.all<{ doc: string }>('SELECT doc FROM advice');
    const outcome = JSON.parse(row!.doc).outcome;
    // each process links its own field many times; the last of each must survive the other's writes
    assert.equal(outcome.exitCode, 599);
    assert.equal(outcome.wallMs, 899);
    assert.deepEqual(
      db.all<{ n: number }>(`SELECT count(DISTINCT app_id) AS n FROM agg WHERE end_time BETWEEN ${T0} AND ${T0 + 900}`),
      [{ n: 900 }],
    );
  });
});
