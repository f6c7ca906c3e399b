import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseShsDate } from '../../src/history/dates.js';
import { syntheticApp, syntheticMultiAttemptApp, type SyntheticAppSpec } from '../../src/simulator/apps.js';
import { startHistoryServer, type SimHistoryServer } from '../../src/simulator/history-server.js';
import type { ShsApplication } from '../../src/types.js';

type Row = Record<string, unknown>;
const GIB = 1024 ** 3;
const T0 = Date.UTC(2024, 2, 1, 8);
const ms = (v: unknown): number => {
  const d = parseShsDate(v);
  assert.ok(d, `a History Server date: ${String(v)}`);
  assert.match(String(v), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}GMT$/);
  return d.getTime();
};
const sum = (rows: Row[], key: string): number => rows.reduce((a, r) => a + (r[key] as number), 0);
const props = (env: object): Record<string, string> =>
  Object.fromEntries((env as { sparkProperties: [string, string][] }).sparkProperties);

const spec: SyntheticAppSpec = {
  id: 'application_1700000000000_0042',
  name: 'daily-sales',
  startMs: T0,
  durationMs: 25 * 60_000,
  executors: 6,
  executorCores: 4,
  executorMemoryBytes: 8 * GIB,
  inputBytes: 40 * GIB,
  shuffleBytes: 12 * GIB,
  outputBytes: 5 * GIB,
  stages: 4,
  idleExecutors: 2,
  dynamicAllocation: true,
  sparkProperties: { 'spark.sql.shuffle.partitions': '400', 'spark.spot.adviceId': 'adv-1' },
  user: 'etl',
};

describe('synthetic apps are internally consistent', () => {
  const app = syntheticApp(spec);
  const data = app.attempts['']!;
  const executors = data.executors as Row[];
  const stages = data.stages as Row[];

  test('listing: one completed attempt without id, dates in SHS form matching the *Epoch fields', () => {
    const [a] = app.listing.attempts;
    assert.ok(a && app.listing.attempts.length === 1);
    assert.equal(a.attemptId, undefined);
    assert.equal(ms(a.startTime), a.startTimeEpoch);
    assert.equal(ms(a.endTime), a.endTimeEpoch);
    assert.equal(a.endTimeEpoch - a.startTimeEpoch, a.duration);
    assert.equal(a.duration, spec.durationMs);
    assert.equal(a.completed, true);
    assert.equal(a.sparkUser, 'etl');
  });

  test('executors: the driver first, then one entry per executor with the spec cores and memory', () => {
    assert.equal(executors.length, 7);
    assert.equal(executors[0]?.id, 'driver');
    assert.equal(executors[0]?.totalCores, 0);
    for (const e of executors.slice(1)) {
      assert.equal(e.totalCores, 4);
      assert.ok((e.maxMemory as number) > 4 * GIB && (e.maxMemory as number) < 8 * GIB);
      assert.ok(ms(e.addTime) >= T0 && ms(e.addTime) <= T0 + spec.durationMs);
      for (const key of [
        'totalDuration',
        'totalTasks',
        'completedTasks',
        'totalInputBytes',
        'totalShuffleRead',
        'totalShuffleWrite',
        'peakMemoryMetrics',
      ]) {
        assert.ok(key in e, key);
      }
    }
  });

  test("a cluster's start-up that grows with the executors shows in their add times, the last as stage 0 begins", () => {
    const layout = {
      leadMs: 30_000,
      executorStaggerMs: 1_000,
      stages: [{ wallMs: 60_000, numTasks: 24, taskMs: 50_000 }],
    };
    const laid = syntheticApp({ ...spec, idleExecutors: 0, stageLayout: layout }).attempts['']!;
    const added = (laid.executors as Row[]).slice(1).map((e) => ms(e.addTime) - T0);
    assert.deepEqual(added, [25_000, 26_000, 27_000, 28_000, 29_000, 30_000]);
    assert.equal(ms((laid.stages as Row[]).at(-1)!.submissionTime), T0 + 30_000);
  });

  test('idle executors ran no task and, under dynamic allocation, left after the idle timeout; busy ones ran tasks', () => {
    const idle = executors.filter((e) => e.totalTasks === 0 && e.id !== 'driver');
    assert.equal(idle.length, 2);
    for (const e of idle) {
      assert.equal(e.totalDuration, 0);
      assert.equal(e.isActive, false);
      assert.equal(ms(e.removeTime) - ms(e.addTime), 60_000);
    }
    for (const e of executors.slice(1, 5)) assert.ok((e.totalTasks as number) > 0 && (e.totalDuration as number) > 0);
  });

  test('executor totals add up to the stage totals', () => {
    assert.equal(sum(executors, 'totalDuration'), sum(stages, 'executorRunTime'));
    assert.equal(sum(executors, 'totalTasks'), sum(stages, 'numTasks'));
    assert.equal(sum(executors, 'totalInputBytes'), sum(stages, 'inputBytes'));
    assert.equal(sum(stages, 'inputBytes'), spec.inputBytes);
    assert.equal(sum(executors, 'totalShuffleRead'), sum(stages, 'shuffleReadBytes'));
    assert.equal(sum(executors, 'totalShuffleWrite'), sum(stages, 'shuffleWriteBytes'));
    assert.equal(sum(stages, 'outputBytes'), spec.outputBytes);
  });

  test('stages: newest first, one after another inside the app, no more task time than the busy cores allow', () => {
    assert.deepEqual(
      stages.map((s) => s.stageId),
      [3, 2, 1, 0],
    );
    const chrono = [...stages].reverse();
    let previousEnd = T0;
    for (const s of chrono) {
      const [submit, first, done] = [ms(s.submissionTime), ms(s.firstTaskLaunchedTime), ms(s.completionTime)];
      assert.ok(previousEnd <= submit && submit <= first && first <= done && done <= T0 + spec.durationMs);
      assert.ok((s.executorRunTime as number) <= (done - first) * 16, 'at most 4 busy executors x 4 cores');
      assert.equal(s.status, 'COMPLETE');
      assert.equal(s.numCompleteTasks, s.numTasks);
      assert.ok((s.executorCpuTime as number) > (s.executorRunTime as number), 'cpu time is in ns');
      previousEnd = done;
    }
    assert.equal(chrono[1]?.numTasks, 400, 'shuffle stages have spark.sql.shuffle.partitions tasks');
  });

  test("environment: Spark properties say what the app had; the caller's properties are kept", () => {
    const p = props(data.environment);
    assert.equal(p['spark.app.name'], 'daily-sales');
    assert.equal(p['spark.app.id'], spec.id);
    assert.equal(p['spark.executor.instances'], '6');
    assert.equal(p['spark.executor.cores'], '4');
    assert.equal(p['spark.executor.memory'], '8g');
    assert.equal(p['spark.sql.shuffle.partitions'], '400');
    assert.equal(p['spark.dynamicAllocation.enabled'], 'true');
    assert.equal(p['spark.spot.adviceId'], 'adv-1');
    for (const key of ['runtime', 'systemProperties', 'classpathEntries']) assert.ok(key in data.environment, key);
  });

  test('the same spec gives the same app', () => {
    assert.deepEqual(syntheticApp(spec), app);
    assert.notDeepEqual(
      syntheticApp({ ...spec, id: 'application_1700000000000_0043' }).attempts['']?.executors,
      data.executors,
    );
  });

  test('a multi-attempt app lists attempt 2 first; attempt 2 starts after attempt 1 ended', () => {
    const multi = syntheticMultiAttemptApp({ ...spec, dynamicAllocation: false });
    const [second, first] = multi.listing.attempts;
    assert.deepEqual(
      multi.listing.attempts.map((a) => a.attemptId),
      ['2', '1'],
    );
    assert.ok(first && second && second.startTimeEpoch > first.endTimeEpoch);
    assert.deepEqual(Object.keys(multi.attempts).sort(), ['1', '2']);
  });
});

describe("the simulated History Server speaks Spark's REST API", () => {
  let sim: SimHistoryServer;
  const get = async (path: string) => {
    const res = await fetch(`${sim.url}/${path}`);
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as unknown };
  };
  const ids = async (path: string) => ((await get(path)).json() as ShsApplication[]).map((a) => a.id);

  before(async () => {
    sim = await startHistoryServer();
    for (let i = 0; i < 10_000; i++) {
      sim.addSpec({
        id: `app-${String(i).padStart(5, '0')}`,
        name: `job-${i % 10}`,
        startMs: T0 + i * 60_000,
        durationMs: 30_000,
        executors: 2,
        executorCores: 2,
        inputBytes: 1e8,
      });
    }
    sim.addApp(
      syntheticMultiAttemptApp({
        id: 'app-multi',
        name: 'multi',
        startMs: T0 - 3_600_000,
        durationMs: 60_000,
        executors: 2,
        executorCores: 1,
        inputBytes: 1e7,
      }),
    );
  });
  after(() => sim.close());

  test('end-date windows are inclusive, newest end first, in both date forms', async () => {
    // app-00001 ends at T0 + 90 s, app-00002 at T0 + 150 s.
    const from = new Date(T0 + 90_000).toISOString().replace('Z', 'GMT');
    const to = new Date(T0 + 150_000).toISOString().replace('Z', 'GMT');
    assert.deepEqual(await ids(`applications?status=completed&minEndDate=${from}&maxEndDate=${to}`), [
      'app-00002',
      'app-00001',
    ]);
    assert.equal((await ids('applications?minEndDate=2024-03-01&maxEndDate=2024-03-02')).length, 16 * 60 + 1);
    assert.deepEqual(await ids('applications?limit=2'), ['app-09999', 'app-09998']);
    assert.deepEqual(await ids('applications?status=running'), []);
  });

  test("a multi-attempt app is listed by either attempt's end, and served per attempt id", async () => {
    const multi = (await get('applications/app-multi')).json() as ShsApplication;
    for (const a of multi.attempts) {
      const at = a.endTime;
      assert.deepEqual(await ids(`applications?minEndDate=${at}&maxEndDate=${at}`), ['app-multi']);
    }
    assert.equal((await get('applications/app-multi/1/stages')).status, 200);
    assert.equal((await get('applications/app-multi/2/allexecutors')).status, 200);
    assert.equal((await get('applications/app-multi/stages')).status, 404);
  });

  test('executors lists only live executors; allexecutors all of them', async () => {
    sim.addApp(syntheticApp({ ...spec, id: 'app-dyn' }));
    const all = (await get('applications/app-dyn/allexecutors')).json() as Row[];
    const live = (await get('applications/app-dyn/executors')).json() as Row[];
    assert.equal(all.length, 7);
    assert.deepEqual(
      live.map((e) => e.id),
      all.filter((e) => e.isActive).map((e) => e.id),
    );
    assert.ok(live.length < all.length);
  });

  test('unknown apps, versions, bad dates', async () => {
    const unknown = await get('applications/foobar');
    assert.deepEqual([unknown.status, unknown.text], [404, 'unknown app: foobar']);
    assert.equal((await get('applications/foobar/stages')).text, 'unknown app: foobar');
    assert.deepEqual((await get('version')).json(), { spark: '3.5.1' });
    assert.equal((await get('applications?minEndDate=2024-3-1')).status, 400);
  });

  test('another process adds and removes apps over HTTP', async () => {
    const app = syntheticApp({
      id: 'app-posted',
      name: 'posted',
      startMs: T0,
      durationMs: 1000,
      executors: 1,
      executorCores: 1,
      inputBytes: 1,
    });
    const base = sim.url.replace('/api/v1', '');
    const post = await fetch(`${base}/spot-sim/apps`, { method: 'POST', body: JSON.stringify(app) });
    assert.equal(post.status, 200);
    assert.equal((await get('applications/app-posted')).status, 200);
    const bad = await fetch(`${base}/spot-sim/apps`, { method: 'POST', body: '{"nope":1}' });
    assert.equal(bad.status, 400);
    await fetch(`${base}/spot-sim/apps/app-posted`, { method: 'DELETE' });
    assert.equal((await get('applications/app-posted')).status, 404);
  });
});
