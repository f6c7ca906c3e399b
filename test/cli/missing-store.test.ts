import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SPOT_BIN, SPOT_SUBMIT_BIN } from '../support/paths.js';

// A command that only reads, pointed at an SQLite file that is not there (a mistyped store.path or SPOT_HOME),
// says where it looked, in one line, and creates neither the file nor its folder: an empty store at the wrong path
// would look like a real one to the next command.

const dir = mkdtempSync(join(tmpdir(), 'spot-missing-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mistyped = join(dir, 'no-such-folder', 'spot.db');

async function spot(args: string[], storePath = mistyped) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
  Object.assign(env, { SPOT_HOME: dir, SPOT_STORE_PATH: storePath });
  return execa('node', [SPOT_BIN, ...args], { cwd: dir, env, extendEnv: false, reject: false });
}

const noStore = `spot: no Spot store at ${mistyped} yet: \`spot crawl\` or \`spot import\` creates it (store.path or SPOT_HOME say where)`;

describe('read-only commands on a store that does not exist', () => {
  for (const args of [
    ['explain', 'application_1_0001'],
    ['explain', '--advice', 'abcd1234'],
    ['predict', '--app', 'daily_sales', '--executors', '10', '--executor-cores', '4', '--input-bytes', '50g'],
    ['status'],
    ['store', 'compact'],
  ]) {
    test(`spot ${args.join(' ')}: one line naming the path, exit 1, nothing created`, async () => {
      const r = await spot(args);
      assert.equal(r.exitCode, 1, r.stderr);
      assert.equal(r.stderr, noStore);
      assert.ok(!existsSync(join(dir, 'no-such-folder')), 'neither the store nor its folder is created');
    });
  }

  test('a FIFO where the store should be is named for what it is, not as no store yet', async () => {
    const fifo = join(dir, 'fifo.db');
    execFileSync('mkfifo', [fifo]);
    for (const args of [['runs'], ['status']]) {
      const r = await spot(args, fifo);
      assert.equal(r.exitCode, 1, r.stdout);
      assert.equal(
        r.stderr,
        `spot: the Spot database ${fifo} is not a regular file: store.path names the database file`,
      );
    }
  });

  test('spot runs and spot runs --errors: nothing stored yet, where it looked, exit 0, nothing created', async () => {
    const runs = await spot(['runs']);
    assert.equal(runs.exitCode, 0, runs.stderr);
    assert.match(runs.stdout, new RegExp(`^No runs stored yet \\(no store at ${mistyped.replaceAll('.', '\\.')}\\)`));
    const errors = await spot(['runs', '--errors']);
    assert.equal(errors.exitCode, 0, errors.stderr);
    assert.match(errors.stdout, /^No crawl errors stored \(no store at .*spot\.db yet\)\.$/);
    assert.ok(!existsSync(join(dir, 'no-such-folder')));
  });

  test('spot report: the empty report, a summary naming where no store is, exit 0, nothing created', async () => {
    const out = join(dir, 'report.html');
    const r = await spot(['report', '--out', out]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(existsSync(out), 'the report is written');
    assert.match(
      r.stderr,
      /^spot report: 0 of \d+ charts over 0 runs; no Spot store at .*no-such-folder\/spot\.db yet/,
    );
    assert.ok(!existsSync(join(dir, 'no-such-folder')), 'neither the store nor its folder is created');
  });

  test('spot explain -- ARGS: a dry run from no history, saying where no store is, exit 0, nothing created', async () => {
    const cmd = ['explain', '--', '--master', 'yarn', '--name', 'daily_sales', 'app.jar'];
    const r = await spot(cmd);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout.split('\n')[0],
      `Dry run of spot-submit (nothing launched, nothing stored; no Spot store at ${mistyped} yet, so no history):`,
    );
    assert.match(r.stdout, /too little history \(0 successful runs/);
    const json = await spot(['explain', '--json', '--', '--master', 'yarn', '--name', 'daily_sales', 'app.jar']);
    assert.equal(json.exitCode, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { advice: { app: string } }).advice.app, 'daily_sales');
    assert.ok(!existsSync(join(dir, 'no-such-folder')), 'neither the store nor its folder is created');
    // A fresh SPOT_HOME (no store.path): neither it nor its spot.db is created.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
    const fresh = join(dir, 'fresh-home');
    const inFresh = await execa('node', [SPOT_BIN, ...cmd], {
      cwd: dir,
      env: { ...env, SPOT_HOME: fresh },
      extendEnv: false,
      reject: false,
    });
    assert.equal(inFresh.exitCode, 0, inFresh.stderr);
    assert.ok(!existsSync(fresh), 'SPOT_HOME is not created');
  });

  test('spot-submit --spot-dry-run: advice from no history, saying where no store is, nothing created', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
    // The budget is generous: the test is about what the dry run reads, not how fast it advises.
    Object.assign(env, {
      SPOT_SUBMIT_SPARK_SUBMIT: join(dir, 'spark-submit'),
      SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '120000',
    });
    const fresh = join(dir, 'fresh-submit-home');
    for (const [where, extra] of [
      [mistyped, { SPOT_HOME: dir, SPOT_STORE_PATH: mistyped }],
      [join(fresh, 'spot.db'), { SPOT_HOME: fresh }],
    ] as const) {
      const r = await execa(
        'node',
        [SPOT_SUBMIT_BIN, '--spot-dry-run', '--master', 'yarn', '--name', 'daily_sales', 'app.jar'],
        { cwd: dir, env: { ...env, ...extra }, extendEnv: false, reject: false },
      );
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, /too little history \(0 successful runs/);
      assert.ok(
        r.stderr
          .split('\n')
          .includes(`spot-submit: no Spot store at ${where} yet, so no history (a dry run creates none)`),
        r.stderr,
      );
    }
    assert.ok(!existsSync(join(dir, 'no-such-folder')), 'neither the store nor its folder is created');
    assert.ok(!existsSync(fresh), 'SPOT_HOME is not created');
  });

  test('a store that exists but holds no runs says to crawl first, without a path', async () => {
    const path = join(dir, 'empty.db');
    await (await SqliteStore.open(path)).close();
    const r = await spot(['runs'], path);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^No runs stored yet: run `spot crawl --once --history-server URL` first/);
  });

  test('an empty file where the store should be is no store: read-only commands say so and leave it empty', async () => {
    const empty = join(dir, 'touched.db');
    writeFileSync(empty, '');
    const runs = await spot(['runs'], empty);
    assert.equal(runs.exitCode, 0, runs.stderr);
    assert.match(runs.stdout, new RegExp(`^No runs stored yet \\(no store at ${empty.replace(/[.]/g, '\\.')}\\)`));
    const status = await spot(['status'], empty);
    assert.equal(status.exitCode, 1);
    assert.match(status.stderr, /^spot: no Spot store at .*touched\.db yet/);
    assert.equal(readFileSync(empty).length, 0);
  });

  test('a SPOT_HOME that is a file: a command that stores says so in one line, exit 1', async () => {
    const file = join(dir, 'home-is-a-file');
    writeFileSync(file, '');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
    const r = await execa('node', [SPOT_BIN, 'import', '-'], {
      cwd: dir,
      env: { ...env, SPOT_HOME: file },
      extendEnv: false,
      reject: false,
      input:
        '{"app":"etl","inputBytes":1000,"executors":2,"executorCores":2,"durationMs":1000,"succeeded":true,"endTime":"2024-01-01T00:00:00Z"}\n',
    });
    assert.equal(r.exitCode, 1, r.stderr);
    assert.equal(
      r.stderr,
      `spot: SPOT_HOME ${file} is not a folder: point SPOT_HOME at a folder, or store.path at the database`,
    );
  });
});
