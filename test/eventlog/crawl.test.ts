import assert from 'node:assert/strict';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { startReplayServer } from '../support/shs-replay.js';
import { syntheticApp } from '../../src/simulator/apps.js';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { formatShsDate } from '../../src/history/dates.js';
import { ROOT, SHS_FIXTURES, SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';
import { column, runSpot, scalar, tempHome } from '../crawl/support.js';

// `spot crawl --event-logs` as users run it: the compiled bin, a real SQLite file, a real folder of logs.

const LOGS = join(SHS_FIXTURES, 'spark-events');

function logFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
  for (const f of readdirSync(LOGS)) copyFileSync(join(LOGS, f), join(dir, f));
  return dir;
}

type Doc = {
  id: string;
  docId: string;
  history_host: string;
  spot: Record<string, unknown>;
  attempt: Record<string, unknown> & { aggs: Record<string, unknown> };
};

function docs(stdout: string): Doc[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Doc);
}

describe('spot crawl --event-logs', () => {
  before(() => assert.ok(existsSync(join(ROOT, 'dist', 'src', 'crawl', 'event-logs.js')), 'run npm run build first'));

  test('stores every fixture app once; a repeat crawl reads only new and changed logs', async () => {
    const home = tempHome();
    const dir = logFolder();
    try {
      const first = await runSpot(['crawl', '--once', '--event-logs', dir], home);
      assert.equal(first.code, 0, first.stderr);
      // 14 logs, 12 apps: two apps have two attempt logs each.
      assert.match(first.stdout, /12 new, 0 skipped, 0 failed/);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 14);
      // One run record per app (its final attempt): the attempts of an app are read and stored together.
      assert.equal(scalar(home.db, 'SELECT count(*) FROM runs'), 12);
      // The jobs the logs ran are fitted as they are stored: their next spot-submit launch only looks them up.
      assert.equal(scalar(home.db, "SELECT count(*) FROM models WHERE app = 'Spark shell'"), 1);
      const again = await runSpot(['crawl', '--once', '--event-logs', dir], home);
      assert.equal(again.code, 0, again.stderr);
      // Counted by app, as new ones are: the two apps of two logs are one skipped app each.
      assert.match(again.stdout, /0 new, 12 skipped, 0 failed/);

      // A changed log rebuilds its app (with the app's other attempt read again); a new bad log is an error.
      appendFileSync(join(dir, 'local-1430917381535_2'), '\n');
      writeFileSync(join(dir, 'app-20990101000000-0000'), 'this is not an event log\n');
      const third = await runSpot(['crawl', '--once', '--event-logs', dir], home);
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stdout, /1 new, 11 skipped, 1 failed/);
      assert.deepEqual(column(home.db, 'SELECT app_id FROM errors'), ['app-20990101000000-0000']);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 14);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('a log given up on after crawler.maxAppRetries failures is read again once it changes', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
    const env = { env: { SPOT_CRAWLER_MAX_APP_RETRIES: '1' } };
    try {
      const log = join(dir, 'local-1422981759269');
      writeFileSync(log, 'this is not an event log\n');
      const failed = await runSpot(['crawl', '--once', '--event-logs', dir], home, env);
      assert.match(failed.stdout, /0 new, 0 skipped, 1 failed, 0 gave up/);
      const left = await runSpot(['crawl', '--once', '--event-logs', dir], home, env);
      assert.match(left.stdout, /0 new, 0 skipped, 0 failed, 1 gave up/);
      // Repaired (copied again whole): changed after its failures, so it is read again.
      copyFileSync(join(LOGS, 'local-1422981759269'), log);
      const later = new Date(Date.now() + 60_000);
      utimesSync(log, later, later);
      const repaired = await runSpot(['crawl', '--once', '--event-logs', dir], home, env);
      assert.equal(repaired.code, 0, repaired.stderr);
      assert.match(repaired.stdout, /1 new, 0 skipped, 0 failed, 0 gave up/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('the documents equal those of a History Server crawl of the same apps, plus task figures', async () => {
    const viaLogs = tempHome();
    const viaShs = tempHome();
    const shs = await startReplayServer();
    const dir = logFolder();
    try {
      assert.equal((await runSpot(['crawl', '--once', '--event-logs', dir], viaLogs)).code, 0);
      const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', '2010-01-01'], viaShs);
      assert.equal(crawl.code, 0, crawl.stderr);
      const fromLogs = docs((await runSpot(['runs', '--json', '--limit', '100'], viaLogs)).stdout);
      const fromShs = docs((await runSpot(['runs', '--json', '--limit', '100'], viaShs)).stdout);
      // The replayed History Server serves executors, stages and environment for these apps.
      for (const id of ['local-1422981780767', 'application_1553914137147_0018', 'app-20161116163331-0000']) {
        const a = fromLogs.find((d) => d.id === id)!;
        const b = fromShs.find((d) => d.id === id)!;
        assert.ok(a && b, id);
        assert.ok(a.history_host.startsWith('file://'));
        assert.ok(typeof (a.attempt.x_tasks as { tasks?: number }).tasks === 'number');
        assert.deepEqual(a.attempt.aggs.allexecutors, b.attempt.aggs.allexecutors, `${id} executors`);
      }
    } finally {
      await shs.close();
      rmSync(dir, { recursive: true, force: true });
      viaLogs.cleanup();
      viaShs.cleanup();
    }
  });

  test('findings: a column in spot runs, a section in spot explain, graded from task data', async () => {
    const home = tempHome();
    const dir = logFolder();
    try {
      assert.equal((await runSpot(['crawl', '--once', '--event-logs', dir], home)).code, 0);
      const runs = await runSpot(['runs', '--limit', '100'], home);
      assert.equal(runs.code, 0, runs.stderr);
      const row = runs.stdout.split('\n').find((l) => l.includes('app-20161116163331-0000-0'))!;
      assert.match(row, /failed-tasks:critical/);
      const explain = await runSpot(['explain', 'app-20161116163331-0000'], home);
      assert.equal(explain.code, 0, explain.stderr);
      assert.match(
        explain.stdout,
        /Findings for app-20161116163331-0000-0:\n\s+critical\s+33% of tasks failed \(from task data\)/,
      );
      assert.match(explain.stdout, /\(from stage data; set spark\.dynamicAllocation\.enabled=true\)/);
      assert.match(
        explain.stdout,
        /Task-level what-if .*\n\s+at the observed 16 slots: 11 s against the actual 11 s \(error <0\.1%; the stage-average wave estimate: 11 s, error 0\.7%\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('--include-in-progress: logs still being written are skipped unless asked for', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
    try {
      copyFileSync(join(LOGS, 'local-1422981780767'), join(dir, 'local-1422981780767.inprogress'));
      const plain = await runSpot(['crawl', '--once', '--event-logs', dir], home);
      assert.match(plain.stdout, /0 new, 0 skipped, 0 failed, 0 gave up \(0 listed/);
      const asked = await runSpot(['crawl', '--once', '--event-logs', dir, '--include-in-progress'], home);
      assert.equal(asked.code, 0, asked.stderr);
      assert.match(asked.stdout, /1 new/);
      // Not ended: listed so, no run for the models or the report, and explain says why it has no advice.
      const runs = await runSpot(['runs'], home);
      assert.match(runs.stdout, /^not ended\s+Spark shell\s+local-1422981780767-0\s+-\s/m);
      const explain = await runSpot(['explain', 'local-1422981780767'], home);
      assert.equal(explain.code, 0, explain.stderr);
      assert.match(explain.stdout, /^local-1422981780767-0 has not ended \(its log is still being written/);
      assert.match(explain.stdout, /Findings for local-1422981780767-0:/);
      // With --json, one object as with advice: none, why, and the findings.
      const json = await runSpot(['explain', '--json', 'local-1422981780767'], home);
      assert.equal(json.code, 0, json.stderr);
      const out = JSON.parse(json.stdout) as Record<string, unknown>;
      assert.deepEqual(
        { ...out, findings: Array.isArray(out.findings) },
        { advice: null, noAdvice: 'not-ended', attempt: 'local-1422981780767-0', findings: true },
      );
      const report = await runSpot(['report', '--out', join(dir, 'r.html')], home);
      assert.match(report.stderr, /over 0 runs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('an app whose log ends before the app did costs nothing known: no negative core-hours, no 1969 newest run', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
    try {
      // A YARN app with executors, cut before SparkListenerApplicationEnd: its executors have not stopped.
      const full = readFileSync(join(LOGS, 'application_1553914137147_0018'), 'utf8');
      const cut = full
        .split('\n')
        .filter((l) => !l.includes('"SparkListenerApplicationEnd"'))
        .join('\n');
      writeFileSync(join(dir, 'application_1553914137147_0018.inprogress'), cut);
      const crawl = await runSpot(['crawl', '--once', '--event-logs', dir, '--include-in-progress'], home);
      assert.equal(crawl.code, 0, crawl.stderr);
      const runs = await runSpot(['runs'], home);
      assert.match(runs.stdout, /^not ended\s+LargeBlocks\s+application_1553914137147_0018-0\s+-\s+3\s+-\s+-\s/m);
      const [doc] = docs((await runSpot(['runs', '--json'], home)).stdout);
      const summary = doc!.attempt.aggs.summary as Record<string, unknown>;
      for (const key of [
        'allocated_core_hours',
        'core_cost',
        'estimated_core_efficiency',
        'idle_executors_core_hours',
      ]) {
        assert.equal(summary[key], undefined, key);
      }
      assert.doesNotMatch(JSON.stringify(doc), /"x_coreCost(_hours)?":-/);
      const status = await runSpot(['status'], home);
      assert.match(status.stdout, /newest run:\s+-$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('a job that ended JobFailed with no stage failed makes a failed run, not a good one to learn from', async () => {
    const home = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
    try {
      // Spark's own log of a YARN app whose three jobs succeeded, and the same app (another id) whose last job
      // failed after its stages completed, as a driver-side exception ends it.
      const full = readFileSync(join(LOGS, 'application_1553914137147_0018'), 'utf8');
      writeFileSync(join(dir, 'application_1553914137147_0018'), full);
      const failedEnd = '"Job ID":2,"Completion Time":1554756046448,"Job Result":{"Result":"JobSucceeded"}';
      assert.ok(full.includes(failedEnd));
      const failed = full
        .replaceAll('application_1553914137147_0018', 'application_1553914137147_0019')
        .replace(
          failedEnd,
          '"Job ID":2,"Completion Time":1554756046448,"Job Result":{"Result":"JobFailed","Exception":' +
            '{"Message":"java.lang.IllegalStateException: output check failed","Stack Trace":[]}}',
        );
      writeFileSync(join(dir, 'application_1553914137147_0019'), failed);
      const crawl = await runSpot(['crawl', '--once', '--event-logs', dir], home);
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.match(crawl.stdout, /2 new, 0 skipped, 0 failed/);
      const summaries = Object.fromEntries(
        docs((await runSpot(['runs', '--json'], home)).stdout).map((d) => [d.id, d.attempt.aggs.summary]),
      ) as Record<string, Record<string, unknown>>;
      assert.equal(summaries.application_1553914137147_0018?.failed_jobs, 0);
      assert.equal(summaries.application_1553914137147_0019?.failed_jobs, 1);
      assert.equal(summaries.application_1553914137147_0019?.failed_stages, 0);
      const runs = await runSpot(['runs'], home);
      assert.match(runs.stdout, /application_1553914137147_0018-0 .* ok +crawl/);
      assert.match(runs.stdout, /application_1553914137147_0019-0 .* failed +crawl/);
      const succeeded = column(home.db, "SELECT json_extract(record, '$.succeeded') FROM runs ORDER BY id");
      assert.deepEqual(succeeded, [1, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('an end logged before the start: "0 s" and untimed from event logs and a History Server alike, never negative', async () => {
    const viaLogs = tempHome();
    const viaShs = tempHome();
    const dir = mkdtempSync(join(tmpdir(), 'spot-logs-'));
    const shs = await startHistoryServer();
    try {
      // Spark's own log with its SparkListenerApplicationEnd 5 s before its start, as a driver whose clock jumped.
      const start = 1554755984286;
      const full = readFileSync(join(LOGS, 'application_1553914137147_0018'), 'utf8');
      const end = '{"Event":"SparkListenerApplicationEnd","Timestamp":1554756046454}';
      assert.ok(full.includes(end));
      writeFileSync(
        join(dir, 'application_1553914137147_0018'),
        full.replace(end, `{"Event":"SparkListenerApplicationEnd","Timestamp":${start - 5_000}}`),
      );
      // A History Server lists such an attempt with endTime - startTime as its duration: -5000.
      const app = syntheticApp({
        id: 'application_1709251200000_0001',
        name: 'skewed',
        startMs: Date.UTC(2024, 2, 1),
        durationMs: 60_000,
        executors: 2,
        executorCores: 2,
        inputBytes: 2 ** 30,
      });
      const attempt = app.listing.attempts[0]!;
      const endMs = attempt.startTimeEpoch - 5_000;
      Object.assign(attempt, { endTime: formatShsDate(new Date(endMs)), endTimeEpoch: endMs, duration: -5_000 });
      shs.addApp(app);

      assert.equal((await runSpot(['crawl', '--once', '--event-logs', dir], viaLogs)).code, 0);
      const crawl = await runSpot(['crawl', '--once', '--history-server', shs.url, '--since', '2024-02-01'], viaShs, {
        env: { SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '0' },
      });
      assert.equal(crawl.code, 0, crawl.stderr);
      for (const [home, id] of [
        [viaLogs, 'application_1553914137147_0018'],
        [viaShs, 'application_1709251200000_0001'],
      ] as const) {
        const runs = await runSpot(['runs'], home);
        assert.match(runs.stdout, new RegExp(`${id}-0 +0 s .* untimed +crawl`), runs.stdout);
        const [doc] = docs((await runSpot(['runs', '--json'], home)).stdout);
        assert.equal(doc!.attempt.duration, 0, id);
        assert.equal(scalar(home.db, "SELECT json_extract(record, '$.durationMs') FROM runs"), 0, id);
        const explain = await runSpot(['explain', id], home);
        assert.equal(explain.code, 0, explain.stderr);
        assert.match(explain.stdout, /input, ended with no duration \(its end time is not after its start time\)\./);
        assert.doesNotMatch(explain.stdout, /took -|-\d+(\.\d+)? ?s\b/);
      }
    } finally {
      await shs.close();
      rmSync(dir, { recursive: true, force: true });
      viaLogs.cleanup();
      viaShs.cleanup();
    }
  });

  test("a Databricks log delivery destination: every SparkContext's log is read; a damaged part is one line", async () => {
    const home = tempHome();
    const dest = mkdtempSync(join(tmpdir(), 'spot-delivery-'));
    try {
      // <destination>/<cluster-id>/eventlog/<cluster-id>_<driver-ip>/<spark-context-id>/: gzipped parts, then eventlog.
      const contexts = [
        ['0329-230000-abcd', '10.0.0.1', '7383940383823993049', 'application_1553914137147_0018'],
        ['0329-230000-abcd', '10.0.0.2', '5612837410283746123', 'app-20161116163331-0000'],
        ['0330-090000-efgh', '10.0.0.3', '1111111111111111111', 'local-1430917381534'],
      ];
      for (const [cluster, ip, context, app] of contexts) {
        const folder = join(dest, cluster!, 'eventlog', `${cluster}_${ip}`, context!);
        mkdirSync(folder, { recursive: true });
        const log = readFileSync(join(LOGS, app!));
        const cut = log.indexOf('\n', log.length >> 1) + 1;
        writeFileSync(join(folder, 'eventlog-2019-03-29--23-00.gz'), gzipSync(log.subarray(0, cut)));
        writeFileSync(join(folder, 'eventlog'), log.subarray(cut));
        mkdirSync(join(dest, cluster!, 'driver'), { recursive: true });
        writeFileSync(join(dest, cluster!, 'driver', 'stdout'), 'not an event log\n');
      }
      const first = await runSpot(['crawl', '--once', '--event-logs', dest], home);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /3 new, 0 skipped, 0 failed, 0 gave up \(3 listed logs\)/);
      assert.deepEqual(column(home.db, 'SELECT DISTINCT app_id FROM agg ORDER BY app_id'), [
        'app-20161116163331-0000',
        'application_1553914137147_0018',
        'local-1430917381534',
      ]);
      // A part cut short (a copy broken off): that log's one line and error document; the others are read.
      const damaged = join(dest, '0330-090000-efgh', 'eventlog', '0330-090000-efgh_10.0.0.3', '1111111111111111111');
      const part = join(damaged, 'eventlog-2019-03-29--23-00.gz');
      writeFileSync(part, readFileSync(part).subarray(0, 100));
      const second = await runSpot(['crawl', '--once', '--event-logs', dest], home);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /0 new, 2 skipped, 1 failed, 0 gave up \(3 listed logs\)/);
      const said = second.stderr.split('\n').filter((l) => l.includes('1111111111111111111'));
      assert.deepEqual(said, [
        `spot crawl: 1111111111111111111 failed (raw): EventLogError: ${damaged}: eventlog-2019-03-29--23-00.gz: gzip: unexpected end of file`,
      ]);
      assert.doesNotMatch(second.stderr, /\n\s+at /);
    } finally {
      rmSync(dest, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('folders the search cannot list are said once, with the first and why; the other logs are stored', async (t) => {
    // Root lists any folder whatever its mode: root plays an unprivileged user, who must be able to read this clone.
    const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const reads = spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1], 4)', SPOT_BIN], {
      ...asOther,
      ...HANG_GUARD,
    });
    assert.equal(reads.signal, null, ended(reads));
    if (reads.status !== 0) return t.skip(`uid 65534 cannot read ${SPOT_BIN} (a private clone, run as root)`);
    const home = tempHome();
    const dest = mkdtempSync(join(tmpdir(), 'spot-unlisted-'));
    // A Databricks log folder (the part being written, alone) per app, at `dest/<folder>/<context>`.
    const deliver = (folder: string, app: string) => {
      mkdirSync(join(dest, folder, 'context'), { recursive: true });
      copyFileSync(join(LOGS, app), join(dest, folder, 'context', 'eventlog'));
    };
    deliver('a', 'application_1553914137147_0018');
    deliver('b', 'app-20161116163331-0000');
    deliver(join('c', 'd'), 'local-1430917381534');
    const locked = [join(dest, 'b'), join(dest, 'c', 'd')];
    try {
      if (asOther) for (const p of [home.dir, dest]) execFileSync('chown', ['-R', '65534:65534', p]);
      for (const p of locked) chmodSync(p, 0o000);
      const r = spawnSync(process.execPath, [SPOT_BIN, 'crawl', '--once', '--event-logs', dest], {
        cwd: home.dir,
        env: { ...home.env, HOME: home.dir },
        encoding: 'utf8',
        ...asOther,
        ...HANG_GUARD,
      });
      assert.equal(r.status, 0, ended(r));
      assert.match(r.stdout, /1 new, 0 skipped, 0 failed, 0 gave up \(1 listed log\)/);
      assert.deepEqual(
        r.stderr.split('\n').filter((l) => l.includes('could not be listed')),
        [
          `spot crawl: warning: 2 folders under ${dest} could not be listed, so their logs were not read: ` +
            `${join(dest, 'b')} (permission denied)`,
        ],
      );
      assert.deepEqual(column(home.db, 'SELECT DISTINCT app_id FROM agg'), ['application_1553914137147_0018']);
    } finally {
      for (const p of locked) chmodSync(p, 0o700);
      rmSync(dest, { recursive: true, force: true });
      home.cleanup();
    }
  });

  test('a path that does not exist is a usage error (exit 2), no stack trace', async () => {
    const home = tempHome();
    try {
      const r = await runSpot(['crawl', '--once', '--event-logs', join(home.dir, 'nope')], home);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no such file or folder/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      const fifo = join(home.dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const pipe = await runSpot(['crawl', '--once', '--event-logs', fifo], home);
      assert.equal(pipe.code, 2);
      assert.equal(pipe.stderr, `spot: --event-logs: ${fifo} is neither a file nor a folder of event logs\n`);
      const both = await runSpot(
        ['crawl', '--once', '--event-logs', home.dir, '--history-server', 'http://127.0.0.1:9/api/v1'],
        home,
      );
      assert.equal(both.code, 2);
      assert.match(both.stderr, /two sources: give one/);
      for (const [args, message] of [
        [
          ['--event-logs', home.dir, '--yarn', 'http://127.0.0.1:9'],
          /^spot: --yarn and --event-logs are two sources: give one \(run 'spot crawl --help' for usage\)\n$/,
        ],
        [
          ['--event-logs', home.dir, '--since', '2024-01-01'],
          /^spot: --since applies to History Server listings, not to --event-logs \(run 'spot crawl --help' [^)]*\)\n$/,
        ],
        [
          ['--history-server', 'http://127.0.0.1:9', '--include-in-progress'],
          /^spot: --include-in-progress goes with --event-logs \(run 'spot crawl --help' for usage\)\n$/,
        ],
      ] as const) {
        const r = await runSpot(['crawl', '--once', ...args], home);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, message);
      }
      // A log still being written, named on its own: not read, and the crawl says how to read it.
      const log = join(home.dir, 'local-1.inprogress');
      writeFileSync(log, '');
      const inProgress = await runSpot(['crawl', '--once', '--event-logs', log], home);
      assert.equal(inProgress.code, 0);
      assert.match(inProgress.stderr, /is a log still being written \(\.inprogress\): --include-in-progress reads it/);
    } finally {
      home.cleanup();
    }
  });
});
