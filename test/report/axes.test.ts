import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../src/report/render.js';
import { CHARTS } from '../../src/report/charts/index.js';
import { coreHoursPerDay } from '../../src/report/charts/core-hours-per-day.js';
import { durationHistogram } from '../../src/report/charts/duration-histogram.js';
import { durationVsInput } from '../../src/report/charts/duration-vs-input.js';
import { WIDTH } from '../../src/report/charts/types.js';
import type { ReportData } from '../../src/report/data.js';
import { renderHtml } from '../../src/report/html.js';
import { renderCharts } from '../../src/report/index.js';

// The report's time axes and units, read off the rendered SVG: tick labels, bar widths, empty panels.

const GIB = 1024 ** 3;

function data(days: number[], o: { coreHours?: number; idleCoreHours?: number } = {}): ReportData {
  const runs = days.map((day, i) => ({
    app: `job-${i % 2}`,
    day,
    endMs: day,
    coreHours: o.coreHours ?? 5,
    inputBytes: 8 * GIB,
    durationMs: 600_000,
    succeeded: true,
  }));
  const attempts = days.map((day) => ({
    app: 'job-0',
    day,
    efficiency: 0.5,
    idleExecutors: o.idleCoreHours ? 1 : 0,
    idleCoreHours: o.idleCoreHours ?? 0,
    dynamicAllocation: false,
    allocatedCoreHours: 5,
    inputBytes: 8 * GIB,
  }));
  return {
    runs,
    attempts,
    errors: days.map((day) => ({ day, type: 'HttpError', stage: 'raw' })),
    advice: [],
  } as unknown as ReportData;
}

async function chart(
  def: typeof coreHoursPerDay,
  d: ReportData,
): Promise<{ labels: string[]; bars: number[]; svg: string }> {
  const built = def.build(d);
  assert.ok(!('empty' in built), 'has data');
  const svg = await renderSvg(built.spec);
  const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  const bars = [...svg.matchAll(/aria-roledescription="bar"[^>]*d="M[\d.-]+,[\d.-]+h([\d.-]+)/g)].map((m) =>
    Number(m[1]),
  );
  return { labels, bars, svg };
}

/** The x-axis labels: those before the axis title. */
const ticks = (labels: string[], title: RegExp) =>
  labels.slice(
    0,
    labels.findIndex((l) => title.test(l)),
  );

describe('report time axes', () => {
  test('one day of data: one bar among a week of days, each tick a different day', async () => {
    const { labels, bars } = await chart(coreHoursPerDay, data([Date.UTC(2024, 10, 30), Date.UTC(2024, 10, 30)]));
    const days = ticks(labels, /^day \(UTC\)$/);
    assert.deepEqual(days, ['Nov 27', 'Nov 28', 'Nov 29', 'Nov 30', 'Dec 01', 'Dec 02', 'Dec 03']);
    assert.ok(bars.length >= 1 && bars.every((w) => w > 10 && w < WIDTH / 4), `bar widths ${bars}`);
  });

  test('three years of data: months with the year, bars visible across the width', async () => {
    const days = [Date.UTC(2021, 0, 5), Date.UTC(2022, 5, 1), Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 2)];
    const { labels, bars } = await chart(coreHoursPerDay, data(days));
    const months = ticks(labels, /^month \(UTC\)$/);
    assert.ok(months.length >= 4, months.join());
    assert.equal(new Set(months).size, months.length, 'no label repeats');
    for (const m of months) assert.match(m, /^[A-Z][a-z]{2} 20\d\d$/);
    assert.equal(months[0], 'Jan 2021');
    assert.ok(
      bars.every((w) => w >= 5),
      `bar widths ${bars}`,
    );
  });

  test('bars summed per month or year say so in their title and reading, not "per day"', async () => {
    const titled = async (days: number[]) =>
      Object.fromEntries((await renderCharts(data(days))).map((c) => [c.id, `${c.title} | ${c.reading}`]));
    const months = await titled([Date.UTC(2021, 0, 5), Date.UTC(2023, 11, 31)]);
    assert.match(months['core-hours-per-day']!, /^Allocated core-hours per month, by job \| .*ended that month/);
    assert.match(months['cores-by-user']!, /^Cores held per month, by user \| .*held over a month/);
    const days = await titled([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 9)]);
    assert.match(days['core-hours-per-day']!, /^Allocated core-hours per day, by job \| .*ended that day/);
    assert.ok(!Object.values({ ...months, ...days }).some((t) => t.includes('{bucket}')));
  });

  test('run durations under a second are binned with millisecond labels, each bin told apart', () => {
    const d = data([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]);
    for (const [i, r] of d.runs.entries()) r.durationMs = [72, 340, 2_500][i]!;
    const built = durationHistogram.build(d);
    assert.ok(!('empty' in built));
    const labels = (built.spec as unknown as { data: { values: { label: string }[] } }).data.values.map((b) => b.label);
    assert.deepEqual(labels.slice(0, 3), ['50 ms–100 ms', '100 ms–200 ms', '200 ms–500 ms']);
    assert.equal(new Set(labels).size, labels.length, labels.join());
    assert.equal(labels.at(-1), '2 s–5 s');
  });

  test('a decade of data: years', async () => {
    const { labels } = await chart(coreHoursPerDay, data([Date.UTC(2014, 3, 1), Date.UTC(2024, 0, 2)]));
    const years = ticks(labels, /^year \(UTC\)$/);
    assert.ok(years.length >= 4 && years.every((y) => /^20\d\d$/.test(y)), years.join());
  });

  test('a few weeks within one year: day labels without the year, no repeats', async () => {
    const days = Array.from({ length: 40 }, (_, i) => Date.UTC(2024, 2, 1) + i * 86_400_000);
    const { labels } = await chart(coreHoursPerDay, data(days));
    const shown = ticks(labels, /^day \(UTC\)$/);
    assert.equal(new Set(shown).size, shown.length);
    for (const d of shown) assert.match(d, /^[A-Z][a-z]{2} \d\d$/);
  });
});

describe('report panels and units', () => {
  test('nothing to plot is a one-line note, never an empty axis with a "0.000000" tick', async () => {
    const d = data([Date.UTC(2024, 10, 30)], { coreHours: 0, idleCoreHours: 0 });
    assert.deepEqual(coreHoursPerDay.build(d), {
      empty: 'No run with allocated core time (imported runs without core time are not counted).',
    });
    for (const def of CHARTS) {
      const built = def.build(d);
      if ('empty' in built) continue;
      const svg = await renderSvg(built.spec);
      assert.doesNotMatch(svg, />0\.0000/, def.id);
    }
    const idle = CHARTS.find((c) => c.id === 'idle-executors')!.build(d);
    assert.ok('note' in idle && /No idle executor held any core time/.test(idle.note!));
  });

  test('sizes are binary (GiB), as Spark reads them and as the CLI prints them', async () => {
    const { labels } = await chart(durationVsInput as typeof coreHoursPerDay, data([Date.UTC(2024, 10, 30)]));
    assert.ok(labels.includes('input (GiB, log scale)'), labels.join());
    assert.ok(labels.includes('8'), '8 GiB plotted at 8');
    for (const def of CHARTS) assert.doesNotMatch(`${def.title} ${def.reading}`, /\bGB\b/, def.id);
  });

  test('an app named with terminal escapes and control characters still gives valid XML in charts and page', async () => {
    const d = data([Date.UTC(2024, 10, 30)]);
    for (const r of d.runs) r.app = 'evil\u001b[31m\u0001job\u0007';
    const built = coreHoursPerDay.build(d);
    assert.ok(!('empty' in built));
    const svg = await renderSvg(built.spec);
    const html = renderHtml({
      generatedAt: new Date(0),
      summary: {
        runsInStore: 1,
        apps: 1,
        runsRead: 1,
        attemptsRead: 1,
        errorsRead: 0,
        adviceRead: 0,
        coreHours: 5,
        limit: 5000,
      },
      jobs: [{ app: d.runs[0]!.app, runs: 1, coreHours: 1, failed: 0 }] as never,
      charts: [{ id: 'c', title: 't', reading: 'r', svg }],
    });
    for (const text of [svg, html]) {
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      assert.doesNotMatch(
        text,
        /&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[1-24-9]|2\d|3[01]));/i,
        'no character references to controls either',
      );
    }
    assert.match(svg, />evil\[?3?1?m?job</);
  });
});
