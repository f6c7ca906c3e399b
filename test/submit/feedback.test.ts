import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { ADVICE_ID_KEY } from '../../src/submit/inject.js';
import { notesBesideAdvice, runSubmit, sandbox } from './run-submit.js';

// After the run: the outcome is stored with the advice; with submit.crawlAfter the finished app is crawled at
// once and linked through the spark.spot.adviceId it carries.

const JOB = ['--master', 'yarn', '--num-executors', '8', '--executor-cores', '2', '--name', 'nightly load', 'load.jar'];
const adviceIdOf = (argv: string[]) =>
  argv.find((w) => w.startsWith(`${ADVICE_ID_KEY}=`))!.slice(ADVICE_ID_KEY.length + 1);

/** A sandbox whose spot-submit crawls the History Server at `url` after the run, with budgets no machine spends. */
const crawlAfterBox = (url: string, extra: NodeJS.ProcessEnv = {}) =>
  sandbox({
    SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000',
    SPOT_SUBMIT_FEEDBACK_TIMEOUT_MS: '60000',
    SPOT_SUBMIT_CRAWL_AFTER: 'true',
    SPOT_HISTORY_SERVER_URL: url,
    ...extra,
  });

describe('feedback after the run', { concurrency: true }, () => {
  test('crawls the finished app and links the run to its advice', async () => {
    const shs = await startHistoryServer();
    const box = crawlAfterBox(shs.url, { FAKE_SPARK_HISTORY: shs.url });
    try {
      const r = await runSubmit(JOB, box);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(notesBesideAdvice(r.stderr), [], r.stderr);
      const adviceId = adviceIdOf(r.launched!);
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(adviceId);
        const appId = advice?.outcome?.applicationId;
        assert.match(appId ?? '', /^application_\d+_0042$/);
        assert.equal(advice?.outcome?.runId, `${appId}-0`);
        const records = await store.records({ app: 'nightly load' });
        assert.equal(records.length, 1);
        assert.equal(records[0]!.adviceId, adviceId, 'the crawled run names the advice it ran under');
      } finally {
        await store.close();
      }
    } finally {
      box.cleanup();
      await shs.close();
    }
  });

  test('each request of the crawl after the run is retried as spot crawl retries it (historyServer.retries)', async () => {
    // Every request target fails three times with HTTP 500, then is answered: two tries each would give up.
    const shs = await startHistoryServer({ fault: ({ attempt }) => (attempt <= 3 ? 500 : undefined) });
    const box = crawlAfterBox(shs.url, {
      SPOT_HISTORY_SERVER_RETRIES: '4',
      SPOT_HISTORY_SERVER_RETRY_BASE_MS: '1',
      FAKE_SPARK_HISTORY: shs.url,
    });
    try {
      const r = await runSubmit(JOB, box);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(notesBesideAdvice(r.stderr), [], r.stderr);
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(adviceIdOf(r.launched!));
        assert.match(advice?.outcome?.runId ?? '', /^application_\d+_0042-0$/);
        assert.equal((await store.errors({})).length, 0);
      } finally {
        await store.close();
      }
    } finally {
      box.cleanup();
      await shs.close();
    }
  });

  test("an app the History Server does not list in time is left to spot crawl; the exit code stays the job's", async () => {
    const shs = await startHistoryServer();
    const box = crawlAfterBox(shs.url, { SPOT_SUBMIT_CRAWL_AFTER_TIMEOUT_MS: '1000' });
    try {
      const r = await runSubmit(JOB, box, { env: { FAKE_SPARK_EXIT: '5' } });
      assert.equal(r.code, 5, r.stderr);
      const notes = notesBesideAdvice(r.stderr);
      assert.equal(notes.length, 1, r.stderr);
      // Which note depends on the machine's speed: on a slow one a request is in flight when the time is spent, and
      // it is cut short (the History Server "did not answer"); all leave the app to spot crawl. The wordings are
      // proven against an injected clock in crawl-after.test.ts.
      assert.match(
        notes[0]!,
        /(did not list application_\d+_0042 as finished within 1000 ms|did not answer for application_\d+_0042 within submit\.crawlAfterTimeoutMs \(1000 ms\)|crawl after the run failed: .*); the next spot crawl will pick it up$/,
      );
      const store = await SqliteStore.open(join(box.home, 'spot.db'));
      try {
        const advice = await store.getAdvice(adviceIdOf(r.launched!));
        assert.equal(advice?.outcome?.exitCode, 5);
        assert.equal(advice?.outcome?.runId, undefined);
      } finally {
        await store.close();
      }
    } finally {
      box.cleanup();
      await shs.close();
    }
  });
});
