import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_CACHE_FILE } from '../../src/submit/config-cache.js';
import { spot } from '../support/cli.js';
import { SPOT_BIN } from '../support/paths.js';
import { startReplayServer } from '../support/shs-replay.js';

// The compiled CLI keeps the config it validated (dist/build-id.txt names the build), like spot-submit's advice
// process: the same file text and SPOT_* variables are not validated again; a changed file is; a bad one never kept.
// Only the commands that create the store keep it: the others leave SPOT_HOME as they found it.

test('spot import keeps a validated config, follows a changed file, and never keeps a bad one', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-cli-config-cache-'));
  try {
    const file = join(home, '.spotrc.json');
    const cache = join(home, CONFIG_CACHE_FILE);
    const empty = join(home, 'none.jsonl');
    writeFileSync(empty, '');
    writeFileSync(file, JSON.stringify({ store: { path: join(home, 'first.db') } }), { mode: 0o600 });
    const first = await spot(home, ['import', empty]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(home, 'first.db')), first.stderr);
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
      const bad = await spot(home, ['import', empty]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /store\.path/);
    }
    assert.doesNotMatch(readFileSync(cache, 'utf8'), /"path":7/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('spot crawl keeps the validated config too, unless a flag overrides it', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-cli-config-cache-crawl-'));
  try {
    const logs = join(home, 'logs');
    mkdirSync(logs);
    const crawl = await spot(home, ['crawl', '--once', '--event-logs', logs]);
    assert.equal(crawl.code, 0, crawl.stderr);
    assert.ok(existsSync(join(home, CONFIG_CACHE_FILE)), 'crawl kept the config it validated');
    rmSync(join(home, CONFIG_CACHE_FILE));
    // A flag that overrides the config: validated with it, and that config is kept for no other run.
    // (--concurrency sizes History Server crawls only, so the flags go to one.)
    const shs = await startReplayServer();
    try {
      const flagged = await spot(home, ['crawl', '--once', '--history-server', shs.url, '--concurrency', '2']);
      assert.equal(flagged.code, 0, flagged.stderr);
    } finally {
      await shs.close();
    }
    assert.ok(!existsSync(join(home, CONFIG_CACHE_FILE)));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

/** The compiled `spot` run from `cwd` with SPOT_HOME at `home`, which need not exist, and no other SPOT_* variable. */
function spotAt(cwd: string, home: string, args: string[]): Promise<{ code: number; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [SPOT_BIN, ...args], { cwd, env: { ...env, SPOT_HOME: home } }, (err, _out, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }),
    );
  });
}

test('commands that only read create no SPOT_HOME and keep no config in one that exists', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-cli-read-only-'));
  try {
    const fresh = join(dir, 'fresh-home');
    const reads = [
      ['status'],
      ['runs'],
      ['runs', '--errors'],
      ['predict', '--app', 'etl', '--executors', '4', '--executor-cores', '4', '--input-bytes', '50g'],
      ['explain', 'application_1_0001'],
      ['report', '--out', join(dir, 'report.html')],
      ['kibana', 'export', '--out', join(dir, 'kibana.ndjson')],
      ['store', 'compact'],
    ];
    for (const args of reads) {
      const r = await spotAt(dir, fresh, args);
      assert.ok(r.code === 0 || r.code === 1, `spot ${args.join(' ')}: ${r.stderr}`);
      assert.ok(!existsSync(fresh), `spot ${args.join(' ')} created ${fresh}`);
    }

    // A home with a store in it, its kept config gone: reading it keeps none.
    const home = join(dir, 'home');
    writeFileSync(join(dir, 'none.jsonl'), '');
    assert.equal((await spotAt(dir, home, ['import', join(dir, 'none.jsonl')])).code, 0);
    rmSync(join(home, CONFIG_CACHE_FILE));
    const before = readdirSync(home).sort();
    for (const args of reads) await spotAt(dir, home, args);
    assert.deepEqual(readdirSync(home).sort(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
