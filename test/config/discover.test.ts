import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// Where a config may come from: the project folders up to home, then $XDG_CONFIG_HOME/spot; data only; never a
// file or folder others may write to; never a file that could block a read.

/** root/home/user/proj/sub, a home inside it, and an environment naming that home. */
function layout() {
  const root = mkdtempSync(join(tmpdir(), 'spot-discover-'));
  const home = join(root, 'home', 'user');
  const project = join(home, 'proj');
  const sub = join(project, 'sub');
  mkdirSync(sub, { recursive: true });
  const env: NodeJS.ProcessEnv = { HOME: home };
  const write = (path: string, text: string, mode = 0o644) => {
    writeFileSync(path, text);
    chmodSync(path, mode);
  };
  return { root, home, project, sub, env, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const MODE = (mode: string) => `advisor:\n  mode: ${mode}\n`;

describe('config discovery', () => {
  test('searches from the working folder up to home, nearest first, and never above home', async () => {
    const l = layout();
    try {
      l.write(join(l.root, 'home', '.spotrc.yml'), `submit:\n  sparkSubmit: /tmp/evil\n`); // above home: planted
      l.write(join(l.root, '.spotrc.yml'), `submit:\n  sparkSubmit: /tmp/evil\n`);
      let r = await loadConfig({ cwd: l.sub, env: l.env });
      assert.equal(r.file, undefined);
      assert.equal(r.config.submit.sparkSubmit, undefined);
      l.write(join(l.home, '.spotrc.yml'), MODE('shadow'));
      r = await loadConfig({ cwd: l.sub, env: l.env });
      assert.equal(r.file, join(l.home, '.spotrc.yml'));
      l.write(join(l.project, '.spotrc.json'), JSON.stringify({ advisor: { mode: 'override' } }));
      r = await loadConfig({ cwd: l.sub, env: l.env });
      assert.equal(r.file, join(l.project, '.spotrc.json'));
      assert.equal(r.config.advisor.mode, 'override');
    } finally {
      l.cleanup();
    }
  });

  test('outside home only the working folder itself is searched', async () => {
    const l = layout();
    try {
      const outside = join(l.root, 'opt', 'jobs');
      mkdirSync(outside, { recursive: true });
      l.write(join(l.root, 'opt', '.spotrc.yml'), MODE('shadow'));
      assert.equal((await loadConfig({ cwd: outside, env: l.env })).file, undefined);
      l.write(join(outside, '.spotrc.yml'), MODE('override'));
      assert.equal((await loadConfig({ cwd: outside, env: l.env })).config.advisor.mode, 'override');
    } finally {
      l.cleanup();
    }
  });

  test('a folder anyone may write to (like /tmp) is never searched', async () => {
    const l = layout();
    try {
      const shared = join(l.root, 'shared');
      mkdirSync(shared);
      chmodSync(shared, 0o1777);
      l.write(join(shared, '.spotrc.yml'), `submit:\n  sparkSubmit: /tmp/evil\n`);
      assert.equal((await loadConfig({ cwd: shared, env: l.env })).file, undefined);
    } finally {
      l.cleanup();
    }
  });

  test('then the user config folder: $XDG_CONFIG_HOME/spot/config.yml, by default ~/.config/spot', async () => {
    const l = layout();
    try {
      mkdirSync(join(l.home, '.config', 'spot'), { recursive: true });
      l.write(join(l.home, '.config', 'spot', 'config.yml'), MODE('shadow'));
      assert.equal((await loadConfig({ cwd: l.sub, env: l.env })).file, join(l.home, '.config', 'spot', 'config.yml'));
      const xdg = join(l.root, 'xdg');
      mkdirSync(join(xdg, 'spot'), { recursive: true });
      l.write(join(xdg, 'spot', 'config.yml'), MODE('override'));
      const r = await loadConfig({ cwd: l.sub, env: { ...l.env, XDG_CONFIG_HOME: xdg } });
      assert.equal(r.config.advisor.mode, 'override');
      l.write(join(l.sub, '.spotrc.yml'), MODE('fill'));
      assert.equal(
        (await loadConfig({ cwd: l.sub, env: { ...l.env, XDG_CONFIG_HOME: xdg } })).file,
        join(l.sub, '.spotrc.yml'),
        'a project file wins',
      );
    } finally {
      l.cleanup();
    }
  });

  test('a file writable by group or others is refused with the fix in the message', async () => {
    const l = layout();
    try {
      // The message names who may write it as the mode says (0664 is the group's to write, not everyone's).
      const cases: [number, string][] = [
        [0o664, 'its group \\(mode 0664\\)'],
        [0o646, 'others \\(mode 0646\\)'],
        [0o666, 'its group and others \\(mode 0666\\)'],
      ];
      for (const [mode, who] of cases) {
        l.write(join(l.sub, '.spotrc.yml'), MODE('shadow'), mode);
        const expected = new RegExp(`\\.spotrc\\.yml is writable by ${who}; Spot does not read it\\. Fix: chmod go-w `);
        await assert.rejects(loadConfig({ cwd: l.sub, env: l.env }), (e: Error) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, expected);
          return true;
        });
        // An explicit --config / SPOT_CONFIG is held to the same rule.
        await assert.rejects(loadConfig({ file: join(l.sub, '.spotrc.yml'), env: l.env }), expected);
      }
    } finally {
      l.cleanup();
    }
  });

  test("a file found by searching must be the user's own (or root's); one named with --config need not be", async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to give a file to another user');
      return;
    }
    // The other user runs the compiled CLI from this checkout, which a private parent folder (a clone inside
    // `mktemp -d`, mode 0700) keeps it from reading.
    const canRead = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(SPOT_BIN)}, 4)`], {
      uid: 4343,
      gid: 4343,
      ...HANG_GUARD,
    });
    assert.equal(canRead.signal, null, ended(canRead));
    if (canRead.status !== 0) {
      t.skip('another user cannot read this checkout (a parent folder is private)');
      return;
    }
    const l = layout();
    try {
      const file = join(l.sub, '.spotrc.yml');
      l.write(file, MODE('shadow'));
      chownSync(file, 4242, 4242);
      chmodSync(l.root, 0o755); // let the other user in
      // Root's own files are trusted, so run as another user would: the check compares with the current uid.
      const r = spawnSync(process.execPath, [SPOT_BIN, 'runs'], {
        cwd: l.sub,
        env: { ...process.env, ...l.env, SPOT_HOME: join(l.root, 'spot') },
        encoding: 'utf8',
        uid: 4343,
        gid: 4343,
        ...HANG_GUARD,
      });
      assert.equal(r.status, 2, ended(r));
      assert.match(
        r.stderr,
        /\.spotrc\.yml belongs to another user \(uid 4242\); Spot reads only your own config files/,
      );
      assert.equal((await loadConfig({ file, env: l.env })).config.advisor.mode, 'shadow');
    } finally {
      l.cleanup();
    }
  });

  test('a FIFO (or any non-regular file) is refused at once, never read', async () => {
    const l = layout();
    try {
      const fifo = join(l.sub, '.spotrc.yml');
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(loadConfig({ cwd: l.sub, env: l.env }), /\.spotrc\.yml is not a regular file/);
      await assert.rejects(loadConfig({ file: fifo, env: l.env }), /is not a regular file/);
      await assert.rejects(loadConfig({ file: l.sub, env: l.env }), /is not a regular file/);
    } finally {
      l.cleanup();
    }
  });

  test('JavaScript config files are not run; finding one is an error that says what to do', async () => {
    const l = layout();
    try {
      const marker = join(l.root, 'ran');
      l.write(
        join(l.sub, 'spot.config.js'),
        `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); process.exit(0);\n`,
      );
      await assert.rejects(
        loadConfig({ cwd: l.sub, env: l.env }),
        /spot\.config\.js: JavaScript config files are not read \(data formats only\); put the settings in .*\.spotrc\.yml/,
      );
      l.write(join(l.sub, '.spotrc.yml'), MODE('shadow'));
      assert.equal(
        (await loadConfig({ cwd: l.sub, env: l.env })).config.advisor.mode,
        'shadow',
        'a data file beside it wins',
      );
    } finally {
      l.cleanup();
    }
  });

  test('a JavaScript config named with --config or SPOT_CONFIG is refused as one, not read as YAML', () => {
    const l = layout();
    try {
      const file = join(l.sub, 'spot.config.js');
      l.write(file, `module.exports = { advisor: { mode: 'shadow' } };\n`, 0o600);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: l.home, SPOT_HOME: join(l.root, 'spot-home') };
      const expected = `spot: ${file}: JavaScript config files are not read (data formats only); write the settings as YAML or JSON (.spotrc.yml)\n`;
      for (const [args, extra] of [
        [['runs', '--config', file], {}],
        [['runs'], { SPOT_CONFIG: file }],
      ] as const) {
        const r = spawnSync(process.execPath, [SPOT_BIN, ...args], {
          cwd: l.sub,
          env: { ...env, ...extra },
          encoding: 'utf8',
          ...HANG_GUARD,
        });
        assert.equal(r.status, 2, ended(r));
        assert.equal(r.stderr, expected);
      }
    } finally {
      l.cleanup();
    }
  });

  test('every spot command obeys the same rules: a FIFO config is exit 2 in one line', () => {
    const l = layout();
    try {
      execFileSync('mkfifo', [join(l.sub, '.spotrc.yml')]);
      const r = spawnSync(process.execPath, [SPOT_BIN, 'runs'], {
        cwd: l.sub,
        env: { ...process.env, ...l.env, SPOT_HOME: join(l.root, 'spot') },
        encoding: 'utf8',
        ...HANG_GUARD,
      });
      assert.equal(r.status, 2, ended(r));
      assert.match(r.stderr, /\.spotrc\.yml is not a regular file/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    } finally {
      l.cleanup();
    }
  });
});
