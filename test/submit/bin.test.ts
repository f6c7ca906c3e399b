import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ADVICE_ID_KEY } from '../../src/submit/inject.js';
import { SPOT_SUBMIT_BIN } from '../support/paths.js';
import { collect, runSubmit, sandbox, spotLines, startSubmit, type Sandbox } from './run-submit.js';

// The compiled spot-submit in front of a stand-in spark-submit (build first: npm run build).

const JOB = [
  '--master',
  'yarn',
  '--deploy-mode',
  'client',
  '--num-executors',
  '20',
  '--executor-cores',
  '4',
  '--executor-memory',
  '8g',
  '--class',
  'com.acme.DailyEtl',
  'etl.jar',
  '--date',
  '2024-01-31',
  '--num-executors',
  'app-arg',
];

function tagOf(argv: string[]): string | undefined {
  return argv.find((w) => w.startsWith(`${ADVICE_ID_KEY}=`))?.slice(ADVICE_ID_KEY.length + 1);
}
function withoutTag(argv: string[]): string[] {
  const i = argv.findIndex((w) => w.startsWith(`${ADVICE_ID_KEY}=`));
  return i < 0 ? argv : [...argv.slice(0, i - 1), ...argv.slice(i + 1)];
}

/** Each test gets its own SPOT_HOME, so that they can run side by side. */
async function withBox(fn: (box: Sandbox) => Promise<void>): Promise<void> {
  const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' }); // no timing in these tests: a loaded machine is slow
  try {
    await fn(box);
  } finally {
    box.cleanup();
  }
}

describe('spot-submit (compiled bin)', { concurrency: 3 }, () => {
  test('passes the exit code through: 0, 1, 42, and 137 for a SIGKILL', () =>
    withBox(async (box) => {
      for (const code of [0, 1, 42]) {
        const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: String(code) } });
        assert.equal(r.code, code, r.stderr);
      }
    }));

  test('exits with the code once spark-submit exits, though a process it left behind holds its output', () =>
    withBox(async (box) => {
      // A wrapper script that starts something in the background (a ticket renewer, `nohup ... &`) and exits.
      const script = join(box.dir, 'spark-submit-leaves-one');
      const pidFile = join(box.dir, 'left.pid');
      writeFileSync(
        script,
        `#!/bin/sh\necho "INFO Submitted application application_1796589345811_0099"\nsleep 100000 &\necho $! > ${pidFile}\nexit 7\n`,
        { mode: 0o755 },
      );
      try {
        const r = await runSubmit(['--spot-off', ...JOB], box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: script } });
        assert.equal(r.code, 7, r.stderr);
        assert.match(r.stdout, /Submitted application application_1796589345811_0099/);
      } finally {
        if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      }
    }));

  test('fill mode: launches with the tag, passes stdout through unchanged, links the outcome to the advice', () =>
    withBox(async (box) => {
      const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '3' } });
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'fake-spark-submit: running\nfake-spark-submit: done\n');
      const id = tagOf(r.launched!);
      assert.ok(id, JSON.stringify(r.launched));
      // Every tuned key is set on the command line: fill changes nothing.
      assert.deepEqual(withoutTag(r.launched!), JOB);
      assert.match(r.stderr, /Submitted application application_\d+_0042/);
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(id);
        assert.equal(advice?.mode, 'fill');
        assert.equal(advice?.app, 'com.acme.DailyEtl');
        assert.equal(advice?.outcome?.exitCode, 3);
        assert.match(advice?.outcome?.applicationId ?? '', /^application_\d+_0042$/);
        assert.ok((advice?.outcome?.wallMs ?? -1) >= 0);
        assert.equal(advice?.outcome?.stoppedBy, undefined, 'a job that ended of itself was not stopped');
      } finally {
        await store.close();
      }
    }));

  test("stdout and stderr to one file (> log 2>&1): the job's lines keep their order there, its id is still read", () =>
    withBox(async (box) => {
      const log = join(box.dir, 'job.log');
      const fd = openSync(log, 'a');
      const child = spawn(process.execPath, [SPOT_SUBMIT_BIN, ...JOB], {
        env: { ...box.env, FAKE_SPARK_INTERLEAVE: '200' },
        cwd: box.dir,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const code = await new Promise((resolve) => child.once('close', resolve));
      assert.equal(code, 0);
      const job = readFileSync(log, 'utf8').split('\n');
      const pairs = Array.from({ length: 200 }, (_, i) => [`out ${i}`, `err ${i}`]).flat();
      assert.deepEqual(
        job.filter((l) => /^(out|err) \d+$/.test(l)),
        pairs,
      );
      assert.ok(job.some((l) => /Submitted application application_\d+_0042$/.test(l)));
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(tagOf(JSON.parse(readFileSync(box.argvFile, 'utf8')) as string[])!);
        assert.match(advice?.outcome?.applicationId ?? '', /^application_\d+_0042$/);
      } finally {
        await store.close();
      }
    }));

  test('arguments and variables that are not UTF-8 reach spark-submit byte for byte', () =>
    withBox(async (box) => {
      const raw = join(box.dir, 'raw');
      // Node can pass no such byte to a child: a shell makes them, then runs spot-submit with them.
      const script = `X=$(printf 'a\\377b'); export X; exec "$0" "$1" --master yarn --name "$(printf 'n\\351')" etl.jar "$(printf '\\376\\377')" 'plain \u00e9'`;
      const child = spawn('/bin/sh', ['-c', script, process.execPath, SPOT_SUBMIT_BIN], {
        env: { ...box.env, FAKE_SPARK_RAW_FILE: raw },
        cwd: box.dir,
        stdio: 'ignore',
      });
      assert.equal(await new Promise((resolve) => child.once('close', resolve)), 0);
      const words = readFileSync(raw).toString('latin1').split('\0').slice(2, -1);
      const i = words.indexOf('--conf');
      assert.match(words[i + 1] ?? '', /^spark\.spot\.adviceId=/);
      words.splice(i, 2);
      const bytes = (hex: number[]) => Buffer.from(hex).toString('latin1');
      assert.deepEqual(words, [
        '--master',
        'yarn',
        '--name',
        bytes([0x6e, 0xe9]),
        'etl.jar',
        bytes([0xfe, 0xff]),
        Buffer.from('plain \u00e9').toString('latin1'),
      ]);
      assert.ok(
        readFileSync(`${raw}.env`)
          .toString('latin1')
          .split('\0')
          .includes(`X=a${bytes([0xff])}b`),
      );
    }));

  test('two arguments that read alike decoded, one of them not UTF-8: nothing launched, exit 2, and why', () =>
    withBox(async (box) => {
      // The second is not UTF-8 either, or is U+FFFD itself: either way one would be given the other's bytes. They
      // are named by their place: a word is quoted nowhere, as it may be a password.
      for (const [second, said] of [
        [`"hunter2$(printf '\\377')"`, 'arguments 4 and 5 are not UTF-8 and read alike once decoded'],
        ['"hunter2$2"', 'arguments 4 and 5 read alike once decoded, one of them not UTF-8'],
      ]) {
        const script = `exec "$0" "$1" --master yarn etl.jar "hunter2$(printf '\\376')" ${second}`;
        const child = spawn('/bin/sh', ['-c', script, process.execPath, SPOT_SUBMIT_BIN, '\uFFFD'], {
          env: box.env,
          cwd: box.dir,
        });
        const r = await collect(child, box);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.launched, undefined);
        assert.ok(r.stderr.includes(`spot-submit: ${said}; nothing launched, `), r.stderr);
        assert.doesNotMatch(r.stderr, /hunter2/);
      }
    }));

  test('captures standalone and local application ids', () =>
    withBox(async (box) => {
      for (const [mode, re] of [
        ['standalone', /^app-20240131120000-0007$/],
        ['local', /^local-\d+$/],
      ] as const) {
        const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_MODE: mode } });
        const store = await SqliteStore.open(join(box.home, 'spot.db'));
        try {
          assert.match((await store.getAdvice(tagOf(r.launched!)!))?.outcome?.applicationId ?? '', re);
        } finally {
          await store.close();
        }
      }
    }));

  test('override mode rewrites explicit options in place; a --spot-pin keeps its key', () =>
    withBox(async (box) => {
      const env = { SPOT_ADVISOR_MODE: 'override' };
      // 1 GiB is 8 input tasks: 20 executors would sit idle, so the rule cuts them as far as it may blind (÷1.25).
      const r = await runSubmit(['--spot-input-bytes', '1g', ...JOB], box, { env });
      const launched = withoutTag(r.launched!);
      assert.equal(launched.length, JOB.length);
      assert.equal(launched[5], '16', 'the rule for 1 GiB asks for fewer executors');
      assert.deepEqual(launched.slice(-4), JOB.slice(-4), 'application arguments untouched');
      const pinned = await runSubmit(
        ['--spot-input-bytes', '1g', '--spot-pin', 'spark.executor.instances', ...JOB],
        box,
        { env },
      );
      assert.equal(withoutTag(pinned.launched!)[5], '20');
    }));

  test('--spot-off launches exactly the original command and opens no store', () =>
    withBox(async (box) => {
      const r = await runSubmit(['--spot-off', '--spot-pin', 'spark.executor.memory', ...JOB], box);
      assert.equal(r.code, 0);
      assert.deepEqual(r.launched, JOB);
      assert.deepEqual(spotLines(r.stderr), []);
      assert.equal(existsSync(box.home), false);
    }));

  test('--spot-dry-run prints the advice and the final command line, and launches nothing', () =>
    withBox(async (box) => {
      const r = await runSubmit(['--spot-dry-run', '--spot-input-bytes', '1g', ...JOB], box);
      assert.equal(r.code, 0);
      assert.equal(r.launched, undefined);
      assert.match(r.stdout, /^advice \S+ for com\.acme\.DailyEtl \(mode fill\)/);
      assert.match(r.stdout, /input: 1\.0 GiB \(from --spot-input-bytes\)/);
      assert.match(r.stdout, /^  note: a dry run stores nothing, so this advice id is not kept$/m);
      assert.doesNotMatch(r.stderr, /masked/, 'nothing to mask, nothing said');
      const last = r.stdout.trim().split('\n').pop()!;
      assert.ok(last.includes('fake-spark-submit.mjs --master yarn'), last);
      assert.ok(
        last.includes(`--conf ${ADVICE_ID_KEY}=`) && last.endsWith('etl.jar --date 2024-01-31 --num-executors app-arg'),
        last,
      );
    }));

  test('--spot-dry-run masks secret values in the command it prints, and says so', () =>
    withBox(async (box) => {
      const r = await runSubmit(
        ['--spot-dry-run', '--conf', 'spark.hadoop.fs.s3a.secret.key=SECRETKEY1', ...JOB, '--password', 'ARGPW'],
        box,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes('SECRETKEY1') && !r.stdout.includes('ARGPW'), r.stdout);
      assert.match(r.stdout, /--conf 'spark\.hadoop\.fs\.s3a\.secret\.key=\*{9}\(redacted\)'/);
      assert.match(
        r.stderr,
        /^spot-submit: secret values in the command above are masked; your own command line has them$/m,
      );
    }));

  test('an unknown --spot- option is a usage error (exit 2), nothing launched', () =>
    withBox(async (box) => {
      const r = await runSubmit(['--spot-dryrun', ...JOB], box);
      assert.equal(r.code, 2);
      assert.equal(r.launched, undefined);
      assert.match(r.stderr, /unknown option --spot-dryrun/);
    }));

  test('a reader that goes away (| head) does not stop the job or change its exit code', () =>
    withBox(async (box) => {
      const child = startSubmit(JOB, box, { env: { FAKE_SPARK_LINES: '20000', FAKE_SPARK_EXIT: '7' } });
      child.stdout!.once('data', () => child.stdout!.destroy());
      child.stderr!.resume();
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.equal(code, 7);
    }));

  test('SIGTERM to spot-submit reaches spark-submit; the exit code is its 143; the outcome says it was stopped', () =>
    withBox(async (box) => {
      // Runs until stopped: a job that ends of itself after some seconds could beat the SIGTERM on a loaded machine.
      const child = startSubmit(JOB, box, { env: { FAKE_SPARK_SLEEP_MS: '600000' } });
      const done = collect(child, box);
      await new Promise<void>((resolve) => {
        child.stdout!.on('data', (c: Buffer) => {
          if (c.toString().includes('fake-spark-submit: running')) resolve();
        });
      });
      child.kill('SIGTERM');
      const r = await done;
      assert.equal(r.code, 143);
      assert.match(r.stdout, /got SIGTERM/);
      // The run says nothing about its settings (src/advisor/launch-outcomes.ts): the record keeps why it ended.
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(tagOf(r.launched!)!);
        assert.deepEqual([advice?.outcome?.exitCode, advice?.outcome?.stoppedBy], [143, 'SIGTERM']);
      } finally {
        await store.close();
      }
    }));
});
