import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';
import { aggDoc } from '../store/factories.js';

// A sound store this user may only read (another user's, a read-only copy): SQLite cannot open it, and the message
// says why, rather than calling the database unusable and advising to move it away.

const parent = mkdtempSync(join(tmpdir(), 'spot-read-only-'));
after(() => {
  if (existsSync(join(parent, 'home'))) chmodSync(join(parent, 'home'), 0o700);
  rmSync(parent, { recursive: true, force: true });
});

test('a store whose file and folder are not writable: one line saying so, not "move it away"', async (t) => {
  // Root writes whatever the modes say: root plays an unprivileged user, who must be able to read this clone.
  const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const reads = spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1], 4)', SPOT_BIN], {
    ...asOther,
    ...HANG_GUARD,
  });
  assert.equal(reads.signal, null, ended(reads));
  if (reads.status !== 0) return t.skip(`uid 65534 cannot read ${SPOT_BIN} (a private clone, run as root)`);
  const home = join(parent, 'home');
  mkdirSync(home);
  const db = join(home, 'spot.db');
  const store = await SqliteStore.open(db);
  await store.putAgg([aggDoc('a')]);
  await store.close();
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  // Readable by anyone, writable by no one but root.
  chmodSync(parent, 0o755);
  chmodSync(db, 0o444);
  chmodSync(home, 0o555);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
  const r = spawnSync(process.execPath, [SPOT_BIN, 'runs'], {
    cwd: home,
    env: { ...env, SPOT_HOME: home, HOME: home },
    encoding: 'utf8',
    ...asOther,
    ...HANG_GUARD,
  });
  assert.equal(r.status, 1, ended(r));
  assert.equal(
    r.stderr,
    `spot: cannot open the Spot database ${db}: the file is not writable by this user, and SQLite writes beside the ` +
      'database (its -wal and -shm files) even to read it: run as the user that crawls, or copy the store to a ' +
      'writable folder and point store.path there\n',
  );
});
