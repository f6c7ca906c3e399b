import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.js';
import { crawlApp, crawlOnce, type CrawlEvent } from '../../src/crawl/index.js';
import { HistoryClient } from '../../src/history/client.js';
import { HistoryUnreachableError } from '../../src/history/errors.js';
import { syntheticApp, syntheticMultiAttemptApp } from '../../src/simulator/apps.js';
import { startHistoryServer, type SimHistoryServer } from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import type { Advice } from '../../src/types.js';
import { BASE_MS, scalar, SINCE, specs, tempHome, type Home } from './support.js';

// The crawl pipeline in process: a simulated History Server, a real SQLite file.

function config(crawler: Record<string, unknown> = {}) {
  return configSchema.parse({
    historyServer: { timeoutMs: 30_000, retries: 1, retryBaseMs: 1 },
    crawler: { concurrency: 4, completionTimeoutSeconds: 0, ...crawler },
  });
}

interface Rig {
  shs: SimHistoryServer;
  home: Home;
  store: RunStore;
  client: HistoryClient;
  close(): Promise<void>;
}

async function rig(opts: Parameters<typeof startHistoryServer>[0] = {}): Promise<Rig> {
  const shs = await startHistoryServer(opts);
  const home = tempHome();
  const store = await SqliteStore.open(home.db);
  const client = new HistoryClient({ baseUrl: shs.url, timeoutMs: 30_000, retries: 1, retryBaseMs: 1, concurrency: 8 });
  return {
    shs,
    home,
    store,
    client,
    async close() {
      await client.close();
      await store.close();
      await shs.close();
      home.cleanup();
    },
  };
}

const run = (r: Rig, cfg = config(), extra: { now?: Date; onEvent?: (e: CrawlEvent) => void } = {}) =>
  crawlOnce({ client: r.client, store: r.store, config: cfg, historyUrl: r.shs.url, since: new Date(SINCE), ...extra });

describe('crawlOnce', () => {
  test('stores raw, aggregated documents and run records; a second crawl skips them', async () => {
    const r = await rig();
    try {
      const apps = specs(30);
      for (const s of apps) r.shs.addSpec(s);
      const events: CrawlEvent[] = [];
      const first = await run(r, config(), { onEvent: (e) => events.push(e) });
      assert.deepEqual([first.listed, first.new, first.skipped, first.failed, first.gaveUp], [30, 30, 0, 0, 0]);
      assert.ok(first.windows >= 1);
      assert.equal(events.filter((e) => e.type === 'app' && e.outcome === 'new').length, 30);
      const agg = await r.store.getAgg(apps[0]!.id);
      assert.equal(agg.length, 1);
      assert.equal(agg[0]!.docId, `${apps[0]!.id}-0`);
      assert.equal(agg[0]!.history_host, '127.0.0.1');
      assert.ok(await r.store.getRaw(apps[0]!.id));
      assert.equal(scalar(r.home.db, 'SELECT count(*) FROM runs'), 30);

      const second = await run(r);
      assert.deepEqual([second.listed, second.new, second.skipped, second.failed], [30, 0, 30, 0]);
    } finally {
      await r.close();
    }
  });

  test('stages carry task summaries unless crawler.taskSummaries is off', async () => {
    const r = await rig();
    try {
      const [on, off] = specs(2);
      const summaries = async (id: string) => {
        const raw = await r.store.getRaw(id);
        const stages = (raw!.attempts[0]!.stages ?? []) as Record<string, unknown>[];
        assert.ok(stages.length > 0);
        return stages.filter((st) => 'taskMetricsDistributions' in st).length / stages.length;
      };
      r.shs.addSpec(on!);
      await run(r);
      r.shs.addSpec(off!);
      await run(r, config({ taskSummaries: false }));
      assert.deepEqual([await summaries(on!.id), await summaries(off!.id)], [1, 0]);
    } finally {
      await r.close();
    }
  });

  test('a job that failed with every stage complete: counted from jobs?status=failed, a failed run', async () => {
    const r = await rig();
    try {
      const [good, bad] = specs(2, 'application_1709251200021');
      r.shs.addSpec(good!);
      r.shs.addSpec({ ...bad!, failedJob: true });
      const crawled = await run(r);
      assert.equal(crawled.new, 2);
      const summary = async (id: string) => (await r.store.getAgg(id))[0]!.attempt.aggs.summary;
      assert.equal((await summary(good!.id)).failed_jobs, 0);
      assert.deepEqual([(await summary(bad!.id)).failed_jobs, (await summary(bad!.id)).failed_stages], [1, 0]);
      const succeeded = (id: string) =>
        scalar(r.home.db, "SELECT json_extract(record, '$.succeeded') FROM runs WHERE record ->> '$.appId' = ?", id);
      assert.deepEqual([succeeded(good!.id), succeeded(bad!.id)], [1, 0]);
      // Once per attempt, with Spark's status filter, as the other per-attempt requests.
      const asked = r.shs.requestLog.filter((t) => t.endsWith('/jobs?status=failed'));
      assert.deepEqual(
        asked.sort(),
        [good!, bad!].map((s) => `/api/v1/applications/${s.id}/jobs?status=failed`).sort(),
      );
    } finally {
      await r.close();
    }
  });

  test('an app with two attempts: one aggregated document per attempt, one run record, skipped next time', async () => {
    const r = await rig();
    try {
      const [spec] = specs(1, 'application_1709251200011');
      r.shs.addApp(syntheticMultiAttemptApp(spec!, { attempts: 2 }));
      const first = await run(r);
      assert.equal(first.new, 1);
      const aggs = await r.store.getAgg(spec!.id);
      assert.deepEqual(aggs.map((a) => a.docId).sort(), [`${spec!.id}-1`, `${spec!.id}-2`]);
      assert.deepEqual(
        aggs.filter((a) => a.isFinalAttempt).map((a) => a.docId),
        [`${spec!.id}-2`],
      );
      assert.equal(scalar(r.home.db, 'SELECT count(*) FROM runs'), 1);
      const second = await run(r);
      assert.deepEqual([second.new, second.skipped], [0, 1]);
    } finally {
      await r.close();
    }
  });

  test('the window: apps that ended before --since or within the completion timeout are not listed', async () => {
    const r = await rig();
    try {
      const now = new Date(BASE_MS + 10 * 3_600_000);
      const s = specs(3);
      r.shs.addSpec({ ...s[0]!, startMs: BASE_MS - 3_600_000 }); // ended before since
      r.shs.addSpec({ ...s[1]!, startMs: BASE_MS + 3_600_000 }); // inside
      r.shs.addSpec({ ...s[2]!, startMs: now.getTime() - 60_000 }); // ended after now − completion timeout
      const summary = await run(r, config({ completionTimeoutSeconds: 1800 }), { now });
      assert.equal(summary.listed, 1);
      assert.equal(summary.new, 1);
      assert.ok((await r.store.getRaw(s[1]!.id)) !== undefined);
    } finally {
      await r.close();
    }
  });

  test('crawler.maxAppRetries: an app that always fails gets at most N error documents over N + 2 crawls', async () => {
    const apps = specs(5);
    const bad = apps[2]!.id;
    const r = await rig({ fault: (q) => (q.path.includes(`/${bad}/environment`) ? 500 : undefined) });
    try {
      for (const s of apps) r.shs.addSpec(s);
      const N = 2;
      const summaries = [];
      for (let i = 0; i < N + 2; i++) summaries.push(await run(r, config({ maxAppRetries: N })));
      assert.equal(scalar(r.home.db, 'SELECT count(*) FROM errors WHERE app_id = ?', bad), N);
      assert.deepEqual(
        summaries.map((s) => s.failed),
        [1, 1, 0, 0],
      );
      assert.deepEqual(
        summaries.map((s) => s.gaveUp),
        [0, 0, 1, 1],
      );
      assert.equal(summaries[0]!.errors[0]!.appId, bad);
      assert.equal(summaries[0]!.errors[0]!.stage, 'raw');
      const doc = JSON.parse(scalar<string>(r.home.db, 'SELECT doc FROM errors LIMIT 1'));
      assert.equal(doc.spot.spark_app_id, bad);
      assert.equal(doc.spot.history_host, '127.0.0.1');
      assert.equal(doc.spot.error.stage, 'raw');
      assert.ok(doc.spot.error.type.length > 0 && doc.spot.error.message.length > 0);
      assert.equal(doc.spot.app_end_time, new Date(apps[2]!.startMs + apps[2]!.durationMs).toISOString());
    } finally {
      await r.close();
    }
  });

  test('links a finished app to the advice it was launched with (spark.spot.adviceId)', async () => {
    const r = await rig();
    try {
      const advice: Advice = {
        id: 'adv-123',
        createdAt: new Date(BASE_MS).toISOString(),
        app: 'job-1',
        mode: 'fill',
        baseline: {},
        chosen: { executors: 4 },
        injected: { 'spark.executor.instances': '4' },
        pinned: [],
        candidates: [],
        trainingRunIds: [],
        decidedBy: 'test',
        notes: [],
        outcome: { exitCode: 0 },
      };
      await r.store.putAdvice(advice);
      const [spec] = specs(1, 'application_1709251200009');
      r.shs.addApp(syntheticApp({ ...spec!, sparkProperties: { 'spark.spot.adviceId': 'adv-123' } }));
      const summary = await run(r);
      assert.equal(summary.new, 1);
      const linked = await r.store.getAdvice('adv-123');
      assert.equal(linked?.outcome?.applicationId, spec!.id);
      assert.equal(linked?.outcome?.runId, `${spec!.id}-0`);
      assert.equal(linked?.outcome?.exitCode, 0, 'earlier outcome fields are kept');
      // The run learns under the advice's job key, whatever name the app gave itself.
      const records = await r.store.records({ app: 'job-1' });
      assert.deepEqual(
        records.map((x) => x.id),
        [`${spec!.id}-0`],
      );
      assert.equal(records[0]!.adviceId, 'adv-123');
    } finally {
      await r.close();
    }
  });

  test('a stop signal ends the crawl after the apps in flight, with everything taken stored', async () => {
    const r = await rig({ latencyMs: 2 });
    try {
      for (const s of specs(200)) r.shs.addSpec(s);
      const stop = new AbortController();
      let seen = 0;
      const summary = await crawlOnce({
        client: r.client,
        store: r.store,
        config: config(),
        historyUrl: r.shs.url,
        since: new Date(SINCE),
        signal: stop.signal,
        onEvent: (e) => {
          if (e.type === 'app' && ++seen === 20) stop.abort();
        },
      });
      assert.equal(summary.stopped, true);
      assert.ok(summary.new >= 20 && summary.new < 200, `${summary.new} new`);
      assert.equal(scalar(r.home.db, 'SELECT count(*) FROM agg'), summary.new);
    } finally {
      await r.close();
    }
  });

  test('a History Server that goes away mid-crawl stops the crawl; once it is back, the next crawl completes', async () => {
    const r = await rig({ latencyMs: 2 });
    const apps = specs(150);
    let restarted: SimHistoryServer | undefined;
    try {
      for (const s of apps) r.shs.addSpec(s);
      let stored = 0;
      let closing: Promise<void> | undefined;
      await assert.rejects(
        run(r, config({ maxAppRetries: 5 }), {
          onEvent: (e) => {
            if (e.type === 'app' && e.outcome === 'new' && ++stored === 20) closing = r.shs.close();
          },
        }),
        (e: Error) => e instanceof HistoryUnreachableError,
      );
      await closing;
      const done = scalar(r.home.db, 'SELECT count(*) FROM agg');
      assert.ok(done >= 20 && done < apps.length, `${done} stored before the server went away`);
      // It stopped soon: not one failure per remaining app.
      const failed = scalar(r.home.db, 'SELECT count(DISTINCT app_id) FROM errors');
      assert.ok(failed < 40, `${failed} apps failed`);

      restarted = await startHistoryServer({ port: Number(new URL(r.shs.url).port) });
      for (const s of apps) restarted.addSpec(s);
      const again = await run(r, config({ maxAppRetries: 5 }));
      assert.equal(again.failed, 0);
      assert.equal(scalar(r.home.db, 'SELECT count(*) FROM agg'), apps.length);
    } finally {
      await restarted?.close();
      await r.close();
    }
  });

  test('crawlApp crawls one app by id; an unknown id is a not-found error', async () => {
    const r = await rig();
    try {
      const [spec] = specs(1, 'application_1709251200010');
      r.shs.addSpec(spec!);
      const deps = { client: r.client, store: r.store, config: config(), historyUrl: r.shs.url };
      const result = await crawlApp(deps, spec!.id);
      assert.deepEqual(result, { outcome: 'new', docIds: [`${spec!.id}-0`] });
      assert.equal((await r.store.getAgg(spec!.id)).length, 1);
      await assert.rejects(
        crawlApp(deps, 'application_0_0000'),
        (e: Error) => e.constructor.name === 'HistoryNotFoundError',
      );
    } finally {
      await r.close();
    }
  });
});
