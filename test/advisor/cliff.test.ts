import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliffFactor, cliffFit, cliffMs, cliffsFor, scanWaves } from '../../src/advisor/cliff.js';
import type { TrainingRow } from '../../models/types.js';
import { GIB } from './history.js';

// Runs of a job whose duration is 5 s + `evenS` per 128 MiB block of input per slot + `partialS` per block its last
// scan wave leaves unfilled, on 4-core executors.
function runs(evenS: number, partialS: number, executors: number[], gib: number[]): TrainingRow[] {
  return executors.map((e, i) => {
    const w = scanWaves(gib[i]! * GIB, e * 4);
    return {
      id: `r${i}`,
      inputBytes: gib[i]! * GIB,
      executors: e,
      executorCores: 4,
      durationMs: 1000 * (5 + evenS * w.even + partialS * w.partial),
    };
  });
}
// 17.7 GiB is 142 blocks: a partial second wave on 35, 30 and 25 executors of 4 cores; none on 71, where Spark cuts
// it into one wave of smaller splits. 7.5 GiB (60 blocks) leaves one on 13 executors, none on 15.
const EXECUTORS = [35, 30, 25, 13, 71, 10, 40, 50, 15];
const SIZES = [17.7, 17.7, 17.7, 7.5, 17.7, 5, 20, 25, 7.5];

describe('wave cliffs', () => {
  test('a scan cut as Spark cuts it: a partial last wave just short of the slots, none when it is cut finer', () => {
    const blocks = 5.516 * 8; // 45 blocks of 128 MiB
    const short = scanWaves(5.516 * GIB, 44);
    assert.ok(Math.abs(short.even - blocks / 44) < 1e-9);
    assert.ok(Math.abs(short.even + short.partial - 2) < 1e-9, 'two waves of full blocks');
    assert.ok(scanWaves(5.516 * GIB, 48).partial < 0.01, '48 smaller splits: one full wave');
  });

  test('learns what a partial wave costs a job whose parallel work is mostly not the scan', () => {
    const fit = cliffFit(runs(10, 2, EXECUTORS, SIZES))!;
    assert.equal(fit.learnt, true);
    assert.ok(Math.abs(fit.fixedS - 5) < 1e-6 && Math.abs(fit.evenS - 10) < 1e-6, JSON.stringify(fit));
    assert.ok(Math.abs(fit.partialS - 2) < 1e-6, JSON.stringify(fit));
    const cut = { executors: 35, executorCores: 4 };
    assert.ok(cliffFactor(fit, cut, 17.7 * GIB) < 1.2, `${cliffFactor(fit, cut, 17.7 * GIB)}`);
  });

  test('learns a scan-only job: a partial wave costs as much as a full one', () => {
    const fit = cliffFit(runs(10, 10, EXECUTORS, SIZES))!;
    assert.equal(fit.learnt, true);
    assert.ok(Math.abs(fit.partialS - 10) < 1e-6, JSON.stringify(fit));
    const cut = { executors: 35, executorCores: 4 };
    assert.ok(Math.abs(cliffMs(fit, cut, 17.7 * GIB) - 25_000) < 1e-6, 'two whole waves: 5 s + 2 × 10 s');
  });

  test('until runs with and without a partial wave show its cost, it costs as much as even work', () => {
    // Only two runs leave a partial wave: nothing to tell its cost apart by.
    const fit = cliffFit(runs(10, 2, [35, 30, 71, 10, 40, 50], [17.7, 17.7, 17.7, 5, 20, 25]))!;
    assert.equal(fit.learnt, false);
    assert.equal(fit.partialS, fit.evenS);
    assert.ok(cliffFactor(fit, { executors: 35, executorCores: 4 }, 17.7 * GIB) > 1.3);
    const full = cliffFactor(fit, { executors: 71, executorCores: 2 }, 17.7 * GIB);
    assert.ok(Math.abs(full - 1) < 1e-3, `142 slots, one full wave: ${full}`);
  });

  test('a partial wave among many full ones shows nothing of its cost, which a noisy run can hide', () => {
    // A scan-only job. Its partial waves came last after 13 to 16 full ones (4–7% of the run), and those runs ran 4%
    // faster than their waves (noise); the others ran whole waves. The fit cannot learn from them that a partial
    // wave is free, and a cut of 193 blocks from one wave on 200 slots to two on 188 costs its second wave.
    const rows = runs(10, 10, [49, 47, 46, 50, 25, 50], [400, 380, 300, 100, 50, 200]).map((r, i) =>
      i < 3 ? { ...r, durationMs: r.durationMs * 0.96 } : r,
    );
    const fit = cliffFit(rows)!;
    assert.equal(fit.learnt, false);
    const factor = cliffFactor(fit, { executors: 47, executorCores: 4 }, 24.1 * GIB);
    assert.ok(factor > 1.5, String(factor));
  });

  test('no fit without three runs or without any input size', () => {
    assert.equal(cliffFit(runs(10, 2, [35, 30], [17.7, 17.7])), undefined);
    const unsized = runs(10, 2, EXECUTORS, SIZES).map((r) => ({ ...r, inputBytes: 0 }));
    assert.equal(cliffFit(unsized), undefined);
  });

  test('a waves fit counts waves itself only alone and where its runs showed more than one wave count', () => {
    // 0.5–2 GiB (4–16 blocks) on 10–40 executors of 4 cores: every run one wave.
    const oneWave = runs(10, 10, [10, 20, 40, 30], [0.5, 1, 2, 1.5]);
    const cut = { executors: 15, executorCores: 4 };
    assert.ok(cliffsFor('waves', oneWave)(cut), 'one wave everywhere: the waves fit cannot tell a wave’s cost');
    const several = runs(10, 10, EXECUTORS, SIZES);
    assert.equal(cliffsFor('waves', several)({ executors: 30, executorCores: 4 }), undefined);
    assert.ok(cliffsFor('waves', several)({ executors: 5, executorCores: 4 }), 'below the fewest cores run');
    const baseline = { executors: 80, executorCores: 4 };
    assert.ok(cliffsFor('waves', several)({ executors: 30, executorCores: 4 }, baseline), 'compared with one above');
    assert.ok(cliffsFor('waves', several, true)({ executors: 30, executorCores: 4 }), 'blended with smoother fits');
    assert.ok(cliffsFor('amdahl-size', several)({ executors: 30, executorCores: 4 }));
    assert.equal(cliffsFor('what-if', several)({ executors: 5, executorCores: 4 }), undefined);
  });
});
