import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitPhysical, FAMILIES, physicalSpecs } from '../../models/physical.js';
import { REFERENCE_MODEL, referenceBeyond } from '../../models/reference.js';
import { selectModel } from '../../models/select.js';
import type { Validation } from '../../models/validate.js';
import { GIB, history } from './synthetic.js';

const specs = physicalSpecs();
/** A candidate's validation with these held-out errors, on the same held-out runs for every candidate. */
const val = (name: string, errors: number[]): Validation => ({
  spec: specs.find((s) => s.name === name)!,
  error: errors.reduce((s, e) => s + e, 0) / errors.length,
  heldOut: errors.map((e, i) => ({ id: `h${i}`, relError: e, logRatio: e, weight: 1 })),
});

describe('beyond a few core counts, the reference model (Ernest) answers alone', () => {
  test('while the splits cannot determine it and no candidate did distinctly better', () => {
    const amdahl = val('amdahl/relative', [0.05]);
    const ernest = val(REFERENCE_MODEL, [0.2]);
    assert.equal(referenceBeyond([amdahl, ernest], amdahl, 3), ernest, 'one held-out run tells nothing apart');
    assert.equal(referenceBeyond([amdahl, ernest], amdahl, 4), ernest);
    assert.equal(referenceBeyond([amdahl, ernest], amdahl, 5), undefined, 'splits on four core counts judge it');
    const better = val('amdahl/relative', [0.02, 0.03, 0.02, 0.03, 0.02]);
    const worse = val(REFERENCE_MODEL, [0.3, 0.31, 0.3, 0.32, 0.3]);
    assert.equal(referenceBeyond([better, worse], better, 4), undefined, 'distinctly worse');
    assert.equal(referenceBeyond([better], better, 3), undefined, 'not a candidate');
  });

  // Time falls with cores, then overheads that grow with the cluster take over: three core counts show it only
  // as a speed-up that slows, which a curve without such a term turns into more speed-up.
  const truth = (e: number, c: number) => 20 + 960 / (e * c) + 0.2 * e * c;

  test('from three core counts, above and below them', () => {
    const rows = history(truth, { executors: [4, 8, 12], cores: [1], gib: [10] });
    const sel = selectModel(rows)!;
    for (const dir of ['up', 'down']) {
      const f = sel.findings.find((x) => x.code === 'beyond-cores' && x.values.direction === dir);
      assert.equal(f?.values.model, REFERENCE_MODEL, dir);
      assert.equal(f?.values.referenceOfLevels, 3, dir);
    }
    assert.match(sel.reason, /fitted alone: 3 core counts are too few to judge its terms/);
    const q = { executors: 48, executorCores: 1 };
    const real = truth(48, 1) * 1000;
    const amdahl = fitPhysical(FAMILIES.find((f) => f.family === 'amdahl')!, 'relative', rows).predictMs(q, 10 * GIB);
    const err = (ms: number) => Math.abs(ms / real - 1);
    const ms = sel.model.predict(q, 10 * GIB).durationMs;
    assert.ok(err(ms) < 0.05 && err(ms) < err(amdahl) / 2, `${ms} vs ${real}, Amdahl ${amdahl}`);
  });
});
