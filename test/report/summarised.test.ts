import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../src/report/render.js';
import { efficiency } from '../../src/report/charts/efficiency.js';
import { allocation } from '../../src/report/charts/allocation.js';
import { DEFAULT_SHUFFLE_PARTITIONS, shufflePartitions } from '../../src/report/charts/shuffle-partitions.js';
import { idleExecutors } from '../../src/report/charts/idle-executors.js';
import { coreHoursPerDay } from '../../src/report/charts/core-hours-per-day.js';
import { coresByUser } from '../../src/report/charts/cores-by-user.js';
import { dayAxis, dayBucket, HEIGHT, WIDTH } from '../../src/report/charts/types.js';
import type { ReportData } from '../../src/report/data.js';
import type { AttemptRow, RunRow } from '../../src/report/rows.js';

// Charts that take figures summarised in code (sums per day, counts per bin, quartiles and shares per bucket)
// draw exactly what Vega draws from one row per run: each is rendered both ways on a small store and the SVGs
// compared, over a span drawn in days and one drawn in months. Sums added in another order may differ in the
// last digit of a coordinate (99.99 against 100.00), so numbers match within a hundredth of a pixel (or of a
// percent in a label) and all the rest of the SVG byte for byte.

/** Every number in two SVGs within `tolerance` of its counterpart, and the text between them identical. */
function assertSameDrawing(actual: string, expected: string, tolerance = 0.011): void {
  const NUMBER = /-?\d+(?:\.\d+)?/g;
  assert.deepEqual(actual.split(NUMBER), expected.split(NUMBER), 'the same marks, labels and attributes');
  const a = actual.match(NUMBER) ?? [],
    e = expected.match(NUMBER) ?? [];
  for (const [i, x] of a.entries()) {
    if (Math.abs(Number(x) - Number(e[i])) > tolerance)
      assert.fail(
        `number ${i}: ${x} against ${e[i]} near ${actual.slice(Math.max(0, actual.indexOf(x) - 80), actual.indexOf(x) + 20)}`,
      );
  }
}

const DAY = 86_400_000;

/** A small deterministic generator (LCG), so the data is varied but the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function data(spanDays: number, n: number): ReportData {
  const rnd = random(spanDays);
  const start = Date.UTC(2024, 0, 3);
  const runs: RunRow[] = [];
  const attempts: AttemptRow[] = [];
  for (let i = 0; i < n; i++) {
    const day = start + Math.floor(rnd() * spanDays) * DAY;
    const app = `job-${Math.floor(rnd() * 12)}`;
    const coreHours = Math.round(rnd() * 4000) / 100;
    runs.push({ app, day, endMs: day, inputBytes: 2 ** 30, durationMs: 60_000, succeeded: true, coreHours });
    // Efficiencies on bin edges too (0.05, 0.1, 1): the bin each falls in is Vega's to decide.
    const efficiency = i % 7 === 0 ? Math.round(rnd() * 20) / 20 : rnd();
    const idle = rnd() < 0.3;
    const dynamicAllocation = i % 3 === 0;
    const shufflePartitions = i % 4 === 0 ? 64 : i % 5 === 0 ? undefined : 200;
    const adaptiveExecution = i % 6 === 0 ? undefined : i % 2 === 0;
    attempts.push({
      app,
      day,
      efficiency,
      idleExecutors: idle ? 1 : 0,
      idleCoreHours: idle ? coreHours / 10 : 0,
      allocatedCoreHours: coreHours,
      user: `user-${i % 11}`,
      dynamicAllocation,
      inputBytes: Math.ceil(rnd() * 50) * 2 ** 28,
      shufflePartitions,
      adaptiveExecution,
    });
  }
  return { runs, attempts } as unknown as ReportData;
}

function spec(def: { build(d: ReportData): unknown }, d: ReportData): TopLevelSpec {
  const built = def.build(d) as { spec?: TopLevelSpec };
  assert.ok(built.spec, 'has a chart');
  return built.spec;
}

/** The efficiency chart as Vega computed it from one row per attempt. */
function efficiencyPerAttempt(d: ReportData): TopLevelSpec {
  const values = d.attempts.map((a) => ({ day: a.day, efficiency: a.efficiency! }));
  const x = dayAxis(values.map((v) => v.day));
  return {
    data: { values },
    hconcat: [
      {
        width: WIDTH / 2 - 20,
        height: HEIGHT,
        title: 'runs by efficiency',
        mark: 'bar',
        encoding: {
          x: {
            field: 'efficiency',
            type: 'quantitative',
            bin: { step: 0.05, extent: [0, 1] },
            title: 'estimated core efficiency',
          },
          y: { aggregate: 'count', type: 'quantitative', title: 'runs' },
        },
      },
      {
        width: WIDTH / 2 + 20,
        height: HEIGHT,
        title: `median and quartiles per ${dayBucket(values.map((v) => v.day))}`,
        layer: [
          {
            mark: { type: 'area', opacity: 0.25 },
            encoding: {
              x,
              y: {
                aggregate: 'q1',
                field: 'efficiency',
                type: 'quantitative',
                title: 'estimated core efficiency',
                scale: { domain: [0, 1] },
              },
              y2: { aggregate: 'q3', field: 'efficiency' },
            },
          },
          {
            mark: { type: 'line', point: true },
            encoding: { x, y: { aggregate: 'median', field: 'efficiency', type: 'quantitative' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

for (const [span, n] of [
  [20, 600],
  [200, 2000],
] as const) {
  describe(`charts from summarised rows draw what rows per run draw (${n} runs over ${span} days)`, () => {
    const d = data(span, n);

    test('core-hours per day: sums per day and job', async () => {
      const summed = spec(coreHoursPerDay, d);
      const values = (summed as { data: { values: unknown[] } }).data.values;
      assert.ok(values.length <= span * 9 && values.length < n, `${values.length} rows`);
      const jobs = new Set((values as { job: string }[]).map((v) => v.job));
      const perRun = d.runs.map((r) => ({
        day: r.day,
        job: jobs.has(r.app) ? r.app : '(other jobs)',
        coreHours: r.coreHours!,
      }));
      assertSameDrawing(
        await renderSvg(summed),
        await renderSvg({ ...summed, data: { values: perRun } } as TopLevelSpec),
      );
    });

    test('cores by user: sums per day and user', async () => {
      const summed = spec(coresByUser, d);
      const users = new Set((summed as { data: { values: { user: string }[] } }).data.values.map((v) => v.user));
      const hours = span <= 92 ? 24 : 24 * 30.44;
      const perRun = d.attempts.map((a) => ({
        day: a.day,
        user: users.has(a.user!) ? a.user : '(other users)',
        cores: a.allocatedCoreHours! / hours,
      }));
      assertSameDrawing(
        await renderSvg(summed),
        await renderSvg({ ...summed, data: { values: perRun } } as TopLevelSpec),
      );
    });

    test('idle executors: share and idle core-hours per bucket', async () => {
      const summed = spec(idleExecutors, d);
      const perAttempt = d.attempts.map((a) => ({
        day: a.day,
        withIdle: a.idleExecutors! > 0 ? 1 : 0,
        idleCoreHours: a.idleCoreHours ?? 0,
      }));
      assertSameDrawing(
        await renderSvg(summed),
        await renderSvg({ ...summed, data: { values: perAttempt } } as TopLevelSpec),
      );
    });

    test('allocation: five values per box', async () => {
      const boxes = spec(allocation, d) as { hconcat: { data: { values: unknown[] } }[] };
      const mode = (a: AttemptRow) => (a.dynamicAllocation ? 'dynamic' : 'fixed');
      const perAttempt = [
        d.attempts.map((a) => ({ mode: mode(a), efficiency: a.efficiency! })),
        d.attempts.map((a) => ({ mode: mode(a), perGB: a.allocatedCoreHours! / (a.inputBytes! / 2 ** 30) })),
      ];
      assert.deepEqual(
        boxes.hconcat.map((p) => p.data.values.length),
        [10, 10],
      );
      const full = { ...boxes, hconcat: boxes.hconcat.map((p, i) => ({ ...p, data: { values: perAttempt[i] } })) };
      assertSameDrawing(await renderSvg(boxes as TopLevelSpec), await renderSvg(full as TopLevelSpec));
    });

    test('shuffle partitions: five values per box', async () => {
      const boxes = spec(shufflePartitions, d);
      const perAttempt = d.attempts.map((a) => ({
        partitions:
          (a.shufflePartitions ?? DEFAULT_SHUFFLE_PARTITIONS) === DEFAULT_SHUFFLE_PARTITIONS
            ? '200 (default)'
            : 'set by the job',
        aqe: a.adaptiveExecution === undefined ? 'AQE unknown' : a.adaptiveExecution ? 'AQE on' : 'AQE off',
        efficiency: a.efficiency!,
      }));
      const groups = new Set(perAttempt.map((a) => `${a.aqe}, ${a.partitions}`)).size;
      assert.equal((boxes as { data: { values: unknown[] } }).data.values.length, groups * 5);
      assertSameDrawing(
        await renderSvg(boxes),
        await renderSvg({ ...boxes, data: { values: perAttempt } } as TopLevelSpec),
      );
    });

    test('efficiency: counts per bin, quartiles per bucket', async () => {
      assertSameDrawing(await renderSvg(spec(efficiency, d)), await renderSvg(efficiencyPerAttempt(d)));
    });
  });
}
