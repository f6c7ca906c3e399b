import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { crawlEventLogs } from '../../src/crawl/event-logs.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SHS_FIXTURES } from '../support/paths.js';

// `spot crawl --event-logs` beside another crawler on the same SQLite store (a cron crawl overlapping a looping
// one): the crawlers split the apps through the store's leases, as History Server crawls do, rather than each
// reading every log and each counting every app as new.

const FIXTURE = join(SHS_FIXTURES, 'spark-events', 'application_1578436911597_0052');
const config = configSchema.parse({});

/** A folder of `n` event logs of distinct apps, each the fixture under its own app id. */
function logFolder(n: number): { dir: string; ids: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'spot-lease-logs-'));
  const text = readFileSync(FIXTURE, 'utf8');
  const ids = Array.from({ length: n }, (_, i) => `application_1578436911597_${String(1000 + i)}`);
  for (const id of ids) writeFileSync(join(dir, id), text.replaceAll('application_1578436911597_0052', id));
  return { dir, ids };
}

test('an app another live crawler holds a lease on is left to it, not read and stored twice', async () => {
  const { dir, ids } = logFolder(3);
  const home = mkdtempSync(join(tmpdir(), 'spot-lease-home-'));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  try {
    // Another crawler (in this live process, so its lease is not taken over) holds the second app.
    const other = `${hostname()}/${process.pid}/othercrawler`;
    assert.deepEqual(await store.claimApps([ids[1]!], other, 60_000), [ids[1]]);
    const first = await crawlEventLogs({ store, config, path: dir });
    assert.equal(first.new, 2);
    assert.equal(first.skipped, 1);
    assert.equal(
      (await store.getAgg(ids[1]!)).length,
      0,
      'the held app was stored by the crawler that did not hold it',
    );
    // Once the other crawler lets go without storing it (it failed, say), the next crawl reads it.
    await store.releaseApps([ids[1]!], other);
    const second = await crawlEventLogs({ store, config, path: dir });
    assert.equal(second.new, 1);
    assert.equal((await store.getAgg(ids[1]!)).length, 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('two crawls of one folder at once into one store: every app stored once, counted new by one crawl', async () => {
  const { dir, ids } = logFolder(20);
  const home = mkdtempSync(join(tmpdir(), 'spot-lease-home-'));
  const a = await SqliteStore.open(join(home, 'spot.db'));
  const b = await SqliteStore.open(join(home, 'spot.db'));
  try {
    const [x, y] = await Promise.all([
      crawlEventLogs({ store: a, config, path: dir }),
      crawlEventLogs({ store: b, config, path: dir }),
    ]);
    assert.equal(x.new + y.new, ids.length, `new: ${x.new} + ${y.new}`);
    assert.equal(x.new + x.skipped, ids.length);
    assert.equal(y.new + y.skipped, ids.length);
    assert.equal(x.failed + y.failed, 0);
    for (const id of ids) assert.equal((await a.getAgg(id)).length, 1, id);
  } finally {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});
