import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { configSchema } from '../../src/config/schema.js';
import { crawlOnce } from '../../src/crawl/index.js';
import { HistoryClient } from '../../src/history/client.js';
import { startHistoryServer, type Fault, type FaultRequest } from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { column, scalar, SINCE, specs, tempHome } from './support.js';

// Volume and fault injection: thousands of apps on a simulated History Server that misbehaves on some
// requests. Nothing may be lost: every listed app ends as aggregated documents or as an error document.

const FAULTS: Fault[] = [500, 502, 503, 'hang', 'truncate', 'garbage', 'reset'];

/** A stable pseudo-random number in [0, 1) for a request target. */
function unit(path: string): number {
  return createHash('sha1').update(path).digest().readUInt32BE(0) / 2 ** 32;
}

function config(overrides: Record<string, unknown> = {}) {
  return configSchema.parse({
    historyServer: { timeoutMs: 400, retries: 4, retryBaseMs: 2 },
    crawler: { concurrency: 8, completionTimeoutSeconds: 0, maxAppRetries: 3, ...overrides },
  });
}

async function crawl(url: string, dbPath: string, cfg = config()) {
  const store = await SqliteStore.open(dbPath);
  const client = new HistoryClient({
    baseUrl: url, timeoutMs: cfg.historyServer.timeoutMs, retries: cfg.historyServer.retries,
    retryBaseMs: cfg.historyServer.retryBaseMs, concurrency: cfg.crawler.concurrency * 3,
  });
  try {
    return await crawlOnce({ client, store, config: cfg, historyUrl: url, since: new Date(SINCE) });
  } finally {
    await client.close();
    await store.close();
  }
}

describe('crawl under faults', () => {
  test('2,000 apps, transient faults on one request in ten: every app ends as documents', async () => {
    const apps = specs(2000);
    const fault = (r: FaultRequest): Fault | undefined => {
      const u = unit(r.path);
      // Only the first try of a target fails, so a client that retries always gets through.
      return r.attempt === 1 && u < 0.1 ? FAULTS[Math.floor(u * 70) % FAULTS.length] : undefined;
    };
    const shs = await startHistoryServer({ fault });
    const home = tempHome();
    try {
      for (const s of apps) shs.addSpec(s);
      const summary = await crawl(shs.url, home.db);
      assert.equal(summary.listed, apps.length);
      assert.equal(summary.new, apps.length, `failures: ${JSON.stringify(summary.errors.slice(0, 3))}`);
      assert.equal(summary.failed, 0);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(DISTINCT app_id) FROM raw'), apps.length);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 0);
      const stored = new Set(column(home.db, 'SELECT app_id FROM agg'));
      assert.deepEqual(apps.filter((a) => !stored.has(a.id)), []);
    } finally {
      await shs.close();
      home.cleanup();
    }
  });

  test('apps whose endpoints always fail become error documents; nothing is lost, nothing stored twice', async () => {
    const apps = specs(600, 'application_1709251200001');
    const broken = new Set(apps.filter((_, i) => i % 25 === 3).map((a) => a.id));
    const fault = (r: FaultRequest): Fault | undefined => {
      const id = /applications\/([^/?]+)\//.exec(r.path)?.[1];
      if (id && broken.has(id) && r.path.endsWith('/stages')) return FAULTS[Number(id.slice(-2)) % FAULTS.length];
      const u = unit(r.path);
      return r.attempt === 1 && u < 0.05 ? FAULTS[Math.floor(u * 140) % FAULTS.length] : undefined;
    };
    const shs = await startHistoryServer({ fault });
    const home = tempHome();
    try {
      for (const s of apps) shs.addSpec(s);
      const first = await crawl(shs.url, home.db);
      assert.equal(first.listed, apps.length);
      assert.equal(first.failed, broken.size);
      assert.equal(first.new, apps.length - broken.size);
      const failedIds = new Set(column(home.db, 'SELECT DISTINCT app_id FROM errors'));
      assert.deepEqual([...failedIds].sort(), [...broken].sort());
      const stored = new Set(column(home.db, 'SELECT app_id FROM agg'));
      for (const a of apps) assert.ok(stored.has(a.id) !== failedIds.has(a.id), `${a.id}: documents xor error document`);
      const stages = column(home.db, "SELECT DISTINCT json_extract(doc, '$.spot.error.stage') FROM errors");
      assert.deepEqual(stages, ['raw']);

      // A second crawl skips what is stored and tries the broken apps again.
      const second = await crawl(shs.url, home.db);
      assert.equal(second.skipped, apps.length - broken.size);
      assert.equal(second.new, 0);
      assert.equal(second.failed, broken.size);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM agg'), apps.length - broken.size);
      assert.equal(scalar(home.db, 'SELECT count(*) FROM errors'), 2 * broken.size);
    } finally {
      await shs.close();
      home.cleanup();
    }
  });
});
