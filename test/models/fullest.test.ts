import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fullestDetermined } from '../../models/choose.js';
import { fitPhysical, FAMILIES, physicalSpecs } from '../../models/physical.js';
import { selectModel } from '../../models/select.js';
import type { Validation } from '../../models/validate.js';
import { GIB, history } from './synthetic.js';

const specs = physicalSpecs();
const val = (name: string, error: number): Validation => ({
  spec: specs.find((s) => s.name === name)!,
  error,
  heldOut: [],
});

describe('beyond the core counts, the fullest model the history determines', () => {
  test('among tied candidates, the most parameters that the core levels still determine', () => {
    const vals = [
      val('amdahl/relative', 0.1),
      val('ernest/relative', 0.1),
      val('ernest-split/relative', 0.1),
      val('waves/relative', 0.3),
    ];
    assert.deepEqual(
      fullestDetermined(vals, vals[0]!, 4)?.map((v) => v.spec.name),
      ['ernest/relative'],
    );
    assert.deepEqual(
      fullestDetermined(vals, vals[0]!, 5)?.map((v) => v.spec.name),
      ['ernest-split/relative'],
    );
    assert.equal(fullestDetermined(vals, vals[0]!, 3), undefined, 'three levels do not determine four parameters');
    assert.equal(
      fullestDetermined([val('amdahl/relative', 0.1), val('ernest/relative', 0.2)], val('amdahl/relative', 0.1), 4),
      undefined,
      'not tied',
    );
  });

  // Time falls with cores, then overheads that grow with the cluster take over: visible over four core levels,
  // not over the two or three an extrapolation-shaped split trains on.
  const truth = (e: number, c: number) => 20 + 960 / (e * c) + 0.2 * e * c;
  const q = { executors: 48, executorCores: 1 };
  const real = truth(48, 1) * 1000;

  // From five core counts on, the splits train on four and judge Ernest's terms (fewer: reference.ts answers).
  test('a history at five core counts answers above them with the overhead its runs show', () => {
    const rows = history(truth, { executors: [4, 8, 12, 16, 20], cores: [1], gib: [10] });
    const sel = selectModel(rows)!;
    const up = sel.findings.find((f) => f.code === 'beyond-cores' && f.values.direction === 'up');
    assert.match(String(up?.values.model), /^ernest/);
    assert.equal(up?.values.fullestOfLevels, 5);
    assert.match(sel.reason, /the fullest model 5 core counts determine/);
    const amdahl = fitPhysical(FAMILIES.find((f) => f.family === 'amdahl')!, 'relative', rows).predictMs(q, 10 * GIB);
    const err = (ms: number) => Math.abs(ms / real - 1);
    assert.ok(
      err(sel.model.predict(q, 10 * GIB).durationMs) < 0.05,
      `${sel.model.predict(q, 10 * GIB).durationMs} vs ${real}`,
    );
    assert.ok(err(sel.model.predict(q, 10 * GIB).durationMs) < err(amdahl) / 2);
  });
});
