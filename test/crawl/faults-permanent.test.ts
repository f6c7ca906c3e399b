import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHistoryServer, type Fault, type FaultRequest } from '../../src/simulator/history-server.js';
import { column, scalar, specs, tempHome } from './support.js';
import { crawl, FAULTS, unit } from './faults-support.js';

// Apps whose endpoints always fail, among others failing once (test/crawl/faults-support.ts); beside
// faults.test.ts in a file of its own so the two run side by side.

describe('crawl under permanent faults', () => {
  test('apps whose endpoints always fail become error documents; nothing is lost, nothing stored twice', async () => {
    const apps = specs(600, 'application_1709251200001');
    const broken = new Set(apps.filter((_, i) => i % 25 === 3).map((a) => a.id));
    const fault = (r: FaultRequest): Fault | undefined => {
      const id = /applications\/([^/?]+)\//.exec(r.path)?.[1];
      if (id && broken.has(id) && /\/stages(\?|$)/.test(r.path)) return FAULTS[Number(id.slice(-2)) % FAULTS.length];
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
      for (const a of apps)
        assert.ok(stored.has(a.id) !== failedIds.has(a.id), `${a.id}: documents xor error document`);
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
