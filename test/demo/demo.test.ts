import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import { runJob } from '../../src/demo/job-model.js';
import { days, FIXED, JOB_NAME } from '../../src/demo/scenario.js';
import { SPOT_BIN } from '../support/paths.js';
import { HANG_GUARD } from '../support/spawn.js';

const GIB = 1024 ** 3;

describe('the demo job model', () => {
  test('task waves, memory pressure and seeded noise', () => {
    const base = { ...FIXED, executors: 10 };
    const a = runJob(60 * GIB, base, 'd1');
    assert.deepEqual(runJob(60 * GIB, base, 'd1'), a, 'same seed, same run');
    assert.ok(runJob(60 * GIB, { ...base, executors: 20 }, 'd1').durationMs < a.durationMs, 'more slots, fewer waves');
    assert.ok(runJob(120 * GIB, base, 'd1').durationMs > a.durationMs, 'more input, longer');
    assert.ok(
      runJob(60 * GIB, { ...base, executorMemoryBytes: 1 * GIB }, 'd1').durationMs > a.durationMs * 1.2,
      'spill when memory is short',
    );
    assert.ok(Math.abs(a.coreHours - (10 * 4 * a.durationMs) / 3.6e6) < 1e-9);
  });

  test('the schedule varies the input from day to day', () => {
    const d = days(14, new Date('2024-02-01T00:00:00Z'));
    assert.equal(d.length, 14);
    assert.equal(d[13]!.date, '2024-01-31');
    assert.ok(new Set(d.map((x) => x.inputBytes)).size === 14);
  });
});

describe('spot demo (compiled bin)', () => {
  test('Ctrl-C stops the loop, says how far it got, exits 130 and removes its throw-away SPOT_HOME', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spot-demo-tmp-'));
    try {
      const child = spawn(process.execPath, [SPOT_BIN, 'demo', '--launches', '40'], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      // Sent once the first launch is shown, whether the next is being planned or running: both stop.
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d) => {
          stdout += d;
          if (/^\s+1\s+\d{4}-\d{2}-\d{2}/m.test(stdout)) resolve();
        }),
      );
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      assert.match(stderr, /^spot demo: stopped after \d+ of 40 launches$/m);
      assert.doesNotMatch(stdout, /Totals over/);
      assert.deepEqual(
        readdirSync(tmp).filter((f) => f.startsWith('spot-demo-')),
        [],
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('its closing hint names a crawl that ends (--once), not the looping spot crawl', () => {
    const r = spawnSync(process.execPath, [SPOT_BIN, 'demo', '--launches', '1'], { ...HANG_GUARD, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /for your own jobs, set historyServer\.url, run `spot crawl --once` \(from cron;/);
  });

  test("the user's own config, even a broken one, plays no part in the demo", () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-demo-config-'));
    try {
      writeFileSync(join(dir, '.spotrc.yml'), 'store:\n  type: postgres\n');
      const r = spawnSync(process.execPath, [SPOT_BIN, 'demo', '--launches', '1'], {
        ...HANG_GUARD,
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SPOT_ADVISOR_MAX_SLOWDOWN: 'fast' },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /spot-submit/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an empty --port is a usage error, not port 0', () => {
    // Taken as port 0, it would serve until stopped: the timeout only turns that hang into a failure.
    const r = spawnSync(process.execPath, [SPOT_BIN, 'demo', '--serve', '--port', ''], {
      ...HANG_GUARD,
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      "spot: --port must be a whole number of 0 or more, got '' (run 'spot demo --help' for usage)\n",
    );
  });

  test('--launches past a year of daily runs is a usage error', () => {
    const r = spawnSync(process.execPath, [SPOT_BIN, 'demo', '--launches', '100000'], {
      ...HANG_GUARD,
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "spot: --launches must be at most 365, got '100000' (run 'spot demo --help' for usage)\n");
  });

  test('runs the loop end to end: launches, crawls, links every run to its advice', async () => {
    // The user's own SPOT_HOME: the demo keeps its store in a folder of its own.
    const userHome = mkdtempSync(join(tmpdir(), 'spot-demo-user-'));
    // The user's own Spark installation, with dynamic allocation on as many clusters have it: not the demo's cluster.
    const sparkConf = mkdtempSync(join(tmpdir(), 'spot-demo-spark-conf-'));
    writeFileSync(join(sparkConf, 'spark-defaults.conf'), 'spark.dynamicAllocation.enabled true\n');
    const r = spawnSync(process.execPath, [SPOT_BIN, 'demo', '--launches', '5', '--keep'], {
      ...HANG_GUARD,
      encoding: 'utf8',
      env: { ...process.env, SPOT_HOME: userHome, SPARK_CONF_DIR: sparkConf },
    });
    const userFiles = readdirSync(userHome);
    rmSync(userHome, { recursive: true, force: true });
    rmSync(sparkConf, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(userFiles, [], "the demo writes nothing in the user's SPOT_HOME: no store, no kept config");
    const home = /SPOT_HOME is kept at (\S+)\./.exec(r.stdout)?.[1];
    assert.ok(home && existsSync(join(home, 'spot.db')), r.stdout);
    try {
      const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+\d{4}-\d{2}-\d{2}/.test(l));
      assert.equal(rows.length, 5, r.stdout);
      assert.match(
        r.stdout,
        /Totals over 5 launches:\n {2}core-hours {2}[\d.]+ with Spot vs [\d.]+ on the fixed settings/,
      );
      assert.match(r.stdout, /spot explain application_\d+_\d+/);
      assert.equal(r.stderr, '');
      const store = await SqliteStore.open(join(home, 'spot.db'));
      try {
        const records = await store.records({ app: JOB_NAME });
        assert.equal(records.length, 5, 'every launch crawled under the same job key');
        const advice = await store.listAdvice({ app: JOB_NAME });
        assert.equal(advice.length, 5);
        for (const a of advice) {
          assert.equal(a.mode, 'override');
          assert.equal(a.inputSource, 'submit.inputProbe');
          assert.notEqual(a.baseline.dynamicAllocation, true, "the user's spark-defaults.conf is not the demo's");
          assert.equal(a.outcome?.exitCode, 0);
          assert.match(a.outcome?.applicationId ?? '', /^application_/);
          assert.ok(a.outcome?.runId, 'linked to the crawled run');
          assert.equal(
            records.find((rec) => rec.id === a.outcome?.runId)?.adviceId,
            a.id,
            'the run carries its advice id',
          );
        }
        assert.ok(
          advice.some((a) => a.trainingRunIds.length > 0),
          'later launches learn from earlier ones',
        );
      } finally {
        await store.close();
      }
    } finally {
      if (home) rmSync(home, { recursive: true, force: true });
    }
  });
});
