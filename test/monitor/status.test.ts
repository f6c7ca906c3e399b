import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createContext } from '../../src/cli/context.js';
import { formatStatus, problemText, runStatus } from '../../src/cli/status.js';
import { crawlStatus } from '../../src/monitor/status.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import type { MonitorStore, YarnStore } from '../../src/store/yarn.js';
import { aggDoc, errorDoc, HOUR, iso, T0 } from '../store/factories.js';

// `spot status` on a real SQLite file with a fixed clock: the verdict depends only on the stored times and `now`.

const dir = mkdtempSync(join(tmpdir(), 'spot-status-'));
let store: RunStore & YarnStore & MonitorStore;
const opts = (nowMs: number, over: Partial<{ staleHours: number; maxErrors: number }> = {}) => ({
  now: new Date(nowMs),
  staleHours: 6,
  maxErrors: 10,
  expected: [],
  ...over,
});

before(async () => {
  store = await SqliteStore.open(join(dir, 'spot.db'));
  // History Server shs-a: two runs, the newer processed at T0 + 2 h + 1 s; shs-b: one run a day earlier.
  await store.putAgg([
    aggDoc('app-1', { endMs: T0 }),
    aggDoc('app-2', { endMs: T0 + 2 * HOUR }),
    aggDoc('app-3', { endMs: T0 - 24 * HOUR, host: 'shs-b' }),
  ]);
  for (let i = 0; i < 3; i++) await store.putError(errorDoc(`e${i}`, `app-e${i}`, T0 + 2 * HOUR));
  await store.putError(errorDoc('old', 'app-old', T0 - 48 * HOUR));
  await store.putYarnCluster({
    clusterMetrics: {},
    appStatInfo: {},
    spot: { time_processed: iso(T0 + HOUR), yarn_host: 'rm-a' },
  });
  await store.putYarnApps([
    {
      id: 'application_1_0001',
      startedTime: iso(T0 - HOUR),
      finishedTime: iso(T0),
      spot: { time_processed: iso(T0 + HOUR), yarn_host: 'rm-a' },
    },
  ]);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spot status', () => {
  test('per source: newest run, last processing time, errors of the last 24 hours by type', async () => {
    const r = await crawlStatus(store, opts(T0 + 3 * HOUR));
    const [a, b, rm] = r.sources;
    assert.deepEqual(
      r.sources.map((s) => `${s.kind}:${s.host}`),
      ['history:shs-a', 'history:shs-b', 'yarn:rm-a'],
    );
    assert.equal(a!.newestRun, iso(T0 + 2 * HOUR));
    assert.equal(a!.lastProcessed, iso(T0 + 2 * HOUR + 1000));
    assert.deepEqual(a!.errors, { HttpError: 3 }, 'the error of two days ago is not counted');
    assert.deepEqual(a!.problems, []);
    assert.deepEqual(
      b!.problems.map((p) => p.code),
      ['stale'],
    );
    assert.equal(rm!.newestRun, iso(T0));
    assert.equal(rm!.lastProcessed, iso(T0 + HOUR));
    assert.deepEqual(rm!.problems, []);
    assert.equal(r.healthy, false);
  });

  test('stale once nothing was stored for longer than monitor.staleHours; too many errors above monitor.maxErrors', async () => {
    const fresh = await crawlStatus(store, opts(T0 + 7 * HOUR));
    const rm = fresh.sources.find((s) => s.kind === 'yarn')!;
    assert.deepEqual(rm.problems, []);
    const late = await crawlStatus(store, opts(T0 + 7 * HOUR + 1000));
    assert.deepEqual(late.sources.find((s) => s.kind === 'yarn')!.problems, [
      { code: 'stale', hours: 6 + 1000 / HOUR, limitHours: 6 },
    ]);
    const strict = await crawlStatus(store, opts(T0 + 3 * HOUR, { maxErrors: 2 }));
    assert.deepEqual(strict.sources[0]!.problems, [{ code: 'too_many_errors', errors: 3, limit: 2 }]);
  });

  test('a configured source with nothing stored is listed and fails', async () => {
    const r = await crawlStatus(store, {
      ...opts(T0 + 3 * HOUR),
      expected: [
        { kind: 'yarn', host: 'rm-new' },
        { kind: 'history', host: 'shs-a' },
      ],
    });
    const fresh = r.sources.find((s) => s.host === 'rm-new')!;
    assert.deepEqual(fresh.problems, [{ code: 'never_stored' }]);
    assert.equal(r.sources.filter((s) => s.host === 'shs-a').length, 1);
  });

  test('an event-log folder is named as event logs, not as a History Server', () => {
    const source = { kind: 'history' as const, errors: {}, errorCount: 0, problems: [] };
    const report = { now: iso(T0), staleHours: 6, maxErrors: 10, errorWindowHours: 24, healthy: true };
    const text = formatStatus({
      ...report,
      sources: [
        { ...source, host: 'file:///var/log/spark-events' },
        { ...source, host: 'shs-a' },
      ],
    });
    assert.match(text, /^Event logs file:\/\/\/var\/log\/spark-events: ok\n/);
    assert.match(text, /\nHistory Server shs-a: ok\n/);
  });

  test('a source just over monitor.staleHours never reads as within it', () => {
    const problem = { code: 'stale', hours: 6.04, limitHours: 6 } as const;
    assert.equal(problemText(problem), 'nothing new stored for 6.04 h (monitor.staleHours is 6)');
  });

  test('the command: words per source, exit 1 when a source needs attention, exit 0 when all are fine', async () => {
    let out = '';
    const ctx = await createContext({
      env: { SPOT_HOME: dir, SPOT_STORE_PATH: join(dir, 'spot.db'), SPOT_MONITOR_STALE_HOURS: '30' },
      out: {
        write: (t) => {
          out += t;
        },
        isTTY: false,
      },
      err: { write: () => undefined, isTTY: false },
    });
    try {
      const healthy = await runStatus({ now: new Date(T0 + 3 * HOUR) }, ctx);
      assert.equal(healthy, 0, out); // shs-b's run is 27 h old: within 30 h
      assert.match(
        out,
        /^History Server shs-a: ok\n {2}newest run: {5}2024-03-01T02:00:00\.000Z\n {2}last stored: {4}2024-03-01T02:00:01\.000Z \(59m 59s ago\)\n {2}errors \(24 h\): {2}HttpError 3\n/,
      );
      out = '';
      const stale = await runStatus({ now: new Date(T0 + 40 * HOUR) }, ctx);
      assert.equal(stale, 1);
      assert.match(
        out,
        /ResourceManager rm-a: PROBLEM\n[\s\S]*! nothing new stored for 39\.0 h \(monitor\.staleHours is 30\)\n3 of 3 sources need attention\n$/,
      );
    } finally {
      await ctx.close();
    }
  });
});
