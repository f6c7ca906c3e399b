import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expected, JOBS, runOnCluster } from '../../bench/loop/cluster.js';
import { schedule } from '../../bench/loop/schedules.js';
import { VARIANTS, variantsNamed } from '../../bench/loop/variants.js';

// The loop's cluster variants do what their names say, so a figure printed for one is about that behaviour.

const etl = JOBS[0]!;
const on = (name: string) => VARIANTS.find((v) => v.name === name)!.apply(etl);
const GIB = 1024 ** 3;
const at = (executors: number) => ({ ...etl.fixed, executors });

describe('bench/loop cluster variants', () => {
  test('the default variant is the cluster the loop was written with', () => {
    assert.deepEqual(expected(on('default'), 50 * GIB, etl.fixed), expected(etl, 50 * GIB, etl.fixed));
  });

  test('heavy per-executor overheads make a small input slower with more executors', () => {
    const job = on('overheads');
    assert.ok(expected(job, 2 * GIB, at(40)).durationMs > expected(job, 2 * GIB, at(10)).durationMs);
    assert.ok(expected(etl, 2 * GIB, at(40)).durationMs <= expected(etl, 2 * GIB, at(10)).durationMs + 40 * 150);
  });

  test('driver-bound: the executor count barely matters; parallel: it matters more than by default', () => {
    const change = (job: typeof etl) =>
      expected(job, 50 * GIB, at(10)).durationMs / expected(job, 50 * GIB, at(40)).durationMs;
    assert.ok(change(on('driver-bound')) < 1.15, String(change(on('driver-bound'))));
    assert.ok(change(on('parallel')) > change(etl));
  });

  test('late straggler: a skewed shuffle takes longer, the more so with more waves; no skew, nothing changes', () => {
    const skewed = JOBS.find((j) => j.name === 'skewed shuffle')!;
    const late = VARIANTS.find((v) => v.name === 'late-straggler')!.apply(skewed);
    const extra = (executors: number) =>
      expected(late, 20 * GIB, { ...skewed.fixed, executors }).durationMs -
      expected(skewed, 20 * GIB, { ...skewed.fixed, executors }).durationMs;
    assert.ok(extra(20) > 0, String(extra(20)));
    assert.ok(extra(5) > extra(20), `${extra(5)} ${extra(20)}`);
    const even = { ...etl, skew: 1 };
    const evenLate = VARIANTS.find((v) => v.name === 'late-straggler')!.apply(even);
    assert.equal(expected(evenLate, 50 * GIB, at(10)).durationMs, expected(even, 50 * GIB, at(10)).durationMs);
  });

  test('hot key: as skewed as by default at the fixed partitions; more partitions do not split the hot key', () => {
    // Without AQE, so that the partitions asked for are the partitions run.
    const skewed = { ...JOBS.find((j) => j.name === 'skewed shuffle')!, adaptive: false };
    const hot = VARIANTS.find((v) => v.name === 'hot-key')!.apply(skewed);
    const longest = (job: typeof etl, shufflePartitions: number) =>
      expected(job, 20 * GIB, { ...skewed.fixed, shufflePartitions }).layout.stages[1]!.tasks!.longestMs;
    const p = skewed.fixed.shufflePartitions;
    assert.equal(longest(hot, p), longest(skewed, p));
    // Hash skew halves with twice the partitions; the hot key's partition loses only its share of the other keys.
    assert.ok(longest(skewed, 2 * p) < 0.55 * longest(skewed, p));
    assert.ok(longest(hot, 2 * p) > 0.9 * longest(hot, p), `${longest(hot, 2 * p)} ${longest(hot, p)}`);
  });

  test('under AQE the skewed partition is one configured partition: the input and their count size it', () => {
    const skewed = JOBS.find((j) => j.name === 'skewed shuffle')!;
    assert.ok(skewed.adaptive);
    const longest = (gib: number, shufflePartitions: number) =>
      expected(skewed, gib * GIB, { ...skewed.fixed, shufflePartitions }).layout.stages[1]!.tasks!.longestMs;
    const p = skewed.fixed.shufflePartitions;
    // AQE merges the others into pieces of its target whatever the input; the skewed one it never splits.
    assert.ok(longest(40, p) > 1.8 * longest(20, p), `${longest(40, p)} ${longest(20, p)}`);
    assert.ok(longest(40, 2 * p) < 0.55 * longest(40, p), `${longest(40, 2 * p)} ${longest(40, p)}`);
    // Small enough to merge, it runs in a piece as long as the others'.
    const typical = (gib: number) => expected(skewed, gib * GIB, skewed.fixed).layout.stages[1]!.tasks!.typicalMs;
    assert.equal(longest(0.5, p), typical(0.5));
  });

  test('3× the noise spreads the runs, the same seed keeps a launch and its fixed twin alike', () => {
    const spread = (job: typeof etl) => {
      const r = Array.from({ length: 200 }, (_, i) =>
        Math.log(runOnCluster(job, 50 * GIB, etl.fixed, `s${i}`).durationMs),
      );
      const m = r.reduce((a, b) => a + b, 0) / r.length;
      return Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length);
    };
    assert.ok(spread(on('noise')) > 2 * spread(etl));
  });

  test('jump: every other launch is ten times the one before, within the range', () => {
    const v = variantsNamed(['jump'])[0]!;
    const s = schedule(etl, 24, v.jump);
    for (let i = 1; i < s.length; i += 2)
      assert.ok(Math.abs(s[i]! / s[i - 1]! - 10) < 1e-6 || s[i] === etl.maxGiB * GIB, `${s[i - 1]} → ${s[i]}`);
  });

  test('memory cliff: a spilling task fails at 4× its memory where the default cluster only slows it', () => {
    const thin = { ...etl.fixed, executorMemoryBytes: 1 * GIB, shufflePartitions: 20 };
    assert.equal(expected(etl, 100 * GIB, thin).failed, false);
    assert.equal(expected(on('memory-cliff'), 100 * GIB, thin).failed, true);
  });

  test("the scan's file splits fill the slots in one wave: no input size leaves a sliver for a second", () => {
    // Spark spreads the input's length plus its open cost over the slots, so an input of fewer 128 MiB splits than
    // slots never runs more tasks than slots (a float quotient once cut 6.638 GiB into 105 splits on 104 slots).
    const over: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const gib = 1 + i * 0.0055; // up to 12 GiB: 96 splits of 128 MiB, fewer than the 100 slots of 25 × 4
      for (let e = 25; e <= 28; e++) {
        const tasks = expected(etl, gib * GIB, at(e)).layout.stages[0]!.numTasks;
        if (tasks > e * etl.fixed.executorCores) over.push(`${gib} GiB on ${e} executors: ${tasks} tasks`);
      }
    }
    assert.deepEqual(over, []);
  });

  test("bandwidth: past the storage's bandwidth more executors read no faster; below it nothing changes", () => {
    const job = on('bandwidth');
    const scan = (j: typeof etl, executors: number) => expected(j, 100 * GIB, at(executors)).layout.stages[0]!;
    // 100 GiB read 1.3 times at 2 GiB/s: 65 s, however many of the 40 × 4 or 20 × 4 slots read it.
    assert.ok(
      Math.abs(scan(job, 40).wallMs - scan(job, 20).wallMs) < 1,
      `${scan(job, 40).wallMs} ${scan(job, 20).wallMs}`,
    );
    assert.ok(scan(etl, 40).wallMs < 0.7 * scan(etl, 20).wallMs);
    // The wait shows in the tasks: each one takes longer, as a task waiting on its reads does.
    assert.ok(scan(job, 40).taskMs > scan(etl, 40).taskMs);
    // Four executors cannot read faster than the storage serves: the cap does not bind.
    assert.equal(scan(job, 4).wallMs, scan(etl, 4).wallMs);
  });

  test('an unknown cluster name is refused with the names there are', () => {
    assert.throws(() => variantsNamed(['moon']), /unknown cluster moon; one of: all, default/);
    assert.equal(variantsNamed(['all']).length, VARIANTS.length);
  });
});
