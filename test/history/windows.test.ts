import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HistoryClient } from '../../src/history/client.js';
import { listCompletedApps } from '../../src/history/listing.js';
import { countListingRequests, WindowPlanner, type WindowPlanOptions } from '../../src/history/windows.js';
import { startHistoryServer, type SimHistoryServer } from '../../src/simulator/history-server.js';
import type { TimeWindow } from '../../src/types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2023, 0, 1);

/** Walks the planner with a fixed set of app end times; returns the accepted windows and the request count. */
function walk(
  o: WindowPlanOptions,
  ends: number[],
): { accepted: [number, number][]; requests: number; biggest: number } {
  const planner = new WindowPlanner(o);
  const accepted: [number, number][] = [];
  let requests = 0;
  let biggest = 0;
  for (let w = planner.next(); w; w = planner.next()) {
    requests++;
    const inside = ends.filter((e) => e >= w.fromMs && e <= w.toMs).length;
    const answered = w.limit === undefined ? inside : Math.min(inside, w.limit);
    biggest = Math.max(biggest, answered);
    if (planner.report(w, answered) === 'accept') accepted.push([w.fromMs, w.toMs]);
  }
  return { accepted, requests, biggest };
}

function assertTiles(accepted: [number, number][], from: number, to: number): void {
  assert.equal(accepted[0]?.[0], from);
  assert.equal(accepted.at(-1)?.[1], to);
  for (let i = 1; i < accepted.length; i++)
    assert.equal(accepted[i]![0], accepted[i - 1]![1] + 1, `window ${i} follows window ${i - 1}`);
}

describe('window planning', () => {
  test('--since three years back over an empty history costs a few dozen requests, not 26,000', () => {
    const o = { fromMs: T0 - 3 * 365 * DAY, toMs: T0, stepMs: HOUR, maxApps: 1000 };
    const requests = countListingRequests(o, () => 0);
    assert.ok(requests < 60, `${requests} requests`);
    assertTiles(walk(o, []).accepted, o.fromMs, o.toMs);
  });

  test('the accepted windows tile [from, to] exactly, whatever the density', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Quiet months, a busy week, a burst of 2,000 apps in one minute.
    const ends = [
      ...Array.from({ length: 50 }, () => T0 + rand() * 90 * DAY),
      ...Array.from({ length: 5000 }, () => T0 + 40 * DAY + rand() * 7 * DAY),
      ...Array.from({ length: 2000 }, () => T0 + 60 * DAY + rand() * 60_000),
    ].map(Math.floor);
    const o = { fromMs: T0, toMs: T0 + 90 * DAY - 1, stepMs: HOUR, maxApps: 500 };
    const { accepted, requests, biggest } = walk(o, ends);
    assertTiles(accepted, o.fromMs, o.toMs);
    assert.ok(biggest <= 500, `largest listing ${biggest}`);
    assert.ok(requests < 1000, `${requests} requests`);
  });

  test('more apps in one second than a listing holds: the 1 s window is listed without a limit and taken whole', () => {
    const ends = Array.from({ length: 40 }, (_, i) => T0 + 500 + i);
    const planner = new WindowPlanner({ fromMs: T0, toMs: T0 + HOUR - 1, stepMs: HOUR, maxApps: 10 });
    const unlimited: number[] = [];
    for (let w = planner.next(); w; w = planner.next()) {
      const inside = ends.filter((e) => e >= w.fromMs && e <= w.toMs).length;
      if (w.limit === undefined && inside > 0) unlimited.push(inside);
      planner.report(w, w.limit === undefined ? inside : Math.min(inside, w.limit));
    }
    assert.deepEqual(unlimited, [40]);
  });

  test('after a widened empty stretch a non-empty window brings the width back toward the step', () => {
    const planner = new WindowPlanner({ fromMs: T0, toMs: T0 + 365 * DAY, stepMs: HOUR, maxApps: 1000 });
    let w = planner.next()!;
    for (let i = 0; i < 6; i++) {
      planner.report(w, 0);
      w = planner.next()!;
    }
    const wide = w.toMs - w.fromMs + 1;
    assert.equal(wide, 64 * HOUR);
    planner.report(w, 3);
    w = planner.next()!;
    assert.equal(w.toMs - w.fromMs + 1, 32 * HOUR);
  });
});

describe('adaptive listing against the simulated History Server', () => {
  let sim: SimHistoryServer;
  let client: HistoryClient;
  before(async () => {
    sim = await startHistoryServer();
    // 3,000 apps ending within one hour, one more a year earlier, one later the same day.
    for (let i = 0; i < 3000; i++) {
      sim.addSpec({
        id: `app-busy-${i}`,
        name: 'busy',
        startMs: T0 + i * 1000 - 60_000,
        durationMs: 60_000 + (i % 7),
        executors: 2,
        executorCores: 2,
        inputBytes: 1e8,
      });
    }
    sim.addSpec({
      id: 'app-lonely',
      name: 'lonely',
      startMs: T0 - 365 * DAY,
      durationMs: 30_000,
      executors: 1,
      executorCores: 1,
      inputBytes: 1e6,
    });
    sim.addSpec({
      id: 'app-evening',
      name: 'evening',
      startMs: T0 + 10 * HOUR,
      durationMs: 30_000,
      executors: 1,
      executorCores: 1,
      inputBytes: 1e6,
    });
    client = new HistoryClient({ baseUrl: sim.url, timeoutMs: 30_000, retries: 1, retryBaseMs: 5, concurrency: 2 });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  test('every one of 3,000 apps in one busy hour is listed exactly once, no listing above the limit', async () => {
    const windows: { window: TimeWindow; apps: number }[] = [];
    const ids: string[] = [];
    for await (const app of listCompletedApps(client, {
      from: new Date(T0 - 2 * 365 * DAY),
      to: new Date(T0 + DAY),
      stepSeconds: 3600,
      maxAppsPerListing: 500,
      onWindow: (window, apps) => windows.push({ window, apps }),
    }))
      ids.push(app.id);
    assert.equal(ids.length, 3002);
    assert.equal(new Set(ids).size, 3002);
    assert.equal(ids[0], 'app-lonely');
    assert.equal(ids.at(-1), 'app-evening');
    assert.ok(
      windows.every((w) => w.apps <= 500),
      'listings stay bounded',
    );
    assert.ok(windows.length < 150, `${windows.length} listing requests`);
    assert.equal(sim.requests, windows.length);
  });
});
