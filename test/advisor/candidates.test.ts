import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CandidateInput, partitionsFor, proposals } from '../../src/advisor/candidates.js';
import type { RunRecord, Settings } from '../../src/types.js';
import { memoryNeedPerCore } from '../../src/advisor/features.js';
import { config, GIB } from './history.js';
import { rejectionText } from '../../src/advisor/reason-text.js';

const MIB = 1024 ** 2;
const baseline: Settings = { executors: 8, executorCores: 5, shufflePartitions: 400 };
const input = (over: Partial<CandidateInput>): CandidateInput => ({
  anchor: baseline,
  baseline,
  pinned: new Set(),
  config: config(),
  adaptive: false,
  ...over,
});

describe('shuffle partitions for a candidate', () => {
  test('without AQE, tasks that read enough bytes for them to matter are not merged below the baseline count', () => {
    // 6.5 GiB over 400 partitions: 16.6 MiB a task. The size rule (128 MiB a partition) would ask for 80 on 40 slots,
    // growing a skewed partition fivefold.
    assert.equal(partitionsFor(input({ shuffleBytes: 6.5 * GIB }), 40), 400);
    // A partial last wave may go: 400 tasks on 35 slots run in 12 waves, 385 in 11.
    assert.equal(partitionsFor(input({ shuffleBytes: 6.5 * GIB }), 35), 385);
    // Not where runs of this size spilled: each partition grown by the dropped wave's share spills more, whatever
    // count the anchor (a run of a smaller input) had.
    const smaller = { ...baseline, shufflePartitions: 300 };
    assert.equal(partitionsFor(input({ shuffleBytes: 6.5 * GIB, spills: true, anchor: smaller }), 35), 400);
    // 1 GiB over 400 partitions (2.6 MiB a task) is merged as far as 4 MiB tasks: 256, whole waves of 56 slots.
    assert.equal(partitionsFor(input({ shuffleBytes: GIB }), 56), 224);
    // Tiny tasks (100 MiB over 400 partitions) cost their fixed costs: merged as the size rule says (two tasks a
    // slot), a step from the anchor's count at a time.
    assert.equal(partitionsFor(input({ shuffleBytes: 100 * MIB }), 40), 200);
    const anchor = { ...baseline, shufflePartitions: 100 };
    assert.equal(partitionsFor(input({ shuffleBytes: 100 * MIB, anchor }), 40), 80);
  });

  test('with AQE the baseline count is a ceiling Spark coalesces from, never cut', () => {
    assert.equal(partitionsFor(input({ shuffleBytes: 6.5 * GIB, adaptive: true }), 40), 400);
    assert.equal(partitionsFor(input({ shuffleBytes: 100 * MIB, adaptive: true }), 40), 400);
  });

  test('with AQE a shuffle whose longest task was one whole partition gets a finer initial cut, and keeps it', () => {
    const straggler = { shuffleBytes: 6.5 * GIB, adaptive: true, wholePartitionStraggler: true };
    // One step (advisor.maxStepFactor 2) above the job's own 400, whatever the anchor had.
    assert.equal(partitionsFor(input(straggler), 40), 800);
    assert.equal(partitionsFor(input({ ...straggler, anchor: { ...baseline, shufflePartitions: 800 } }), 40), 800);
    // A run advised with the finer cut keeps it when its straggler no longer sets the stage's time.
    const kept = { ...baseline, shufflePartitions: 800 };
    assert.equal(partitionsFor(input({ shuffleBytes: 6.5 * GIB, adaptive: true, anchor: kept }), 40), 800);
    // Without AQE nothing coalesces a finer cut: the flag changes nothing, nor when the partitions are pinned.
    assert.equal(partitionsFor(input({ ...straggler, adaptive: false }), 40), 400);
    const pinned = new Set<keyof Settings>(['shufflePartitions']);
    assert.equal(partitionsFor(input({ ...straggler, pinned }), 40), 400);
  });

  test('a run with fewer partitions that overran sets a floor the count keeps (Track.floorPartitions)', () => {
    const anchor = { ...baseline, shufflePartitions: 100 };
    assert.equal(partitionsFor(input({ shuffleBytes: 100 * MIB, anchor, floorPartitions: 126.5 }), 40), 127);
    assert.equal(partitionsFor(input({ shuffleBytes: 100 * MIB, adaptive: true, floorPartitions: 500 }), 40), 500);
  });

  test("more bytes than the baseline's partitions hold raise the count, to whole waves, unless the job never spills", () => {
    // A job not known to be clear of spill at its own count: raised before runs of this size spill.
    assert.equal(partitionsFor(input({ shuffleBytes: 80 * GIB, clearOfSpill: false }), 40), 640);
    assert.equal(partitionsFor(input({ shuffleBytes: 80 * GIB }), 40), 640);
    // Without AQE, on a job whose runs at its own count never spilled, more tasks only repack the waves.
    const never = { shuffleBytes: 80 * GIB, clearOfSpill: true };
    assert.equal(partitionsFor(input(never), 40), 400);
    // Not for more slots either, nor from an anchor a step above (a run advised before this rule).
    assert.equal(partitionsFor(input(never), 400), 400);
    assert.equal(partitionsFor(input({ ...never, anchor: { ...baseline, shufflePartitions: 800 } }), 40), 400);
    // With AQE the count is where coalescing starts, raised as before.
    assert.ok(partitionsFor(input({ ...never, adaptive: true }), 40)! > 400);
  });
});

describe('executor memory for a candidate', () => {
  test('never under the 450 MiB heap Spark refuses to start an executor with: 512m at least', () => {
    // Two 2-core executors of 512m split into 1-core ones would get 256m each by memory per core.
    const small: Settings = { executors: 2, executorCores: 2, executorMemoryBytes: 512 * MIB };
    const props = proposals(input({ anchor: small, baseline: small }));
    const oneCore = props.filter((p) => p.settings.executorCores === 1);
    assert.ok(oneCore.length > 0, 'the split is offered');
    for (const p of props) assert.ok(p.settings.executorMemoryBytes! >= 512 * MIB, JSON.stringify(p.settings));
    // Without an anchor memory, the observed need alone is floored the same way.
    const unknown: Settings = { executors: 2, executorCores: 2 };
    const needy = proposals(input({ anchor: unknown, baseline: unknown, needPerCore: () => 100 * MIB }));
    for (const p of needy) assert.ok(p.settings.executorMemoryBytes! >= 512 * MIB, JSON.stringify(p.settings));
  });
});

describe('executor memory when the cores per executor are held above the anchor', () => {
  test("no heap larger than any the job launched with: the anchor's or the baseline's, not memory per core scaled up", () => {
    // The anchor ran 2 cores × 16g (8g a core); the launch holds 4 cores, its baseline 16g.
    const anchor: Settings = { executors: 10, executorCores: 2, executorMemoryBytes: 16 * GIB };
    const baseline: Settings = { executors: 40, executorCores: 4, executorMemoryBytes: 16 * GIB };
    const pinned = new Set<keyof Settings>(['executorCores']);
    const props = proposals(input({ anchor, baseline, pinned }));
    assert.ok(props.length > 0);
    for (const p of props) assert.equal(p.settings.executorMemoryBytes, 16 * GIB, JSON.stringify(p.settings));
    // What the runs needed still counts: 3g a core observed is 12g for 4 cores, within the 16g; 5g a core would
    // need 20g, more than any run launched with, so no such candidate.
    const fits = proposals(input({ anchor, baseline, pinned, needPerCore: () => 3 * GIB }));
    for (const p of fits) assert.equal(p.settings.executorMemoryBytes, 16 * GIB, JSON.stringify(p.settings));
    const needy = proposals(input({ anchor, baseline, pinned, needPerCore: () => 5 * GIB }));
    assert.ok(needy.length > 0);
    for (const p of needy)
      assert.match(rejectionText(p.rejected ?? ''), /needs 20\.0 GiB per executor/, JSON.stringify(p));
  });
});

describe('the memory per core recent runs needed (memoryNeedPerCore)', () => {
  const run = (i: number, executorCores: number, peakGiB: number): RunRecord => ({
    id: `r${i}`,
    app: 'etl',
    inputBytes: 50 * GIB,
    executors: 10,
    executorCores,
    executorMemoryBytes: 16 * GIB,
    peakExecutorMemoryBytes: peakGiB * GIB,
    durationMs: 60_000,
    succeeded: true,
    endTime: `2024-01-${String(20 - i).padStart(2, '0')}T00:00:00Z`,
    source: 'crawl',
  });

  test('asked at the cores runs had, from those runs: a 2-core heap grown full does not double 4-core executors', () => {
    // Every run's heap grew to its 16g: 8g a core on 2 cores, 4g a core on 4 (each capped by what it had).
    const need = memoryNeedPerCore([run(0, 2, 16), run(1, 4, 16), run(2, 2, 15)]);
    assert.equal(need(4), 4 * GIB);
    assert.equal(need(2), 8 * GIB);
    // Cores no run had: the most any run needed a core.
    assert.equal(need(8), 8 * GIB);
    assert.equal(memoryNeedPerCore([])(4), undefined);
  });
});
