import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_CACHE_FILE } from '../../src/submit/config-cache.js';
import { spot } from '../support/cli.js';

// The compiled CLI keeps the config it validated (dist/build-id.txt names the build), like spot-submit's advice
// process: the same file text and SPOT_* variables are not validated again; a changed file is; a bad one never kept.

test('spot commands keep a validated config, follow a changed file, and never keep a bad one', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-cli-config-cache-'));
  try {
    const file = join(home, '.spotrc.json');
    const cache = join(home, CONFIG_CACHE_FILE);
    writeFileSync(file, JSON.stringify({ store: { path: join(home, 'first.db') } }), { mode: 0o600 });
    const first = await spot(home, ['runs']);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.stdout.includes(`no store at ${join(home, 'first.db')}`), first.stdout);
    assert.ok(existsSync(cache), 'the validated config is kept');
    assert.match(readFileSync(cache, 'utf8'), /first\.db/);

    // Another text is another key: the new store path is used, not the kept one.
    writeFileSync(file, JSON.stringify({ store: { path: join(home, 'second.db') } }), { mode: 0o600 });
    const second = await spot(home, ['runs']);
    assert.equal(second.code, 0, second.stderr);
    assert.ok(second.stdout.includes(`no store at ${join(home, 'second.db')}`), second.stdout);

    // A bad config fails with its message every time and is never kept.
    writeFileSync(file, JSON.stringify({ store: { path: 7 } }), { mode: 0o600 });
    for (let i = 0; i < 2; i++) {
      const bad = await spot(home, ['runs']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /store\.path/);
    }
    assert.doesNotMatch(readFileSync(cache, 'utf8'), /"path":7/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
