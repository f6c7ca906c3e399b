import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type advise, TUNED_KEYS } from '../../src/advisor/advise.js';
import type { Advice, RunRecord, Settings } from '../../src/types.js';
import { askEtl, BASELINE as baseline, config, GIB, runs, truthSec } from './history.js';
import { selectModel, type Selection } from '../../models/select.js';
import { chosenCandidate } from '../../src/advisor/outcomes.js';

const ask = (over: Partial<Parameters<typeof advise>[0]> = {}) => askEtl({ adviceIdFactory: () => 'adv-1', ...over });

describe('advise', () => {
  test('TUNED_KEYS names Spark conf keys', () => {
    assert.equal(TUNED_KEYS.executors, 'spark.executor.instances');
    assert.equal(TUNED_KEYS.executorCores, 'spark.executor.cores');
    assert.equal(TUNED_KEYS.executorMemoryBytes, 'spark.executor.memory');
    assert.equal(TUNED_KEYS.shufflePartitions, 'spark.sql.shuffle.partitions');
    assert.equal(TUNED_KEYS.dynamicAllocation, 'spark.dynamicAllocation.enabled');
  });

  test('an over-provisioned job gets fewer cores, within one step of the last good run of its size, within the slowdown limit', () => {
    const a = ask();
    assert.equal(a.id, 'adv-1');
    assert.ok(a.model && a.model.validationError < 0.1, JSON.stringify(a.model));
    assert.equal(a.trainingRunIds.length, 12);
    const m = a.chosen.executors! * (a.chosen.executorCores ?? 4);
    // The most recent run (run-0, 4 × 4 at 40 GiB) is the anchor: a step is at most ×2 or ÷2 of its 16 cores.
    assert.ok(
      a.notes.some((n) => n.includes('run-0')),
      a.notes.join('|'),
    );
    assert.ok(m < 128 && m >= 8, `total cores ${m}`);
    const base = a.candidates[0]!;
    // Neither the launch nor the runs set shuffle partitions: Spark's 200.
    assert.deepEqual(base.settings, { ...baseline, shufflePartitions: 200 });
    const chosen = a.candidates[1]!;
    assert.equal(chosen.settings.executors, a.chosen.executors);
    assert.ok(chosen.prediction.high <= 1.1 * base.prediction.durationMs);
    assert.ok(chosen.coreHours < base.coreHours);
    assert.match(a.decidedBy, /core-hours/);
    // True durations confirm the saving is real and the slowdown bounded.
    const truth = (s: Partial<Settings>) => truthSec(s.executors!, s.executorCores!, 42 * GIB);
    assert.ok(truth(chosen.settings) <= 1.1 * truth(baseline));
    assert.ok(a.candidates.length <= 52);
  });

  test('the model learns from the runs of about the input size asked when they alone show core scaling', () => {
    const small = [4, 16, 32].map(
      (e, i): RunRecord => ({
        ...runs(1)[0]!,
        id: `small-${i}`,
        inputBytes: 4 * GIB,
        executors: e,
        durationMs: 1000 * truthSec(e, 4, 4 * GIB),
      }),
    );
    let findings: Selection['findings'] = [];
    const select: typeof selectModel = (rows, opts) => {
      const sel = selectModel(rows, opts);
      findings = sel?.findings ?? [];
      return sel;
    };
    ask({ records: [...runs(12), ...small], select });
    assert.deepEqual(findings.find((f) => f.code === 'size-band')?.values.runs, 12, JSON.stringify(findings));
    ask({ records: [...runs(12), ...small], inputBytes: 4 * GIB, select });
    assert.equal(
      findings.find((f) => f.code === 'size-band'),
      undefined,
      'three runs at 4 GiB are too few: all runs',
    );
  });

  test('the baseline kept with other shuffle partitions is listed as the chosen candidate, so its run can be checked', () => {
    // The executors and their cores pinned: the executors stay, the partitions follow the expected shuffle size.
    const pinned = ['--num-executors', '--executor-cores'];
    const a = ask({ baseline: { ...baseline, shufflePartitions: 8 }, pinned });
    assert.equal(a.reasons?.[0]?.code, 'kept-baseline');
    // Its headline says the executors were kept, not the baseline whole.
    assert.match(a.decidedBy, /^kept the baseline's executors \(shuffle partitions \d+\): no candidate/);
    assert.ok(a.chosen.shufflePartitions! > 8, JSON.stringify(a.chosen));
    const ran = chosenCandidate(a);
    assert.deepEqual(ran?.settings, { ...baseline, ...a.chosen });
    assert.equal(a.candidates[1], ran);
    // Within a limit of 1× no change meets it, the partitions' alone neither: the baseline runs as it is.
    const strict = ask({ baseline: { ...baseline, shufflePartitions: 8 }, pinned, config: config({ maxSlowdown: 1 }) });
    assert.equal(strict.reasons?.[0]?.code, 'kept-baseline');
    assert.equal(strict.chosen.shufflePartitions, 8, JSON.stringify(strict.chosen));
  });

  test('a key the command line leaves unset is baselined at what the job ran with, not at what Spot injected', () => {
    const own = runs(12, { shufflePartitions: 200 });
    const injected = (id: string, p: number, base?: number): Advice => ({
      ...ask({ adviceIdFactory: () => id }),
      injected: { 'spark.sql.shuffle.partitions': String(p) },
      candidates:
        base === undefined ? [] : [{ ...ask().candidates[0]!, settings: { ...baseline, shufflePartitions: base } }],
    });
    const advisedRun = (id: string, p: number, i: number): RunRecord => ({
      ...own[0]!,
      id: `advised-${i}`,
      adviceId: id,
      shufflePartitions: p,
      endTime: new Date(Date.UTC(2024, 2, 1) + i * 86_400_000).toISOString(),
    });
    // The newest run ran Spot's 3200; its advice was measured against the job's own 200.
    const a = ask({ records: [advisedRun('a1', 3200, 1), ...own], launched: [injected('a1', 3200, 200)] });
    assert.equal(a.candidates[0]!.settings.shufflePartitions, 200);
    assert.ok(a.reasons?.some((r) => r.code === 'baseline-from-history'));
    // An advice that kept no baseline (a record of an earlier version without candidates): the older run tells.
    const b = ask({ records: [advisedRun('a2', 3200, 1), ...own], launched: [injected('a2', 3200)] });
    assert.equal(b.candidates[0]!.settings.shufflePartitions, 200);
    // Every advice keeps the baseline it planned against, the rule of thumb's too (it lists no candidates).
    const thin = ask({ records: runs(2, { shufflePartitions: 200 }), baseline: { executors: 10, executorCores: 4 } });
    assert.equal(thin.candidates.length, 0);
    assert.equal(thin.plannedBaseline?.shufflePartitions, 200);
    // Dynamic allocation taken from history is said when it was on; off, as Spark has it unasked, is no news.
    const keysFromHistory = (records: RunRecord[]) =>
      ask({ records, baseline: { executors: 10, executorCores: 4, shufflePartitions: 200 } }).reasons?.find(
        (r) => r.code === 'baseline-from-history',
      )?.values.keys;
    assert.doesNotMatch(String(keysFromHistory(runs(12, { dynamicAllocation: false }))), /dynamicAllocation/);
    assert.match(String(keysFromHistory(runs(12, { dynamicAllocation: true }))), /dynamicAllocation/);
    // Under dynamic allocation the executor count is set as its ceiling: the run's count was Spot's, not the job's.
    const dynamic = runs(12, { dynamicAllocation: true });
    const capped: RunRecord = {
      ...dynamic[0]!,
      id: 'capped',
      executors: 8,
      adviceId: 'a3',
      endTime: '2024-03-01T00:00:00Z',
    };
    const ceiling = ask({
      baseline: { executorCores: 4, executorMemoryBytes: 16 * GIB, dynamicAllocation: true },
      records: [capped, ...dynamic],
      launched: [
        {
          ...injected('a3', 0),
          injected: { 'spark.dynamicAllocation.maxExecutors': '8' },
          plannedBaseline: { ...baseline, executors: 32 },
        },
      ],
    });
    // Nor the job's 32 at its past inputs: the launch sets no maxExecutors, so it may scale up to the cluster limit.
    assert.equal(ceiling.plannedBaseline?.executors, config().cluster.maxExecutors);
    assert.equal(
      ceiling.reasons?.find((r) => r.code === 'baseline-dynamic-bounds')?.values.unbounded,
      true,
      JSON.stringify(ceiling.reasons),
    );
    assert.match(
      ceiling.notes.join('\n'),
      /sets no maxExecutors \(Spark sets no limit\), may scale up to the cluster limit/,
    );
    // Launch after launch, each run on what the last advice injected: the baseline stays the job's own.
    let records = own;
    const launched: Advice[] = [];
    for (let i = 1; i <= 6; i++) {
      const next = ask({ records, launched, adviceIdFactory: () => `l${i}` });
      assert.equal(next.candidates[0]!.settings.shufflePartitions, 200, `launch ${i}`);
      const p = next.chosen.shufflePartitions ?? 200;
      launched.unshift({ ...next, injected: { 'spark.sql.shuffle.partitions': String(p) } });
      records = [advisedRun(`l${i}`, p, i), ...records];
    }
  });

  test("under AQE a job that sets no shuffle partitions, and whose runs show none, is never started below Spark's 200", () => {
    const a = ask({ inputBytes: 2 * GIB });
    assert.equal(a.candidates[0]!.settings.shufflePartitions, 200);
    for (const c of a.candidates) assert.ok((c.settings.shufflePartitions ?? 200) >= 200, JSON.stringify(c.settings));
    assert.ok((a.chosen.shufflePartitions ?? 200) >= 200, JSON.stringify(a.chosen));
  });

  test('under dynamic allocation with its ceiling pinned, the executor count is held: no cut is planned', () => {
    const da = { ...baseline, dynamicAllocation: true };
    const free = ask({ baseline: da });
    assert.ok(free.chosen.maxExecutors !== undefined, JSON.stringify(free.chosen));
    const held = ask({ baseline: da, pinned: ['spark.dynamicAllocation.maxExecutors'] });
    assert.equal(held.chosen.executors ?? baseline.executors, baseline.executors, JSON.stringify(held.chosen));
    assert.equal(held.chosen.maxExecutors, undefined);
  });

  test('never recommends a candidate whose high end breaks the bound', () => {
    const a = ask();
    const bound = 1.1 * a.candidates[0]!.prediction.durationMs;
    for (const c of a.candidates.slice(1)) if (!c.rejected) assert.ok(c.prediction.high <= bound);
    assert.ok(a.candidates.some((c) => typeof c.rejected === 'object' && c.rejected.code === 'over-bound'));
  });

  test('pinned keys are never changed, whether named by conf key or by option', () => {
    for (const pin of ['spark.executor.instances', '--num-executors']) {
      const a = ask({ pinned: [pin] });
      assert.equal(a.chosen.executors, undefined);
      assert.ok(
        a.candidates.every((c) => c.settings.executors === 32),
        pin,
      );
    }
    const b = ask({ pinned: ['spark.executor.cores', 'spark.executor.memory'] });
    assert.equal(b.chosen.executorCores, undefined);
    assert.equal(b.chosen.executorMemoryBytes, undefined);
    assert.ok(b.candidates.every((c) => c.settings.executorCores === 4 && c.settings.executorMemoryBytes === 16 * GIB));
  });

  test('memory never goes below the observed peak per core plus headroom, up to what the runs had', () => {
    // Runs had 4 GiB per core and peaked at 3.5: the need is min(3.5 × 1.25, 4) = 4 GiB per core.
    const records = runs(12).map((r) => ({ ...r, peakExecutorMemoryBytes: r.executorCores * 3.5 * GIB }));
    const a = ask({ records });
    for (const c of a.candidates) {
      if (c.rejected || c === a.candidates[0]) continue;
      assert.ok(c.settings.executorMemoryBytes! >= c.settings.executorCores * 4 * GIB - 1, JSON.stringify(c.settings));
    }
    // With a lower peak the headroom rule binds: 2 GiB per core × 1.25 = 2.5 GiB per core.
    const low = runs(12).map((r) => ({ ...r, peakExecutorMemoryBytes: r.executorCores * 2 * GIB }));
    const b = ask({ records: low, baseline: { executors: 32, executorCores: 4, executorMemoryBytes: 8 * GIB } });
    for (const c of b.candidates) {
      if (c.rejected || c === b.candidates[0]) continue;
      assert.ok(
        c.settings.executorMemoryBytes! >= c.settings.executorCores * 2.5 * GIB - 1,
        JSON.stringify(c.settings),
      );
    }
  });

  test('a peak heap that tracks the heap given does not ratchet memory up run after run', () => {
    // A JVM's peak heap grows with its heap: runs peaking at 90% of 16 GiB must not push advice above 16 GiB.
    let memory = 16 * GIB;
    for (let round = 0; round < 5; round++) {
      const records = runs(12).map((r) => ({
        ...r,
        executorCores: 4,
        executorMemoryBytes: memory,
        peakExecutorMemoryBytes: memory * 0.9,
      }));
      const a = ask({ records, baseline: { executors: 32, executorCores: 4, executorMemoryBytes: memory } });
      const chosen = a.chosen.executorMemoryBytes ?? memory;
      assert.ok(
        chosen / (a.chosen.executorCores ?? 4) <= 4 * GIB + 1,
        `round ${round}: ${chosen / GIB} GiB for ${a.chosen.executorCores} cores`,
      );
      memory = (chosen / (a.chosen.executorCores ?? 4)) * 4;
    }
    assert.equal(memory, 16 * GIB);
  });

  test('a regressed or failed advised run sets a floor half way back, not a reset to the baseline', () => {
    const history = runs(12).map((r) => ({
      ...r,
      executors: 32,
      executorCores: 4,
      durationMs: truthSec(32, 4, r.inputBytes) * 1000 * (1 + 0.02 * Math.sin(r.inputBytes)),
    }));
    const advised: RunRecord = {
      ...history[0]!,
      id: 'advised',
      adviceId: 'adv-0',
      executors: 8,
      executorCores: 4,
      durationMs: 3 * truthSec(32, 4, 42 * GIB) * 1000,
      endTime: '2025-01-01T00:00:00Z',
    };
    const a = ask({ records: [advised, ...history] });
    assert.ok(
      a.notes.some((n) =>
        /run advised overran the slowdown limit beyond the noise: candidates keep more than 64 cores/.test(n),
      ),
      a.notes.join('|'),
    );
    // Half way (geometric) between the 32 cores that overran and the baseline's 128: more than 64.
    for (const c of a.candidates.slice(1))
      if (!c.rejected) assert.ok(c.settings.executors * c.settings.executorCores >= 64, JSON.stringify(c.settings));
    const failed = ask({ records: [{ ...advised, durationMs: 1000, succeeded: false }, ...history] });
    assert.ok(
      failed.notes.some((n) => /run advised failed: candidates keep more than 64 cores/.test(n)),
      failed.notes.join('|'),
    );
    // A run within the noise of what was promised sets no floor.
    const fine = ask({
      records: [{ ...advised, executors: 24, durationMs: truthSec(24, 4, 42 * GIB) * 1000 }, ...history],
    });
    assert.ok(!fine.notes.some((n) => n.includes('overran')), fine.notes.join('|'));
  });

  test('a good advised run moves the step anchor to itself', () => {
    const history = runs(12);
    const advised: RunRecord = {
      ...history[0]!,
      id: 'advised',
      adviceId: 'adv-0',
      executors: 16,
      executorCores: 4,
      durationMs: truthSec(16, 4, 42 * GIB) * 1000,
      endTime: '2025-01-01T00:00:00Z',
    };
    const a = ask({ records: [advised, ...history] });
    assert.ok(!a.decidedBy.startsWith('reverted'), a.decidedBy);
    assert.ok(a.notes.some((n) => n.includes('advised')));
    for (const c of a.candidates.slice(1)) {
      const m = c.settings.executors * c.settings.executorCores;
      assert.ok(m >= 32 && m <= 128, `total cores ${m} outside one step of 64`);
    }
  });

  test('a launch at the baseline (fail-open, kept or reverted) does not move the anchor back', () => {
    const history = runs(12).map((r) => ({
      ...r,
      executors: 32,
      executorCores: 4,
      durationMs: truthSec(32, 4, r.inputBytes) * 1000,
    }));
    const advised: RunRecord = {
      ...history[0]!,
      id: 'advised',
      adviceId: 'adv-0',
      executors: 12,
      durationMs: truthSec(12, 4, 42 * GIB) * 1000,
      endTime: '2025-01-01T00:00:00Z',
    };
    const failOpen: RunRecord = {
      ...history[0]!,
      id: 'fail-open',
      adviceId: 'no-advice-1',
      durationMs: truthSec(32, 4, 42 * GIB) * 1000,
      endTime: '2025-01-02T00:00:00Z',
    };
    const a = ask({ records: [failOpen, advised, ...history] });
    assert.ok(
      a.notes.some((n) => n.includes('steps measured from advised')),
      a.notes.join('|'),
    );
    for (const c of a.candidates.slice(1))
      assert.ok(
        c.settings.executors <= 24,
        `${c.settings.executors} executors: more than one step above the anchor's 12`,
      );
  });

  test('thin history falls back to rules and says so', () => {
    const a = ask({ records: runs(2), baseline: { executors: 10, executorCores: 4 } });
    assert.equal(a.model, undefined);
    assert.match(a.decidedBy, /too little history \(2 successful runs; advisor.minRuns is 3\): rule of thumb/);
    // 42 GiB = 336 tasks of 128 MiB; at 2.5 tasks per core: 135 cores = 34 executors of 4. Under the cost
    // objective the rule never adds executors, so it keeps 10.
    assert.equal(a.chosen.executors, 10);
    assert.match(a.decidedBy, /the rule never adds executors/);
    // Objective duration may grow: 34 executors wanted, capped at ×2 = 20.
    const fast = ask({
      records: runs(2),
      baseline: { executors: 10, executorCores: 4 },
      config: config({ objective: 'duration' }),
    });
    assert.equal(fast.chosen.executors, 20);
    // The partitions that run, Spot's or else Spark's 200, are at least 2 per core.
    assert.ok((fast.chosen.shufflePartitions ?? 200) >= 2 * 20 * 4);
  });

  test('thin history with an over-provisioned baseline: the rule cuts a quarter at most, blind as it is', () => {
    // 2 GiB = 16 tasks of 128 MiB → 7 cores wanted = 2 executors of 4; a blind cut of ×1.25 from 40 allows 32: on a
    // job of all parallel work it costs 1.25× the run time, where a cut to half would cost 2×.
    const a = ask({ records: runs(2), inputBytes: 2 * GIB, baseline: { executors: 40, executorCores: 4 } });
    assert.equal(a.chosen.executors, 32);
    assert.equal(a.reasons![0]!.values.cutFactor, 1.25);
  });

  test('thin history: the rule never cuts across a wave of the scan', () => {
    // 16.5 GiB = 132 splits of 128 MiB: one wave on 160 slots. 32 executors (128 slots) would read it in two
    // waves, so the rule keeps the 33 that still read it in one.
    const a = ask({ records: runs(2), inputBytes: 16.5 * GIB, baseline: { executors: 40, executorCores: 4 } });
    assert.equal(a.chosen.executors, 33);
    assert.equal(a.reasons![0]!.values.keptWaves, true);
    assert.match(a.decidedBy, /kept the scan's 1 wave of 128 MiB splits/);
  });

  test('no history and no input size: keeps the baseline', () => {
    const a = ask({ records: [], inputBytes: undefined, baseline: { executors: 10 } });
    assert.deepEqual(a.chosen, { executors: 10 });
    assert.match(a.decidedBy, /no input size: kept the baseline/);
    assert.ok(a.notes.some((n) => n.includes("Spark's defaults")));
  });

  test('objective duration goes faster; deadline is met at the high end', () => {
    const small = { executors: 4, executorCores: 4, executorMemoryBytes: 16 * GIB };
    const d = ask({ baseline: small, config: config({ objective: 'duration' }) });
    assert.ok(d.chosen.executors! * (d.chosen.executorCores ?? 4) > 16, JSON.stringify(d.chosen));
    // One step (×2) of the anchor: run-1 (8 × 4), the last run of this size at other than the baseline's cores.
    assert.ok(
      d.notes.some((n) => n.includes('run-1')),
      d.notes.join('|'),
    );
    assert.ok(d.chosen.executors! * (d.chosen.executorCores ?? 4) <= 64);
    const deadline = ask({ baseline: small, config: config({ objective: 'deadline', deadlineSeconds: 100 }) });
    const c = deadline.candidates[1]!;
    assert.ok(c.prediction.high <= 100_000, JSON.stringify(c.prediction));
    assert.match(deadline.decidedBy, /deadline 100 s/);
  });

  test('under dynamic allocation the advised executor count becomes its ceiling; allocation stays on', () => {
    const a = ask({ baseline: { ...baseline, dynamicAllocation: true } });
    assert.equal(a.chosen.dynamicAllocation, undefined);
    assert.ok(a.chosen.executors! < 32);
    assert.equal(a.chosen.maxExecutors, a.chosen.executors);
    assert.ok(
      a.notes.some((n) => n.includes('spark.dynamicAllocation.maxExecutors')),
      a.notes.join('|'),
    );
    const pinned = ask({
      baseline: { ...baseline, dynamicAllocation: true },
      pinned: ['spark.dynamicAllocation.maxExecutors'],
    });
    assert.equal(pinned.chosen.maxExecutors, undefined);
    const off = ask({ baseline: { ...baseline, dynamicAllocation: false } });
    assert.equal(off.chosen.maxExecutors, undefined);
  });

  test('unset baseline values come from the last run and are reported', () => {
    const a = ask({ baseline: {} });
    assert.ok(
      a.notes.some((n) =>
        /baseline spark\.executor\.instances, spark\.executor\.cores.* as the job ran it \(not set on the command/.test(
          n,
        ),
      ),
      a.notes.join('|'),
    );
  });

  test('a job always run at one setting is only nudged, by no more than the slowdown limit allows', () => {
    const same = runs(8).map((r) => ({
      ...r,
      executors: 32,
      executorCores: 4,
      durationMs: truthSec(32, 4, r.inputBytes) * 1000,
    }));
    const a = ask({ records: same });
    const m = (a.chosen.executors ?? 32) * (a.chosen.executorCores ?? 4);
    assert.ok(m >= 128 / 1.1 && m <= 128, `total cores ${m}`);
  });

  test('without an input size, the advice holds for the largest input of the history, and records no size', () => {
    const history = runs(12);
    history[0] = { ...history[0]!, inputBytes: 1 * GIB }; // the last run was a small one
    const largest = Math.max(...history.map((r) => r.inputBytes));
    assert.ok(largest > 10 * GIB, String(largest / GIB));
    const a = ask({ records: history, inputBytes: undefined });
    assert.equal(a.inputBytes, undefined, 'an assumed size is not what the finished run learns under');
    assert.deepEqual(
      a.reasons?.find((r) => r.code === 'input-assumed-largest')?.values,
      { runs: 12, inputBytes: largest },
      JSON.stringify(a.reasons),
    );
    assert.ok(
      a.notes.some((n) => /assumed the largest input of the 12 runs learnt from/.test(n)),
      a.notes.join('|'),
    );
    assert.deepEqual(a.chosen, ask({ records: history, inputBytes: largest }).chosen);
    // An empty input given as such is planned for the same way, and says it was given.
    const empty = ask({ records: history, inputBytes: 0 });
    assert.deepEqual(empty.chosen, a.chosen);
    assert.ok(
      empty.notes.some((n) => /^input size 0 B, no size to plan for: assumed the largest input/.test(n)),
      empty.notes.join('|'),
    );
  });
});

describe('the executor shape', () => {
  const shapes = (baseline: Settings) =>
    new Set(askEtl({ baseline, inputBytes: 2 * GIB }).candidates.map((c) => c.settings.executorCores));

  test('is kept where one executor fewer is a small step', () => {
    assert.deepEqual([...shapes({ executors: 10, executorCores: 8, executorMemoryBytes: 32 * GIB })], [8]);
  });

  test('may split a few fat executors into smaller ones, with no less memory per core', () => {
    const fat = { executors: 2, executorCores: 8, executorMemoryBytes: 32 * GIB };
    assert.ok(shapes(fat).has(4), [...shapes(fat)].join(','));
    for (const c of askEtl({ baseline: fat, inputBytes: 2 * GIB }).candidates)
      assert.ok(c.settings.executorMemoryBytes! / c.settings.executorCores >= 4 * GIB, JSON.stringify(c.settings));
    // Nor ever where the user pinned the cores per executor.
    assert.deepEqual(
      [
        ...new Set(
          askEtl({ baseline: fat, inputBytes: 2 * GIB, pinned: ['spark.executor.cores'] }).candidates.map(
            (c) => c.settings.executorCores,
          ),
        ),
      ],
      [8],
    );
  });
});
