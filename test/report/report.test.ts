import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { RunStore } from '../../src/store/types.js';
import type { RunRecord } from '../../src/types.js';
import { buildReport, type Report } from '../../src/report/index.js';
import { CHARTS } from '../../src/report/charts/index.js';
import { adviceOutcomes } from '../../src/report/charts/advice-outcomes.js';
import type { AdviceRow } from '../../src/report/advice-rows.js';
import type { ReportData } from '../../src/report/data.js';
import { adviceFor, fillRuns, putErrors, XSS_APP } from './fill.js';

// A store filled through the real document builder, then the whole report over it.

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function newStore(): Promise<RunStore> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-report-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'spot.db'));
}

/** Every http(s):// reference outside an xmlns attribute (the SVG namespaces are names, not fetches). */
function remoteRefs(html: string): string[] {
  return html.replace(/xmlns(:\w+)?="https?:\/\/[^"]*"/g, '').match(/https?:\/\/\S*/g) ?? [];
}

describe('spot report over a crawled store', () => {
  let store: RunStore;
  let records: RunRecord[];
  let report: Report;
  let linked: RunRecord[];
  before(async () => {
    store = await newStore();
    records = await fillRuns(store, 12);
    await putErrors(store, 6);
    linked = records.filter((r) => r.app === 'daily_sales').slice(0, 4);
    for (const [i, r] of linked.entries()) await store.putAdvice(adviceFor(r, i, i === 3 ? 'shadow' : 'fill'));
    report = await buildReport(store, { now: new Date('2024-03-20T00:00:00Z') });
  });
  after(() => store.close());

  test('is one HTML document with an SVG per chart, and no script or remote reference', () => {
    const { html } = report;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(html.match(/<html/g)?.length, 1);
    assert.equal(html.match(/<\/html>/g)?.length, 1);
    assert.equal(
      html.match(/<svg[\s>]/g)?.length,
      CHARTS.length,
      report.charts
        .filter((c) => !c.svg)
        .map((c) => `${c.id}: ${c.note}`)
        .join('; '),
    );
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link|<iframe|<img|src=|href=/i);
    assert.deepEqual(remoteRefs(html), []);
    for (const c of CHARTS) assert.ok(html.includes(`<section id="${c.id}">`), c.id);
  });

  test('an app named like markup is escaped, in the HTML and inside the charts', () => {
    assert.ok(
      records.some((r) => r.app === XSS_APP),
      'the store holds the hostile name as a job key',
    );
    assert.ok(!report.html.includes(XSS_APP));
    assert.ok(report.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!report.html.includes('<b>Weird</b>'), 'error types are escaped too');
    assert.match(
      report.html,
      /<tr><td>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/td><td class="n">12<\/td>/,
      'listed in the jobs table',
    );
  });

  test('the summary and the core-hours chart add up to the store', async () => {
    const all = await store.records({});
    const total = all.reduce((a, r) => a + (r.coreMs ?? 0), 0) / 3.6e6;
    assert.ok(total > 0);
    assert.equal(report.data.summary.runsInStore, all.length);
    assert.equal(report.data.summary.runsRead, all.length);
    assert.equal(report.data.summary.apps, 3);
    assert.equal(report.data.summary.errorsRead, 6);
    assert.ok(Math.abs(report.data.summary.coreHours - total) < 1e-9);
    assert.ok(Math.abs(report.data.jobs.reduce((a, j) => a + j.coreHours, 0) - total) < 1e-9);
    assert.deepEqual(
      report.data.jobs.map((j) => j.runs),
      [12, 12, 12],
    );
    assert.match(
      report.html,
      new RegExp(`<th>allocated core-hours of the runs read</th><td class="n">${total.toFixed(1)}</td>`),
    );
    const spec = CHARTS.find((c) => c.id === 'core-hours-per-day')!.build(report.data);
    assert.ok('spec' in spec);
    const values = (spec.spec.data as { values: { coreHours: number }[] }).values;
    assert.ok(Math.abs(values.reduce((a, v) => a + v.coreHours, 0) - total) < 1e-9);
  });

  test('advice outcomes compare the chosen prediction with the linked run', () => {
    const rows = report.data.advice;
    assert.equal(rows.length, 4);
    for (const row of rows) {
      const run = linked[Number(row.id.replace('adv-', ''))]!;
      assert.equal(row.actualMs, run.durationMs, "the linked run's duration, not the wall time");
      assert.equal(row.actualFrom, 'run');
      assert.ok(Math.abs(row.actualCoreHours! - (row.predictedCoreHours * run.durationMs) / row.predictedMs) < 1e-9);
      assert.ok(Math.abs(row.predictedMs - (row.applied ? run.durationMs * 0.9 : run.durationMs * 0.72)) < 1e-6);
    }
    assert.equal(rows.filter((r) => !r.applied).length, 1, 'the shadow launch ran the baseline');
    assert.match(
      report.html,
      /4 launches with advice set against their predicted duration; 3 applied with a crawled run/,
    );
    // The shadow launch's baseline was predicted at 0.72× its run, its high end at 0.9×: it ran longer.
    assert.match(report.html, /3 of 4 ran within the 80% interval predicted for them, 1 longer than its high end/);
  });

  test('advice outcomes count a failed launch apart, not among those set against their prediction', () => {
    const row = (id: string, over: Partial<AdviceRow>): AdviceRow => ({
      id,
      app: 'etl',
      createdMs: 0,
      day: 0,
      applied: true,
      predictedMs: 60_000,
      lowMs: 50_000,
      highMs: 70_000,
      baselineCoreHours: 2,
      predictedCoreHours: 1,
      ...over,
    });
    const advice = [
      row('ok', { actualMs: 61_000, actualFrom: 'run', actualCoreHours: 1.1 }),
      row('failed', { failed: { exitCode: 3, afterMs: 1000 } }),
      row('pending', {}),
    ];
    const built = adviceOutcomes.build({ advice } as unknown as ReportData);
    assert.ok('note' in built);
    assert.match(
      built.note!,
      /^1 launch with advice set against its predicted duration \(1 more failed: a failed run is not set against its prediction\); 1 applied with a crawled run, saving 0\.9 core-hours/,
    );
    // Every launch failed: the chart says so, not that none has finished.
    const allFailed = adviceOutcomes.build({ advice: [advice[1]!, advice[2]!] } as unknown as ReportData);
    assert.deepEqual(allFailed, {
      empty:
        'No launch with advice has a duration to set against its prediction: 1 failed (a failed run is not set against its prediction).',
    });
  });

  test('the page says how much it read', () => {
    assert.match(report.html, /most recent 5,000 runs/);
    assert.match(report.html, /Generated 2024-03-20 00:00 UTC/);
  });
});

describe('spot report edge cases', () => {
  test('an empty store gives a page that says so', async () => {
    const store = await newStore();
    const { html, charts } = await buildReport(store);
    await store.close();
    assert.match(html, /The store holds no runs yet/);
    assert.equal(html.match(/<svg/g), null);
    assert.equal(charts.filter((c) => c.svg).length, 0);
  });

  test('a bounded read: the summary counts the whole store, the charts the most recent runs', async () => {
    const store = await newStore();
    const records = await fillRuns(store, 4);
    const { data, html } = await buildReport(store, { limit: 5 });
    await store.close();
    assert.equal(data.summary.runsInStore, records.length);
    assert.equal(data.summary.runsRead, 5);
    assert.equal(data.attempts.length, 5);
    const newest = [...records].sort((a, b) => Date.parse(b.endTime) - Date.parse(a.endTime)).slice(0, 5);
    assert.deepEqual(data.runs.map((r) => r.endMs).sort(), newest.map((r) => Date.parse(r.endTime)).sort());
    assert.match(html, /most recent 5 runs.*the store holds 12 runs/);
  });

  test('charts without data are skipped with a note, the rest still drawn', async () => {
    const store = await newStore();
    await store.putRecords([
      {
        id: 'imp-1',
        app: 'imported_job',
        inputBytes: 5e9,
        executors: 4,
        executorCores: 2,
        durationMs: 600_000,
        succeeded: true,
        endTime: '2024-03-02T10:00:00Z',
        source: 'import',
      },
      {
        id: 'imp-2',
        app: 'imported_job',
        inputBytes: 9e9,
        executors: 4,
        executorCores: 2,
        durationMs: 900_000,
        succeeded: true,
        endTime: '2024-03-03T10:00:00Z',
        source: 'import',
      },
    ]);
    const { charts, html } = await buildReport(store);
    await store.close();
    const drawn = charts.filter((c) => c.svg).map((c) => c.id);
    // Imported records carry settings, durations and inputs, but no attempt data.
    assert.deepEqual(drawn, ['duration-vs-input', 'duration-histogram', 'input-histogram', 'config-usage']);
    assert.equal(html.match(/<svg[\s>]/g)?.length, 4);
    assert.match(html, /No crawl errors stored/);
    assert.match(html, /No launch with advice has finished yet/);
    assert.match(html, /imported runs without core time are not counted/);
  });
});
