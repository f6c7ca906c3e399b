import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { SPOT_BIN } from '../support/paths.js';

// Every command that opens the SQLite store, pointed at another program's SQLite database (store.path mistyped or
// shared), refuses in one line naming the file and leaves it byte for byte as it was: migrating it would add Spot's
// tables to that program's file, and the command would go on as if it were an empty store.

const dir = mkdtempSync(join(tmpdir(), 'spot-foreign-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const foreign = join(dir, 'notes.db');
const db = new Database(foreign);
db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('kept')");
db.close();
const before = readFileSync(foreign);

async function spot(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
  Object.assign(env, { SPOT_HOME: join(dir, 'home'), SPOT_STORE_PATH: foreign });
  return execa('node', [SPOT_BIN, ...args], { cwd: dir, env, extendEnv: false, reject: false });
}

describe("commands on another program's SQLite database", () => {
  for (const args of [
    ['status'],
    ['runs'],
    ['runs', '--errors'],
    ['report', '--out', join(dir, 'report.html')],
    ['predict', '--app', 'daily_sales', '--executors', '10', '--executor-cores', '4', '--input-bytes', '50g'],
    ['explain', '--', '--master', 'yarn', '--name', 'daily_sales', 'app.jar'],
    ['crawl', '--once', '--history-server', 'http://127.0.0.1:9/api/v1'],
    ['store', 'compact'],
  ]) {
    test(`spot ${args.join(' ')}: one line saying it is no Spot store, exit 1, the file untouched`, async () => {
      const r = await spot(args);
      assert.equal(r.exitCode, 1, r.stderr);
      assert.equal(
        r.stderr,
        `spot: ${foreign} is not a Spot store (an SQLite database without Spot's tables), and Spot leaves it untouched: point store.path or SPOT_HOME elsewhere`,
      );
      assert.equal(r.stdout, '');
      assert.ok(readFileSync(foreign).equals(before), 'the file is left byte for byte as it was');
      assert.deepEqual(
        readdirSync(dir).filter((f) => f.startsWith('notes.db')),
        ['notes.db'],
        'no -wal or -shm left',
      );
    });
  }
});
