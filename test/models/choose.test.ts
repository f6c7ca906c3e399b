import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { choose, pickTied } from '../../models/choose.js';
import { physicalSpecs } from '../../models/physical.js';
import { blend, isBlend } from '../../models/blend.js';
import { selectModel } from '../../models/select.js';
import type { Validation } from '../../models/validate.js';
import type { Regressor } from '../../models/types.js';
import { GIB, history } from './synthetic.js';

const specs = physicalSpecs();
const order = (name: string) => specs.findIndex((s) => s.name === name);
const val = (name: string, error: number): Validation => ({
  spec: specs.find((s) => s.name === name)!,
  error,
  heldOut: [],
});

describe('choosing among validated models', () => {
  test('float noise between tied fits never decides: the relative loss wins a tie either way round', () => {
    for (const [abs, rel] of [
      [0.1, 0.1 + 1e-12],
      [0.1 + 1e-12, 0.1],
    ] as const) {
      const picked = pickTied([val('amdahl-size/absolute', abs), val('amdahl-size/relative', rel)], order);
      assert.equal(picked!.spec.name, 'amdahl-size/relative');
    }
  });

  test('within the tolerance fewer parameters win; outside it the lower error wins', () => {
    assert.equal(
      pickTied([val('ernest/relative', 0.1), val('amdahl/relative', 0.102)], order)!.spec.name,
      'amdahl/relative',
    );
    assert.equal(
      pickTied([val('ernest/relative', 0.05), val('amdahl/relative', 0.1)], order)!.spec.name,
      'ernest/relative',
    );
  });

  test('says which rule chose', () => {
    assert.equal(choose([val('ernest/relative', 0.1), val('amdahl/relative', 0.102)], order)!.code, 'simplest-of-tied');
    assert.equal(choose([val('ernest/relative', 0.05), val('amdahl/relative', 0.1)], order)!.code, 'lowest-error');
  });

  test('two exact fits of two runs each: the selection is the same whatever order the runs come in', () => {
    const rows = history((e, c, d) => 30 + (40 * d) / GIB / (e * c), { executors: [2, 4, 8], cores: [2], gib: [10] });
    const names = [rows, [...rows].reverse(), [rows[1]!, rows[2]!, rows[0]!]].map((h) => selectModel(h)!.model.name);
    assert.deepEqual(new Set(names).size, 1, names.join(', '));
    assert.match(names[0]!, /\/relative$/);
  });
});

describe('blend', () => {
  const fixed = (name: string, ms: number): Regressor => ({
    name,
    family: name,
    loss: 'relative',
    params: {},
    predictMs: () => ms,
    describe: () => name,
  });

  test("predicts the geometric mean of its parts and keeps the first part's name", () => {
    const b = blend([fixed('a', 100), fixed('b', 400)]);
    assert.equal(b.name, 'a');
    assert.ok(Math.abs(b.predictMs({ executors: 1, executorCores: 1 }, 0) - 200) < 1e-9);
    assert.match(b.describe(), /blended .* with b/);
    assert.ok(isBlend(b), 'tells itself apart from the fit it is named after');
  });

  test('a single part is itself', () => {
    const a = fixed('a', 100);
    assert.equal(blend([a]), a);
    assert.equal(isBlend(a), false);
  });
});
