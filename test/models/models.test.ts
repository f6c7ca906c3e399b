import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILIES, fitPhysical } from '../../models/physical.js';
import { flexibleSpecs } from '../../models/flexible.js';
import { scanSplits, waves } from '../../models/features.js';
import { GIB, history } from './synthetic.js';

const grid = { executors: [2, 4, 8, 16], cores: [2, 4], gib: [5, 20, 60] };
const family = (name: string) => FAMILIES.find((f) => f.family === name)!;

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected}`,
  );
}

describe('physical models recover known parameters from exact synthetic runs', () => {
  for (const loss of ['absolute', 'relative'] as const) {
    test(`waves (${loss})`, () => {
      const rows = history((e, c, d) => 30 + 12 * waves({ executors: e, executorCores: c }, d), grid);
      const p = fitPhysical(family('waves'), loss, rows).params;
      close(p.t_seq!, 30, 1e-6, 't_seq');
      close(p.w!, 12, 1e-6, 'w');
    });
    test(`ernest (${loss})`, () => {
      const rows = history((e, c, d) => 20 + (40 * d) / GIB / (e * c) + 3 * Math.log(e * c) + 0.5 * e * c, grid);
      const p = fitPhysical(family('ernest'), loss, rows).params;
      close(p.theta0!, 20, 1e-6, 'theta0');
      close(p.theta1!, 40, 1e-6, 'theta1');
      close(p.theta2!, 3, 1e-6, 'theta2');
      close(p.theta3!, 0.5, 1e-6, 'theta3');
    });
    test(`amdahl (${loss})`, () => {
      const rows = history((e, c) => 15 + 600 / (e * c), { ...grid, gib: [10] });
      const p = fitPhysical(family('amdahl'), loss, rows).params;
      close(p.a!, 15, 1e-6, 'a');
      close(p.b!, 600, 1e-6, 'b');
    });
    test(`size-aware amdahl (${loss})`, () => {
      const rows = history((e, c, d) => 15 + (25 * d) / GIB / (e * c), grid);
      const p = fitPhysical(family('amdahl-size'), loss, rows).params;
      close(p.a!, 15, 1e-6, 'a');
      close(p.b!, 25, 1e-6, 'b');
    });
  }

  test('spill-aware ernest recovers the square of the data per core', () => {
    const rows = history((e, c, d) => 20 + (30 * d) / GIB / (e * c) + 8 * (d / GIB / (e * c)) ** 2 + 0.5 * e, grid);
    const p = fitPhysical(family('ernest-spill'), 'relative', rows).params;
    close(p.theta0!, 20, 1e-6, 'theta0');
    close(p.theta1!, 30, 1e-6, 'theta1');
    close(p.theta4!, 8, 1e-6, 'theta4');
    close(p.theta3!, 0.5, 1e-6, 'theta3');
  });

  test('a term the data contradicts is held at zero, not negative', () => {
    // Duration falls faster than 1/m would allow with a positive ln-term: NNLS keeps theta2 at 0.
    const rows = history((e, c, d) => 100 + (40 * d) / GIB / (e * c) - 5 * Math.log(e * c), grid);
    const p = fitPhysical(family('ernest'), 'absolute', rows).params;
    assert.ok(
      Object.values(p).every((v) => v >= 0),
      JSON.stringify(p),
    );
  });

  test('predictions are in milliseconds and describe() names the fitted values', () => {
    const rows = history((e, c, d) => 15 + (25 * d) / GIB / (e * c), grid);
    const m = fitPhysical(family('amdahl-size'), 'absolute', rows);
    close(m.predictMs({ executors: 5, executorCores: 2 }, 40 * GIB), (15 + (25 * 40) / 10) * 1000, 1e-6, 'prediction');
    assert.match(m.describe(), /15\.0 s/);
    assert.match(m.describe(), /25\.0 s·GiB\/cores/);
  });
});

describe('flexible models', () => {
  test('linear regression recovers a linear truth in its features', () => {
    const lin = flexibleSpecs().find((s) => s.family === 'linear')!;
    const rows = history((e, c, d) => 10 + (2 * d) / GIB + (30 * d) / GIB / (e * c) + 0.2 * e * c, grid);
    const m = lin.fit(rows);
    close(m.params.GiB!, 2, 1e-4, 'GiB');
    close(m.params['GiB/cores']!, 30, 1e-4, 'GiB/cores');
    close(m.params.intercept!, 10, 1e-3, 'intercept');
  });

  test('random forest fits its training runs roughly and never predicts below zero', () => {
    const forest = flexibleSpecs().find((s) => s.family === 'forest')!;
    const rows = history((e, c, d) => 20 + (30 * d) / GIB / (e * c), {
      executors: [2, 4, 8, 16, 32],
      cores: [1, 2, 4],
      gib: [5, 10, 20],
    });
    const m = forest.fit(rows);
    const errs = rows.map((r) => Math.abs(m.predictMs(r, r.inputBytes) / r.durationMs - 1)).sort((a, b) => a - b);
    assert.ok(errs[Math.floor(errs.length / 2)]! < 0.25, `median training error ${errs[Math.floor(errs.length / 2)]}`);
    assert.ok(m.predictMs({ executors: 1000, executorCores: 8 }, 1) > 0);
  });
});

describe('fitting many subsets of one history at once', () => {
  test('gives each subset the same fit as fitting its runs alone, for every physical spec', async () => {
    const { physicalSpecs } = await import('../../models/physical.js');
    const rows = history((e, c, d) => 25 + (30 * d) / GIB / (e * c) + 0.4 * e + 2 * Math.sin(e * c + d / GIB), grid);
    const subsets = [rows.map((_, i) => i).filter((i) => i % 5 !== 0), [0, 1], rows.map((_, i) => i).slice(3, 17)];
    for (const spec of physicalSpecs()) {
      const many = spec.fitSubsets!(rows, subsets);
      subsets.forEach((at, k) => {
        const alone = spec.fit(at.map((i) => rows[i]!)).params;
        for (const [name, v] of Object.entries(alone))
          close(many[k]!.params[name]!, v, 1e-9, `${spec.name} ${name} on subset ${k}`);
      });
    }
  });
});

describe("validation through a physical model's fast path", () => {
  test("holds out the same predictions as fitting each split's training runs alone", async () => {
    const { physicalSpecs } = await import('../../models/physical.js');
    const { crossValidate, foldSplits } = await import('../../models/validate.js');
    const { levelSplits } = await import('../../models/extrapolate.js');
    const rows = history((e, c, d) => 25 + (30 * d) / GIB / (e * c) + 0.4 * e + 2 * Math.sin(e * c + d / GIB), grid);
    for (const splits of [foldSplits(rows.length), levelSplits(rows, 'up'), levelSplits(rows, 'down')]) {
      for (const spec of physicalSpecs()) {
        const slow = { ...spec, predictSplits: undefined, fitSubsets: undefined };
        const a = crossValidate(spec, rows, undefined, splits).heldOut;
        const b = crossValidate(slow, rows, undefined, splits).heldOut;
        assert.equal(a.length, b.length);
        a.forEach((h, i) => {
          close(h.logRatio, b[i]!.logRatio, 1e-9, `${spec.name} held-out ${h.id}`);
        });
      }
    }
  });
});

describe("Spark's file splits", () => {
  test('an input too small for a full block per slot runs as one wave of smaller splits', () => {
    const MIB = 1024 ** 2;
    const few = scanSplits(5.516 * GIB, 120);
    assert.equal(few.tasks, 120);
    assert.ok(few.splitBytes < 48 * MIB && few.splitBytes > 47 * MIB, String(few.splitBytes / MIB));
    assert.deepEqual(scanSplits(5.516 * GIB, 44), { tasks: 45, splitBytes: 128 * MIB });
    assert.equal(scanSplits(5.516 * GIB, 48).tasks, 48);
    assert.deepEqual(scanSplits(1024, 200), { tasks: 1, splitBytes: 4 * MIB }, 'never under the open cost');
  });
});
