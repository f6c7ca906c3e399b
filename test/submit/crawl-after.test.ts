import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.js';
import { HistoryHttpError } from '../../src/history/errors.js';
import {
  startHistoryServer,
  type HistoryServerOptions,
  type SimHistoryServer,
} from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { crawlAfter } from '../../src/submit/crawl-after.js';
import { specs, tempHome, type Home } from '../crawl/support.js';
import { advice } from '../store/factories.js';

// The crawl after the run retries as spot crawl does, but never past submit.crawlAfterTimeoutMs. The clock is the
// test's: each request the History Server answers moves it 10 s on, whatever the machine's speed.

/** A stand-in History Server and a real SQLite store for `check`; both ended, and the store removed, afterwards. */
async function withStandIns(
  opts: HistoryServerOptions,
  check: (shs: SimHistoryServer, store: SqliteStore, home: Home) => Promise<void>,
): Promise<void> {
  const shs = await startHistoryServer(opts);
  const home = tempHome();
  const store = await SqliteStore.open(home.db);
  try {
    await check(shs, store, home);
  } finally {
    await store.close();
    await shs.close();
    home.cleanup();
  }
}

test('the crawl after the run retries no request past submit.crawlAfterTimeoutMs', async () => {
  let clock = 0;
  await withStandIns(
    {
      fault: () => {
        clock += 10_000;
        return 500;
      },
    },
    async (shs, store, home) => {
      const [spec] = specs(1);
      shs.addSpec(spec!);
      const config = configSchema.parse({
        historyServer: { url: shs.url, retries: 1000, retryBaseMs: 1 },
        submit: { crawlAfter: true, crawlAfterTimeoutMs: 60_000 },
      });
      await assert.rejects(
        crawlAfter({
          loaded: { config, home: home.dir },
          store,
          applicationId: spec!.id,
          adviceId: 'a',
          now: () => clock,
        }),
        HistoryHttpError,
      );
      // Tries at 0 s, 10 s, ... 50 s on the test's clock; the sixth leaves no time for another.
      assert.equal(shs.requests, 6);
    },
  );
});

test('an app the History Server does not list within submit.crawlAfterTimeoutMs is left to spot crawl', async () => {
  let clock = 0;
  // Unknown to the History Server (404), and each answer moves the test's clock 10 s on: past the 1 s at once.
  await withStandIns(
    {
      fault: () => {
        clock += 10_000;
        return undefined;
      },
    },
    async (shs, store, home) => {
      const config = configSchema.parse({
        historyServer: { url: shs.url },
        submit: { crawlAfter: true, crawlAfterTimeoutMs: 1000 },
      });
      const note = await crawlAfter({
        loaded: { config, home: home.dir },
        store,
        applicationId: 'application_1_0042',
        adviceId: 'a',
        now: () => clock,
      });
      assert.equal(
        note,
        'the History Server did not list application_1_0042 as finished within 1000 ms; the next spot crawl will pick it up',
      );
      assert.equal(shs.requests, 1);
    },
  );
});

test("an application id that names a run launched with other advice is not linked to this launch's", async () => {
  await withStandIns({}, async (shs, store, home) => {
    const [spec] = specs(1);
    shs.addSpec({ ...spec!, sparkProperties: { 'spark.spot.adviceId': 'advice-other' } });
    await store.createAdvice(advice('advice-mine', 'job-0', Date.now()));
    const config = configSchema.parse({
      historyServer: { url: shs.url },
      submit: { crawlAfter: true },
    });
    const note = await crawlAfter({
      loaded: { config, home: home.dir },
      store,
      applicationId: spec!.id,
      adviceId: 'advice-mine',
    });
    assert.match(note ?? '', /ran with advice advice-other, not this launch's; not linked/);
    assert.equal((await store.getAdvice('advice-mine'))?.outcome?.runId, undefined);
  });
});

test('a request the crawl-after budget cut short is the budget spent, not a History Server fault', async () => {
  // The first answer moves the test's clock to 100 ms before the deadline and fails; the retry, limited to what is
  // left, gets no answer.
  let clock = 0;
  await withStandIns(
    {
      fault: () => {
        if (clock > 0) return 'hang';
        clock = 59_900;
        return 500;
      },
    },
    async (shs, store, home) => {
      const [spec] = specs(1);
      shs.addSpec(spec!);
      const config = configSchema.parse({
        historyServer: { url: shs.url, retries: 3, retryBaseMs: 1 },
        submit: { crawlAfter: true, crawlAfterTimeoutMs: 60_000 },
      });
      const note = await crawlAfter({
        loaded: { config, home: home.dir },
        store,
        applicationId: spec!.id,
        adviceId: 'a',
        now: () => clock,
      });
      assert.equal(
        note,
        `the History Server did not answer for ${spec!.id} within submit.crawlAfterTimeoutMs (60000 ms); ` +
          'the next spot crawl will pick it up',
      );
    },
  );
});
