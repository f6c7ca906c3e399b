import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import { adviceCommand, type FromAdvice } from '../../src/submit/advice-messages.js';
import { parseSubmitArgs } from '../../src/submit/args.js';
import { ADVICE_ID_KEY } from '../../src/submit/inject.js';
import { startEsStandin, type EsStandin } from '../support/es-standin.js';
import { ROOT, SPOT_BIN } from '../support/paths.js';
import { runRecord } from '../store/factories.js';
import { collect, notesBesideAdvice, runSubmit, sandbox, spotLines, startSubmit, type Sandbox } from './run-submit.js';

// spot-submit's writes go through the outbox ($SPOT_HOME/outbox, src/store/outbox.ts): a store that is down at the
// outcome, one that refuses the advice record, an advice process killed at its budget, each leaves a file that
// `spot crawl` or the next launch's advice process stores later. Real parts: the compiled CLI, the advice process's
// bundle, a SQLite file, the repo's Elasticsearch stand-in on 127.0.0.1. No test waits on a clock: each waits for
// the event it needs (a write reaching the stand-in, a file appearing), with a generous cap only to fail.

const JOB = ['--master', 'yarn', '--num-executors', '8', '--executor-cores', '2', '--name', 'nightly load', 'load.jar'];
const adviceIdOf = (argv: string[]) =>
  argv.find((w) => w.startsWith(`${ADVICE_ID_KEY}=`))!.slice(ADVICE_ID_KEY.length + 1);
const BUDGETS = { SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000' };
const ADVICE_PROCESS = resolve(ROOT, 'dist', 'launch', 'advice-process.js');

const outbox = (box: Sandbox) => join(box.home, 'outbox');
const pending = (box: Sandbox) =>
  existsSync(outbox(box)) ? readdirSync(outbox(box)).filter((n) => n.endsWith('.json')) : [];

/** Waits until the condition holds (checked every 20 ms); the cap only turns a hang into a failure. */
async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await cond()) return;
    await sleep(20);
  }
  assert.fail(`never: ${what}`);
}

function spot(box: Sandbox, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [SPOT_BIN, ...args], { cwd: box.dir, env: box.env }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

/** `spot crawl --event-logs` over an empty folder: all it does is replay the outbox. */
function crawl(box: Sandbox) {
  const logs = join(box.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  return spot(box, ['crawl', '--event-logs', logs, '--once']);
}

const esEnv = (es: EsStandin) => ({ SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: es.url });
const openEs = (es: EsStandin) => ElasticsearchStore.open(elasticsearchSchema.parse({ url: es.url }));

async function using<S extends RunStore, T>(open: Promise<S>, fn: (s: S) => Promise<T>): Promise<T> {
  const store = await open;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The run a crawl would store for the launch: imported here so that `spot runs` has a run to show. */
const launchedRun = (adviceId: string) =>
  runRecord('run-1', 'nightly load', Date.now(), { adviceId, source: 'import', appId: 'application_1_0001' });

async function statusOfRun(box: Sandbox): Promise<string | undefined> {
  const r = await spot(box, ['runs']);
  assert.equal(r.code, 0, r.stderr);
  const header = r.stdout.split('\n').find((l) => l.includes('STATUS'))!;
  const row = r.stdout.split('\n').find((l) => l.includes('nightly load'));
  return row?.slice(header.indexOf('STATUS')).split(/\s+/)[0];
}

describe('the outbox', { concurrency: true }, () => {
  test('a store down at the outcome: the outcome is kept, spot crawl stores it, and the run reads as failed', async () => {
    let downAfterAdvice = true;
    const es: EsStandin = await startEsStandin({
      bulkItemFault: (item) => {
        if (downAfterAdvice && item.index.includes('advice')) es.setDown(true); // after this write is answered
        return undefined;
      },
    });
    const box = sandbox({ ...BUDGETS, ...esEnv(es), FAKE_SPARK_EXIT: '1' });
    try {
      const r = await runSubmit(JOB, box);
      assert.equal(r.code, 1, r.stderr);
      const adviceId = adviceIdOf(r.launched!);
      assert.match(r.stderr, /could not record the outcome of advice .*; kept in .*outbox for the next spot crawl/);
      assert.equal(pending(box).length, 1, 'the outcome');

      downAfterAdvice = false;
      es.setDown(false);
      await using(openEs(es), (s) => s.putRecords([launchedRun(adviceId)]));
      const c = await crawl(box);
      assert.equal(c.code, 0, c.stderr);
      assert.match(c.stderr, /stored 1 pending entry spot-submit left in/);
      const advice = await using(openEs(es), (s) => s.getAdvice(adviceId));
      assert.equal(advice?.outcome?.exitCode, 1);
      assert.deepEqual(pending(box), []);
      assert.equal(await statusOfRun(box), 'failed');
    } finally {
      box.cleanup();
      await es.close();
    }
  });

  test('a store down for the whole launch: the "no advice" record is kept and stored later', async () => {
    const es = await startEsStandin();
    es.setDown(true);
    const box = sandbox({ ...BUDGETS, ...esEnv(es), FAKE_SPARK_EXIT: '2' });
    try {
      const r = await runSubmit(JOB, box);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(spotLines(r.stderr).length, 1, r.stderr); // "...; launching unchanged", and no more
      const id = adviceIdOf(r.launched!);
      assert.equal(pending(box).length, 1);
      es.setDown(false);
      const c = await crawl(box);
      assert.equal(c.code, 0, c.stderr);
      const record = await using(openEs(es), (s) => s.getAdvice(id));
      assert.ok(record?.noAdvice, 'the "no advice" record');
      assert.equal(record?.outcome?.exitCode, 2);
      assert.deepEqual(pending(box), []);
    } finally {
      box.cleanup();
      await es.close();
    }
  });

  test('an advice record the store refuses is kept; the next launch stores it with its outcome', async () => {
    let refuse = true;
    const es = await startEsStandin({
      bulkItemFault: (item) =>
        refuse && item.index.includes('advice')
          ? {
              status: 403,
              type: 'cluster_block_exception',
              reason: `index [${item.index}] blocked by: [FORBIDDEN/8/index write (api)];`,
            }
          : undefined,
    });
    const box = sandbox({ ...BUDGETS, ...esEnv(es), FAKE_SPARK_EXIT: '3' });
    try {
      const first = await runSubmit(JOB, box);
      assert.equal(first.code, 3, first.stderr);
      const firstId = adviceIdOf(first.launched!);
      assert.match(first.stderr, /could not store advice .*cluster_block_exception.*; kept in /);
      assert.equal(pending(box).length, 2, 'the advice record and its outcome');

      refuse = false;
      // The second launch's spark-submit runs until the outbox no longer holds the first launch's entries: its
      // advice process replays them once spark-submit has started.
      const waiter = join(box.dir, 'spark-submit-waits');
      writeFileSync(
        waiter,
        `#!${process.execPath}\nconst { readdirSync } = require('node:fs');\n` +
          `const held = () => readdirSync(${JSON.stringify(outbox(box))}).some((n) => n.includes(${JSON.stringify(firstId)}));\n` +
          'const t = setInterval(() => { if (!held()) { clearInterval(t); process.exit(0); } }, 20);\n',
      );
      chmodSync(waiter, 0o755);
      const second = await runSubmit(JOB, box, { env: { SPOT_SUBMIT_SPARK_SUBMIT: waiter } });
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(notesBesideAdvice(second.stderr), [], second.stderr);
      const stored = await using(openEs(es), (s) => s.getAdvice(firstId));
      assert.equal(stored?.id, firstId);
      assert.equal(stored?.outcome?.exitCode, 3);
      assert.deepEqual(pending(box), []);
    } finally {
      box.cleanup();
      await es.close();
    }
  });

  test('an advice process killed while the store retries leaves files that spot crawl stores', async () => {
    let refuse = true;
    let refused = 0;
    const es = await startEsStandin({
      bulkItemFault: (item) => {
        if (!refuse || !item.index.includes('advice')) return undefined;
        refused++;
        return { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution' };
      },
    });
    const box = sandbox({ ...BUDGETS, ...esEnv(es) });
    const child = fork(ADVICE_PROCESS, [JSON.stringify(adviceCommand(parseSubmitArgs(JOB)))], {
      env: box.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const exited = new Promise((done) => child.on('exit', done));
    try {
      const plan = await new Promise<{ advice: { id: string } }>((done, fail) =>
        child.on('message', (m: FromAdvice) => {
          if (m.type !== 'done') return;
          if (m.ok) done(m.plan as unknown as { advice: { id: string } });
          else fail(new Error(m.reason));
        }),
      );
      const id = plan.advice.id;
      child.send({ type: 'record' });
      await until('the advice record reaches the store', () => refused > 0);
      child.send({ type: 'outcome', outcome: { exitCode: 1, wallMs: 4000, applicationId: 'application_1_0001' } });
      await until('the outcome is kept', () => pending(box).some((n) => n.endsWith('.outcome.json')));
      child.kill('SIGKILL');
      await exited;
      assert.deepEqual(
        pending(box).map((n) => n.replace(/^\d+-/, '')),
        [`${id}.advice.json`, `${id}.outcome.json`],
      );

      refuse = false;
      await using(openEs(es), (s) => s.putRecords([launchedRun(id)]));
      const c = await crawl(box);
      assert.equal(c.code, 0, c.stderr);
      assert.match(c.stderr, /stored 2 pending entries/);
      const advice = await using(openEs(es), (s) => s.getAdvice(id));
      assert.equal(advice?.outcome?.exitCode, 1);
      assert.equal(advice?.outcome?.applicationId, 'application_1_0001');
      assert.deepEqual(pending(box), []);
      assert.equal(await statusOfRun(box), 'failed');
    } finally {
      child.kill('SIGKILL');
      box.cleanup();
      await es.close();
    }
  });

  test('SQLite locked by another writer while a short job runs: its outcome is still kept, and stored later', async () => {
    // The feedback budget is shorter than SQLite's busy timeout (5 s), which the advice record's write used to wait
    // out in full, holding the advice process while the job's outcome came and the budget ran out.
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '2500' });
    const path = join(box.home, 'spot.db');
    await using(SqliteStore.open(path), async () => undefined);
    const holder = new Database(path);
    try {
      holder.exec('BEGIN IMMEDIATE'); // another process's write transaction, held for the whole launch
      const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '3' } });
      assert.equal(r.code, 3, r.stderr);
      const id = adviceIdOf(r.launched!);
      const outcomes = pending(box).filter((n) => n.endsWith('.outcome.json'));
      assert.equal(outcomes.length, 1, `${pending(box)} ${r.stderr}`);
      holder.exec('ROLLBACK');
      const c = await crawl(box);
      assert.equal(c.code, 0, c.stderr);
      const advice = await using(SqliteStore.open(path), (st) => st.getAdvice(id));
      assert.equal(advice?.outcome?.exitCode, 3);
    } finally {
      holder.close();
      box.cleanup();
    }
  });

  test('SQLite locked while the job starts: the advice record is stored once the lock goes, while the job runs', async () => {
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000', SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '600000' });
    const path = join(box.home, 'spot.db');
    await using(SqliteStore.open(path), async () => undefined);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    const child = startSubmit(JOB, box, { env: { FAKE_SPARK_SLEEP_MS: '600000' } });
    const done = collect(child, box);
    try {
      await until('the advice record kept in the outbox', () => pending(box).some((n) => n.endsWith('.advice.json')));
      // Held past the advice process's first try (0.1 s at most while the job runs), then let go.
      await sleep(1000);
      holder.exec('ROLLBACK');
      await until('the advice record in the store while the job runs', async () =>
        using(SqliteStore.open(path), async (st) => (await st.listAdvice({})).length === 1),
      );
      assert.deepEqual(pending(box), [], 'taken from the outbox');
      child.kill('SIGTERM');
      const r = await done;
      assert.equal(r.code, 143, r.stderr);
      assert.doesNotMatch(r.stderr, /could not store advice/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await done;
      holder.close();
      box.cleanup();
    }
  });

  test('SQLite: a corrupt entry is moved aside with one warning; spot status counts what is pending', async () => {
    const box = sandbox();
    try {
      await using(SqliteStore.open(join(box.home, 'spot.db')), async () => undefined);
      mkdirSync(outbox(box), { recursive: true });
      writeFileSync(join(outbox(box), '0000000000001-broken.advice.json'), '{"v":1,"kind":');
      writeFileSync(
        join(outbox(box), '0000000000002-adv-9.outcome.json'),
        JSON.stringify({ v: 1, kind: 'outcome', adviceId: 'adv-9', outcome: { exitCode: 1 } }),
      );
      const status = await spot(box, ['status', '--json']);
      assert.equal(JSON.parse(status.stdout).outbox.pending, 2, status.stderr);
      const c = await crawl(box);
      assert.equal(c.code, 0, c.stderr);
      const moved = c.stderr.split('\n').filter((l) => l.includes('moved aside'));
      assert.equal(moved.length, 1, c.stderr);
      assert.ok(existsSync(join(outbox(box), '0000000000001-broken.advice.json.bad')));
      // The outcome waits for its advice, which is in no store yet.
      assert.match(c.stderr, /1 pending entry left in .*; tried again next time/);
      const again = await crawl(box);
      assert.doesNotMatch(again.stderr, /moved aside/);
      assert.match((await spot(box, ['status'])).stdout, /outbox .*: 1 pending/);
    } finally {
      box.cleanup();
    }
  });

  test('a healthy launch leaves the outbox empty; a dry run writes nothing there', async () => {
    const box = sandbox(BUDGETS);
    try {
      const dry = await runSubmit(['--spot-dry-run', ...JOB], box);
      assert.equal(dry.code, 0, dry.stderr);
      assert.equal(existsSync(outbox(box)), false);
      const r = await runSubmit(JOB, box);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(pending(box), []);
      const id = adviceIdOf(r.launched!);
      const advice = await using(SqliteStore.open(join(box.home, 'spot.db')), (s) => s.getAdvice(id));
      assert.equal(advice?.outcome?.exitCode, 0);
    } finally {
      box.cleanup();
    }
  });
});
