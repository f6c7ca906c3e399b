import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allSpecs, durationSpecs, isUsableRun } from '../../models/family.js';
import { selectModel } from '../../models/select.js';
import { advisorSpecs } from '../../src/advisor/explore.js';
import { trainingRows } from '../../src/advisor/features.js';
import type { RunRecord } from '../../src/types.js';
import { GIB, history } from './synthetic.js';

const grid = { executors: [2, 4, 8, 16], cores: [1, 2, 4], gib: [4, 16] };

describe('one usable-run filter', () => {
  test('keeps a run with a duration and task slots; drops failed, empty and sizeless ones', () => {
    const ok = { durationMs: 60_000, executors: 4, executorCores: 2, inputBytes: GIB };
    assert.ok(isUsableRun(ok));
    assert.ok(isUsableRun({ ...ok, succeeded: true }));
    for (const bad of [
      { succeeded: false },
      { durationMs: 0 },
      { executors: 0 },
      { executorCores: 0 },
      { inputBytes: NaN },
    ]) {
      assert.equal(isUsableRun({ ...ok, ...bad }), false, JSON.stringify(bad));
    }
  });

  test('the advisor learns from exactly the runs the selection keeps', () => {
    const rows = history((e, c, d) => 20 + (30 * d) / GIB / (e * c), grid, 0.02);
    const records = rows.map(
      (r, i) => ({ ...r, succeeded: i % 5 !== 0, durationMs: i % 7 === 0 ? 0 : r.durationMs }) as unknown as RunRecord,
    );
    const kept = trainingRows(records);
    assert.deepEqual(
      kept.map((r) => r.id),
      records.filter(isUsableRun).map((r) => r.id),
    );
    // Failed runs handed straight to the selection are not learnt from either.
    const sel = selectModel(records as never)!;
    assert.equal(sel.model.trainingRuns, kept.length);
  });
});

describe('one model family', () => {
  test('spot predict (the default) and spot-submit (the advisor) offer the same physical models', () => {
    const names = (specs: { name: string }[]) => specs.map((s) => s.name);
    assert.deepEqual(names(advisorSpecs()), names(durationSpecs()));
    assert.ok(durationSpecs().every((s) => s.constrained));
    assert.ok(
      allSpecs().some((s) => !s.constrained),
      'bench/accuracy still compares the flexible ones',
    );
  });

  test('a long history is still answered by the duration family only, and says so without blaming its length', () => {
    const rows = history((e, c, d) => 20 + (30 * d) / GIB / (e * c), grid, 0.03);
    assert.ok(rows.length >= 20);
    const sel = selectModel(rows)!;
    const family = new Set(durationSpecs().map((s) => s.name));
    assert.ok(
      sel.scores.every((s) => family.has(s.name)),
      JSON.stringify(sel.scores),
    );
    assert.ok(!sel.findings.some((f) => f.code === 'physical-only'));
    assert.deepEqual(
      selectModel(rows, { specs: advisorSpecs() })!.model.predict({ executors: 6, executorCores: 2 }, 8 * GIB),
      sel.model.predict({ executors: 6, executorCores: 2 }, 8 * GIB),
    );
  });
});
