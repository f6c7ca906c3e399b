import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advise } from '../../src/advisor/advise.js';
import { advisorSpecs, SPILL_AWARE } from '../../src/advisor/explore.js';
import { clearOfSpillAt, heavierTasks, jobSpills, spillingRun } from '../../src/advisor/spill.js';
import type { RunRecord, Settings } from '../../src/types.js';
import { config, GIB, runs } from './history.js';

// Spill as the advisor reads it from RunRecord: which models compete, and what a spilling job's candidates keep.

const baseline: Settings = { executors: 32, executorCores: 4, executorMemoryBytes: 16 * GIB, shufflePartitions: 400 };
const withSpill = (rs: RunRecord[], spilled: (r: RunRecord) => number) =>
  rs.map((r) => ({ ...r, memoryBytesSpilled: spilled(r) }));
const ask = (records: RunRecord[]) =>
  advise({
    app: 'etl',
    inputBytes: 42 * GIB,
    baseline,
    pinned: [],
    records,
    config: config(),
    adviceIdFactory: () => 'adv-1',
  });

describe('advisor: spill', () => {
  test("clear of spill at the job's own partitions: runs that say so, none spilled, none given more partitions", () => {
    const own = (rs: RunRecord[]) => rs.map((r) => ({ ...r, shufflePartitions: 400 }));
    assert.equal(
      clearOfSpillAt(
        withSpill(own(runs(6)), () => 0),
        400,
      ),
      true,
    );
    // Unknown (no run carries the figure), one spilled, or one ran on more partitions, which may have kept it clear.
    assert.equal(clearOfSpillAt(own(runs(6)), 400), false);
    assert.equal(
      clearOfSpillAt(
        withSpill(own(runs(6)), (r) => (r.id === 'run-3' ? r.inputBytes : 0)),
        400,
      ),
      false,
    );
    const finer = withSpill(own(runs(6)), () => 0).map((r, i) => (i === 2 ? { ...r, shufflePartitions: 800 } : r));
    assert.equal(clearOfSpillAt(finer, 400), false);
  });

  test('a job whose runs say they never spill has no spill-aware model; unknown or spilling keeps it', () => {
    const has = (spills?: boolean) => advisorSpecs(spills).some((s) => s.family === SPILL_AWARE);
    assert.equal(has(false), false);
    assert.equal(has(undefined), true);
    assert.equal(has(true), true);
    const rs = runs(12, { shufflePartitions: 400, adaptiveExecution: false });
    assert.equal(jobSpills(rs), undefined); // no figures: older or imported runs
    assert.equal(jobSpills(withSpill(rs, () => 0)), false);
    // A straggler's few bytes are not the job's spill; a tenth of the shuffle is.
    assert.equal(jobSpills(withSpill(rs, (r) => (r.id === 'run-3' ? 1e6 : 0))), false);
    assert.equal(jobSpills(withSpill(rs, (r) => (r.id === 'run-3' ? 0.1 * r.shuffleWriteBytes! : 0))), true);
    const advice = ask(withSpill(rs, () => 0));
    assert.notEqual(advice.model?.name.split('/')[0], SPILL_AWARE);
  });

  test('runs of this size that spilled: no candidate gets fewer shuffle partitions or less memory per core than the anchor', () => {
    const rs = withSpill(
      runs(12, { shufflePartitions: 400, adaptiveExecution: false }),
      (r) => 0.2 * r.shuffleWriteBytes!,
    );
    assert.equal(spillingRun(rs, 42 * GIB)?.id, 'run-0');
    const a = ask(rs);
    const spill = a.reasons!.find((r) => r.code === 'spill');
    assert.ok(spill, JSON.stringify(a.reasons));
    assert.equal(spill.values.runId, 'run-0');
    assert.ok(
      a.notes.some((n) => n.includes('spilled')),
      a.notes.join('|'),
    );
    const anchor = rs[0]!; // 4 × 4, 16g, 400 partitions: the last good run of this size
    for (const c of a.candidates.slice(1).filter((k) => !k.rejected)) {
      assert.ok(c.settings.shufflePartitions! >= anchor.shufflePartitions!, JSON.stringify(c.settings));
      assert.ok(
        !heavierTasks(c.settings, {
          executors: anchor.executors,
          executorCores: anchor.executorCores,
          executorMemoryBytes: anchor.executorMemoryBytes!,
          shufflePartitions: anchor.shufflePartitions!,
        }),
      );
    }
    // The same history without spill may shrink the partitions with the cores.
    const dry = ask(withSpill(runs(12, { shufflePartitions: 400, adaptiveExecution: false }), () => 0));
    assert.equal(
      dry.reasons!.some((r) => r.code === 'spill'),
      false,
    );
    assert.ok(dry.candidates.some((c) => !c.rejected && c.settings.shufflePartitions! < 400));
  });

  test('heavier tasks: fewer partitions or less memory per core than the anchor, not fewer executors', () => {
    const anchor: Settings = { executors: 10, executorCores: 4, executorMemoryBytes: 8 * GIB, shufflePartitions: 200 };
    assert.equal(heavierTasks({ ...anchor, executors: 5 }, anchor), false);
    assert.equal(heavierTasks({ ...anchor, shufflePartitions: 100 }, anchor), true);
    assert.equal(heavierTasks({ ...anchor, executorMemoryBytes: 6 * GIB }, anchor), true);
    assert.equal(heavierTasks({ ...anchor, executorCores: 2, executorMemoryBytes: 4 * GIB }, anchor), false);
  });
});
