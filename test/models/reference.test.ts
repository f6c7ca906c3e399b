import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitPhysical, FAMILIES, physicalSpecs } from '../../models/physical.js';
import { levelSplits } from '../../models/extrapolate.js';
import { REFERENCE_ABOVE_MODEL, REFERENCE_MODEL, referenceBeyond } from '../../models/reference.js';
import { crossValidate } from '../../models/validate.js';
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
  test('while no split trains on runs that determine it and no candidate did distinctly better', () => {
    const amdahl = val('amdahl/relative', [0.05]);
    const ernest = val(REFERENCE_MODEL, [0.2]);
    const run = (executors: number, gib: number) => ({
      id: `r${executors}-${gib}`,
      inputBytes: gib * GIB,
      executors,
      executorCores: 2,
      durationMs: 1000,
    });
    const oneSize = [3, 4, 6, 8].map((e) => run(e, 10));
    const upFrom = (rows: typeof oneSize) => levelSplits(rows, 'up');
    const below = (vals: Validation[], best: Validation, rows: typeof oneSize) =>
      referenceBeyond(vals, best, rows, upFrom(rows), 'down', (s) => crossValidate(s, rows, undefined, upFrom(rows)));
    // Splits train on two and three core counts: Ernest's constant, work and two overhead terms are not determined.
    assert.equal(below([amdahl, ernest], amdahl, oneSize), ernest, 'one held-out run');
    // Above them, the same without its fixed time, validated on the same splits (each up to 6, then to 8, cores).
    const above = referenceBeyond([amdahl, ernest], amdahl, oneSize, upFrom(oneSize), 'up', (s) =>
      crossValidate(s, oneSize, undefined, upFrom(oneSize)),
    );
    assert.equal(above?.spec.name, REFERENCE_ABOVE_MODEL);
    assert.deepEqual(
      above?.heldOut.map((h) => h.id),
      ['r6-10', 'r8-10', 'r8-10'],
    );
    const five = [2, 3, 4, 6, 8].map((e) => run(e, 10));
    assert.equal(below([amdahl, ernest], amdahl, five), undefined, 'four core counts do');
    // Three core counts at two input sizes: the work per core varies apart from the core count, and they do.
    const twoSizes = [3, 4, 6].flatMap((e) => [run(e, 10), run(e, 40)]).concat(run(8, 10));
    assert.equal(below([amdahl, ernest], amdahl, twoSizes), undefined, 'two sizes');
    const better = val('amdahl/relative', [0.02, 0.03, 0.02, 0.03, 0.02]);
    const worse = val(REFERENCE_MODEL, [0.3, 0.31, 0.3, 0.32, 0.3]);
    assert.equal(below([better, worse], better, oneSize), undefined, 'distinctly worse');
    assert.equal(below([better], better, oneSize), undefined, 'not a candidate');
  });

  test("not for runs of several input sizes: Ernest would lay the sizes' effect on the cores", () => {
    // A job bound by one hot key's task: ~9.8 s per GiB whatever its cores.
    const run = (executors: number, gib: number, sec: number) => ({
      id: `r${executors}-${gib}`,
      inputBytes: gib * GIB,
      executors,
      executorCores: 4,
      durationMs: sec * 1000,
    });
    const rows = [run(37, 36.7, 368.8), run(24, 10.7, 103.9), run(31, 41.8, 422.8)];
    const sel = selectModel(rows)!;
    const up = sel.findings.find((x) => x.code === 'beyond-cores' && x.values.direction === 'up');
    assert.ok(up && up.values.referenceOfLevels === undefined, JSON.stringify(up));
    // The fixed 40 executors, above every run's cores, at the 96-core run's size: not called faster than it ran.
    const ms = sel.model.predict({ executors: 40, executorCores: 4 }, 10.7 * GIB).durationMs;
    assert.ok(ms >= 0.9 * 103_900, `${ms} ms`);
  });

  // Time falls with cores, then overheads that grow with the cluster take over: three core counts show it only
  // as a speed-up that slows, which a curve without such a term turns into more speed-up.
  const truth = (e: number, c: number) => 20 + 960 / (e * c) + 0.2 * e * c;

  test('from three core counts, above and below them', () => {
    const rows = history(truth, { executors: [4, 8, 12], cores: [1], gib: [10] });
    const sel = selectModel(rows)!;
    for (const [dir, model] of [
      ['up', REFERENCE_ABOVE_MODEL],
      ['down', REFERENCE_MODEL],
    ]) {
      const f = sel.findings.find((x) => x.code === 'beyond-cores' && x.values.direction === dir);
      assert.equal(f?.values.model, model, dir);
      assert.equal(f?.values.referenceOfLevels, 3, dir);
    }
    assert.match(sel.reason, /fitted alone: validation on 3 core counts cannot determine its terms/);
    assert.match(
      sel.reason,
      /fitted alone, the time that does not shrink with cores taken to grow as ln cores: validation/,
    );
    // The model's own description does not claim that validation chose it.
    assert.match(sel.model.describe(), /beyond the largest core count ernest-growing\/relative.*the reason says how/);
    const q = { executors: 48, executorCores: 1 };
    const real = truth(48, 1) * 1000;
    const amdahl = fitPhysical(FAMILIES.find((f) => f.family === 'amdahl')!, 'relative', rows).predictMs(q, 10 * GIB);
    const err = (ms: number) => Math.abs(ms / real - 1);
    const ms = sel.model.predict(q, 10 * GIB).durationMs;
    assert.ok(err(ms) < 0.05 && err(ms) < err(amdahl) / 2, `${ms} vs ${real}, Amdahl ${amdahl}`);
  });
});
