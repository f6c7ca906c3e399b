import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { trainingRange } from '../../models/interval.js';
import { upperRegime } from '../../models/regime.js';
import { selectModel } from '../../models/select.js';
import { history, twoCoreRun, twoCores } from './synthetic.js';

const regimeOf = (rows: ReturnType<typeof twoCoreRun>[]) => upperRegime(rows, trainingRange(rows));

describe('runs that sped up more than in proportion to their cores ran in another regime', () => {
  test('the smallest core counts that did are left out, down to three core counts', () => {
    // 4 → 6 executors: 1.5× the cores, 2.4× faster; 6 → 8: 1.33× the cores, 1.54× faster; then less than in proportion.
    const sec = { 4: 2400, 6: 1000, 8: 650, 12: 450, 16: 360 };
    const rows = Object.entries(sec).map(([e, s]) => twoCoreRun(Number(e), 10, s));
    const r = regimeOf(rows);
    assert.equal(r.fromCores, 16);
    assert.deepEqual(
      r.rows.map((x) => x.executors),
      [8, 12, 16],
    );
    // Three core counts at least: the next smallest is kept though it sped up so too.
    const three = regimeOf(rows.slice(0, 3));
    assert.equal(three.fromCores, undefined);
    assert.equal(three.rows.length, 3);
  });

  test('a speed-up within run-to-run noise of proportional, or runs of several input sizes, leave all in', () => {
    // 1.5× the cores, 1.55× faster: within the noise.
    const near = [twoCoreRun(4, 10, 1550), twoCoreRun(6, 10, 1000), twoCoreRun(8, 10, 800), twoCoreRun(12, 10, 600)];
    assert.equal(regimeOf(near).fromCores, undefined);
    // The same durations at two input sizes: the speed-up cannot be told from the size's effect.
    const sizes = [twoCoreRun(4, 40, 2400), twoCoreRun(6, 10, 1000), twoCoreRun(8, 10, 650), twoCoreRun(12, 10, 450)];
    assert.equal(regimeOf(sizes).rows.length, 4);
  });

  test('above the largest core count the model follows the regime the largest runs ran in', () => {
    // Below 12 executors the data does not fit the executors' memory: every run there takes 3× as long.
    const truth = (e: number, c: number) => (e < 12 ? 3 : 1) * (30 + 2400 / (e * c));
    const rows = history(truth, { executors: [8, 12, 16, 20], cores: [2], gib: [10] });
    const sel = selectModel(rows)!;
    const up = sel.findings.find((f) => f.code === 'beyond-cores' && f.values.direction === 'up');
    assert.equal(up?.values.fittedFromCores, 24);
    assert.match(sel.reason, /fitted on the runs from 24 cores up: fewer cores sped up more than in proportion/);
    // Fitted through both regimes the answer would be a third of the time or less. From three core counts the time that
    // does not shrink with the cores is taken to grow as ln cores above them (reference.ts), where this job's stays
    // fixed: a little slower than the truth.
    for (const e of [32, 48]) {
      const real = truth(e, 2) * 1000;
      const got = sel.model.predict(twoCores(e), 10 * 1024 ** 3).durationMs;
      assert.ok(got >= real * 0.95 && got < real * 1.1, `${e} executors: ${got} ms against ${real} ms`);
    }
  });
});
