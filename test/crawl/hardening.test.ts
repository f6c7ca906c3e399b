import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { crawlListedApp } from '../../src/crawl/app.js';
import { crawlOnce, type CrawlEvent } from '../../src/crawl/index.js';
import { MenasClient } from '../../src/enceladus/menas-client.js';
import { HistoryClient } from '../../src/history/client.js';
import { HistoryBadResponseError, HistoryResponseTooLargeError } from '../../src/history/errors.js';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { startMenas } from '../support/menas-server.js';
import { startBentServer } from './proxy.js';
import { BASE_MS, column, scalar, SINCE, specs, tempHome } from './support.js';
import { REFUSED_PORT } from '../support/loopback-http.js';

// What broke when the crawl was tried as an adversary would, each now a test: a bad listing entry, a wrong
// per-app answer, a server that ignores minEndDate, two crawlers at once, a Menas outage, a huge answer.

function config(crawler: Record<string, unknown> = {}) {
  return configSchema.parse({
    historyServer: { timeoutMs: 30_000, retries: 1, retryBaseMs: 1 },
    crawler: { concurrency: 4, completionTimeoutSeconds: 0, ...crawler },
  });
}

const newClient = (url: string, extra: { maxResponseBytes?: number } = {}) =>
  new HistoryClient({ baseUrl: url, timeoutMs: 30_000, retries: 1, retryBaseMs: 1, concurrency: 8, ...extra });

/**
 * A crawler of `url` into a store in a fresh home: `crawl` runs one crawl with this file's config (other options as
 * given); `close` ends the client, the store and then `servers`, and removes the home.
 */
async function crawlerOf(url: string, servers: { close(): Promise<void> }[]) {
  const home = tempHome();
  const store = await SqliteStore.open(home.db);
  const client = newClient(url);
  const crawl = (over: Partial<Parameters<typeof crawlOnce>[0]> = {}) =>
    crawlOnce({ client, store, config: config(), historyUrl: url, since: new Date(SINCE), ...over });
  const close = async () => {
    await client.close();
    await store.close();
    for (const s of servers) await s.close();
    home.cleanup();
  };
  return { home, store, client, crawl, close };
}

describe('one bad entry never stops the crawl', () => {
  test('a listing entry with attempts [null] and one without an id: error for that app only, every valid app stored', async () => {
    const shs = await startHistoryServer();
    const apps = specs(20, 'application_1709251200100');
    for (const s of apps) shs.addSpec(s);
    const badStages = `applications/${apps[5]!.id}/stages`;
    const bent = await startBentServer(shs.url, {
      body: (path, _q, text) => {
        if (path === badStages) return '[null]';
        if (path !== 'applications') return undefined;
        const listing = JSON.parse(text) as unknown[];
        // Among valid apps only: a bad entry in every (otherwise empty) window would keep every window
        // "busy", and the crawl would walk years of history hour by hour.
        if (listing.length === 0) return undefined;
        listing.splice(1, 0, { id: 'x', name: 'x', attempts: [null] }, { name: 'no id', attempts: [] });
        return JSON.stringify(listing);
      },
    });
    const { home, store, crawl, close } = await crawlerOf(bent.url, [bent, shs]);
    try {
      const events: CrawlEvent[] = [];
      const summary = await crawl({ onEvent: (e) => events.push(e) });
      assert.equal(summary.new, 19);
      assert.equal(summary.failed, 2);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 19);
      assert.deepEqual(column(home.db, "SELECT app_id || ' ' || stage FROM errors ORDER BY app_id"), [
        `${apps[5]!.id} raw`,
        'x listing',
      ]);
      const errors = await store.errors({});
      assert.match(
        errors.find((e) => e.spot.spark_app_id === 'x')!.spot.error.message,
        /listing entry of x: attempts\.0: /,
      );
      assert.match(
        errors.find((e) => e.spot.spark_app_id === apps[5]!.id)!.spot.error.message,
        /unexpected shape: 0: /,
      );
      assert.ok(events.some((e) => e.type === 'warning' && /without an app id/.test(e.message)));
    } finally {
      await close();
    }
  });
});

describe('apps retried after an attempt that never logged its end', () => {
  test('an earlier attempt left incomplete does not keep the app waiting: it is crawled, that attempt not ended', async () => {
    const shs = await startHistoryServer();
    const apps = specs(3, 'application_1709251200110');
    for (const s of apps) shs.addSpec(s);
    const retried = apps[1]!.id;
    const bent = await startBentServer(shs.url, {
      body: (path, _q, text) => {
        if (path !== 'applications') return undefined;
        const listing = JSON.parse(text) as { id: string; attempts: Record<string, unknown>[] }[];
        // As Spark lists it (latest attempt first, status=completed by that one): the first attempt's driver was
        // killed before it logged its end, so its log stayed in progress and its end is Spark's -1.
        for (const app of listing.filter((a) => a.id === retried)) {
          const [last] = app.attempts;
          const startEpoch = Number(last!.startTimeEpoch) - 3_600_000;
          app.attempts.push({
            attemptId: '1',
            startTime: new Date(startEpoch).toISOString().replace('Z', 'GMT'),
            startTimeEpoch: startEpoch,
            endTime: '1969-12-31T23:59:59.999GMT',
            endTimeEpoch: -1,
            duration: 0,
            completed: false,
          });
        }
        return JSON.stringify(listing);
      },
    });
    const { store, crawl, close } = await crawlerOf(bent.url, [bent, shs]);
    try {
      const summary = await crawl();
      assert.equal(summary.new, 3);
      assert.equal(summary.failed, 0);
      const attempts = (await store.getAgg(retried)).map((a) => [a.isFinalAttempt, a.attempt.completed]);
      assert.deepEqual(
        attempts.sort((a, b) => Number(a[0]) - Number(b[0])),
        [
          [false, false],
          [true, true],
        ],
      );
    } finally {
      await close();
    }
  });
});

describe('a server in trouble for every app', () => {
  test('apps failing in a row on error pages stop the crawl, not an error for every app; a later crawl takes all', async () => {
    const shs = await startHistoryServer();
    const apps = specs(20, 'application_1709251200120');
    for (const s of apps) shs.addSpec(s);
    let broken = true;
    // A gateway in front of the History Server answering its error page for every app's request (the listing works).
    const page = '<html><head><title>502 Proxy Error</title></head></html>';
    const bent = await startBentServer(shs.url, {
      body: (path) => (broken && path !== 'applications' ? page : undefined),
    });
    const { home, crawl, close } = await crawlerOf(bent.url, [bent, shs]);
    const run = () => crawl({ config: config({ concurrency: 1 }) });
    try {
      await assert.rejects(run(), HistoryBadResponseError);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 8);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 0);
      broken = false;
      const later = await run();
      assert.equal(later.new, 20);
      assert.equal(later.gaveUp, 0);
    } finally {
      await close();
    }
  });
});

describe('History Servers that ignore minEndDate', () => {
  test('apps outside the window come back: one full listing filtered here; nothing outside the window is stored', async () => {
    const shs = await startHistoryServer();
    const inside = specs(30, 'application_1709251200200');
    const before = specs(5, 'application_1709251200201').map((s) => ({
      ...s,
      startMs: BASE_MS - 40 * 86_400_000 + s.startMs - BASE_MS,
    }));
    for (const s of [...inside, ...before]) shs.addSpec(s);
    const bent = await startBentServer(shs.url, {
      query: (path, q) => {
        if (path === 'applications') for (const k of ['minEndDate', 'maxEndDate', 'limit']) q.delete(k);
        return q;
      },
    });
    const { home, crawl, close } = await crawlerOf(bent.url, [bent, shs]);
    try {
      const events: CrawlEvent[] = [];
      const summary = await crawl({ onEvent: (e) => events.push(e) });
      assert.equal(summary.new, 30);
      assert.equal(summary.listed, 30);
      assert.deepEqual(column(home.db, 'SELECT app_id FROM agg WHERE app_id LIKE ?', 'application_1709251200201%'), []);
      // One windowed listing showed the server does not filter; then one full listing instead of one per window.
      assert.equal(bent.log.filter((t) => t.startsWith('/api/v1/applications?')).length, 2);
      assert.ok(events.some((e) => e.type === 'warning' && /ignores minEndDate/.test(e.message)));
    } finally {
      await close();
    }
  });
});

describe('crawlers sharing one store', () => {
  test('two crawlers at once split the work: every app is new exactly once, no errors', async () => {
    const shs = await startHistoryServer({ latencyMs: 1 });
    const apps = specs(300, 'application_1709251200300');
    for (const s of apps) shs.addSpec(s);
    const home = tempHome();
    const [storeA, storeB] = [await SqliteStore.open(home.db), await SqliteStore.open(home.db)];
    const [clientA, clientB] = [newClient(shs.url), newClient(shs.url)];
    try {
      const [a, b] = await Promise.all([
        crawlOnce({ client: clientA, store: storeA, config: config(), historyUrl: shs.url, since: new Date(SINCE) }),
        crawlOnce({ client: clientB, store: storeB, config: config(), historyUrl: shs.url, since: new Date(SINCE) }),
      ]);
      assert.equal(a.new + b.new, apps.length, `a ${a.new} new, b ${b.new} new`);
      assert.equal(a.failed + b.failed, 0);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 0);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM crawl_leases'), 0);
    } finally {
      await Promise.all([clientA.close(), clientB.close(), storeA.close(), storeB.close()]);
      await shs.close();
      home.cleanup();
    }
  });

  test('a failure on an app another crawler has stored records no error', async () => {
    const shs = await startHistoryServer();
    const [spec] = specs(1, 'application_1709251200400');
    shs.addSpec(spec!);
    const { home, store, client, crawl, close } = await crawlerOf(shs.url, [shs]);
    try {
      await crawl();
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 1);
      // This crawler listed the app before the other stored it; now its History Server has lost it.
      const listed = (await client.getJson<{ id: string; name: string; attempts: never[] }[]>('applications'))[0]!;
      shs.removeApp(spec!.id);
      const result = await crawlListedApp(
        { deps: { client, store, config: config() }, historyHost: 'h', now: new Date() },
        listed,
      );
      assert.equal(result.outcome, 'skipped');
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 0);
    } finally {
      await close();
    }
  });
});

describe('a Menas outage never drops Enceladus apps', () => {
  test('stored unenriched with a note while Menas is down; enriched by the next crawl once it answers', async () => {
    const NAME = 'Enceladus Standardization&Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1';
    const shs = await startHistoryServer();
    const apps = specs(3, 'application_1709251200500').map((s) => ({ ...s, name: NAME }));
    for (const s of apps) shs.addSpec(s);
    const menas = await startMenas();
    const { home, store, crawl, close } = await crawlerOf(shs.url, [menas, shs]);
    const menasAt = (url: string) =>
      new MenasClient({
        url,
        username: 'spot',
        password: 'menas-pass',
        timeoutMs: 30_000,
        defaultTimezone: 'UTC',
        retryBaseMs: 1,
      });
    try {
      const down = await crawl({ menas: menasAt(`http://127.0.0.1:${REFUSED_PORT}/menas/api`) });
      assert.deepEqual([down.new, down.failed, down.gaveUp], [3, 0, 0]);
      const raw = await store.getRaw(apps[0]!.id);
      assert.match(String(raw!.spot.unenriched), /^Menas unavailable: /);
      assert.equal('app_specific_data' in raw!.attempts[0]!, false);
      assert.equal((await store.unenriched(10)).length, 3);

      const up = await crawl({ menas: menasAt(menas.url) });
      assert.deepEqual([up.new, up.skipped, up.enriched], [0, 3, 3]);
      const enriched = await store.getRaw(apps[0]!.id);
      assert.equal(enriched!.spot.unenriched, undefined);
      assert.ok('app_specific_data' in enriched!.attempts[0]!);
      assert.deepEqual(await store.unenriched(10), []);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), 3);
    } finally {
      await close();
    }
  });
});

describe('answer size', () => {
  test('an answer over historyServer.maxResponseMB fails at once with a clear error; a listing is streamed within it', async () => {
    const shs = await startHistoryServer();
    const apps = specs(2, 'application_1709251200600');
    for (const s of apps) shs.addSpec(s);
    const huge = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ stageId: i, name: 'x'.repeat(40) })));
    const bent = await startBentServer(shs.url, {
      body: (path) => (path === `applications/${apps[0]!.id}/stages` ? huge : undefined),
    });
    const client = newClient(bent.url, { maxResponseBytes: 2 ** 20 });
    try {
      await assert.rejects(
        client.getJson(`applications/${apps[0]!.id}/stages`),
        (e: unknown) =>
          e instanceof HistoryResponseTooLargeError &&
          /larger than 1 MiB \(historyServer\.maxResponseMB\)/.test(e.message),
      );
      assert.equal(bent.log.filter((t) => t.endsWith(`${apps[0]!.id}/stages`)).length, 1); // not retried
      const listed: unknown[] = [];
      for await (const app of client.getJsonArray('applications')) listed.push(app);
      assert.equal(listed.length, 2);
    } finally {
      await client.close();
      await bent.close();
      await shs.close();
    }
  });
});
