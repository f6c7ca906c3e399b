import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { crawlEventLogs } from '../../src/crawl/event-logs.js';
import { logBins } from '../../src/report/charts/bins.js';
import { coresByUser } from '../../src/report/charts/cores-by-user.js';
import { driverVsParallel } from '../../src/report/charts/driver-vs-parallel.js';
import { inputHistogram } from '../../src/report/charts/input-histogram.js';
import { idleExecutors } from '../../src/report/charts/idle-executors.js';
import { efficiency } from '../../src/report/charts/efficiency.js';
import { crawlErrors } from '../../src/report/charts/crawl-errors.js';
import { loadReportData, type ReportData } from '../../src/report/data.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { fillRuns } from './fill.js';
import { aggDoc, runRecord, T0 } from '../store/factories.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function store() {
  const dir = mkdtempSync(join(tmpdir(), 'spot-seed-plots-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'spot.db'));
}

test('1-2-5 bins: edges, every value counted once, empty bins kept', () => {
  const bins = logBins([1, 1.5, 3, 7, 30, 0, -1, NaN], (v) => String(v));
  assert.deepEqual(
    bins.map((b) => [b.label, b.runs]),
    [
      ['1–2', 2],
      ['2–5', 1],
      ['5–10', 1],
      ['10–20', 0],
      ['20–50', 1],
    ],
  );
  assert.deepEqual(logBins([], String), []);
  assert.deepEqual(
    logBins([0.003], String).map((b) => b.label),
    ['0.002–0.005'],
  );
});

test('input sizes are binned at 1-2-5 steps of GiB (and KiB, MiB), the unit the labels say', () => {
  const gib = 1024 ** 3;
  const labels = (sizes: number[]) => {
    const data = { runs: sizes.map((inputBytes) => ({ inputBytes })) } as unknown as ReportData;
    const built = inputHistogram.build(data) as { spec: { data: { values: { label: string; runs: number }[] } } };
    return built.spec.data.values.map((b) => `${b.label}: ${b.runs}`);
  };
  // The demo's smallest, a middle and its largest input: decimal steps of bytes read "9.3 GiB–19 GiB".
  assert.deepEqual(labels([10.2 * gib, 27.9 * gib, 101.4 * gib]), [
    '10 GiB–20 GiB: 1',
    '20 GiB–50 GiB: 1',
    '50 GiB–100 GiB: 0',
    '100 GiB–200 GiB: 1',
  ]);
  // From one unit to the next: 500 MiB is followed by 1 GiB, and a size of exactly 1 GiB opens its bin.
  assert.deepEqual(labels([700 * 1024 ** 2, gib, 3 * gib]), [
    '500 MiB–1.0 GiB: 1',
    '1.0 GiB–2.0 GiB: 1',
    '2.0 GiB–5.0 GiB: 1',
  ]);
});

test('the idle executors caption names only the panels drawn, per the bucket the axis uses', () => {
  const day = Date.UTC(2024, 2, 1);
  const attempts = (idleCoreHours: number, days: number[]) =>
    ({
      attempts: days.map((d) => ({ day: d, idleExecutors: 1, idleCoreHours })),
    }) as unknown as ReportData;
  const none = idleExecutors.build(attempts(0, [day]));
  assert.ok('reading' in none);
  assert.doesNotMatch(none.reading!, /bottom panel/);
  assert.match(none.reading!, /^The panel is the share of runs each day /);
  const both = idleExecutors.build(attempts(0.5, [day]));
  assert.ok('reading' in both);
  assert.match(both.reading!, /^The top panel is the share of runs each day .*; the bottom panel is the core-hours/);
  // Over a year of runs the bars are months.
  const months = idleExecutors.build(attempts(0.5, [day, day + 300 * 86_400_000]));
  assert.ok('reading' in months);
  assert.match(months.reading!, /each month /);
});

test('efficiency and crawl errors over months say "month", as their axis buckets, not "daily" and "that day"', () => {
  const day = Date.UTC(2024, 2, 1);
  const span = [day, day + 300 * 86_400_000];
  const eff = efficiency.build({ attempts: span.map((d) => ({ day: d, efficiency: 0.5 })) } as unknown as ReportData);
  assert.ok('spec' in eff);
  assert.match(eff.reading!, /a falling median per month means/);
  assert.match(JSON.stringify(eff.spec), /"title":"median and quartiles per month"/);
  const oneDay = efficiency.build({ attempts: [{ day, efficiency: 0.5 }] } as unknown as ReportData);
  assert.ok('spec' in oneDay);
  assert.match(JSON.stringify(oneDay.spec), /"title":"median and quartiles per day"/);
  const errors = crawlErrors.build({
    errors: span.map((d) => ({ day: d, type: 'HttpError' })),
  } as unknown as ReportData);
  assert.ok('spec' in errors);
  assert.match(errors.reading!, /the crawl wrote that month, by error type/);
});

test('cores by user are weighted by how long they were held, not by run count', () => {
  const day = Date.UTC(2024, 2, 1);
  const data = {
    attempts: [
      { app: 'a', day, user: 'ann', allocatedCoreHours: 240 }, // 10 cores all day
      { app: 'b', day, user: 'bob', allocatedCoreHours: 1 }, // many short runs
      { app: 'b', day, user: 'bob', allocatedCoreHours: 1 },
      { app: 'b', day, user: 'bob', allocatedCoreHours: 1 },
    ],
  } as unknown as ReportData;
  const built = coresByUser.build(data);
  assert.ok('spec' in built);
  const values = (built.spec as { data: { values: { user: string; cores: number }[] } }).data.values;
  const total = (u: string) => values.filter((v) => v.user === u).reduce((a, v) => a + v.cores, 0);
  assert.equal(total('ann'), 10);
  assert.equal(total('bob'), 0.125);
  // Two users, both by name: no "rest" to fold in.
  assert.equal(built.note, '2 users with the most core-hours by name.');
});

test('driver vs parallel: per job means of the sequential and parallel parts', () => {
  const data = {
    attempts: [
      { app: 'j', day: 0, seqMs: 60_000, parallelMs: 240_000 },
      { app: 'j', day: 0, seqMs: 180_000, parallelMs: 120_000 },
    ],
  } as unknown as ReportData;
  const built = driverVsParallel.build(data);
  assert.ok('spec' in built);
  assert.deepEqual((built.spec as { data: { values: unknown[] } }).data.values, [
    { job: 'j', part: 'sequential (driver)', minutes: 2 },
    { job: 'j', part: 'parallel (stages)', minutes: 3 },
  ]);
  assert.ok('empty' in driverVsParallel.build({ attempts: [] } as unknown as ReportData));
});

test('filters --user, --since, --cluster, --app narrow runs and attempts alike; sections carry findings', async () => {
  const s = await store();
  await fillRuns(s, 3);
  const config = configSchema.parse({});
  await crawlEventLogs({ store: s, config, path: join(SHS_FIXTURES, 'spark-events') });
  const all = await loadReportData(s, { thresholds: config.findings });
  const cluster = `file://${join(SHS_FIXTURES, 'spark-events')}`;
  const logs = await loadReportData(s, { filter: { cluster }, thresholds: config.findings });
  assert.ok(logs.attempts.length > 0 && logs.attempts.length < all.attempts.length);
  assert.ok(logs.attempts.every((a) => a.cluster === cluster));
  // Two apps have 2 attempts: 1 run each.
  assert.equal(logs.runs.length, logs.attempts.filter((a) => a.day >= 0).length - 2);
  const user = await loadReportData(s, { filter: { user: 'systest' } });
  assert.deepEqual([...new Set(user.attempts.map((a) => a.user))], ['systest']);
  assert.equal(user.runs.length, 1);
  const since = await loadReportData(s, { filter: { since: new Date('2019-01-01') } });
  assert.ok(since.runs.every((r) => r.endMs >= Date.parse('2019-01-01')));
  assert.ok(since.runs.length < all.runs.length);
  const app = await loadReportData(s, { filter: { app: 'LargeBlocks' } });
  assert.deepEqual([...new Set(app.runs.map((r) => r.app))], ['LargeBlocks']);
  const spark = logs.sections.find((x) => x.app === 'Spark shell')!;
  assert.ok(
    spark.runsShown.some((r) => r.findings.some((f) => f.level === 'critical' && /from task data/.test(f.text))),
  );
  await s.close();
});

test('--app takes a job key too: a crawled run whose name carries a date is kept by its key', async () => {
  const s = await store();
  const doc = aggDoc('app-9', { name: 'daily_sales 2024-03-05', endMs: T0 });
  await s.putAgg([doc, aggDoc('app-8', { name: 'other', endMs: T0 })]);
  await s.putRecords([
    runRecord(doc.docId, 'daily_sales', T0, { appId: 'app-9', appName: doc.name }),
    runRecord('app-8-0', 'other', T0, { appId: 'app-8', appName: 'other' }),
  ]);
  const data = await loadReportData(s, { filter: { app: 'daily_sales' } });
  assert.equal(data.attempts.length, 1);
  assert.deepEqual(
    data.runs.map((r) => r.app),
    ['daily_sales'],
  );
  await s.close();
});
