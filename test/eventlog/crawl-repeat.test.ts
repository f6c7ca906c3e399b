import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { crawlEventLogs } from '../../src/crawl/event-logs.js';
import type { CrawlEvent } from '../../src/crawl/types.js';
import type { EventLogSource } from '../../src/eventlog/find.js';
import { peekAppId } from '../../src/eventlog/read.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SHS_FIXTURES } from '../support/paths.js';

// A looping `spot crawl --event-logs` over a folder of thousands of finished logs passes over them every
// crawler.sleepSeconds: a log stored as it is now must cost a look in the store, not opening and parsing the log.

const config = configSchema.parse({});

test('a crawl says how many apps it lists before counting them, as a History Server crawl does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-listed-logs-'));
  const home = mkdtempSync(join(tmpdir(), 'spot-listed-home-'));
  for (const f of readdirSync(join(SHS_FIXTURES, 'spark-events')))
    copyFileSync(join(SHS_FIXTURES, 'spark-events', f), join(dir, f));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  try {
    for (const round of ['first', 'again']) {
      const events: CrawlEvent[] = [];
      await crawlEventLogs({ store, config, path: dir, onEvent: (e) => events.push(e) });
      const listed = events.filter((e) => e.type === 'listed');
      const apps = events.filter((e) => e.type === 'app');
      // 14 logs of 12 apps: the progress bar's total is the apps it then counts, not "12/1 apps".
      assert.deepEqual(
        listed.map((e) => e.total),
        [12],
        round,
      );
      assert.equal(apps.length, 12, round);
      assert.ok(events.indexOf(listed[0]!) < events.indexOf(apps[0]!), `${round}: listed before the first app`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('a repeat crawl opens no log stored as it is now; a changed one is read again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-repeat-logs-'));
  const home = mkdtempSync(join(tmpdir(), 'spot-repeat-home-'));
  for (const f of readdirSync(join(SHS_FIXTURES, 'spark-events')))
    copyFileSync(join(SHS_FIXTURES, 'spark-events', f), join(dir, f));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  const peeked: string[] = [];
  const watched = (source: EventLogSource) => {
    peeked.push(source.path);
    return peekAppId(source);
  };
  try {
    const first = await crawlEventLogs({ store, config, path: dir, peekAppId: watched });
    assert.equal(first.new, 12);
    assert.equal(peeked.length, 14, 'the first crawl reads which app each of the 14 logs belongs to');
    peeked.length = 0;
    const again = await crawlEventLogs({ store, config, path: dir, peekAppId: watched });
    // Counted by app, as before: the two apps of two logs are one skipped app each.
    assert.deepEqual([again.new, again.skipped, again.failed], [0, 12, 0]);
    // Only the log whose name is not its app's id (local-1426633911242 holds app local-1426533911241's second
    // attempt) is opened to find where its app is stored.
    assert.deepEqual(
      peeked.map((p) => p.split('/').pop()),
      ['local-1426633911242'],
      'an unchanged log named after its app was opened',
    );
    peeked.length = 0;
    // A changed log (copied again: a new modification time) is read, with its app's other attempt.
    copyFileSync(join(SHS_FIXTURES, 'spark-events', 'local-1430917381535_2'), join(dir, 'local-1430917381535_2'));
    const third = await crawlEventLogs({ store, config, path: dir, peekAppId: watched });
    assert.deepEqual([third.new, third.skipped, third.failed], [1, 11, 0]);
    assert.deepEqual(
      peeked.map((p) => p.split('/').pop()),
      ['local-1426633911242', 'local-1430917381535_2'],
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('a folder of only logs still being written says why nothing was listed; a live folder with others does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-open-logs-'));
  const home = mkdtempSync(join(tmpdir(), 'spot-open-home-'));
  const log = join(SHS_FIXTURES, 'spark-events', 'local-1430917381534');
  copyFileSync(log, join(dir, 'local-1430917381534.inprogress'));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  const warnings = async (includeInProgress = false) => {
    const events: CrawlEvent[] = [];
    await crawlEventLogs({ store, config, path: dir, includeInProgress, onEvent: (e) => events.push(e) });
    return events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  };
  try {
    assert.deepEqual(await warnings(), [
      '1 log is still being written (….inprogress) and skipped: --include-in-progress reads them',
    ]);
    assert.deepEqual(await warnings(true), [], 'read when asked to');
    // Beside finished logs, a log being written is the normal state of a live folder: nothing to say.
    copyFileSync(log, join(dir, 'local-1430917381535_1'));
    assert.deepEqual(await warnings(), []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('a folder with no event logs says so, naming the subfolders whose loose files a crawl does not read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-no-logs-'));
  const home = mkdtempSync(join(tmpdir(), 'spot-no-logs-home-'));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  const warnings = async () => {
    const events: CrawlEvent[] = [];
    await crawlEventLogs({ store, config, path: dir, onEvent: (e) => events.push(e) });
    return events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  };
  try {
    assert.deepEqual(await warnings(), [`no Spark event logs in ${dir}`]);
    // The folder above the logs, a common slip: its subfolders are searched for log folders only, and named.
    mkdirSync(join(dir, 'spark-events'));
    copyFileSync(join(SHS_FIXTURES, 'spark-events', 'local-1422981759269'), join(dir, 'spark-events', 'local-1'));
    mkdirSync(join(dir, '.hidden'));
    assert.deepEqual(await warnings(), [
      `no Spark event logs in ${dir}; files in its folders are not read as logs (spark-events): point --event-logs at the one that holds them`,
    ]);
    // A folder of logs, or a rolled log's own folder, is listed: nothing to say.
    copyFileSync(join(SHS_FIXTURES, 'spark-events', 'local-1422981759269'), join(dir, 'local-1422981759269'));
    assert.deepEqual(await warnings(), []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

// Two logs of one attempt (a log kept beside its recompressed copy, or beside a cut copy taken while the app ran):
// the History Server keeps one attempt per attempt id, and so does the crawl, the one that ended, whatever the
// order the folder lists them in. A repeat crawl knows both logs.
test('two logs of the same attempt are one attempt: the ended one, whichever the folder lists first', async () => {
  const APP = 'local-1430917381534';
  const plain = join(SHS_FIXTURES, 'spark-events', APP);
  const lines = readFileSync(plain, 'utf8').split('\n').filter(Boolean);
  for (const cutName of ['a-cut-copy', 'z-cut-copy']) {
    const dir = mkdtempSync(join(tmpdir(), 'spot-dup-logs-'));
    const home = mkdtempSync(join(tmpdir(), 'spot-dup-home-'));
    copyFileSync(plain, join(dir, APP));
    writeFileSync(join(dir, cutName), `${lines.slice(0, 100).join('\n')}\n`);
    const store = await SqliteStore.open(join(home, 'spot.db'));
    try {
      const events: CrawlEvent[] = [];
      const first = await crawlEventLogs({ store, config, path: dir, onEvent: (e) => events.push(e) });
      assert.equal(first.new, 1, cutName);
      const raw = await store.getRaw(APP);
      assert.equal(raw?.attempts.length, 1, cutName);
      const [agg] = await store.getAgg(APP);
      assert.equal(agg?.attempt.completed, true, cutName);
      assert.equal(agg?.attempt.duration, 10505, cutName);
      const warned = events.filter((e) => e.type === 'warning').map((e) => e.message);
      assert.ok(
        warned.some((m) => m.includes(`2 logs hold the same attempt`) && m.includes(cutName)),
        `${cutName}: ${warned.join('; ')}`,
      );
      const again = await crawlEventLogs({ store, config, path: dir });
      assert.deepEqual([again.new, again.skipped], [0, 1], `${cutName}: a repeat crawl reads neither log`);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }
});
