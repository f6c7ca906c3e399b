import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeDirs } from '../../src/config/home.js';
import { SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// SPOT_HOME and store.path folders are made as mkdir -p does, and a path where no folder can be made fails at once:
// Node's own recursive mkdir never returns under /proc on Linux, and a command given such a path hung for good.

const dir = mkdtempSync(join(tmpdir(), 'spot-make-dirs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('missing parents are made with the mode asked for; existing ones are left as they are', () => {
  const deep = join(dir, 'a', 'b', 'c');
  makeDirs(deep, 0o700);
  assert.ok(statSync(deep).isDirectory());
  assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o700);
  makeDirs(deep, 0o700);
  makeDirs(dir, 0o700);
});

test('a store.path under /proc is one error line, not a command that never returns', {
  skip: !existsSync('/proc/self'),
}, () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
  const r = spawnSync(process.execPath, [SPOT_BIN, 'import', '-'], {
    cwd: dir,
    env: { ...env, SPOT_HOME: dir, SPOT_STORE_PATH: '/proc/spot-nonexistent/spot.db' },
    input: '',
    encoding: 'utf8',
    ...HANG_GUARD,
  });
  assert.equal(r.status, 1, ended(r));
  assert.match(
    r.stderr,
    /^spot: cannot open the Spot database \/proc\/spot-nonexistent\/spot\.db: no such file or folder/,
  );
});
