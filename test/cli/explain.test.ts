import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';
import { SHS_FIXTURES } from '../support/paths.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { advise } from '../../src/advisor/advise.js';
import { advisorSchema } from '../../src/config/schema.js';
import type { Advice, Candidate } from '../../src/types.js';
import { fmtSettings, ranLine, renderAdvice, trackRecordLine } from '../../src/cli/explain-text.js';
import { adviceLine, describeAdvice } from '../../src/cli/submit-describe.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import { intervalCoverage } from '../../src/advisor/outcomes.js';
import { svgChart } from '../../src/cli/explain-svg.js';

import { GIB, history } from './explain-history.js';

/** How every usage error of explain ends (cli/usage-line.ts). */
const HELP = " (run 'spot explain --help' for usage)";

describe('spot explain', () => {
  let home: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'spot-explain-'));
    const store = await SqliteStore.open(join(home, 'spot.db'));
    const runs = history();
    const advice = advise({
      app: 'etl',
      inputBytes: 42 * GIB,
      baseline: { executors: 32, executorCores: 4, executorMemoryBytes: 16 * GIB },
      pinned: [],
      records: runs,
      config: advisorSchema.parse({}),
      adviceIdFactory: () => 'adv-42',
      now: new Date('2024-02-01T00:00:00Z'),
    });
    await store.putRecords([
      ...runs,
      {
        ...runs[0]!,
        id: 'application_1700000000000_0099-0',
        appId: 'application_1700000000000_0099',
        adviceId: 'adv-42',
        endTime: '2024-02-01T01:00:00Z',
      },
    ]);
    await store.putAdvice({
      ...advice,
      injected: { 'spark.executor.cores': '2' },
      outcome: { applicationId: 'application_1700000000000_0099', exitCode: 0, wallMs: 70_000 },
    });
    for (const id of ['adv-99-one', 'adv-99-two']) await store.putAdvice({ ...advice, id });
    await store.close();
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('--advice ID: the choice in words, the alternatives, the training runs and a chart', async () => {
    const svg = join(home, 'chart.svg');
    const r = await spot(home, ['explain', '--advice', 'adv-42', '--svg', svg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Advice adv-42 for job 'etl'/);
    assert.match(r.stdout, /asked for: 32 executors, 4 cores each, 16g memory/);
    assert.match(r.stdout, /Why: fewest allocated core-hours .* subject to slowdown high end ≤ 1\.1 × the baseline's/);
    assert.match(r.stdout, /Model: \S+, validation error \d+\.\d%, trained on 12 runs/);
    assert.match(r.stdout, /Alternatives[^\n]*\n\s+executors\s+cores\s+memory\s+partitions\s+predicted/);
    assert.match(r.stdout, /\bbaseline\n/);
    assert.match(r.stdout, /\bchosen\n/);
    assert.match(r.stdout, /│█+ .*◀ chosen/);
    assert.match(r.stdout, /Training runs \(12, most recent first\): application_1700000000000_0000-0/);
    assert.match(r.stdout, /Outcome: application application_1700000000000_0099, exit code 0, wall time 1m 10s/);
    // One launch of the job has finished (the others were never launched): its run against its interval.
    assert.match(
      r.stdout,
      /Track record: [01] of this job's 1 launch with advice set against its prediction ran within the 80% interval/,
    );
    const chart = readFileSync(svg, 'utf8');
    assert.match(chart, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok((chart.match(/<path /g) ?? []).length >= 3);
    assert.match(chart, />chosen</);
  });

  test('--svg into a folder that is not there: one line naming the file, exit 2 (a path named wrong)', async () => {
    const svg = join(home, 'no-such-folder', 'chart.svg');
    const r = await spot(home, ['explain', '--advice', 'adv-42', '--svg', svg]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `spot: cannot write the chart to ${svg}: no such folder: ${join(home, 'no-such-folder')}\n`);
  });

  test('--json prints the advice record', async () => {
    const r = await spot(home, ['explain', '--advice', 'adv-42', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assert.equal(a.id, 'adv-42');
    assert.ok(a.candidates.length >= 2 && a.candidates.length <= 52);
    assert.ok(a.model.validationError >= 0);
  });

  test('an application id finds the advice it was launched with', async () => {
    const r = await spot(home, ['explain', 'application_1700000000000_0099']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Advice adv-42/);
    // The run links itself to the advice (spark.spot.adviceId): its crawled duration is what the launch took.
    assert.match(
      r.stdout,
      /\nRan: [\dms ]+ \(the crawled run\) on the advised settings; predicted [\dms ]+, 80% interval [\dms ]+ – [\dms ]+: (within it|over its high end|under its low end); [\d.]+ core-hours at those settings, [\d.]+ predicted, [\d.]+ predicted at the baseline\.\n/,
    );
    // By the advice id alone, no run names it in the outcome: spot-submit's wall clock (70 s) speaks for the launch.
    const byId = await spot(home, ['explain', '--advice', 'adv-42']);
    assert.match(byId.stdout, /\nRan: 1m 10s \(spot-submit's wall clock\) on the advised settings; predicted /);
  });

  test('settings in words, the ceiling of dynamic allocation included', () => {
    assert.equal(
      fmtSettings({ executors: 1, executorCores: 4, executorMemoryBytes: 8 * 1024 ** 3 }),
      '1 executor, 4 cores each, 8g memory',
    );
    assert.equal(
      fmtSettings({ dynamicAllocation: true, maxExecutors: 40 }),
      'dynamic allocation on, up to 40 executors',
    );
    assert.equal(fmtSettings({}), 'no change (Spark or cluster defaults)');
    // The count advised under dynamic allocation is its ceiling, said once.
    assert.equal(
      fmtSettings({ executors: 18, executorCores: 4, maxExecutors: 18 }),
      '4 cores each, up to 18 executors',
    );
    // With dynamic allocation off, the executors are a fixed count, whatever maxExecutors the launch also set.
    assert.equal(
      fmtSettings({ executors: 18, dynamicAllocation: false, maxExecutors: 18 }),
      '18 executors, dynamic allocation off, up to 18 executors',
    );
  });

  test('a kept baseline recommends the settings asked for, not Spark or cluster defaults', () => {
    const a = wideAdvice(24, 24);
    a.chosen = {};
    assert.match(
      renderAdvice(a),
      /\n {2}asked for: 24 executors, 4 cores each\n {2}recommended: no change \(the settings asked for\)\n/,
    );
    a.baseline = {};
    assert.match(
      renderAdvice(a),
      /\n {2}asked for: nothing set \(Spark or cluster defaults\)\n {2}recommended: no change \(Spark or cluster defaults\)\n/,
    );
  });

  test('the track record counts failed launches apart, never as finished launches left out', () => {
    assert.equal(
      trackRecordLine({ within: 19, of: 19, over: 0, failed: 1 }),
      "Track record: 19 of this job's 19 launches with advice set against their predictions ran within the 80% " +
        'interval predicted; 0 ran longer than its high end; 1 more launch failed (a failed run is not set against ' +
        'its prediction).',
    );
    // Only failed launches: no "0 of 0" to set them beside.
    assert.equal(
      trackRecordLine({ within: 0, of: 0, over: 0, failed: 2 }),
      'Track record: no launch of this job with advice has a duration to set against its prediction; 2 launches ' +
        'failed (a failed run is not set against its prediction).',
    );
    assert.equal(trackRecordLine({ within: 0, of: 0, over: 0, failed: 0 }), undefined);
  });

  test('the launch against its prediction: within, over the high end, under the low end', () => {
    const row = {
      id: 'a',
      app: 'etl',
      createdMs: 0,
      day: 0,
      applied: false,
      predictedMs: 100_000,
      lowMs: 90_000,
      highMs: 110_000,
      baselineCoreHours: 4,
      predictedCoreHours: 4,
    };
    assert.equal(ranLine(row), undefined, 'no launch finished yet');
    assert.equal(
      ranLine({ ...row, actualMs: 120_000, actualFrom: 'run' }),
      'Ran: 2m 00s (the crawled run) on the settings asked for, nothing injected; predicted 1m 40s, 80% interval ' +
        '1m 30s – 1m 50s: over its high end; 4.80 core-hours at those settings, 4.00 predicted, 4.00 predicted at the ' +
        'baseline.',
    );
    assert.match(ranLine({ ...row, actualMs: 80_000, actualFrom: 'wall' })!, /: under its low end; 3\.20 core-hours/);
    // The run's own core time, as spot runs shows it, beside the count the predictions use where they differ.
    assert.match(
      ranLine({ ...row, actualMs: 120_000, actualFrom: 'run', heldCoreHours: 1.87 })!,
      /; 4\.80 core-hours at those settings \(executors × cores × run time; its executors' own lifetimes held 1\.87, the CORE-H of spot runs\), 4\.00 predicted/,
    );
    assert.doesNotMatch(ranLine({ ...row, actualMs: 120_000, actualFrom: 'run', heldCoreHours: 4.8 })!, /lifetimes/);
    // Under dynamic allocation the count is the ceiling: what holding it cost at most, beside what the run held.
    assert.match(
      ranLine({ ...row, actualMs: 120_000, actualFrom: 'run', heldCoreHours: 1.87 }, true)!,
      /; 4\.80 core-hours at its executor ceiling, the most it could hold \(ceiling × cores × run time; its executors' own lifetimes held 1\.87/,
    );
    assert.match(ranLine({ ...row, actualMs: 100_000, actualFrom: 'wall' })!, /: within it; /);
    // Predicted for the history's largest input, as the launch measured none: not set against the run.
    const assumed = ranLine({ ...row, actualMs: 15_000, actualFrom: 'run', assumedInputBytes: 100 * 1024 ** 3 })!;
    assert.match(assumed, /not set against it: it was for 100 GiB, the largest input of the history/);
    assert.doesNotMatch(assumed, /low end/);
    assert.deepEqual(
      intervalCoverage([
        { ...row, actualMs: 15_000, assumedInputBytes: 100 * 1024 ** 3 },
        { ...row, actualMs: 100_000 },
      ]),
      { within: 1, of: 1, over: 0 },
    );
    assert.equal(
      ranLine({ ...row, failed: { exitCode: 3, afterMs: 2_000 } }),
      'Ran: failed with exit code 3 after 2.0 s; a failed run is not set against its prediction.',
    );
  });

  test('a run without advice is explained against what Spot would advise today', async () => {
    const r = await spot(home, ['explain', 'application_1700000000000_0003']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Run application_1700000000000_0003-0 of 'etl' was launched without advice: 32 executors, 4 cores each/,
    );
    assert.match(r.stdout, /What Spot would advise for the same input today \(not stored\)/);
    assert.match(r.stdout, /recommended: /);
  });

  test('a spark-submit command line is planned as a dry run', async () => {
    const r = await spot(home, [
      'explain',
      '--',
      '--master',
      'yarn',
      '--name',
      'etl',
      '--num-executors',
      '32',
      '--executor-cores',
      '4',
      '--spot-input-bytes',
      String(42 * GIB),
      'app.jar',
      '--day',
      '1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Dry run of spot-submit/);
    assert.match(r.stdout, /Command line: spark-submit .*app\.jar --day 1/);
  });

  test('a whole command pasted, spark-submit or a path to it first, is planned as its arguments', async () => {
    const args = ['--name', 'etl', '--num-executors', '32', '--executor-cores', '4', 'app.jar', '--day', '1'];
    for (const command of ['spark-submit', '/opt/spark/bin/spark-submit', 'spot-submit']) {
      const r = await spot(home, ['explain', '--', command, ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /for job 'etl'/, command);
      assert.match(r.stdout, /^Command line: spark-submit --name etl --num-executors 32 .*app\.jar --day 1$/m, command);
      assert.doesNotMatch(r.stdout, /^Command line: .+(spark|spot)-submit/m, command);
    }
    // The command alone is a command line that launches nothing, not an application id.
    const alone = await spot(home, ['explain', '--', 'spark-submit']);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(
      alone.stdout,
      'No advice for this command line (it launches no application: no jar or script, or --version, --kill, ' +
        '--status, --help).\nspark-submit\n',
    );
    // Each reason on its own, as --json's noAdvice names it, not both guesses on every line.
    const off = await spot(home, ['explain', '--', '--spot-off', '--name', 'etl', 'app.jar']);
    assert.match(off.stdout, /^No advice for this command line \(--spot-off: Spot is off for it\)\.\n/);
    const local = await spot(home, ['explain', '--', '--master', 'local[2]', '--name', 'etl', 'app.jar']);
    assert.match(local.stdout, /^No advice for this command line \(a local master: no executors to size\)\.\n/);
  });

  test('the command line shown masks secrets, quotes words and drops terminal control sequences', async () => {
    const r = await spot(home, [
      'explain',
      '--',
      '--name',
      'etl \u001b[31mred',
      '--conf',
      'spark.hadoop.fs.s3a.secret.key=SECRETKEY1',
      '--conf=spark.jdbc.url=jdbc:mysql://u:PASSW0RD@db/x',
      'app.jar',
      '--password',
      'ARGPW',
      '--token=TOKEN1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.startsWith('Command line:'))!;
    for (const secret of ['SECRETKEY1', 'PASSW0RD', 'ARGPW', 'TOKEN1']) assert.ok(!r.stdout.includes(secret), secret);
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.match(line, /--name 'etl red' /);
    assert.match(line, / --password '\*{9}\(redacted\)' '--token=\*{9}\(redacted\)' {2}\(secret values masked\)$/);
  });

  test('--json and a command line without advice mask the same secrets', async () => {
    const secrets = ['--conf', 'spark.hadoop.fs.s3a.secret.key=SECRETKEY1', 'app.jar', '--password', 'ARGPW'];
    const json = await spot(home, ['explain', '--json', '--', '--name', 'etl', ...secrets]);
    assert.equal(json.code, 0, json.stderr);
    for (const secret of ['SECRETKEY1', 'ARGPW']) assert.ok(!json.stdout.includes(secret), secret);
    const { argv } = JSON.parse(json.stdout) as { argv: string[] };
    assert.ok(argv.includes('spark.hadoop.fs.s3a.secret.key=*********(redacted)'), argv.join(' '));
    assert.deepEqual(argv.slice(-3), ['app.jar', '--password', '*********(redacted)']);
    // A local master gets no advice: its command line is shown as one with advice is.
    const local = await spot(home, ['explain', '--', '--master', 'local[*]', ...secrets]);
    assert.equal(local.code, 0, local.stderr);
    for (const secret of ['SECRETKEY1', 'ARGPW']) assert.ok(!local.stdout.includes(secret), secret);
    assert.match(
      local.stdout,
      /^spark-submit --master 'local\[\*\]' --conf 'spark\.hadoop\.fs\.s3a\.secret\.key=\*{9}\(redacted\)' app\.jar --password '\*{9}\(redacted\)' {2}\(secret values masked\)$/m,
    );
  });

  test('--json without advice is one JSON object too: advice null, why, and the masked argv', async () => {
    const secret = ['--conf', 'spark.hadoop.fs.s3a.secret.key=SECRETKEY1'];
    for (const [args, why] of [
      [['--master', 'local', ...secret, 'app.jar'], 'local-master'],
      [['--spot-off', '--master', 'yarn', ...secret, 'app.jar'], 'spot-off'],
      [['--master', 'yarn', ...secret, '--version'], 'no-application'],
    ] as const) {
      const r = await spot(home, ['explain', '--json', '--', ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes('SECRETKEY1'), r.stdout);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stdout);
      const out = JSON.parse(lines[0]!) as { advice: unknown; noAdvice: string; argv: string[] };
      assert.deepEqual(Object.keys(out), ['advice', 'noAdvice', 'argv']);
      assert.equal(out.advice, null);
      assert.equal(out.noAdvice, why);
      assert.ok(out.argv.includes('spark.hadoop.fs.s3a.secret.key=*********(redacted)'), out.argv.join(' '));
    }
  });

  test('--svg without advice says that no chart was written, and writes none', async () => {
    const svg = join(home, 'no-advice.svg');
    const r = await spot(home, ['explain', '--svg', svg, '--', '--master', 'local', 'app.jar']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No chart written to .*no-advice\.svg: there is no advice to draw\.$/m);
    assert.ok(!existsSync(svg));
  });

  test('unknown ids and missing arguments are one clear line', async () => {
    const unknown = await spot(home, ['explain', 'application_1_2']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, "spot: no run or advice found for application id 'application_1_2'\n");
    const noAdvice = await spot(home, ['explain', '--advice', 'nope']);
    assert.equal(noAdvice.code, 1);
    assert.equal(noAdvice.stderr, "spot: no advice with id 'nope'\n");
    const none = await spot(home, ['explain']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^spot: explain needs an application id/);
    const both = await spot(home, ['explain', 'application_1_2', '--advice', 'adv-42']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^spot: explain takes one of an application id, --advice ID, or -- /);
    const svgOut = await spot(home, ['explain', '--advice', 'adv-42', '--svg', '-']);
    assert.equal(svgOut.code, 2);
    assert.match(svgOut.stderr, /^spot: --svg needs a file name/);
  });

  test('--help shows the three forms the README gives, the command line after --, and what --json prints', async () => {
    const r = await spot(home, ['explain', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Usage: spot explain \[options\] \(<app-id> \| --advice <id> \| -- <spark-submit arguments>\)/,
    );
    assert.match(r.stdout, /--advice <id> +an advice id \(printed by spot-submit\), or its first 4 or more/);
    assert.match(r.stdout, /--json +one JSON object whatever the outcome/);
  });

  test('two words without -- are a usage error, not a dry run of a command line they were never meant as', async () => {
    const r = await spot(home, ['explain', 'foo', 'bar']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      "spot: explain takes one application id, got 2 words ('foo bar'); to explain a spark-submit command line, " +
        `put it after --: spot explain -- <spark-submit arguments>${HELP}\n`,
    );
    // After -- the same words are a command line: its dry run.
    const dry = await spot(home, ['explain', '--', 'foo', 'bar']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run of spot-submit/);
  });

  test('--advice takes a unique id prefix of 4 or more characters, as git does for commits', async () => {
    const r = await spot(home, ['explain', '--advice', 'adv-4']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Advice adv-42 /);
    // In either case, as git reads hex and UUIDs are read (an id copied from a system that upper-cased it).
    const upper = await spot(home, ['explain', '--advice', 'ADV-4']);
    assert.equal(upper.code, 0, upper.stderr);
    assert.match(upper.stdout, /^Advice adv-42 /);
    const ambiguous = await spot(home, ['explain', '--advice', 'adv-9']);
    assert.equal(ambiguous.code, 2);
    assert.equal(
      ambiguous.stderr,
      "spot: advice id 'adv-9' is ambiguous: 2 advice ids start with it (adv-99-one, adv-99-two); give more characters" +
        `${HELP}\n`,
    );
    // Too short a prefix is a usage error (exit 2, one line), said before any store is opened.
    const short = await spot(home, ['explain', '--advice', 'adv']);
    assert.equal(short.code, 2);
    assert.equal(
      short.stderr,
      `spot: advice id 'adv' is too short: give the whole id or its first 4 or more characters${HELP}\n`,
    );
    const fresh = mkdtempSync(join(tmpdir(), 'spot-explain-fresh-'));
    try {
      const noStore = await spot(fresh, ['explain', '--advice', 'abc']);
      assert.equal(noStore.code, 2);
      assert.match(noStore.stderr, /^spot: advice id 'abc' is too short: [^\n]+\n$/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

/** An advice over `n` executor counts at 4 cores; the baseline (listed first) at `base`, the choice at `chosen`. */
function wideAdvice(base: number, chosen: number, app = 'etl', n = 40): Advice {
  const cand = (e: number): Candidate => ({
    settings: { executors: e, executorCores: 4 },
    prediction: { durationMs: (60 + 2400 / e) * 1000, low: (50 + 2400 / e) * 1000, high: (70 + 2400 / e) * 1000 },
    coreHours: (e * 4 * (60 + 2400 / e)) / 3600,
  });
  const order = [
    base,
    ...(chosen === base ? [] : [chosen]),
    ...Array.from({ length: n }, (_, i) => i + 1).filter((e) => e !== base && e !== chosen),
  ];
  return {
    id: 'adv-wide',
    app,
    createdAt: '2024-02-01T00:00:00Z',
    mode: 'override',
    objective: 'cost',
    baseline: { executors: base, executorCores: 4 },
    chosen: { executors: chosen, executorCores: 4 },
    pinned: [],
    decidedBy: 'test',
    trainingRunIds: [],
    candidates: order.map(cand),
  } as unknown as Advice;
}

describe('spot explain charts', () => {
  test('the terminal chart keeps the chosen and baseline rows when it thins 48 points to 16', () => {
    const text = renderAdvice(wideAdvice(38, 8, 'etl', 48));
    const rows = text.split('\n').filter((l) => l.includes('│'));
    assert.equal(rows.length, 16, rows.join('\n'));
    assert.match(rows[0]!, /^\s+1 │/);
    assert.match(rows.at(-1)!, /^\s+48 │/);
    assert.match(text, /^\s+8 │.*◀ chosen$/m);
    assert.match(text, /^\s+38 │.*◀ baseline$/m);
    const same = renderAdvice(wideAdvice(8, 8));
    assert.match(same, /^\s+8 │.*◀ baseline = chosen$/m);
  });

  test('core-hours of a small job keep the digits that tell its candidates apart, in the table and the chart', () => {
    const a = wideAdvice(2, 2, 'shell', 4);
    for (const c of a.candidates) c.coreHours = [0, 0.0086, 0.0112, 0.0157, 0.0157][c.settings.executors]!;
    const text = renderAdvice(a);
    assert.match(text, /^\s+2\s+4\s.*\s0\.0112 {2}baseline, chosen$/m);
    assert.match(text, /^\s+1\s+4\s.*\s0\.0086(\s|$)/m);
    assert.match(text, /^\s+1 │.* 0\.0086$/m);
    // A job of whole core-hours keeps two decimals.
    assert.match(renderAdvice(wideAdvice(38, 8)), /^\s+8\s+4\s.*\s\d+\.\d\d {2}chosen$/m);
  });

  test('the alternatives table lists a setting once, however the advisor spelt it', () => {
    const a = wideAdvice(20, 8, 'etl', 12);
    // The chosen setting again, its keys in another order and dynamic allocation said: one row, not two alike.
    a.candidates.splice(2, 0, {
      ...a.candidates[1]!,
      settings: { executorCores: 4, executors: 8, dynamicAllocation: false },
    });
    const table = renderAdvice(a)
      .split('\n')
      .filter((l) => /^\s+8\s+4\s/.test(l));
    assert.equal(table.length, 1, table.join('\n'));
    assert.match(table[0]!, /chosen$/);
  });

  test("a one-run replay's error on its own run is not called a validation error", () => {
    const a = wideAdvice(40, 20);
    a.trainingRunIds = ['run-1'];
    a.injected = {};
    a.model = { name: 'what-if/one-run', validationError: 0, description: 'one-run what-if' };
    a.reasons = [{ code: 'thin-history-what-if', values: { runs: 1, minRuns: 3, runId: 'run-1', selfError: 0 } }];
    const own = /what-if\/one-run, 0% off its own run \(too few runs to validate it on others\)/;
    assert.match(renderAdvice(a), new RegExp(`^Model: ${own.source}, trained on 1 run\\.$`, 'm'));
    assert.match(describeAdvice(a), new RegExp(`^ {2}model: ${own.source}$`, 'm'));
    // One figure, one rounding: the Model line says the self-error as the Why line does ("1%" both, not "0.9%").
    a.model.validationError = 0.009;
    a.reasons[0]!.values.selfError = 0.009;
    const text = renderAdvice(a);
    assert.match(text, /^Model: what-if\/one-run, 1% off its own run /m);
    assert.match(text, /^Why: .*one-run what-if, 1% self-error/m);
    assert.doesNotMatch(text, /0\.9%/);
    // Fitted on enough runs, it is validated on them.
    a.reasons = [];
    a.model.validationError = 0.019;
    assert.match(renderAdvice(a), /^Model: what-if\/one-run, validation error 1\.9%, trained on 1 run\.$/m);
  });

  test("stored advice is explained in today's words for its coded reasons, as spot-submit's line says them", () => {
    const a = wideAdvice(40, 20);
    a.reasons = [
      {
        code: 'fewest-core-hours',
        values: { maxSlowdown: 1.1, baselineMs: 113_600, boundMs: 124_960, coreHours: 1.27, baselineCoreHours: 2.36 },
      },
      { code: 'baseline-from-defaults', values: { keys: 'shufflePartitions' } },
    ];
    // The words an earlier version stored beside them.
    a.decidedBy = "fewest allocated core-hours (...) subject to slowdown high end ≤ 1.1 × the baseline's 114 s = 125 s";
    a.notes = [
      "baseline shufflePartitions assumed at Spark's defaults (set neither by the launch nor in a successful run)",
    ];
    const text = renderAdvice(a);
    assert.match(text, /\nWhy: .*the baseline's 1m 54s = 2m 05s\.\n/);
    assert.match(text, /\nNote: baseline spark\.sql\.shuffle\.partitions assumed at Spark's defaults /);
    assert.doesNotMatch(text, /114 s|shufflePartitions/);
    assert.match(adviceLine({ ...a, injected: {} }), /the baseline's 1m 54s = 2m 05s/);
    // Advice stored before reasons keeps its own words.
    a.reasons = undefined;
    assert.match(renderAdvice(a), /\nWhy: .*114 s = 125 s\.\n/);
  });

  test("the chosen's slowdown high end is shown beside the bound the decision names, not only its interval", () => {
    // The demo's advice: the bound 58 s, the chosen's 80% interval up to 1m 00s, its slowdown high end 57.7 s.
    const a = wideAdvice(40, 20);
    a.reasons = [
      {
        code: 'fewest-core-hours',
        values: { maxSlowdown: 1.1, baselineMs: 53048.8, boundMs: 58353.7, coreHours: 1.27, baselineCoreHours: 2.36 },
      },
    ];
    a.decidedBy = reasonText(a.reasons[0]!);
    const chosen = a.candidates[1]!;
    chosen.prediction = { durationMs: 56970, low: 52677, high: 59974 };
    chosen.slowdownHigh = 57731;
    const text = renderAdvice(a);
    assert.match(text, /^Why: .* = 58 s\.\n {2}chosen: slowdown high end 57\.7 s ≤ 58\.4 s \(.*high end, 1m 00s\)$/m);
    // Apart by whole seconds, written as the Why line writes the bound.
    chosen.slowdownHigh = 79_400;
    a.reasons[0]!.values.boundMs = 88_000;
    assert.match(renderAdvice(a), /\n {2}chosen: slowdown high end 1m 19s ≤ 1m 28s \(/);
    // Advice stored before slowdown high ends, or kept at the baseline: no such line.
    chosen.slowdownHigh = undefined;
    assert.doesNotMatch(renderAdvice(a), /chosen: slowdown high end/);
    assert.doesNotMatch(renderAdvice(wideAdvice(8, 8)), /chosen: slowdown high end/);
  });

  test('a kept baseline under dynamic allocation is marked kept in the table, its own maxExecutors no change', () => {
    const a = wideAdvice(30, 30);
    a.baseline = { executorCores: 4, dynamicAllocation: true, maxExecutors: 40 } as Advice['baseline'];
    a.chosen = { executorCores: 4, dynamicAllocation: true, maxExecutors: 40 } as Advice['chosen'];
    const text = renderAdvice(a);
    assert.match(text, /^\s+30\s+4\s.*baseline, chosen$/m);
    assert.doesNotMatch(text, /\d  chosen$/m);
  });

  test('SVG: axis ticks at round steps that read apart; one core each, not "1 cores each"', () => {
    // The Spark shell fixture's advice: 1 to 4 executors of 1 core, at most 0.0165 core-hours and 475 s.
    const a = wideAdvice(2, 2, 'shell', 4);
    a.candidates = a.candidates.map((c) => ({
      ...c,
      settings: { ...c.settings, executorCores: 1 },
      prediction: { ...c.prediction, high: c.settings.executors === 1 ? 475_000 : 120_000 },
      coreHours: 0.004 * c.settings.executors + 0.0005,
    }));
    a.chosen = { executors: 2, executorCores: 1 };
    const svg = svgChart(a);
    assert.match(svg, /by executor count \(1 core each\)/);
    const ticks = (color: string) =>
      [...svg.matchAll(new RegExp(`<text [^>]*font-size="11" fill="${color}">([^<]*)</text>`, 'g'))].map((m) => m[1]);
    assert.deepEqual(ticks('#1f77b4'), ['0', '200', '400', '600']);
    assert.deepEqual(ticks('#d62728'), ['0.000', '0.005', '0.010', '0.015', '0.020']);
  });

  test('SVG: the title sits above the axis titles; a point that is both baseline and chosen gets one label', () => {
    const svg = svgChart(wideAdvice(8, 8));
    const y = (text: string) => Number(new RegExp(`<text [^>]*y="([\\d.]+)"[^>]*>${text}`).exec(svg)?.[1]);
    const title = y('etl: predicted duration');
    for (const axis of ['seconds', 'core-hours'])
      assert.ok(y(axis) - title >= 16, `${axis} at ${y(axis)}, title at ${title}`);
    assert.equal((svg.match(/>baseline = chosen</g) ?? []).length, 1);
    assert.doesNotMatch(svg, />(baseline|chosen)</);
    const apart = svgChart(wideAdvice(9, 8));
    const labelY = (l: string) => Number(new RegExp(`y="([\\d.]+)"[^>]*>${l}<`).exec(apart)?.[1]);
    assert.ok(Math.abs(labelY('baseline') - labelY('chosen')) >= 14, 'neighbouring labels do not overprint');
  });

  test('SVG is valid XML even when the app name holds control characters and markup', () => {
    const svg = svgChart(wideAdvice(8, 8, 'evil\u0001\u001b[31m <job> & "x"'));
    assert.doesNotMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    assert.match(svg, /evil &lt;job&gt; &amp; &quot;x&quot;/);
  });
});

test('an attempt id as spot runs lists it explains that attempt, an earlier one of its app too', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-explain-attempt-'));
  try {
    const logs = join(home, 'logs');
    mkdirSync(logs);
    // Apache Spark's test logs of one app run twice: attempt 1 failed, attempt 2 is the app's last.
    for (const name of ['local-1430917381535_1', 'local-1430917381535_2'])
      copyFileSync(join(SHS_FIXTURES, 'spark-events', name), join(logs, name));
    const crawl = await spot(home, ['crawl', '--once', '--event-logs', logs]);
    assert.equal(crawl.code, 0, crawl.stderr);
    const earlier = await spot(home, ['explain', 'local-1430917381535-1', '--json']);
    assert.equal(earlier.code, 0, earlier.stderr);
    assert.deepEqual(JSON.parse(earlier.stdout), {
      advice: null,
      noAdvice: 'no-run',
      attempt: 'local-1430917381535-1',
      findings: [],
    });
    const text = await spot(home, ['explain', 'local-1430917381535-1']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Findings for local-1430917381535-1:/);
    // The app's own id still means its last attempt, and an attempt it never had is no attempt.
    assert.match((await spot(home, ['explain', 'local-1430917381535'])).stdout, /Findings for local-1430917381535-2:/);
    const none = await spot(home, ['explain', 'local-1430917381535-7']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, "spot: no run or advice found for application id 'local-1430917381535-7'\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a run on a local master gets no advice, as spot-submit gives its launch none: its findings only', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-explain-local-'));
  try {
    const logs = join(home, 'logs');
    mkdirSync(logs);
    // Apache Spark's test logs: local[*] and local-cluster[4,4,1024] apps, and a YARN one.
    for (const name of ['local-1430917381534', 'app-20161116163331-0000', 'application_1553914137147_0018'])
      copyFileSync(join(SHS_FIXTURES, 'spark-events', name), join(logs, name));
    const crawl = await spot(home, ['crawl', '--once', '--event-logs', logs]);
    assert.equal(crawl.code, 0, crawl.stderr);
    const local = await spot(home, ['explain', 'local-1430917381534']);
    assert.equal(local.code, 0, local.stderr);
    assert.match(
      local.stdout,
      /^Run local-1430917381534-0 of 'Spark shell' ran on a local master \(local\[\*\]\): no executors to size, so no advice/,
    );
    assert.doesNotMatch(local.stdout, /0 executors|What Spot would advise/);
    assert.match(local.stdout, /Findings for local-1430917381534-0:/);
    const json = await spot(home, ['explain', 'app-20161116163331-0000', '--json']);
    const parsed = JSON.parse(json.stdout) as { advice: unknown; noAdvice: string; attempt: string };
    assert.deepEqual(
      [parsed.advice, parsed.noAdvice, parsed.attempt],
      [null, 'local-master', 'app-20161116163331-0000-0'],
    );
    // A cluster run is still explained against what Spot would advise for it today.
    const yarn = await spot(home, ['explain', 'application_1553914137147_0018']);
    assert.match(yarn.stdout, /was launched without advice: 3 executors, 1 core each/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a run whose cores ran tasks under 0.5% of their time reads "<1%", in explain and spot runs, never "0%"', async () => {
  const home = mkdtempSync(join(tmpdir(), 'spot-explain-pct-'));
  try {
    const logs = join(home, 'logs');
    mkdirSync(logs);
    // Apache Spark's test log of a standalone app: 2 executors held 0.28 core-hours over its 8m55s, its 22 tasks
    // 0.16% of that (launch to finish, summed from the log by hand).
    copyFileSync(join(SHS_FIXTURES, 'spark-events', 'app-20180109111548-0000'), join(logs, 'app-20180109111548-0000'));
    const crawl = await spot(home, ['crawl', '--once', '--event-logs', logs]);
    assert.equal(crawl.code, 0, crawl.stderr);
    const text = await spot(home, ['explain', 'app-20180109111548-0000']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {2}critical only <1% of the allocated core time ran tasks \(from task data;/m);
    // Half its (observed) slots is one: "at 1 slot", as the count is said everywhere else.
    assert.match(text.stdout, /^ {2}at 1 slot: \d+m \d\ds \(wave estimate/m);
    assert.doesNotMatch(text.stdout, /\b1 slots\b/);
    const runs = await spot(home, ['runs']);
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /app-20180109111548-0000-0\s+8m 55s\s+2\s+0\.28\s+<1%\s+ok/);
    assert.doesNotMatch(`${text.stdout}${runs.stdout}`, /[ (]0%/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
