import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, SPOT_BIN, SPOT_SUBMIT_BIN } from '../support/paths.js';
import { FAKE_SPARK_SUBMIT } from '../submit/run-submit.js';

// What each entry point loads, read from the module loader itself (no timing: bench/submit.ts measures the
// time). A module on this list costs start-up on every call, so the launch path and --help must not load it.

const RECORDER = resolve(ROOT, 'test', 'support', 'record-imports.mjs');
const HEAVY = [
  /\/node_modules\/zod\//,
  /\/node_modules\/yaml\//,
  /\/node_modules\/execa\//,
  /\/node_modules\/better-sqlite3\//,
  /\/dist\/src\/config\/load\.js$/,
  /\/dist\/src\/store\//,
];

/** Runs a compiled entry point; returns its result and the modules each of its Node processes imported, by pid. */
function runRecorded(bin: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'spot-startup-test-'));
  try {
    const home = join(dir, 'home');
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SPOT_')) base[k] = v;
    // What is checked is which modules load, never how soon: the advice must arrive (two tests read its line), so its
    // budget is one only a hang runs out (a launch here took 21 s of the 60 s it had on a loaded 2-core machine), and
    // the spawn's own limit only ends such a hang.
    const r = spawnSync(process.execPath, ['--import', RECORDER, bin, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...base, SPOT_HOME: home, SPOT_TEST_IMPORTS_DIR: dir, SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000', ...env },
      timeout: 900_000,
      killSignal: 'SIGKILL',
    });
    const logDir = env.SPOT_TEST_IMPORTS_DIR ?? dir;
    const logs = readdirSync(logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(logDir, f), 'utf8').trim().split('\n'));
    return { ...r, logs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heavyIn = (urls: string[]) => urls.filter((u) => HEAVY.some((h) => h.test(u)));

describe('start-up: what each command loads', () => {
  test('spot --help loads the command-line parser only: no config, validation or store code', () => {
    const r = runRecorded(SPOT_BIN, ['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: spot/);
    // --config's default is the README's search order: SPOT_CONFIG, then .spotrc.* up to home, then XDG's folder.
    assert.match(
      r.stdout.replace(/\s+/g, ' '),
      /--config <file> config file \(default: \$SPOT_CONFIG, else \.spotrc\.yml, \.yaml or \.json from the current folder up to home, else \$XDG_CONFIG_HOME\/spot\/config\.yml, ~\/\.config\/spot\/config\.yml without it\)/,
    );
    assert.equal(r.logs.length, 1);
    assert.ok(
      r.logs[0]!.some((u) => u.includes('/node_modules/commander/')),
      'the recorder saw the imports',
    );
    assert.deepEqual(heavyIn(r.logs[0]!), []);
  });

  test('a command still loads the config when it runs (the recorder sees it)', () => {
    const r = runRecorded(SPOT_BIN, ['runs']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(heavyIn(r.logs.flat()).some((u) => u.endsWith('/dist/src/config/load.js')));
  });

  test('spot-submit launching spark-submit: the launching process loads no config, store or process library; the advice process does', () => {
    const r = runRecorded(SPOT_SUBMIT_BIN, ['--master', 'local', '--class', 'com.acme.Job', 'job.jar'], {
      SPOT_SUBMIT_SPARK_SUBMIT: FAKE_SPARK_SUBMIT,
    });
    assert.equal(r.status, 0, r.stderr);
    const launcher = r.logs.find((urls) => urls.some((u) => u.endsWith('/bin/spot-submit.js')));
    const advice = r.logs.find((urls) => urls.some((u) => u.endsWith('/dist/launch/advice-process.js')));
    assert.ok(launcher && advice, `one log per Node process: ${r.logs.length}`);
    assert.ok(
      launcher.some((u) => u.endsWith('/dist/src/submit/launch.js')),
      'the launcher ran spark-submit',
    );
    assert.deepEqual(heavyIn(launcher), []);
    // The advice process is the build's bundle: one file and a few chunks, not the compiled modules one by one.
    assert.deepEqual(
      advice.filter((u) => u.includes('/dist/src/')),
      [],
    );
  });

  test('spot-submit has the fail-open tag loaded while it waits for advice: a launch past its budget loads nothing more', () => {
    // A launch that got its advice: the module a launch without advice tags itself with was loaded all the same, in
    // the wait, so that a launch whose budget runs out starts without loading it then (on busy cores, seconds late).
    const r = runRecorded(
      SPOT_SUBMIT_BIN,
      ['--master', 'yarn', '--name', 'nightly', '--class', 'com.acme.Job', 'job.jar'],
      {
        SPOT_SUBMIT_SPARK_SUBMIT: FAKE_SPARK_SUBMIT,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /spot-submit: advice /);
    const launcher = r.logs.find((urls) => urls.some((u) => u.endsWith('/bin/spot-submit.js')));
    assert.ok(launcher, `one log per Node process: ${r.logs.length}`);
    assert.ok(launcher.some((u) => u.endsWith('/dist/src/submit/fail-open-tag.js')));
    assert.deepEqual(heavyIn(launcher), []);
  });

  test('the advice process validates a config once: the next launch with the same config loads no validation code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-startup-cache-'));
    try {
      // The same SPOT_* variables each time (the config is kept under them), and a fresh log folder per launch.
      const logs = join(dir, 'logs');
      const env = {
        SPOT_HOME: join(dir, 'home'),
        SPOT_SUBMIT_SPARK_SUBMIT: FAKE_SPARK_SUBMIT,
        SPOT_TEST_IMPORTS_DIR: logs,
      };
      mkdirSync(logs);
      const args = ['--master', 'yarn', '--class', 'com.acme.Job', 'job.jar'];
      const validating = (urls: string[]) => urls.some((u) => /\/dist\/launch\/load-[A-Z0-9]+\.js$/.test(u));
      const first = runRecorded(SPOT_SUBMIT_BIN, args, env);
      assert.equal(first.status, 0, first.stderr);
      assert.ok(first.logs.some(validating), 'the first launch validates the config');
      rmSync(logs, { recursive: true });
      mkdirSync(logs);
      const second = runRecorded(SPOT_SUBMIT_BIN, args, env);
      assert.equal(second.status, 0, second.stderr);
      const advice = second.logs.find((urls) => urls.some((u) => u.endsWith('/dist/launch/advice-process.js')));
      assert.ok(advice && !validating(advice), 'the second launch takes the validated config');
      assert.match(second.stderr, /advice /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
