import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';
import { GIB, gridRun, truthSec } from '../support/etl-grid.js';

describe('spot predict', () => {
  let home: string;
  /** `spot predict` of `app` at 8 executors × 4 cores for `inputBytes`. */
  const predictAt = (app: string, inputBytes: string) =>
    spot(home, ['predict', '--app', app, '--executors', '8', '--executor-cores', '4', '--input-bytes', inputBytes]);
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'spot-predict-'));
    const lines: string[] = [];
    for (let i = 0; i < 14; i++) {
      const g = gridRun(i);
      lines.push(
        JSON.stringify({
          // The last 4 under a job whose run names carry their date.
          app: i < 10 ? 'etl' : 'sales {date}',
          inputBytes: g.inputBytes,
          executors: g.executors,
          executorCores: g.executorCores,
          durationMs: Math.round(g.durationMs),
          succeeded: true,
          endTime: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
        }),
      );
    }
    lines.push(
      JSON.stringify({
        app: 'thin',
        inputBytes: GIB,
        executors: 2,
        executorCores: 2,
        durationMs: 1000,
        succeeded: true,
        endTime: '2024-01-01T00:00:00Z',
      }),
    );
    lines.push(
      JSON.stringify({
        app: 'thin',
        inputBytes: GIB,
        executors: 4,
        executorCores: 2,
        durationMs: 900,
        succeeded: false,
        endTime: '2024-01-02T00:00:00Z',
      }),
    );
    writeFileSync(join(home, 'runs.jsonl'), lines.join('\n'));
    const r = await spot(home, ['import', join(home, 'runs.jsonl')]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('--json gives the prediction, its interval, the model and its validation', async () => {
    const bytes = 42 * GIB;
    const r = await spot(home, [
      'predict',
      '--app',
      'etl',
      '--executors',
      '10',
      '--executor-cores',
      '4',
      '--executor-memory',
      '16g',
      '--input-bytes',
      String(bytes),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    for (const k of ['durationMs', 'low', 'high', 'model', 'validationError', 'trainingRuns']) assert.ok(k in p, k);
    assert.ok(p.low <= p.durationMs && p.durationMs <= p.high);
    assert.equal(p.trainingRuns, 10);
    assert.equal(typeof p.model, 'string');
    assert.ok(p.validationError < 0.05, String(p.validationError));
    assert.equal(p.settings.executorMemoryBytes, 16 * GIB);
    const truth = truthSec(10, 4, bytes) * 1000;
    assert.ok(Math.abs(p.durationMs / truth - 1) < 0.05, `${p.durationMs} vs ${truth}`);
  });

  test('text output names the model, the error and the training runs; far queries say so', async () => {
    const r = await predictAt('etl', String(40 * GIB));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /predicted .*80% interval/);
    assert.match(r.stdout, /validation error \d+\.\d%, trained on 10 runs/);
    assert.doesNotMatch(r.stdout, /note:/);
    // The note names which way the question lies outside the runs, not a bare "3.3× beyond".
    const far = await predictAt('etl', String(130 * GIB));
    assert.match(
      far.stdout,
      /note: 130 GiB input, 3\.\d× the largest the runs it learnt from read \(\d+ GiB\); the interval/,
    );
    // Far beyond: a whole number with thousands separators, not "10731387.1×".
    const tiny = await predictAt('etl', '1k');
    assert.match(
      tiny.stdout,
      /note: 1\.0 KiB input, \d{1,3}(,\d{3})+× smaller than the smallest the runs it learnt from read/,
    );
  });

  test('a question beyond the core counts run names the model that answered it, in text and --json', async () => {
    // The demo job's 20 runs (GiB, executors of 4 cores, ms): in range an Amdahl fit is chosen, beyond it Ernest
    // answers; the first line named only the former while the latter gave the number.
    const demo = [
      [50.5, 40, 61546],
      [61.2, 25, 69760],
      [80.1, 29, 76113],
      [37.1, 25, 56277],
      [19.1, 22, 51106],
      [15.1, 16, 48413],
      [84.7, 30, 73175],
      [65.2, 30, 68834],
      [38.6, 28, 58929],
      [68.4, 28, 73467],
      [65.7, 30, 69207],
      [24.4, 18, 54815],
      [22.4, 16, 54645],
      [92.4, 33, 76316],
      [101.4, 36, 77684],
      [93.9, 38, 73158],
      [47.1, 24, 65824],
      [51.0, 26, 64034],
      [10.2, 11, 46290],
      [27.9, 20, 56491],
    ] as const;
    const file = join(home, 'demo.jsonl');
    writeFileSync(
      file,
      demo
        .map(([gib, executors, durationMs], i) =>
          JSON.stringify({
            app: 'demo-job',
            inputBytes: Math.round(gib * GIB),
            executors,
            executorCores: 4,
            durationMs,
            succeeded: true,
            endTime: new Date(Date.UTC(2024, 1, 1 + i)).toISOString(),
          }),
        )
        .join('\n'),
    );
    assert.equal((await spot(home, ['import', file])).code, 0);
    const ask = (executors: string, json: string[] = []) =>
      spot(home, [
        'predict',
        '--app',
        'demo-job',
        '--executors',
        executors,
        '--executor-cores',
        '4',
        ...['--input-bytes', '5t'],
        ...json,
      ]);
    const far = await ask('200');
    assert.equal(far.code, 0, far.stderr);
    const named = /model (\S+), validation error/.exec(far.stdout)![1];
    const above = /beyond the largest core count (\S+),/.exec(far.stdout)![1];
    assert.notEqual(named, above, 'a history whose parts differ');
    assert.match(
      far.stdout,
      new RegExp(`\n  answered by ${above}: 800 cores, above the most the runs had \\(160\\)\n`),
    );
    const farJson = JSON.parse((await ask('200', ['--json'])).stdout);
    assert.equal(farJson.model, named);
    assert.equal(farJson.answeredBy, above);
    const below = /below the smallest (\S+),/.exec(far.stdout)![1];
    const few = await ask('2');
    if (below === named) assert.doesNotMatch(few.stdout, /answered by/);
    else assert.match(few.stdout, new RegExp(`answered by ${below}: 8 cores, below the fewest the runs had \\(44\\)`));
    // Inside the core counts run the model named answers, and no line says otherwise.
    const inside = await ask('25');
    assert.doesNotMatch(inside.stdout, /answered by/);
    assert.equal(JSON.parse((await ask('25', ['--json'])).stdout).answeredBy, undefined);
  });

  test("one run's name finds its job, whose key stands for every date", async () => {
    const r = await predictAt('sales 2024-03-05', String(40 * GIB));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /trained on 4 runs/);
    // One slip in a run's name: the job it is one slip from.
    const slip = await predictAt('sale 2024-03-05', String(40 * GIB));
    assert.equal(slip.code, 1);
    assert.match(slip.stderr, /did you mean 'sales \{date\}'\?/);
  });

  test('a count that is not a whole number of 1 or more: one usage line naming the least allowed, exit 2', async () => {
    const args = (executors: string) =>
      spot(home, ['predict', '--app', 'etl', '--executors', executors, '--executor-cores', '4', '--input-bytes', '1g']);
    for (const v of ['-3', '0', '2.5']) {
      const r = await args(v);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`--executors must be a whole number of 1 or more, got '${v}'`));
    }
    const huge = await args('99999999999999999999');
    assert.equal(huge.code, 2, huge.stderr);
    assert.match(huge.stderr, /--executors is too large, got '99999999999999999999'/);
    const runs = await spot(home, ['runs', '--limit', '99999999999999999999']);
    assert.equal(runs.code, 2, runs.stderr);
    assert.match(runs.stderr, /--limit is too large, got '99999999999999999999'/);
  });

  test('an input size that is no size, or zero: one usage line, exit 2', async () => {
    for (const v of ['0', '-5g', 'lots']) {
      const r = await predictAt('etl', v);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`--input-bytes must be a size above zero like 53687091200, 5e10 or 50g, got '${v}'`),
      );
    }
    // A size past 8 PiB is a size, only too large: said so, not that it is none.
    for (const v of ['9p', '9PiB', '1e16']) {
      const r = await predictAt('etl', v);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`--input-bytes must be below 8 PiB, got '${v}'`));
    }
  });

  test('unknown app and thin history: one clear line, exit 1', async () => {
    const r = await predictAt('nope', '1000');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "spot: no runs of 'nope' in the store: crawl or import its history first\n");
    // A job name one slip from a stored one is named.
    const typo = await predictAt('ETL', '1000');
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, "spot: no runs of 'ETL' in the store (did you mean 'etl'?)\n");
    const thin = await predictAt('thin', '1000');
    assert.equal(thin.code, 1);
    assert.match(
      thin.stderr,
      /^spot: only 1 successful run of 'thin' among the 2 stored \(advisor.minRuns is 3\): too little history to predict a duration\n$/,
    );
  });

  test('--input-bytes takes the sizes spot-submit takes: 42g, 4.5e10 and plain bytes agree; text says "1 executor"', async () => {
    const base = ['predict', '--app', 'etl', '--executors', '10', '--executor-cores', '4', '--json', '--input-bytes'];
    const g = await spot(home, [...base, '42g']);
    const bytes = await spot(home, [...base, String(42 * GIB)]);
    const exp = await spot(home, [...base, '4.5097156608e10']);
    for (const r of [g, bytes, exp]) assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(g.stdout).inputBytes, 42 * GIB);
    assert.equal(JSON.parse(exp.stdout).durationMs, JSON.parse(bytes.stdout).durationMs);
    const one = await spot(home, [
      'predict',
      '--app',
      'etl',
      '--executors',
      '1',
      '--executor-cores',
      '1',
      '--input-bytes',
      '50g',
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^etl at 1 executor × 1 core, 50 GiB input:/);
    const bad = await spot(home, [
      'predict',
      '--app',
      'etl',
      '--executors',
      '1',
      '--executor-cores',
      '1',
      '--input-bytes',
      '50x',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--input-bytes must be a size above zero like .*50g, got '50x'/);
  });

  test('bad options exit 2 without a stack trace', async () => {
    const mem = await spot(home, [
      'predict',
      '--app',
      'etl',
      '--executors',
      '8',
      '--executor-cores',
      '4',
      '--executor-memory',
      'four',
      '--input-bytes',
      '1000',
    ]);
    assert.equal(mem.code, 2);
    assert.equal(
      mem.stderr,
      "spot: --executor-memory must be a size like 4g or 4096m, got 'four' (run 'spot predict --help' for usage)\n",
    );
    const missing = await spot(home, ['predict', '--app', 'etl', '--executors', '8', '--executor-cores', '4']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--input-bytes/);
    const zero = await spot(home, [
      'predict',
      '--app',
      'etl',
      '--executors',
      '0',
      '--executor-cores',
      '4',
      '--input-bytes',
      '5',
    ]);
    assert.equal(zero.code, 2);
    for (const r of [mem, missing, zero]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
