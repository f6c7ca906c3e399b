import { describe, test as nodeTest, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { loopbackHttp } from '../support/loopback-http.js';
import { SPOT_SUBMIT_BIN } from '../support/paths.js';
import { collect, FAKE_SPARK_SUBMIT, runSubmit, sandbox, spotLines, startSubmit, type Sandbox } from './run-submit.js';

// spot-submit in front of production jobs, attacked: whatever Spot's own part does, the job launches and
// spot-submit ends with its exit code. Nothing here measures time: a hang shows as a test that never ends
// (and the runner's timeout), the budgets are set by the test, and waits are on events.

const JOB = ['--master', 'yarn', '--num-executors', '20', '--class', 'com.acme.Etl', 'etl.jar', '--in', '/data/x'];

async function withBox(fn: (box: Sandbox) => Promise<void>, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const box = sandbox(env);
  try {
    await fn(box);
  } finally {
    box.cleanup();
  }
}

/** A SPARK_HOME whose bin/spark-submit is the stand-in. */
function sparkHome(box: Sandbox): string {
  const home = join(box.dir, 'spark');
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(
    join(home, 'bin', 'spark-submit'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(FAKE_SPARK_SUBMIT)} "$@"\n`,
  );
  chmodSync(join(home, 'bin', 'spark-submit'), 0o755);
  return home;
}

/** A program that must never run: it leaves a mark. */
function evil(box: Sandbox): { path: string; ran: () => boolean } {
  const path = join(box.dir, 'evil');
  writeFileSync(path, `#!/bin/sh\ntouch ${JSON.stringify(`${path}.ran`)}\n`);
  chmodSync(path, 0o755);
  return { path, ran: () => existsSync(`${path}.ran`) };
}

async function adviceCount(box: Sandbox): Promise<number> {
  if (!existsSync(join(box.home, 'spot.db'))) return 0;
  const store = await SqliteStore.open(join(box.home, 'spot.db'));
  try {
    return (await store.listAdvice({})).length;
  } finally {
    await store.close();
  }
}

/**
 * A launch without advice carries only the id of a "no advice" record (so its run stays linked): the rest is the job's.
 */
function assertTaggedJob(launched: string[] | undefined): void {
  const i = launched?.indexOf('etl.jar') ?? -1;
  assert.match(launched?.[i - 1] ?? '', /^spark\.spot\.adviceId=[0-9a-f-]{36}$/, JSON.stringify(launched));
  assert.deepEqual([...launched!.slice(0, i - 2), ...launched!.slice(i)], JOB);
}

/** Waits on a running spot-submit: `seen(text)` resolves once stdout or stderr holds the text, or the child ended. */
function watchOutput(child: import('node:child_process').ChildProcess): { seen: (text: string) => Promise<void> } {
  let out = '';
  let ended = false;
  let check = () => undefined as unknown;
  const add = (c: Buffer) => {
    out += c.toString();
    check();
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  child.once('close', () => {
    ended = true;
    check();
  });
  return {
    seen: (text) =>
      new Promise<void>((resolve) => {
        check = () => (ended || out.includes(text)) && resolve();
        check();
      }),
  };
}

/**
 * spot-submit of a job that runs until it is stopped (`group`: in a process group of its own, as from a terminal),
 * once the job says it runs: its outcome to come, and `seen` for what it prints next.
 */
async function runningJob(box: Sandbox, group = false) {
  const child = startSubmit(JOB, box, { env: { FAKE_SPARK_SLEEP_MS: '600000' }, group });
  const done = collect(child, box);
  const { seen } = watchOutput(child);
  await seen('fake-spark-submit: running');
  return { child, done, seen };
}

function hasScript(): boolean {
  try {
    execFileSync('script', ['-qec', 'true', '/dev/null']);
    return true;
  } catch {
    return false;
  }
}

/**
 * spot-submit of a job that runs until it is stopped, on a terminal of its own (script(1)), in its foreground process
 * group: `type('\x03')` is a Ctrl-C there, sent by the kernel to that group. `stop()` sends SIGTERM to spot-submit
 * alone and answers its exit code: a SIGINT spot-submit passed on before reaches the job before the SIGTERM.
 */
function onTerminal(box: Sandbox, env: NodeJS.ProcessEnv) {
  const pidFile = join(box.dir, 'spark.pid');
  const words = [process.execPath, SPOT_SUBMIT_BIN, ...JOB].map((w) => `'${w.replaceAll("'", "'\\''")}'`);
  const term = spawn('script', ['-qec', `exec ${words.join(' ')}`, '/dev/null'], {
    cwd: box.dir,
    env: {
      ...box.env,
      FAKE_SPARK_SLEEP_MS: '600000',
      FAKE_SPARK_SIGINT: 'note',
      FAKE_SPARK_PID_FILE: pidFile,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let screen = '';
  let check = () => undefined as unknown;
  term.stdout!.on('data', (c: Buffer) => {
    screen += c.toString();
    check();
  });
  const ended = new Promise<number | null>((resolve) => term.once('close', (code) => resolve(code)));
  const count = (text: string) => screen.split(text).length - 1;
  const shows = (text: string, n: number) =>
    new Promise<void>((resolve) => {
      check = () => count(text) >= n && resolve();
      check();
    });
  return {
    type: (keys: string) => void term.stdin!.write(keys),
    shows,
    count,
    screen: () => screen,
    stop: async () => {
      const sparkSubmit = Number(readFileSync(pidFile, 'utf8').split(' ')[0]);
      const spotSubmit = Number(readFileSync(`/proc/${sparkSubmit}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      process.kill(spotSubmit, 'SIGTERM');
      await shows('fake-spark-submit: got SIGTERM', 1);
      return ended;
    },
  };
}

// A hang is the failure these tests look for: the timeout only turns it into a red test instead of a stuck run. It is
// each test's own: on a suite it bounds the whole suite, which a loaded machine runs for minutes.
const test = (name: string, fn: (t: TestContext) => Promise<void>) => nodeTest(name, { timeout: 180_000 }, fn);

describe('spot-submit hardening', { concurrency: 3 }, () => {
  test("a SPOT_HOME where no folder can be made (/proc/nonexistent/spot): launches, exits with the job's code", () =>
    withBox(async (box) => {
      // Node's recursive mkdir never returned there (a hang spot-submit outlived by its budget); now it fails at once.
      const r = await runSubmit(JOB, box, {
        // The "no advice" record is tried after the job by a fresh advice process: a feedback budget no loaded
        // machine spends (the default 1 s was, and the record's line went missing).
        env: {
          SPOT_HOME: '/proc/nonexistent/spot',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '500',
          SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '600000',
          FAKE_SPARK_EXIT: '5',
        },
      });
      assert.equal(r.code, 5, r.stderr);
      assertTaggedJob(r.launched);
      const lines = spotLines(r.stderr);
      assert.equal(lines.length, 2, r.stderr);
      // Whether the advice failed before the budget ran out depends on the machine; the launch does not.
      assert.match(
        lines[0]!,
        /^spot-submit: (no advice within 500 ms( \(the config was not read\))?|ENOENT: .*'\/proc\/nonexistent'|cannot make SPOT_HOME \/proc\/nonexistent\/spot: [^;]*); launching unchanged$/,
      );
      assert.match(
        lines[1]!,
        /^spot-submit: the "no advice" record \S+ is not stored \(cannot make SPOT_HOME \/proc\/nonexistent\/spot: .*\), nor kept in \/proc\/nonexistent\/spot\/outbox \(\/proc\/nonexistent: no such file or folder\)$/,
      );
    }));

  test('a .spotrc.yml that is a FIFO: refused at once, the job launches unchanged', () =>
    withBox(
      async (box) => {
        execFileSync('mkfifo', [join(box.dir, '.spotrc.yml')]);
        const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '6' } });
        assert.equal(r.code, 6, r.stderr);
        // Untagged: a config that cannot be read names no store to keep a "no advice" record in.
        assert.deepEqual(r.launched, JOB);
        assert.deepEqual(spotLines(r.stderr), [
          `spot-submit: ${join(box.dir, '.spotrc.yml')} is not a regular file (a config file must be one); launching unchanged`,
        ]);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('a --properties-file that is a FIFO is left unread to spark-submit: no wait for a writer, the job launches', () =>
    withBox(
      async (box) => {
        const fifo = join(box.dir, 'job.properties');
        execFileSync('mkfifo', [fifo]);
        const job = ['--properties-file', fifo, ...JOB];
        // Read, the FIFO held the launch until the budget, an hour here: the runner's timeout would end the test.
        const r = await runSubmit(job, box, { env: { FAKE_SPARK_EXIT: '6' } });
        assert.equal(r.code, 6, r.stderr);
        assert.deepEqual(
          spotLines(r.stderr)[0],
          `spot-submit: the properties file ${fifo} is not a regular file (a FIFO): Spot leaves it unread, to spark-submit; launching unchanged`,
        );
        assert.deepEqual(r.launched?.slice(0, 2), ['--properties-file', fifo]);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '3600000' },
    ));

  test('a config that cannot be read: the job launches untagged, since no "no advice" record could be stored', () =>
    withBox(
      async (box) => {
        writeFileSync(join(box.dir, '.spotrc.yml'), 'advisor:\n  mode: [override\n');
        const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '4' } });
        assert.equal(r.code, 4, r.stderr);
        assert.deepEqual(r.launched, JOB);
        assert.match(spotLines(r.stderr)[0] ?? '', /is not valid YAML: .*; launching unchanged$/);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('a config that cannot be read in a dry run: the command unchanged, and no word of launching', () =>
    withBox(
      async (box) => {
        writeFileSync(join(box.dir, '.spotrc.yml'), 'advisor:\n  mode: [override\n');
        const r = await runSubmit(['--spot-dry-run', ...JOB], box);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.launched, undefined);
        assert.match(
          spotLines(r.stderr)[0] ?? '',
          /is not valid YAML: .*; the command unchanged \(a dry run launches nothing\)$/,
        );
        assert.doesNotMatch(r.stderr, /launching/);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('--spot-off reads no Spot configuration: a FIFO config and a config naming another spark-submit are both ignored', () =>
    withBox(async (box) => {
      const bad = evil(box);
      const env = { SPOT_SUBMIT_SPARK_SUBMIT: undefined, SPARK_HOME: sparkHome(box), FAKE_SPARK_EXIT: '7' };
      execFileSync('mkfifo', [join(box.dir, '.spotrc.yml')]);
      let r = await runSubmit(['--spot-off', ...JOB], box, { env });
      assert.equal(r.code, 7, r.stderr);
      assert.deepEqual(r.launched, JOB);
      assert.deepEqual(spotLines(r.stderr), []);
      execFileSync('rm', [join(box.dir, '.spotrc.yml')]);
      writeFileSync(join(box.dir, '.spotrc.yml'), `submit:\n  sparkSubmit: ${bad.path}\n`);
      r = await runSubmit(['--spot-off', ...JOB], box, { env });
      assert.equal(r.code, 7, r.stderr);
      assert.equal(bad.ran(), false);
    }));

  test('a config planted above home or in a folder anyone may write to is not obeyed', () =>
    withBox(
      async (box) => {
        const bad = evil(box);
        const planted = `submit:\n  sparkSubmit: ${bad.path}\n`;
        const home = join(box.dir, 'users', 'me');
        const shared = join(box.dir, 'shared');
        mkdirSync(join(home, 'job'), { recursive: true });
        mkdirSync(join(shared, 'job'), { recursive: true });
        chmodSync(shared, 0o1777);
        writeFileSync(join(box.dir, 'users', '.spotrc.yml'), planted); // above home
        writeFileSync(join(shared, '.spotrc.yml'), planted); // a /tmp-like folder
        const env = {
          HOME: home,
          XDG_CONFIG_HOME: undefined,
          SPOT_SUBMIT_SPARK_SUBMIT: undefined,
          SPARK_HOME: sparkHome(box),
          FAKE_SPARK_EXIT: '8',
        };
        for (const cwd of [join(home, 'job'), shared, join(shared, 'job')]) {
          const r = await runSubmit(JOB, box, { env, cwd });
          assert.equal(r.code, 8, `${cwd}: ${r.stderr}`);
          assert.equal(bad.ran(), false, cwd);
        }
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('spark-submit not found: names the path tried and the fix, exits 127, records no advice', () =>
    withBox(
      async (box) => {
        const missing = join(box.dir, 'no-spark', 'bin', 'spark-submit');
        let r = await runSubmit(JOB, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: missing } });
        assert.equal(r.code, 127);
        assert.deepEqual(spotLines(r.stderr), [
          `spot-submit: spark-submit not found: ${missing} (from SPOT_SUBMIT_SPARK_SUBMIT) does not exist; set SPARK_HOME to your Spark installation, or submit.sparkSubmit (SPOT_SUBMIT_SPARK_SUBMIT) to the spark-submit to run`,
        ]);
        r = await runSubmit(JOB, box, {
          env: {
            SPOT_SUBMIT_SPARK_SUBMIT: undefined,
            SPARK_HOME: join(box.dir, 'no-spark'),
            PATH: join(box.dir, 'empty'),
          },
        });
        assert.equal(r.code, 127);
        assert.match(
          r.stderr,
          /spark-submit not found: .*no-spark\/bin\/spark-submit \(SPARK_HOME\) does not exist and there is no spark-submit on PATH; set SPARK_HOME/,
        );
        // --spot-off reads no config file: the fix it names is one it reads, not submit.sparkSubmit.
        r = await runSubmit(['--spot-off', ...JOB], box, {
          env: { SPOT_SUBMIT_SPARK_SUBMIT: undefined, SPARK_HOME: undefined, PATH: join(box.dir, 'empty') },
        });
        assert.equal(r.code, 127);
        assert.deepEqual(spotLines(r.stderr), [
          'spot-submit: spark-submit not found: SPARK_HOME is not set and there is no spark-submit on PATH; set SPARK_HOME to your Spark installation, or SPOT_SUBMIT_SPARK_SUBMIT to the spark-submit to run (--spot-off reads no config file, so submit.sparkSubmit there is not used)',
        ]);
        // A folder in its place exists but cannot run: 126, as a shell answers, and said so.
        r = await runSubmit(JOB, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: box.dir } });
        assert.equal(r.code, 126);
        assert.deepEqual(spotLines(r.stderr), [
          `spot-submit: ${box.dir} (from SPOT_SUBMIT_SPARK_SUBMIT) is a folder, not spark-submit`,
        ]);
        assert.equal(await adviceCount(box), 0);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('--spot-pin or --spot-input-bytes without a value is a usage error: exit 2, nothing launched', () =>
    withBox(async (box) => {
      for (const argv of [
        ['--spot-pin', '--spot-dry-run', '--name', 'j', 'app.jar'],
        ['--spot-input-bytes', '--spot-off', 'app.jar'],
        [...JOB.slice(0, 2), '--spot-pin'],
      ]) {
        const r = await runSubmit(argv, box);
        assert.equal(r.code, 2, JSON.stringify(argv));
        assert.equal(r.launched, undefined);
        assert.match(r.stderr, /^spot-submit: --spot-(pin|input-bytes) needs a value/);
      }
    }));

  test('--spot-dry-run after the application (appended to a launch line): usage error, exit 2, nothing launched', () =>
    withBox(async (box) => {
      const r = await runSubmit([...JOB, '--spot-dry-run'], box);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.launched, undefined);
      assert.match(r.stderr, /^spot-submit: --spot-dry-run comes after the application etl\.jar, where it would be /);
    }));

  test('a usage error that quotes a word of the command line masks the credentials in it', () =>
    withBox(async (box) => {
      const app = 'https://etl:S3CRET@repo.example/etl.jar';
      const shown = 'https://etl:*********(redacted)@repo.example/etl.jar';
      for (const [argv, said] of [
        [['--spot-input-bytes', app], `got '${shown}', and no application follows it`],
        [['--spot-pin', app], `got '${shown}'`],
        [['--master', 'yarn', app, 'x', '--spot-dry-run'], `comes after the application ${shown}, where`],
        [['--spot-pin', '--spot-x=https://u:S3CRET@h'], 'got the option --spot-x=https://u:*********(redacted)@h)'],
        [['--spot-input-bytes', 'fs.s3a.secret.key=S3CRET'], "got 'fs.s3a.secret.key=*********(redacted)'"],
        [['--spot-input-bytes', '--password=S3CRET'], "got '--password=*********(redacted)'"],
      ] as const) {
        const r = await runSubmit([...argv], box);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.launched, undefined);
        assert.ok(r.stderr.includes(said), r.stderr);
        assert.doesNotMatch(r.stderr, /S3CRET/);
      }
    }));

  test('--spot-pin or --spot-input-bytes that took the application for its forgotten value: usage error, exit 2', () =>
    withBox(async (box) => {
      // Taken as the pin, app.jar would be gone from the command spark-submit gets.
      const r = await runSubmit(['--name', 'j', '--spot-pin', 'app.jar'], box);
      assert.equal(r.code, 2);
      assert.equal(r.launched, undefined);
      assert.match(
        r.stderr,
        /^spot-submit: --spot-pin takes a Spark conf key such as spark\.executor\.memory .*got 'app\.jar'/,
      );
      const size = await runSubmit(['--name', 'j', '--spot-input-bytes', 'app.jar'], box);
      assert.equal(size.code, 2);
      assert.equal(size.launched, undefined);
      assert.match(size.stderr, /^spot-submit: --spot-input-bytes takes a size such as 50g, got 'app\.jar'/);
    }));

  test('a bad --spot-input-bytes warns on stderr in a dry run and a real launch, naming the size used instead', () =>
    withBox(
      async (box) => {
        const argv = ['--spot-input-bytes', 'abc', ...JOB];
        for (const dry of [true, false]) {
          const r = await runSubmit(dry ? ['--spot-dry-run', ...argv] : argv, box);
          assert.equal(r.code, 0, r.stderr);
          const lines = spotLines(r.stderr);
          assert.ok(lines.includes("spot-submit: input size: --spot-input-bytes 'abc' is not a size"), r.stderr);
          assert.ok(lines.includes('spot-submit: input size: unknown (no other source answered)'), r.stderr);
          assert.doesNotMatch(r.stdout, /is not a size/);
        }
        // A size past 8 PiB is a size, only too large for Spot: said so.
        const huge = await runSubmit(['--spot-dry-run', '--spot-input-bytes', '9p', ...JOB], box);
        assert.equal(huge.code, 0, huge.stderr);
        assert.ok(
          spotLines(huge.stderr).includes(
            "spot-submit: input size: --spot-input-bytes '9p' is past 8 PiB, the largest input Spot takes",
          ),
          huge.stderr,
        );
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('Ctrl-C (SIGINT to the whole process group) during the run: exit 130, and the outcome is still stored', () =>
    withBox(
      async (box) => {
        const { child, done } = await runningJob(box, true);
        process.kill(-child.pid!, 'SIGINT');
        const r = await done;
        assert.equal(r.code, 130, r.stderr);
        const store = await SqliteStore.open(join(box.home, 'spot.db'));
        try {
          const [advice] = await store.listAdvice({});
          assert.equal(advice?.outcome?.exitCode, 130, r.stderr);
        } finally {
          await store.close();
        }
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    ));

  test('Ctrl-C and Ctrl-\\ at a terminal reach spark-submit once per keystroke, as without spot-submit', async (t) => {
    if (!hasScript()) return void t.skip('no script(1) to run spot-submit on a terminal');
    await withBox(
      async (box) => {
        const term = onTerminal(box, {});
        await term.shows('fake-spark-submit: running', 1);
        for (const n of [1, 2]) {
          term.type('\x03');
          // The terminal echoes ^C once it has signalled the group; the job notes each SIGINT and runs on.
          await term.shows('^C', n);
          await term.shows('fake-spark-submit: got SIGINT', n);
        }
        term.type('\x1c');
        await term.shows('^\\', 1);
        await term.shows('fake-spark-submit: thread dump', 1);
        assert.equal(await term.stop(), 143, term.screen());
        assert.equal(term.count('fake-spark-submit: got SIGINT'), 2, term.screen());
        assert.equal(term.count('fake-spark-submit: thread dump'), 1, term.screen());
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    );
  });

  test('Ctrl-C at a terminal reaches a spark-submit a wrapper moved out of its group (setsid)', async (t) => {
    if (!hasScript()) return void t.skip('no script(1) to run spot-submit on a terminal');
    await withBox(
      async (box) => {
        // A wrapper that starts spark-submit in a session of its own: the terminal's Ctrl-C no longer reaches it.
        const wrapper = join(box.dir, 'spark-submit');
        writeFileSync(
          wrapper,
          `#!/bin/sh\nexec setsid ${JSON.stringify(process.execPath)} ${JSON.stringify(FAKE_SPARK_SUBMIT)} "$@"\n`,
        );
        chmodSync(wrapper, 0o755);
        const term = onTerminal(box, { SPOT_SUBMIT_SPARK_SUBMIT: wrapper });
        await term.shows('fake-spark-submit: running', 1);
        term.type('\x03');
        // Waited for, not raced: stopped at the echo, the stop's SIGTERM could overtake the SIGINT passed on.
        await term.shows('fake-spark-submit: got SIGINT', 1);
        assert.equal(await term.stop(), 143, term.screen());
        assert.equal(term.count('fake-spark-submit: got SIGINT'), 1, term.screen());
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    );
  });

  test('Ctrl-\\ (SIGQUIT to the process group) during the run: the job dumps its threads and runs on', () =>
    withBox(
      async (box) => {
        const { child, done, seen } = await runningJob(box, true);
        process.kill(-child.pid!, 'SIGQUIT');
        await seen('fake-spark-submit: thread dump');
        // The job ran on: only a plain kill now ends it, and its exit code comes back.
        child.kill('SIGTERM');
        const r = await done;
        assert.equal(r.code, 143, `${r.signal} ${r.stderr}`);
        assert.match(r.stdout, /thread dump[\s\S]*got SIGTERM/);
        const store = await SqliteStore.open(join(box.home, 'spot.db'));
        try {
          const [advice] = await store.listAdvice({});
          assert.equal(advice?.outcome?.exitCode, 143, r.stderr);
        } finally {
          await store.close();
        }
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    ));

  test("kill -USR1 of spot-submit reaches the job, which it ends, and opens no debugger: the job's exit code", () =>
    withBox(
      async (box) => {
        const { child, done, seen } = await runningJob(box);
        child.kill('SIGUSR1');
        // Node's default would print this and leave the job running: the test then stops it.
        await Promise.race([done, seen('Debugger listening')]);
        child.kill('SIGTERM');
        const r = await done;
        assert.doesNotMatch(r.stderr, /Debugger listening/);
        assert.equal(r.code, 138, `${r.signal} ${r.stderr}`);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    ));

  test('kill -USR2 of spot-submit is passed on to the job, which runs on; its exit code still comes back', () =>
    withBox(
      async (box) => {
        const { child, done, seen } = await runningJob(box);
        child.kill('SIGUSR2');
        await seen('fake-spark-submit: got SIGUSR2');
        child.kill('SIGTERM');
        const r = await done;
        assert.equal(r.code, 143, `${r.signal} ${r.stderr}`);
        assert.match(r.stdout, /got SIGUSR2[\s\S]*got SIGTERM/);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    ));

  test('kill -USR1 before the launch opens no debugger: it ends spot-submit (138), nothing launched', async () => {
    const held: import('node:http').ServerResponse[] = [];
    let asked!: () => void;
    const storeAsked = new Promise<void>((resolve) => (asked = resolve));
    const es = await loopbackHttp((_req, res) => {
      held.push(res); // accepts, never answers: the advice phase waits on it
      asked();
    });
    try {
      await withBox(
        async (box) => {
          const child = startSubmit(JOB, box);
          const done = collect(child, box);
          const { seen } = watchOutput(child);
          await storeAsked;
          child.kill('SIGUSR1');
          // Node's default prints this, listens on a local port for anyone to run code as this user, and goes on
          // to launch the job: the test then stops it.
          await Promise.race([done, seen('Debugger listening')]);
          child.kill('SIGTERM');
          const r = await done;
          assert.doesNotMatch(r.stderr, /Debugger listening/);
          assert.equal(r.code, 138, `${r.signal} ${r.stderr}`);
          assert.equal(r.launched, undefined);
        },
        {
          SPOT_STORE_TYPE: 'elasticsearch',
          SPOT_ELASTICSEARCH_URL: `http://127.0.0.1:${es.port}`,
          SPOT_ELASTICSEARCH_TIMEOUT_MS: '600000',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000',
        },
      );
    } finally {
      for (const res of held) res.socket?.destroy();
      await es.close();
    }
  });

  test("a signal while a hung store takes the outcome: spot-submit exits at once with the job's code", async () => {
    const held: import('node:http').ServerResponse[] = [];
    const es = await loopbackHttp((_req, res) => void held.push(res)); // accepts, never answers
    try {
      await withBox(
        async (box) => {
          // SIGUSR1 and SIGUSR2 too: spark-submit has exited, so nothing passes them on; left at Node's default they
          // ended spot-submit as 138 and 140, the job's code lost.
          for (const signal of ['SIGINT', 'SIGUSR1', 'SIGUSR2'] as const) {
            rmSync(join(box.home, 'outbox'), { recursive: true, force: true });
            const child = startSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '3' } });
            const done = collect(child, box);
            // No advice within the budget; after the job, its "no advice" record is kept in the outbox, then the
            // store is asked to take it and never answers: spot-submit waits for it within the feedback budget.
            const outbox = join(box.home, 'outbox');
            while (!(existsSync(outbox) && readdirSync(outbox).some((f) => f.endsWith('.advice.json'))))
              await new Promise((r) => setTimeout(r, 20));
            child.kill(signal);
            const r = await done;
            assert.equal(r.code, 3, `${signal}: ${r.signal} ${r.stderr}`);
            assert.doesNotMatch(r.stderr, /Debugger listening/);
          }
        },
        {
          SPOT_STORE_TYPE: 'elasticsearch',
          SPOT_ELASTICSEARCH_URL: `http://127.0.0.1:${es.port}`,
          SPOT_ELASTICSEARCH_TIMEOUT_MS: '600000',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '300',
          SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '600000',
        },
      );
    } finally {
      for (const res of held) res.socket?.destroy();
      await es.close();
    }
  });

  test('an input probe still running when the advice budget is spent is stopped with the advice process', (t) =>
    withBox(async (box) => {
      const pidFile = join(box.dir, 'probe.pid');
      const probe = join(box.dir, 'probe');
      writeFileSync(
        probe,
        `#!/bin/sh\necho $$ > ${JSON.stringify(pidFile)}.tmp\nmv ${JSON.stringify(pidFile)}.tmp ${JSON.stringify(pidFile)}\nexec sleep 600\n`,
      );
      chmodSync(probe, 0o755);
      // A loaded machine may spend 2 s before the probe starts (a process killed starts nothing): then again with a
      // budget it does not spend first, so that the case is checked there too rather than skipped.
      for (const budget of [2000, 30_000]) {
        const r = await runSubmit(JOB, box, {
          env: {
            SPOT_SUBMIT_ADVICE_TIMEOUT_MS: String(budget),
            SPOT_SUBMIT_INPUT_PROBE: `${probe} {path}`,
            SPOT_SUBMIT_INPUT_PROBE_TIMEOUT_MS: '600000',
          },
        });
        assert.equal(r.code, 0, r.stderr);
        // A loaded machine may spend the budget before the config is read, and say so.
        const spent = new RegExp(`no advice within ${budget} ms( \\(the config was not read\\))?; launching unchanged`);
        assert.match(r.stderr, spent);
        if (existsSync(pidFile)) break;
      }
      if (!existsSync(pidFile)) return t.skip('the budget was spent before the probe started');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const alive = () => {
        try {
          process.kill(pid, 0);
        } catch {
          return false;
        }
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie is gone
        } catch {
          return true;
        }
      };
      try {
        // Killed with its process group; an orphaned probe would sleep its 600 s (and the test time out).
        while (alive()) await new Promise((r) => setTimeout(r, 20));
      } finally {
        if (alive()) process.kill(pid, 'SIGKILL');
      }
    }));

  test('a command line with --jars and --files lists of 80 kB each is advised, not refused by the kernel', () =>
    withBox(
      async (box) => {
        const jars = Array.from({ length: 2000 }, (_, i) => `hdfs://nn/lib/dependency-${i}-1.2.3.jar`).join(',');
        const r = await runSubmit(['--jars', jars, '--files', jars, ...JOB], box);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /spot-submit: advice [0-9a-f-]{36} \(fill\)/, r.stderr);
        assert.doesNotMatch(r.stderr, /launching unchanged/);
        assert.deepEqual(r.launched?.slice(0, 4), ['--jars', jars, '--files', jars]);
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' },
    ));

  test('a dry run whose reader went away (| head -1) ends quietly with exit 0', () =>
    withBox(async (box) => {
      const child = startSubmit(['--spot-dry-run', ...JOB], box);
      child.stdout!.destroy(); // the reader is gone before spot-submit writes a word
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Error/);
    }));

  test("a job that prints another application's id is linked to its own, which spark-submit announced", () =>
    withBox(
      async (box) => {
        const submit = join(box.dir, 'spark-submit');
        writeFileSync(
          submit,
          '#!/bin/sh\necho "cleaning the logs of application_1600000000000_0001"\n' +
            'echo "INFO YarnClientImpl: Submitted application application_1700000000000_0042" >&2\n',
        );
        chmodSync(submit, 0o755);
        const r = await runSubmit(JOB, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: submit } });
        assert.equal(r.code, 0, r.stderr);
        const store = await SqliteStore.open(join(box.home, 'spot.db'));
        try {
          const [advice] = await store.listAdvice({});
          assert.equal(advice?.outcome?.applicationId, 'application_1700000000000_0042', r.stderr);
        } finally {
          await store.close();
        }
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' },
    ));

  test('nohup spot-submit: SIGHUP stays ignored, by spot-submit and by the spark-submit it starts', (t) =>
    withBox(async (box) => {
      if (!existsSync('/proc/self/status')) return t.skip('no /proc');
      const submit = join(box.dir, 'spark-submit');
      // Says which signals it started with ignored, then waits as a job would (sleep keeps them: it sets none).
      writeFileSync(submit, '#!/bin/sh\ngrep SigIgn /proc/$$/status\nexec sleep 600\n');
      chmodSync(submit, 0o755);
      // As nohup starts it: SIGHUP ignored, the program run as a program (its first lines are a shell's).
      const child = spawn('/bin/sh', ['-c', `trap '' HUP; exec "$0" "$@"`, SPOT_SUBMIT_BIN, ...JOB], {
        env: { ...box.env, SPOT_SUBMIT_SPARK_SUBMIT: submit, SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const done = collect(child, box);
      let stdout = '';
      await new Promise<void>((resolve) =>
        child.stdout!.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('SigIgn')) resolve();
        }),
      );
      const mask = BigInt(`0x${/SigIgn:\s*([0-9a-f]+)/.exec(stdout)![1]}`);
      assert.equal(mask & 1n, 1n, `spark-submit started with SIGHUP ignored: ${stdout}`);
      child.kill('SIGHUP'); // the terminal closed: ignored, not passed on
      child.kill('SIGTERM'); // a plain kill still is
      const r = await done;
      assert.equal(r.code, 143, `${r.signal} ${r.stderr}`);
    }));

  test('a signal after spark-submit exited, while a process it left writes on: no stop is recorded', () =>
    withBox(
      async (box) => {
        const submit = join(box.dir, 'spark-submit');
        // Leaves a process behind that says when spark-submit is gone, then keeps writing, as a `nohup ... &` might.
        writeFileSync(
          submit,
          '#!/bin/sh\n(while kill -0 $$ 2>/dev/null; do sleep 0.05; done; echo gone; ' +
            'while :; do echo more; sleep 0.05; done) &\nexit 3\n',
        );
        chmodSync(submit, 0o755);
        const child = startSubmit(JOB, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: submit } });
        const done = collect(child, box);
        await new Promise<void>((resolve) =>
          child.stdout!.on('data', (c: Buffer) => {
            if (c.toString().includes('gone')) resolve();
          }),
        );
        child.kill('SIGTERM');
        const r = await done;
        assert.equal(r.code, 3, r.stderr);
        const store = await SqliteStore.open(join(box.home, 'spot.db'));
        try {
          const [advice] = await store.listAdvice({});
          assert.equal(advice?.outcome?.exitCode, 3, r.stderr);
          assert.equal(advice?.outcome?.stoppedBy, undefined, 'a failed run, not a stopped one');
        } finally {
          await store.close();
        }
      },
      { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '600000' },
    ));

  test('kill -9 of spot-submit: spark-submit gets SIGTERM and ends (where setpriv --pdeathsig exists)', async (t) => {
    try {
      execFileSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true']);
    } catch {
      t.skip('no setpriv with --pdeathsig on this system');
      return;
    }
    await withBox(async (box) => {
      const pidFile = join(box.dir, 'spark.pid');
      const child = startSubmit(['--spot-off', ...JOB], box, {
        env: { FAKE_SPARK_SLEEP_MS: '600000', FAKE_SPARK_PID_FILE: pidFile },
      });
      const done = collect(child, box);
      await new Promise<void>((resolve) =>
        child.stdout!.on('data', (c: Buffer) => c.toString().includes('fake-spark-submit: running') && resolve()),
      );
      const pid = Number(readFileSync(pidFile, 'utf8'));
      child.kill('SIGKILL');
      await done;
      for (;;) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(readFileSync(pidFile, 'utf8'), / SIGTERM$/);
    });
  });
});
