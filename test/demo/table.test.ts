import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchRow, totalsText } from '../../src/cli/demo-table.js';
import { totals } from '../../src/demo/totals.js';
import type { DemoLaunch } from '../../src/demo/run.js';

const launch = (n: number, coreHours: number, durationMs: number): DemoLaunch => ({
  n,
  date: `2024-01-${String(n).padStart(2, '0')}`,
  inputBytes: 1,
  settings: { executors: 1, executorCores: 1, executorMemoryBytes: 1, shufflePartitions: 1 },
  durationMs,
  coreHours,
  fixedDurationMs: 100,
  fixedCoreHours: 10,
  exitCode: 0,
});

describe('demo totals', () => {
  test('the saving once Spot has history is measured on the second half of the launches, with its slowest launch', () => {
    const t = totals([launch(1, 10, 100), launch(2, 9, 100), launch(3, 5, 108), launch(4, 4, 104)]);
    assert.deepEqual(t.learnt, { launches: 2, coreHours: 9, fixedCoreHours: 20, worstSlowdown: 1.08 });
    assert.match(
      totalsText(t, 4),
      /over the last 2 launches, once Spot has history: core-hours 9\.0 vs 20\.0 \(-55%\), slowest launch 1\.08×/,
    );
  });

  test('a launch the totals count as longer never reads 0% in its row', () => {
    const t = totals([launch(1, 10, 100.3), launch(2, 10, 100), launch(3, 9.98, 99.99)]);
    assert.match(totalsText(t, 3), /1 of 3 launches ran longer than the fixed settings/);
    assert.match(launchRow(launch(1, 10, 100.3)), / {3}\+0\.3% .* {7}0% /);
    assert.match(launchRow(launch(2, 10, 100)), / {5}0% /);
    assert.match(launchRow(launch(3, 9.98, 99.99)), / {5}-0% .* {3}-0\.2% /);
  });

  test('input sizes read as every command writes them (format.ts formatBytes): "52 GiB", "9.5 GiB"', () => {
    assert.match(launchRow({ ...launch(1, 10, 100), inputBytes: 52.3 * 1024 ** 3 }), / {3}52 GiB /);
    assert.match(launchRow({ ...launch(1, 10, 100), inputBytes: 9.5 * 1024 ** 3 }), / {2}9\.5 GiB /);
    assert.match(launchRow({ ...launch(1, 10, 100), inputBytes: 512 * 1024 ** 2 }), / 512 MiB /);
  });

  test('durations read as spot explain and spot predict write them: "1m 02s", "56 s"', () => {
    assert.match(launchRow(launch(1, 10, 62_000)), / 1m 02s /);
    assert.match(launchRow(launch(2, 10, 56_000)), / {4}56 s /);
    assert.match(
      totalsText(totals([launch(1, 10, 62_000), launch(2, 9, 1_214_000)]), 2),
      /run time {4}21m 16s with Spot/,
    );
  });

  test('the core-hours say what they count, and why spot runs and spot report show less for the same runs', () => {
    const text = totalsText(totals([launch(1, 10, 100), launch(2, 9, 100)]), 2);
    assert.match(
      text,
      /core-hours {2}19\.0 with Spot vs 20\.0 on the fixed settings \(-5%\)\n {14}\(executors × cores × run time/,
    );
    assert.match(text, /spot runs and spot report count each\n {14}executor's own lifetime/);
  });

  test('one launch is counted in the singular', () => {
    const text = totalsText(totals([launch(1, 10, 100)]), 1);
    assert.match(text, /^Totals over 1 launch:/);
    assert.match(text, /0 of 1 launch ran longer/);
  });

  test('too few launches to split: no second-half line', () => {
    const t = totals([launch(1, 10, 100), launch(2, 9, 100)]);
    assert.equal(t.learnt, undefined);
    assert.doesNotMatch(totalsText(t, 2), /over the last/);
  });

  test('the launches with a prediction are counted against its interval; without any, no line', () => {
    const within = { ...launch(1, 10, 100), interval: { lowMs: 90, highMs: 110 } };
    const over = { ...launch(2, 9, 120), interval: { lowMs: 90, highMs: 110 } };
    const t = totals([within, over, launch(3, 5, 108)]);
    assert.deepEqual(t.held, { within: 1, of: 2, over: 1 });
    assert.match(
      totalsText(t, 3),
      /1 of 2 launches with a predicted duration ran within its 80% interval; 1 ran longer/,
    );
    assert.doesNotMatch(totalsText(totals([launch(1, 10, 100)]), 1), /80% interval/);
  });
});
