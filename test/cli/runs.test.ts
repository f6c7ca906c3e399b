import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ROOT, SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';
import { advice as storedAdvice, aggDoc, errorDoc, HOUR, runRecord, T0 } from '../store/factories.js';
import type { AdviceOutcome } from '../../src/types.js';
import { yarnErrorDoc } from '../../src/yarn/errors.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin } from '../support/es-standin.js';
import { plainHttp } from '../support/loopback-http.js';

// Runs the compiled CLI (npm test builds first) against a store filled directly.

const homes: string[] = [];
after(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'spot-runs-'));
  homes.push(home);
  return home;
}

async function spot(home: string, ...args: string[]) {
  return spotWith({}, home, ...args);
}

async function spotWith(extra: Record<string, string>, home: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SPOT_')) delete env[k];
  Object.assign(env, { SPOT_HOME: home }, extra);
  return execa('node', [SPOT_BIN, 'runs', ...args], { cwd: home, env, extendEnv: false, reject: false });
}

const filled = newHome();
const lean = aggDoc('app-3', { name: 'Lean job', endMs: T0 + 3 * HOUR });
lean.attempt.aggs.summary = {};
const docs = [
  aggDoc('app-1', { name: 'Daily ETL 2024-03-01', tag: 'daily-etl', endMs: T0 + HOUR, durationMs: 3_725_000 }),
  aggDoc('app-2', { name: 'Report', endMs: T0 + 2 * HOUR, durationMs: 60_000 }),
  lean,
];

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'runs.js')), 'build first: npm run build');
  const store = await SqliteStore.open(join(filled, 'spot.db'));
  await store.putAgg(docs);
  await store.putError(errorDoc('err-1', 'app-9', T0, 'raw'));
  await store.putError(errorDoc('err-2', 'app-8', T0 + HOUR, 'aggregations'));
  await store.close();
});

describe('spot runs', () => {
  test('a store not created yet says where it was looked for and to crawl first, exit 0', async () => {
    const home = newHome();
    const r = await spot(home);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout,
      `No runs stored yet (no store at ${join(home, 'spot.db')}): run \`spot crawl --once --history-server URL\` ` +
        'first to read finished apps from the Spark History Server.',
    );
    assert.ok(!existsSync(join(home, 'spot.db')), 'listing creates no store');
  });

  test('no aggregated documents: the hint says what the store does hold (run records, crawl errors), not "crawl first"', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putError(errorDoc('err-1', 'app-9', T0, 'aggregations'));
    await store.close();
    for (const args of [[], ['--app', 'nightly']]) {
      const onlyErrors = await spot(home, ...args);
      assert.equal(onlyErrors.exitCode, 0, onlyErrors.stderr);
      assert.equal(onlyErrors.stdout, 'No runs stored yet, only crawl errors; `spot runs --errors` lists what failed.');
    }
    const again = await SqliteStore.open(join(home, 'spot.db'));
    await again.putRecords([runRecord('app-9-0', 'etl', T0, { source: 'crawl' })]);
    await again.close();
    for (const args of [[], ['--app', 'etl']]) {
      const r = await spot(home, ...args);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, /^No runs to list: the store holds run records of crawled apps, but not the aggregated/);
      assert.match(r.stdout, /`spot runs --errors` lists what failed\.$/);
      assert.doesNotMatch(r.stdout, /No runs stored yet/);
    }
  });

  test('a table of recent runs, newest first, with duration, executors, core-hours and efficiency', async () => {
    const r = await spot(filled);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^END \(UTC\)\s+APP\s+ATTEMPT\s+DURATION\s+EXECUTORS\s+CORE-H\s+EFFICIENCY\s+STATUS\s+SOURCE\s+FINDINGS$/,
    );
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /^2024-03-01 03:00:00\s+Lean job\s+app-3-0\s+1m 00s\s+3\s+-\s+-\s+ok\s+crawl\s+-$/);
    assert.match(
      lines[2]!,
      /^2024-03-01 02:00:00\s+Report\s+app-2-0\s+1m 00s\s+3\s+0\.10\s+50%\s+ok\s+crawl\s+over-allocated:low$/,
    );
    // 6 cores x 3,725 s = 6.21 core-hours; 1 h 2 min 5 s
    assert.match(
      lines[3]!,
      /^2024-03-01 01:00:00\s+Daily ETL 2024-03-01\s+app-1-0\s+1h 02m\s+3\s+6\.21\s+50%\s+ok\s+crawl\s+over-allocated:low$/,
    );
  });

  test("STATUS is the advisor's reading: a launch that exited non-zero failed, one stopped by a signal was stopped", async () => {
    const home = newHome();
    const launched = (id: string, endMs: number) => {
      const doc = aggDoc(id, { name: id, endMs });
      Object.assign((doc.attempt.environment as { sparkProperties: object }).sparkProperties, {
        spark_spot_adviceId: `adv-${id}`,
      });
      return doc;
    };
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg([
      launched('app-thrown', T0),
      launched('app-killed', T0 + HOUR),
      launched('app-fine', T0 + 2 * HOUR),
    ]);
    const advice = (id: string, outcome: AdviceOutcome) => storedAdvice(`adv-${id}`, id, T0, { outcome });
    await store.putAdvice(advice('app-thrown', { exitCode: 1 }));
    await store.putAdvice(advice('app-killed', { exitCode: 143, stoppedBy: 'SIGTERM' }));
    await store.putAdvice(advice('app-fine', { exitCode: 0 }));
    await store.close();
    const r = await spot(home);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^\S+ \S+\s+app-thrown\s+app-thrown-0\s.*\sfailed\s+crawl\s/m);
    assert.match(r.stdout, /^\S+ \S+\s+app-killed\s+app-killed-0\s.*\sstopped\s+crawl\s/m);
    assert.match(r.stdout, /^\S+ \S+\s+app-fine\s+app-fine-0\s.*\sok\s+crawl\s/m);
  });

  test('an attempt that has not ended says so, not the 1969 date the History Server writes for it', async () => {
    const home = newHome();
    const open = aggDoc('app-7', { name: 'Crashed driver', endMs: T0 });
    Object.assign(open.attempt, { completed: false, endTime: '1969-12-31T23:59:59.999Z', endTimeEpoch: -1 });
    open.attempt.duration = 0;
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg([open, aggDoc('app-6', { name: 'Ended', endMs: T0 })]);
    await store.close();
    const r = await spot(home);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^not ended\s+Crashed driver\s+app-7-0\s+-\s+3\s/m);
    assert.match(r.stdout, /^2024-03-01 00:00:00\s+Ended\s+app-6-0\s+1m 00s\s/m);
    assert.doesNotMatch(r.stdout, /1969/);
  });

  test('a document stored with a negative duration (clock skew, an older crawl) reads "0 s" and untimed', async () => {
    const home = newHome();
    const skewed = aggDoc('app-5', { name: 'Skewed clocks', endMs: T0 });
    skewed.attempt.duration = -5_000;
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg([skewed]);
    await store.close();
    const r = await spot(home);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^2024-03-01 00:00:00\s+Skewed clocks\s+app-5-0\s+0 s\s.*\suntimed\s+crawl\s/m);
    assert.doesNotMatch(r.stdout, /-5s/);
  });

  test('--limit and --app (by name or tag)', async () => {
    const limited = await spot(filled, '--limit', '1');
    assert.equal(limited.stdout.trimEnd().split('\n').length, 2);
    const byTag = await spot(filled, '--app', 'daily-etl');
    assert.match(byTag.stdout, /app-1-0/);
    assert.doesNotMatch(byTag.stdout, /app-2-0/);
    const byName = await spot(filled, '--app', 'Report');
    assert.deepEqual(byName.stdout.trimEnd().split('\n').length, 2);
    const none = await spot(filled, '--app', 'nope');
    assert.equal(none.exitCode, 0);
    assert.match(none.stdout, /No stored runs of 'nope'/);
    assert.doesNotMatch(none.stdout, /Did you mean/);
  });

  test('--app takes a job key too: a crawled run whose name carries a date is found by its key', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    const doc = aggDoc('app-9', { name: 'daily_sales 2024-03-05', endMs: T0 });
    await store.putAgg([doc]);
    await store.putRecords([runRecord(doc.docId, 'daily_sales', T0, { appId: 'app-9', appName: doc.name })]);
    await store.close();
    const r = await spot(home, '--app', 'daily_sales');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /  daily_sales 2024-03-05  app-9-0 /);
    assert.match(r.stdout, /crawl/);
    const json = await spot(home, '--app', 'daily_sales', '--json');
    assert.deepEqual(JSON.parse(json.stdout.trim()), doc);
  });

  test('--json prints each stored aggregated document on one line, as stored', async () => {
    const r = await spot(filled, '--json');
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines, [docs[2], docs[1], docs[0]]);
    assert.equal(lines[0]?.attempt.aggs.allexecutors.executors.elements_count, 3);
    const empty = await spot(newHome(), '--json');
    assert.equal(empty.stdout, '', 'stdout stays clean JSON lines');
    assert.match(empty.stderr, /spot crawl/);
  });

  test('--errors lists error documents (table and JSON); --app with --errors is a usage error', async () => {
    const t = await spot(filled, '--errors');
    assert.equal(t.exitCode, 0, t.stderr);
    const lines = t.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME \(UTC\)\s+SOURCE\s+APP ID\s+STAGE\s+ERROR\s+RESOLVED\s+MESSAGE$/);
    assert.match(lines[1]!, /app-8\s+aggregations\s+HttpError\s+-\s+GET app-8\/stages: 500/);
    assert.match(lines[2]!, /app-9\s+raw/);
    const j = await spot(filled, '--errors', '--json');
    assert.deepEqual(
      j.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).docId),
      ['err-2', 'err-1'],
    );
    const bad = await spot(filled, '--errors', '--app', 'x');
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--app cannot be combined with --errors/);
  });

  test("--errors lists the YARN crawler's errors too, newest first, with their ResourceManager as source", async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putError(errorDoc('err-h', 'app-h', T0, 'raw'));
    await store.putYarnError(
      yarnErrorDoc({
        yarnHost: 'rm-a:8088',
        baseUrl: 'http://rm-a:8088/ws/v1',
        stage: 'yarn_apps',
        error: new Error('boom'),
        now: new Date(T0 + HOUR),
      }),
    );
    await store.close();
    const t = await spot(home, '--errors');
    assert.equal(t.exitCode, 0, t.stderr);
    const lines = t.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, t.stdout);
    assert.match(lines[1]!, /^\S+ \S+\s+yarn rm-a:8088\s+n\/a\s+yarn_apps\s+\S+\s+-\s+boom$/);
    assert.match(lines[2]!, /^\S+ \S+\s+history shs-a\s+app-h\s+raw/);
    const j = await spot(home, '--errors', '--json');
    assert.equal(j.stdout.trimEnd().split('\n').length, 2);
    assert.equal(JSON.parse(j.stdout.split('\n')[0]!).spot.yarn_host, 'rm-a:8088');
    const one = await spot(home, '--errors', '--limit', '1');
    assert.equal(one.stdout.trimEnd().split('\n').length, 2);
  });

  test('--errors marks an error resolved once a later crawl stored the app; the error document stays', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    // app-r failed at T0 and was stored by the next crawl (an hour later); app-s was stored, then a re-crawl failed.
    await store.putError(errorDoc('err-r', 'app-r', T0, 'raw'));
    await store.putAgg([aggDoc('app-r', { endMs: T0 + HOUR - 2000 })]);
    await store.putAgg([aggDoc('app-s', { endMs: T0 })]);
    await store.putError(errorDoc('err-s', 'app-s', T0 + 2 * HOUR, 'raw'));
    await store.close();
    const t = await spot(home, '--errors');
    assert.equal(t.exitCode, 0, t.stderr);
    assert.match(t.stdout, /^\S+ \S+\s+history shs-a\s+app-r\s+raw\s+HttpError\s+stored\s+GET app-r\/stages: 500$/m);
    assert.match(t.stdout, /^\S+ \S+\s+history shs-a\s+app-s\s+raw\s+HttpError\s+-\s+GET app-s\/stages: 500$/m);
    const j = await spot(home, '--errors', '--json');
    assert.deepEqual(
      j.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).docId),
      ['err-s', 'err-r'],
    );
  });

  test('imported runs are listed with crawled ones, marked as imported; --app finds them by job key', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg([docs[1]!]);
    await store.close();
    const line = (day: number) =>
      JSON.stringify({
        app: 'daily_sales',
        inputBytes: 1e9,
        executors: 4,
        executorCores: 2,
        durationMs: 90_000,
        succeeded: true,
        endTime: `2024-03-0${day}T00:00:00Z`,
        coreMs: 7.2e6,
      });
    writeFileSync(join(home, 'runs.jsonl'), `${line(2)}\n${line(3)}\n`);
    const imported = await execa('node', [SPOT_BIN, 'import', join(home, 'runs.jsonl')], {
      cwd: home,
      env: { SPOT_HOME: home },
      reject: false,
    });
    assert.equal(imported.exitCode, 0, imported.stderr);
    const byApp = await spot(home, '--app', 'daily_sales');
    assert.equal(byApp.exitCode, 0, byApp.stderr);
    const lines = byApp.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, byApp.stdout);
    assert.match(lines[1]!, /^2024-03-03 00:00:00\s+daily_sales\s+\S+\s+1m 30s\s+4\s+2\.00\s+-\s+ok\s+import\s+-$/);
    // A job key one slip from a stored one is named.
    const typo = await spot(home, '--app', 'daily_sale');
    assert.equal(typo.exitCode, 0);
    assert.match(typo.stdout, /No stored runs of 'daily_sale' \(.*\)\. Did you mean 'daily_sales'\?$/);
    const all = await spot(home);
    assert.deepEqual(
      all.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/).at(-2)),
      ['import', 'import', 'crawl'],
    );
    const json = await spot(home, '--json', '--app', 'daily_sales');
    assert.deepEqual(
      json.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).source),
      ['import', 'import'],
    );
  });

  test('app names and error messages lose terminal escape sequences and control characters', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg([aggDoc('app-evil', { name: 'evil\u001b[2J\u001b]0;pwned\u0007 job\rX', endMs: T0 })]);
    const err = errorDoc('err-evil', 'app-e\u001b[31mvil', T0, 'raw');
    err.spot.error!.message = 'boom\u001b[1A\u0008 here';
    await store.putError(err);
    await store.close();
    for (const args of [[], ['--errors']]) {
      const r = await spot(home, ...args);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/, JSON.stringify(r.stdout));
    }
    assert.match((await spot(home)).stdout, /evil job X/);
  });

  test('columns line up by terminal cells: CJK and emoji take two, combining marks none; long names are cut', async () => {
    const home = newHome();
    const names = ['日次集計ジョブ', 'nightly 🚀 load', 'cafe\u0301', 'ASCII job', `${'数据'.repeat(15)}x`];
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg(names.map((name, i) => aggDoc(`app-w${i}`, { name, endMs: T0 + i * HOUR })));
    await store.close();
    const r = await spot(home);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    // The ATTEMPT column starts at the same terminal cell on every line.
    const cells = (s: string) =>
      [...s].reduce(
        (n, c) => n + (/\p{M}/u.test(c) ? 0 : /[\u3000-\u9fff]|\p{Emoji_Presentation}/u.test(c) ? 2 : 1),
        0,
      );
    const attemptAt = lines.map((l) => cells(l.slice(0, l.search(/app-w\d-0|ATTEMPT/))));
    assert.equal(new Set(attemptAt).size, 1, r.stdout);
    assert.match(r.stdout, /^\S+ \S+\s+cafe\u0301\s+app-w2-0\s/mu);
    // 40 cells: 19 wide characters and the ellipsis, not 39 characters of 78 cells.
    assert.match(r.stdout, new RegExp(`\\s${'数据'.repeat(9)}数…\\s+app-w4-0`));
  });

  test('a closed stdout (spot runs --json | head -1) is a normal end: exit 0, nothing on stderr', async () => {
    const home = newHome();
    const store = await SqliteStore.open(join(home, 'spot.db'));
    await store.putAgg(
      Array.from({ length: 400 }, (_, i) => aggDoc(`app-${i}`, { name: 'Many', endMs: T0 + i * HOUR })),
    );
    await store.close();
    // A reader that takes the first line and closes the pipe, as `head -1` does.
    const child = execa('node', [SPOT_BIN, 'runs', '--json', '--limit', '400'], {
      cwd: home,
      env: { SPOT_HOME: home },
      reject: false,
      buffer: { stdout: false },
    });
    child.stdout!.once('data', () => child.stdout!.destroy());
    const r = await child;
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('an output that cannot be written (> /dev/full): one line with the cause, exit 1, no stack trace', {
    skip: existsSync('/dev/full') ? false : 'this machine has no /dev/full',
  }, async () => {
    // The file descriptor itself, as a shell's `> /dev/full` hands it over (execa would put a pipe in between).
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync('node', [SPOT_BIN, 'runs', '--json'], {
        cwd: filled,
        env: { ...process.env, SPOT_HOME: filled },
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        ...HANG_GUARD,
      });
      assert.equal(r.status, 1, ended(r));
      assert.equal(r.stderr, 'spot: cannot write the output: ENOSPC\n');
    } finally {
      closeSync(full);
    }
  });

  test('a corrupt database: one line naming the file, exit 1, no stack trace', async () => {
    const home = newHome();
    writeFileSync(join(home, 'spot.db'), 'not a database at all\n'.repeat(100));
    const r = await spot(home);
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(join(home, 'spot.db')), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('spot runs on Elasticsearch (store.type elasticsearch)', () => {
  /** The variables that point spot at the stand-in's cluster 'cli'. */
  const esEnv = (url: string) => ({
    SPOT_STORE_TYPE: 'elasticsearch',
    SPOT_ELASTICSEARCH_URL: url,
    SPOT_ELASTICSEARCH_CLUSTER: 'cli',
  });
  /** The stand-in with the test's aggregated documents stored in cluster 'cli'. */
  const fill = async (url: string) => {
    const store = await ElasticsearchStore.open(elasticsearchSchema.parse({ url, cluster: 'cli' }));
    await store.putAgg(docs);
    await store.close();
  };
  test('lists what another process stored, through the configured cluster', async () => {
    const es = await startEsStandin();
    try {
      await fill(es.url);
      const env = esEnv(es.url);
      const r = await spotWith(env, newHome(), '--json', '--limit', '2');
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(
        r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l)),
        [docs[2], docs[1]],
      );
    } finally {
      await es.close();
    }
  });

  test('one 503 to a search is tried again: the runs are listed, exit 0', async () => {
    let faulted = 0;
    const es = await startEsStandin({
      requestFault: ({ path }) =>
        path.endsWith('/_search') && faulted++ === 0
          ? { status: 503, type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no master];' }
          : undefined,
    });
    try {
      await fill(es.url);
      const env = { ...esEnv(es.url), SPOT_ELASTICSEARCH_RETRY_BASE_MS: '0' }; // no real waiting
      const r = await spotWith(env, newHome(), '--json');
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout.trimEnd().split('\n').length, 3);
      assert.ok(faulted > 1, 'the fault was hit');
    } finally {
      await es.close();
    }
  });

  test('a mistyped index prefix: runs says no store is there, predict fails, and neither creates an index', async () => {
    const es = await startEsStandin();
    try {
      const env = { ...esEnv(es.url), SPOT_ELASTICSEARCH_INDEX_PREFIX: 'tpyo' };
      const r = await spotWith(env, newHome());
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, /^No runs stored yet \(no store at http:\/\/\S+ \(no index tpyo_agg_cli\)\)/);
      const home = newHome();
      const predict = await execa(
        'node',
        [SPOT_BIN, 'predict', '--app', 'etl', '--executors', '2', '--executor-cores', '2', '--input-bytes', '1g'],
        { cwd: home, env: { PATH: process.env.PATH, SPOT_HOME: home, ...env }, extendEnv: false, reject: false },
      );
      assert.equal(predict.exitCode, 1, predict.stderr);
      assert.match(
        predict.stderr,
        /^spot: no Spot store at .* \(no index tpyo_agg_cli\) yet: .*elasticsearch\.indexPrefix/,
      );
      assert.deepEqual([...es.indexes.keys()], []);
    } finally {
      await es.close();
    }
  });

  test('an unreachable cluster: one line naming the URL, exit 1', async () => {
    const es = await startEsStandin();
    const url = es.url;
    await es.close();
    const r = await spotWith({ SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: url }, newHome());
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(`cannot reach the cluster at ${url}`), r.stderr);
  });

  test('https:// to a plain-HTTP port: one line naming the URL, the TLS cause and http://, exit 1', async () => {
    const web = await plainHttp();
    const url = `https://127.0.0.1:${web.port}`;
    try {
      const r = await spotWith({ SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: url }, newHome());
      assert.equal(r.exitCode, 1);
      assert.equal(
        r.stderr.trimEnd(),
        `spot: cannot reach the cluster at ${url} (opening the store): ` +
          'TLS handshake failed (wrong version number): does the server speak https? try http://',
      );
    } finally {
      await web.close();
    }
  });
});
