import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import { submitMain } from '../../src/cli/submit.js';
import { prelaunch } from '../../src/submit/prelaunch.js';
import { ROOT } from '../support/paths.js';
import { FAKE_SPARK_SUBMIT, runSubmit, sandbox, spotLines, type SubmitRun } from './run-submit.js';

// Whatever fails before the launch, the job launches with its own arguments after exactly one warning line.

const JOB = ['--master', 'yarn', '--num-executors', '20', '--class', 'com.acme.Etl', 'etl.jar', '--in', '/data/x'];
const ARGV = ['--spot-input-bytes', '5g', '--spot-pin', 'spark.executor.memory', ...JOB];

/** `tagged` false: the config could not be read, so no "no advice" record can be stored and the launch is untagged. */
function assertLaunchedUnchanged(r: SubmitRun, why: RegExp, tagged = true): void {
  assert.equal(r.code, 0, r.stderr);
  if (tagged) {
    // Unchanged but for the id of a "no advice" record, so that the run stays linked.
    const i = r.launched?.indexOf('etl.jar') ?? -1;
    assert.match(r.launched?.[i - 1] ?? '', /^spark\.spot\.adviceId=[0-9a-f-]{36}$/, JSON.stringify(r.launched));
    assert.equal(r.launched?.[i - 2], '--conf');
    assert.deepEqual([...r.launched!.slice(0, i - 2), ...r.launched!.slice(i)], JOB);
  } else {
    assert.deepEqual(r.launched, JOB);
  }
  const lines = spotLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /launching unchanged$/);
  assert.match(lines[0]!, why);
}

describe('fail open', { concurrency: true }, () => {
  test('corrupt store file', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' });
    try {
      mkdirSync(box.home, { recursive: true });
      writeFileSync(join(box.home, 'spot.db'), 'this is not a database, just some bytes '.repeat(200));
      assertLaunchedUnchanged(await runSubmit(ARGV, box), /database|store|sqlite|not a/i);
    } finally {
      box.cleanup();
    }
  });

  test("another program's SQLite database as the store: launched unchanged, the file untouched", async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' });
    try {
      mkdirSync(box.home, { recursive: true });
      const path = join(box.home, 'spot.db');
      const db = new Database(path);
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('kept')");
      db.close();
      const before = readFileSync(path);
      assertLaunchedUnchanged(await runSubmit(ARGV, box), /is not a Spot store/);
      assert.ok(readFileSync(path).equals(before), 'the file is left byte for byte as it was');
    } finally {
      box.cleanup();
    }
  });

  test('store locked by another process holding an exclusive lock', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '1500' });
    mkdirSync(box.home, { recursive: true });
    const db = join(box.home, 'spot.db');
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(db)});
      db.pragma('journal_mode = WAL');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('CREATE TABLE IF NOT EXISTS t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
      process.stdout.write('locked\\n');
      setTimeout(() => {}, 60000);
    `,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => locker.stdout!.on('data', () => resolve()));
      assertLaunchedUnchanged(await runSubmit(ARGV, box), /locked|busy|within 1500 ms/i);
    } finally {
      locker.kill('SIGKILL');
      box.cleanup();
    }
  });

  test('time budget exceeded (a slow input probe)', async () => {
    const box = sandbox();
    const probe = join(box.dir, 'slow-du');
    // Never answers: a probe done in seconds could beat the budget in a spot-submit stalled that long on a busy
    // machine. The advice process's kill ends it with its process group.
    writeFileSync(probe, '#!/bin/sh\nexec sleep 600\n');
    chmodSync(probe, 0o755);
    try {
      const r = await runSubmit(JOB, box, {
        env: {
          SPOT_SUBMIT_INPUT_PROBE: `${probe} {path}`,
          SPOT_SUBMIT_INPUT_PROBE_TIMEOUT_MS: '10000',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '800',
        },
      });
      assertLaunchedUnchanged(r, /no advice within 800 ms/);
    } finally {
      box.cleanup();
    }
  });

  test('bad config value (environment), and a bad config file whose spark-submit is still honoured', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' });
    try {
      const env = { SPOT_ADVISOR_MODE: 'sometimes' };
      assertLaunchedUnchanged(await runSubmit(ARGV, box, { env }), /advisor\.mode/, false);
      writeFileSync(
        join(box.dir, '.spotrc.yml'),
        `submit:\n  sparkSubmit: ${FAKE_SPARK_SUBMIT}\nadvisor:\n  maxSlowdown: fast\n`,
      );
      const r = await runSubmit(ARGV, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: undefined } });
      assertLaunchedUnchanged(r, /maxSlowdown/, false);
    } finally {
      box.cleanup();
    }
  });

  test('the budget spent before the config was read: the spark-submit only the config names still runs the job', async () => {
    // A budget no advice process can meet: the config is never read within it.
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '1' });
    try {
      writeFileSync(join(box.dir, '.spotrc.yml'), `submit:\n  sparkSubmit: ${FAKE_SPARK_SUBMIT}\n`);
      // No SPARK_HOME, and a PATH with node (the stand-in's interpreter) and no spark-submit.
      const bin = join(box.dir, 'bin');
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
      const env = { SPOT_SUBMIT_SPARK_SUBMIT: undefined, SPARK_HOME: undefined, PATH: bin };
      assertLaunchedUnchanged(await runSubmit(ARGV, box, { env }), /no advice within 1 ms \(the config was not read\)/);
    } finally {
      box.cleanup();
    }
  });

  test('the advisor throws: the pre-launch phase reports failure instead of advice', async () => {
    const box = sandbox();
    try {
      const r = await prelaunch(ARGV, {
        env: box.env,
        advise: () => {
          throw new Error('model exploded');
        },
      });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, 'model exploded');
      assert.ok(configSchema.parse({}).submit.adviceTimeoutMs > 0);
    } finally {
      box.cleanup();
    }
  });
});

describe('spot-submit when its own code fails', () => {
  test('an error in Spot after the advice (a module missing mid-upgrade, say): launched unchanged, once', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000' });
    try {
      // A spark-submit that only notes its arguments, one line per run, and exits 7.
      const submit = join(box.dir, 'spark-submit');
      const runs = join(box.dir, 'runs');
      writeFileSync(submit, `#!/bin/sh\necho "$*" >> ${JSON.stringify(runs)}\nexit 7\n`);
      chmodSync(submit, 0o755);
      const said: string[] = [];
      const code = await submitMain(JOB, {
        env: { ...box.env, SPOT_SUBMIT_SPARK_SUBMIT: submit },
        out: (t) => void said.push(t),
        err: (t) => {
          // Saying the advice is the last of Spot's steps before the launch: it fails here.
          if (t.startsWith('spot-submit: advice ')) throw new Error('Cannot find module submit-describe.js');
          said.push(t);
        },
      });
      assert.equal(code, 7, said.join(''));
      assert.deepEqual(readFileSync(runs, 'utf8').split('\n').filter(Boolean), [JOB.join(' ')]);
      assert.deepEqual(said, ['spot-submit: Cannot find module submit-describe.js; launching unchanged\n']);
    } finally {
      box.cleanup();
    }
  });
  /**
   * spot-submit in this process (its advice process and spark-submit real ones) on a budget no advice process can meet,
   * so the config is never read within it; the only spark-submit is the one the config names, which notes its
   * arguments, one line per run, and exits 7. `err` may throw, as Spot's own code failing there.
   */
  async function configOnlySparkSubmit(argv: string[], err: (t: string) => void) {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '1' });
    try {
      const submit = join(box.dir, 'spark-submit');
      const runs = join(box.dir, 'runs');
      writeFileSync(submit, `#!/bin/sh\necho "$*" >> ${JSON.stringify(runs)}\nexit 7\n`);
      chmodSync(submit, 0o755);
      const config = join(box.dir, 'spot.yml');
      writeFileSync(config, `submit:\n  sparkSubmit: ${submit}\n`);
      // No SPARK_HOME, and a PATH without spark-submit.
      const bin = join(box.dir, 'bin');
      mkdirSync(bin);
      const env = { ...box.env, SPOT_CONFIG: config, SPOT_SUBMIT_SPARK_SUBMIT: undefined, SPARK_HOME: undefined };
      const code = await submitMain(argv, { env: { ...env, PATH: bin }, out: err, err });
      return { code, runs: existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean) : [] };
    } finally {
      box.cleanup();
    }
  }

  test("an error in Spot before the config was read, with no spark-submit but the config's: the job still runs, once", async () => {
    const said: string[] = [];
    let failed = false;
    const { code, runs } = await configOnlySparkSubmit(JOB, (t) => {
      // Saying why there is no advice is Spot's step before the launch: it fails here, once.
      if (!failed && t.startsWith('spot-submit: no advice within 1 ms')) {
        failed = true;
        throw new Error('Cannot find module fail-open-tag.js');
      }
      said.push(t);
    });
    assert.equal(code, 7, said.join(''));
    assert.deepEqual(runs, [JOB.join(' ')]);
    assert.deepEqual(said, ['spot-submit: Cannot find module fail-open-tag.js; launching unchanged\n']);
  });

  test('a command that launches no app (--status), the config not read in time: the spark-submit it names runs', async () => {
    const said: string[] = [];
    const { code, runs } = await configOnlySparkSubmit(['--status', 'driver-1'], (t) => void said.push(t));
    assert.equal(code, 7, said.join(''));
    assert.deepEqual(runs, ['--status driver-1']);
    assert.deepEqual(said, []);
  });
  test("an error in Spot after the config was read: the config's spark-submit runs, not SPARK_HOME's", async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000' });
    try {
      // Two spark-submits that note who ran, one line per run, and exit 7: the config's, and SPARK_HOME's.
      const runs = join(box.dir, 'runs');
      const script = (who: string) => `#!/bin/sh\necho "${who} $*" >> ${JSON.stringify(runs)}\nexit 7\n`;
      const submit = join(box.dir, 'spark-submit');
      writeFileSync(submit, script('config'));
      chmodSync(submit, 0o755);
      const sparkHome = join(box.dir, 'spark');
      mkdirSync(join(sparkHome, 'bin'), { recursive: true });
      writeFileSync(join(sparkHome, 'bin', 'spark-submit'), script('SPARK_HOME'));
      chmodSync(join(sparkHome, 'bin', 'spark-submit'), 0o755);
      const config = join(box.dir, 'spot.yml');
      writeFileSync(config, `submit:\n  sparkSubmit: ${submit}\n`);
      const said: string[] = [];
      const code = await submitMain(JOB, {
        env: { ...box.env, SPOT_CONFIG: config, SPOT_SUBMIT_SPARK_SUBMIT: undefined, SPARK_HOME: sparkHome },
        out: (t) => void said.push(t),
        err: (t) => {
          // Saying the advice is the last of Spot's steps before the launch: it fails here.
          if (t.startsWith('spot-submit: advice ')) throw new Error('Cannot find module submit-describe.js');
          said.push(t);
        },
      });
      assert.equal(code, 7, said.join(''));
      assert.deepEqual(readFileSync(runs, 'utf8').split('\n').filter(Boolean), [`config ${JOB.join(' ')}`]);
      assert.deepEqual(said, ['spot-submit: Cannot find module submit-describe.js; launching unchanged\n']);
    } finally {
      box.cleanup();
    }
  });
});
