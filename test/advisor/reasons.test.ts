import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { reasonText, rejectionText } from '../../src/advisor/reason-text.js';
import { adviceLine, describeAdvice } from '../../src/cli/submit-describe.js';
import { askEtl, BASELINE as baseline, config, GIB, runs } from './history.js';

describe('reasons as data', () => {
  test("a rejected candidate says why as a code with its numbers, worded as explain's table writes durations", () => {
    const a = askEtl();
    const over = a.candidates.find((c) => typeof c.rejected === 'object' && c.rejected.code === 'over-bound');
    assert.ok(over, JSON.stringify(a.candidates.map((c) => c.rejected)));
    assert.deepEqual(Object.keys((over.rejected as { values: object }).values).sort(), ['boundMs', 'highMs']);
    assert.equal(
      rejectionText({ code: 'over-bound', values: { highMs: 162_000, boundMs: 22_000 } }),
      'slowdown high end 2m 42s exceeds 22 s',
    );
    // Advice stored before rejections were coded keeps its words.
    assert.equal(
      rejectionText('fewer than 64 cores, the floor a run that overran set'),
      'fewer than 64 cores, the floor a run that overran set',
    );
  });

  test('a self-error over its limit never prints as the limit itself', () => {
    const off = (selfError: number) =>
      reasonText({ code: 'thin-history-what-if-off', values: { runId: 'r', selfError, maxSelfError: 0.2 } });
    assert.match(off(0.203), /land 20\.3% from its duration \(more than 20%\)/);
    assert.match(off(0.35), /land 35% from its duration/);
    assert.match(off(0.20001), /land 20\.001% from its duration/);
  });

  test("the baseline's sources name Spark's properties, not Spot's field names", () => {
    assert.match(
      reasonText({ code: 'baseline-from-defaults', values: { keys: 'executorCores, shufflePartitions' } }),
      /^baseline spark\.executor\.cores, spark\.sql\.shuffle\.partitions assumed at Spark's defaults/,
    );
    assert.match(
      reasonText({ code: 'baseline-from-history', values: { keys: 'executors' } }),
      /^baseline spark\.executor\.instances as the job ran it/,
    );
  });

  test('durations in the decision read as in the alternatives table: 1m 54s, not 114 s', () => {
    const kept = reasonText({
      code: 'kept-baseline',
      values: { maxSlowdown: 1.1, baselineMs: 113_600, boundMs: 124_960, minSaving: 0.03, baselineCoreHours: 7.58 },
    });
    assert.match(kept, /the baseline's 1m 54s = 2m 05s\)/);
    const fastest = reasonText({ code: 'duration-fastest', values: { durationMs: 48_200, baselineMs: 3_725_000 } });
    assert.match(fastest, /\(48 s vs 1h 02m at the baseline\)/);
  });

  test('an input assumed from runs that record none is not called their largest, 0 B', () => {
    const text = (inputBytes: number, runs: number) =>
      reasonText({ code: 'input-assumed-largest', values: { runs, inputBytes, given: 0 } });
    assert.equal(
      text(0, 4),
      'input size 0 B, no size to plan for: nor does any of the 4 runs learnt from record one: all are taken to ' +
        'read the same amount',
    );
    assert.doesNotMatch(text(0, 1), /largest|1 runs/);
    assert.equal(
      text(50 * GIB, 1),
      'input size 0 B, no size to plan for: assumed the largest input of the 1 run learnt from, 50 GiB',
    );
  });

  test('the decision is a code with its numbers; decidedBy and notes are their words', () => {
    const a = askEtl();
    const [first, ...rest] = a.reasons!;
    assert.equal(first!.code, 'fewest-core-hours');
    assert.equal(typeof first!.values.coreHours, 'number');
    assert.ok((first!.values.coreHours as number) < (first!.values.baselineCoreHours as number));
    assert.equal(first!.values.maxSlowdown, 1.1);
    assert.equal(a.decidedBy, reasonText(first!));
    assert.deepEqual(a.notes, rest.map(reasonText));
    assert.ok(rest.some((r) => r.code === 'anchor' && r.values.runId === 'run-0'));
  });

  test('thin history and no input: coded with the counts', () => {
    const a = advise({ app: 'etl', baseline: { executors: 10 }, pinned: [], records: [], config: config() });
    assert.deepEqual(a.reasons![0], { code: 'thin-history-no-input', values: { runs: 0, minRuns: 3 } });
    const defaults = a.reasons!.find((r) => r.code === 'baseline-from-defaults');
    assert.equal(defaults?.values.keys, 'executorCores, shufflePartitions');
  });

  test('every code the advisor emits has words', () => {
    const seen = new Set<string>();
    const asks = [
      { records: runs(12) },
      { records: runs(2) },
      { records: [], inputBytes: undefined },
      { records: runs(12), baseline: { ...baseline, dynamicAllocation: true } },
      { records: runs(12), config: config({ objective: 'duration' }) },
      { records: runs(12), config: config({ objective: 'deadline', deadlineSeconds: 1 }) },
      { records: runs(12), baseline: {} },
      { records: runs(12), inputBytes: undefined },
    ];
    for (const over of asks) {
      const a = advise({ app: 'etl', inputBytes: 42 * GIB, baseline, pinned: [], config: config(), ...over });
      for (const r of a.reasons!) {
        seen.add(r.code);
        assert.doesNotMatch(reasonText(r), /^[a-z-]+ \{/, `no words for ${r.code}`);
      }
    }
    assert.ok(seen.size >= 8, [...seen].join(','));
    assert.ok(seen.has('input-assumed-largest'), [...seen].join(','));
    // Advice stored by earlier versions keeps words for the codes they wrote.
    assert.match(reasonText({ code: 'input-assumed-last', values: {} }), /assumed the last run's/);
    assert.match(reasonText({ code: 'deadline-without-seconds', values: {} }), /minimising cost instead/);
  });

  test("spot-submit's summary line and dry-run block render the reasons", () => {
    const a = askEtl({ adviceIdFactory: () => 'adv-9' });
    const withText = { ...a, decidedBy: 'stale words', notes: [] };
    assert.match(
      adviceLine(withText),
      /^spot-submit: advice adv-9 \(fill\): .*; fewest allocated core-hours .*; why: spot explain --advice adv-9\n$/,
    );
    // Fill mode holding the launch's own settings is said on the one line too.
    const held = {
      ...withText,
      reasons: [...a.reasons!, { code: 'fill-kept', values: { keys: 'spark.executor.instances' } }],
    };
    assert.match(
      adviceLine(held),
      /; fewest allocated core-hours .*; advisor\.mode fill: planned with spark\.executor\.instances as this launch sets them.*; why: /,
    );
    assert.doesNotMatch(adviceLine(withText), /advisor\.mode fill/);
    assert.match(describeAdvice(withText), /decided by: fewest allocated core-hours/);
    assert.match(describeAdvice(withText), /note: steps measured from run-0/);
    // A record from before reasons keeps its stored words.
    assert.match(describeAdvice({ ...a, reasons: undefined, decidedBy: 'old words' }), /decided by: old words/);
  });
});
