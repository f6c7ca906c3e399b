import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sizeBand } from '../../models/band.js';
import type { Blend } from '../../models/blend.js';
import { selectModel } from '../../models/select.js';
import type { Regressor } from '../../models/types.js';
import { GIB, history } from './synthetic.js';

// Two input sizes whose core scaling differs in shape: the small input is mostly fixed per-executor overhead,
// the large one mostly parallel work. One physical form cannot hold both; the runs of the query's size can.
const truth = (e: number, c: number, d: number) =>
  d < 20 * GIB ? 40 + 4 * e + 200 / (e * c) : 30 + (60 * d) / GIB / (e * c);
const grid = { executors: [2, 3, 4, 6, 8, 12], cores: [2], gib: [10, 40] };

describe('size band', () => {
  const rows = history(truth, grid, 0.01);

  test('a question inside the sizes learns from the runs of about its size when they show core scaling', () => {
    const band = sizeBand(rows, 11 * GIB);
    assert.equal(band.length, 6);
    assert.ok(band.every((r) => r.inputBytes === 10 * GIB));
  });

  test('every run answers a question beyond the sizes, or when the band is too small or too narrow in cores', () => {
    assert.equal(sizeBand(rows, 80 * GIB).length, rows.length);
    assert.equal(sizeBand(rows, 5 * GIB).length, rows.length);
    assert.equal(sizeBand(rows, undefined).length, rows.length);
    const few = rows.filter((r) => r.inputBytes === 40 * GIB || r.executors <= 4);
    assert.equal(sizeBand(few, 10 * GIB).length, few.length, 'three runs of 10 GiB are too few');
    const narrow = history(truth, { executors: [4, 5], cores: [2, 2, 2], gib: [10, 40] });
    assert.equal(sizeBand(narrow, 10 * GIB).length, narrow.length, 'one core level says nothing of scaling');
  });

  test('the selection says so, learns from the band only, and predicts that size better than a fit over both', () => {
    const q = { executors: 5, executorCores: 2 };
    const banded = selectModel(rows, { queryBytes: 10 * GIB })!;
    assert.equal(banded.model.trainingRuns, 6);
    const f = banded.findings.find((x) => x.code === 'size-band');
    assert.deepEqual(f?.values && [f.values.runs, f.values.of], [6, 12]);
    assert.match(banded.reason, /6 of 12 runs of about this input size/);
    const both = selectModel(rows)!; // no query size: every run
    assert.equal(both.model.trainingRuns, 12);
    const real = truth(5, 2, 10 * GIB) * 1000;
    const err = (ms: number) => Math.abs(ms / real - 1);
    // The fits themselves, before the runs at 4 and 6 executors bound either answer (between.ts).
    const fit = (s: typeof banded) => s.fitted.parts.inside.predictMs(q, 10 * GIB);
    assert.ok(err(fit(banded)) < err(fit(both)));
    assert.ok(err(banded.model.predict(q, 10 * GIB).durationMs) < 0.05);
  });
});

describe('beyond the sizes', () => {
  // Serial time, an overhead per executor and parallel work: four sizes of one job at four executor counts.
  const truth = (e: number, c: number, d: number) => 30 + 0.5 * e + (50 * d) / GIB / (e * c);
  const grid = { executors: [2, 4, 6, 8], cores: [2], gib: [10, 13, 16, 20] };
  const memberParams = (rows: ReturnType<typeof history>, gib: number) => {
    const physical = selectModel(rows, { queryBytes: gib * GIB })!.fitted.parts.physical;
    const members = (physical as Partial<Blend>).members ?? [physical];
    return members.map((m) => Object.keys(m.params).length);
  };

  test('only fits no fuller than the chosen one join its blend; inside the sizes, every near-best fit', () => {
    for (const seed of [1, 2, 3]) {
      const rows = history(truth, grid, 0.05, seed);
      const [chosen, ...rest] = memberParams(rows, 40);
      assert.ok(rest.length > 0 && rest.every((k) => k <= chosen!), `seed ${seed}`);
      const [first, ...others] = memberParams(rows, 15);
      assert.ok(
        others.some((k) => k > first!),
        `seed ${seed}: inside, fuller fits join`,
      );
    }
  });

  test('beyond the sizes and the core counts too, a model that ignores the input size does not answer', () => {
    // A job whose time does not depend on its input: within its sizes the size-free Amdahl answers beyond its cores.
    const flat = history((e, c) => 30 + 400 / (e * c), grid, 0.05);
    const families = (r?: Regressor) =>
      ((r as Partial<Blend> | undefined)?.members ?? (r ? [r] : [])).map((m) => m.family);
    const inside = selectModel(flat, { queryBytes: 15 * GIB })!.fitted.parts;
    assert.ok([...families(inside.above), ...families(inside.below)].includes('amdahl'));
    const beyond = selectModel(flat, { queryBytes: 40 * GIB })!.fitted.parts;
    const answering = [...families(beyond.above), ...families(beyond.below)];
    assert.ok(answering.length > 0 && !answering.includes('amdahl'), answering.join(', '));
  });
});
