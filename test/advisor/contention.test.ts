import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { taskTimeSlope } from '../../src/advisor/contention.js';
import type { RunRecord } from '../../src/types.js';

const GIB = 1024 ** 3;

/** A run of `gib` GiB on `executors` × 4 cores whose tasks took `msPerGiB` ms of task time per GiB. */
const run = (i: number, executors: number, gib: number, msPerGiB: number): RunRecord => ({
  id: `app-${i}-0`,
  appId: `app-${i}`,
  app: 'etl',
  inputBytes: gib * GIB,
  executors,
  executorCores: 4,
  durationMs: 60_000,
  executorRunTimeMs: msPerGiB * gib,
  succeeded: true,
  endTime: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
  source: 'crawl',
});

const settings: [number, number][] = [
  [10, 20],
  [20, 20],
  [40, 20],
  [10, 80],
  [20, 80],
  [40, 80],
];

describe('task time against the cores that ran at once (the low bound of its slope)', () => {
  test('tasks that share what they read take longer per byte in proportion to the cores: slope 1', () => {
    const shared = settings.map(([e, g], i) => run(i, e, g, 1000 * e * 4));
    assert.ok(Math.abs(taskTimeSlope(shared)! - 1) < 1e-9, String(taskTimeSlope(shared)));
  });

  test('tasks that each do their own work take as long per byte on any number of cores: slope 0', () => {
    const own = settings.map(([e, g], i) => run(i, e, g, 5000));
    assert.ok(Math.abs(taskTimeSlope(own)!) < 1e-9, String(taskTimeSlope(own)));
  });

  test('work per byte that grows with the input is held apart from the cores', () => {
    // Sorts and spills cost more per byte on larger inputs; here the larger inputs also ran on more cores.
    const bySize = settings.map(([e, g], i) => run(i, e * (g === 80 ? 2 : 1), g, 1000 * Math.sqrt(g)));
    assert.ok(Math.abs(taskTimeSlope(bySize)!) < 1e-9, String(taskTimeSlope(bySize)));
  });

  test('a slope the runs scatter too widely to tell from none is read at its low bound', () => {
    const scatter = [1.4, 0.7, 1.3, 0.6, 1.5, 0.8];
    const noisy = settings.map(([e, g], i) => run(i, e, g, 1000 * e * 4 * scatter[i]!));
    assert.ok(taskTimeSlope(noisy)! < 0.5, String(taskTimeSlope(noisy)));
  });

  test('too few runs, or all on about one core count, give no slope', () => {
    const shared = settings.map(([e, g], i) => run(i, e, g, 1000 * e * 4));
    assert.equal(taskTimeSlope(shared.slice(0, 4)), undefined);
    const oneCount = settings.map(([, g], i) => run(i, 20 + (i % 2), g, 5000));
    assert.equal(taskTimeSlope(oneCount), undefined);
    // Runs without their task time (imported ones) do not count.
    const unknown = shared.map((r) => ({ ...r, executorRunTimeMs: undefined }));
    assert.equal(taskTimeSlope(unknown), undefined);
  });
});
