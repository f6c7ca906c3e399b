import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHistoryServer, type Fault, type FaultRequest } from '../../src/simulator/history-server.js';
import { column, scalar, specs, tempHome } from './support.js';
import { crawl, FAULTS, unit } from './faults-support.js';

// Thousands of apps, each request failing once in ten on its first try (test/crawl/faults-support.ts).

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
      assert.deepEqual(
        apps.filter((a) => !stored.has(a.id)),
        [],
      );
    } finally {
      await shs.close();
      home.cleanup();
    }
  });
});
