import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { allSpecs, FLEXIBLE_MIN_ROWS } from '../../models/family.js';
import { selectModel } from '../../models/select.js';
import type { Blend } from '../../models/blend.js';
import { waves } from '../../models/features.js';
import { GIB, gauss, history } from './synthetic.js';
import { mulberry32 } from '../../src/simulator/random.js';
import type { TrainingRow } from '../../models/types.js';

const grid = { executors: [2, 3, 5, 8, 12, 16], cores: [2, 4], gib: [8, 24] };

describe('cross-validated selection', () => {
  test('picks the waves family when durations step with task waves', () => {
    const rows = history((e, c, d) => 40 + 25 * waves({ executors: e, executorCores: c }, d), grid, 0.01);
    assert.equal(selectModel(rows)!.model.family, 'waves');
  });

  test('picks Ernest when communication cost makes duration rise again at many cores', () => {
    const rows = history((e, c, d) => 20 + (300 * d) / GIB / (e * c) + 4 * e * c, grid, 0.01);
    assert.equal(selectModel(rows)!.model.family, 'ernest');
  });

  test('picks size-aware Amdahl (the simpler of two exact fits) for serial + work/cores', () => {
    const rows = history((e, c, d) => 30 + (40 * d) / GIB / (e * c), grid, 0.01);
    assert.equal(selectModel(rows)!.model.family, 'amdahl-size');
  });

  test('picks plain Amdahl when all runs have one input size', () => {
    const rows = history((e, c) => 30 + 900 / (e * c), { ...grid, gib: [10] }, 0.01);
    // amdahl and amdahl-size are the same curve at one size: the tie goes to the first simplest.
    assert.match(selectModel(rows)!.model.family, /^amdahl/);
  });

  test('offers no flexible model on a short history', () => {
    const rows = history(
      (e, c, d) => 30 + (40 * d) / GIB / (e * c),
      { executors: [2, 4, 8], cores: [2, 4], gib: [8] },
      0.05,
    );
    assert.ok(rows.length < FLEXIBLE_MIN_ROWS);
    const sel = selectModel(rows, { specs: allSpecs() })!;
    assert.ok(
      sel.scores.every((s) => s.constrained),
      JSON.stringify(sel.scores),
    );
    assert.match(sel.reason, /only physical models compete/);
  });

  test('admits a flexible model on a long history only when it wins clearly', () => {
    // Truth with a size² term no physical model has: linear regression (with a GiB term) should not win
    // either, but the rule must at least have scored it.
    const rows = history((e, c, d) => 30 + (40 * d) / GIB / (e * c), grid, 0.03);
    const sel = selectModel(rows, { specs: allSpecs() })!;
    assert.ok(sel.scores.some((s) => !s.constrained));
    assert.ok(sel.model.family !== 'linear');
  });

  test('says nothing with fewer than 2 runs', () => {
    assert.equal(selectModel(history(() => 10, { executors: [2], cores: [2], gib: [1] })), undefined);
  });

  test('validation error is reported and small on clean data', () => {
    const rows = history((e, c, d) => 30 + (40 * d) / GIB / (e * c), grid, 0.01);
    const m = selectModel(rows)!.model;
    assert.ok(m.validationError < 0.03, String(m.validationError));
    assert.equal(m.trainingRuns, rows.length);
  });
});

describe('blending near-best fits', () => {
  test('takes one fit per model form: a form fitted with both losses counts once', () => {
    // Serial time + work/cores with a little noise: several forms, each with both losses, validate alike.
    const rows = history((e, c, d) => 30 + (40 * d) / GIB / (e * c), grid, 0.03);
    const parts = selectModel(rows)!.fitted.parts;
    for (const [part, r] of Object.entries({ physical: parts.physical, above: parts.above, below: parts.below })) {
      const members = ((r as Partial<Blend> | undefined)?.members ?? []).map((m) => m.name);
      assert.ok(members.length > 1, `${part}: a blend (${members.join(', ')})`);
      const families = members.map((n) => n.split('/')[0]);
      assert.equal(new Set(families).size, families.length, `${part}: ${members.join(', ')}`);
    }
  });
});

describe('prediction interval', () => {
  const truth = (e: number, c: number, d: number) => 30 + (40 * d) / GIB / (e * c) + 0.3 * e * c;

  test('covers held-out truth at about its nominal 80% rate inside the training range', () => {
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = mulberry32(seed * 31);
      const rows: TrainingRow[] = [];
      for (let i = 0; i < 14; i++) {
        const e = 2 + Math.floor(r() * 15);
        const c = [2, 4][Math.floor(r() * 2)]!;
        const gib = 5 + r() * 30;
        rows.push({
          id: `t${i}`,
          inputBytes: gib * GIB,
          executors: e,
          executorCores: c,
          durationMs: truth(e, c, gib * GIB) * 1000 * Math.exp(0.1 * gauss(r)),
        });
      }
      const m = selectModel(rows)!.model;
      for (let k = 0; k < 10; k++) {
        const e = 2 + Math.floor(r() * 15);
        const c = [2, 4][Math.floor(r() * 2)]!;
        const bytes = (5 + r() * 30) * GIB;
        const actual = truth(e, c, bytes) * 1000 * Math.exp(0.1 * gauss(r));
        const p = m.predict({ executors: e, executorCores: c }, bytes);
        assert.ok(p.low <= p.durationMs && p.durationMs <= p.high);
        total++;
        if (actual >= p.low && actual <= p.high) inside++;
      }
    }
    const coverage = inside / total;
    assert.ok(coverage > 0.7 && coverage < 0.93, `coverage ${coverage}`);
    if (process.env.SPOT_TEST_VERBOSE) console.log(`coverage ${coverage}`);
  });

  test('widens with distance beyond the largest training run', () => {
    const rows = history(truth, grid, 0.05);
    const m = selectModel(rows)!.model;
    const width = (p: { low: number; high: number; durationMs: number }) => (p.high - p.low) / p.durationMs;
    const inside = width(m.predict({ executors: 8, executorCores: 4 }, 20 * GIB));
    const far = width(m.predict({ executors: 8, executorCores: 4 }, 60 * GIB));
    const farther = width(m.predict({ executors: 8, executorCores: 4 }, 120 * GIB));
    assert.ok(inside < far && far < farther, `${inside} ${far} ${farther}`);
  });
});

describe('a history at one core count', () => {
  test('does not trust a fitted core scaling: other core counts lie between no gain and proportional time', () => {
    const rows = history(
      (e, c, d) => 30 + (40 * d) / GIB / (e * c),
      { executors: [16], cores: [4], gib: [10, 12, 14, 16, 18] },
      0.02,
    );
    const sel = selectModel(rows)!;
    assert.ok(
      sel.findings.some((f) => f.code === 'cores-degenerate' && f.values.minCores === 64),
      JSON.stringify(sel.findings),
    );
    assert.match(sel.reason, /too narrow to fit core scaling/);
    const m = sel.model;
    const at64 = m.predict({ executors: 16, executorCores: 4 }, 14 * GIB);
    const at32 = m.predict({ executors: 8, executorCores: 4 }, 14 * GIB);
    const at128 = m.predict({ executors: 32, executorCores: 4 }, 14 * GIB);
    assert.ok(at64.high < 1.25 * at64.durationMs, JSON.stringify(at64));
    // Half the cores: at best no slower, at worst twice as slow, the point between.
    assert.ok(at32.high >= 2 * at64.durationMs * 0.999 && at32.low <= at64.durationMs, JSON.stringify(at32));
    assert.ok(at32.durationMs > at64.durationMs * 1.3 && at32.durationMs < at64.durationMs * 1.6, JSON.stringify(at32));
    // Twice the cores: at best twice as fast, at worst no faster.
    assert.ok(at128.low <= at64.durationMs / 2 && at128.high >= at64.durationMs, JSON.stringify(at128));
  });
});
